/**
 * Where Atelier keeps its own files (settings now; later the job queue and caches): the data folder.
 *
 * ATELIER_DATA_DIR wins when set (tests use temporary folders). Otherwise the Electron shell passes
 * app.getPath('userData'), and the browser shell uses the OS's per-user app data folder:
 *   macOS    ~/Library/Application Support/Atelier
 *   Windows  %APPDATA%\Atelier
 *   Linux    $XDG_CONFIG_HOME/Atelier, or ~/.config/Atelier
 */
import { homedir } from 'node:os';
import path from 'node:path';

export const APP_FOLDER_NAME = 'Atelier';
export const SETTINGS_FILE_NAME = 'settings.json';

export interface DataDirOptions {
  /** The shell's own choice (Electron: app.getPath('userData')); ATELIER_DATA_DIR still wins. */
  dataDir?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  platform?: string | undefined;
  /** The person's home folder (tests pass one). */
  home?: string | undefined;
}

/** The OS's per-user app data folder for Atelier, ignoring any override. */
export function defaultDataDir(
  platform: string = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  // Build the path with the target platform's own separators, so a test on Linux can ask for the
  // Windows folder and get a real Windows path.
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (platform === 'darwin') {
    return p.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  }
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA) ?? p.join(home, 'AppData', 'Roaming');
    return p.join(appData, APP_FOLDER_NAME);
  }
  // XDG: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  const configHome = xdg !== undefined && p.isAbsolute(xdg) ? xdg : p.join(home, '.config');
  return p.join(configHome, APP_FOLDER_NAME);
}

/** <Pictures>/Atelier: the library folder when none is chosen. */
export function defaultLibraryDir(home: string = homedir()): string {
  return path.join(home, 'Pictures', APP_FOLDER_NAME);
}

/** The data folder for this run: ATELIER_DATA_DIR, else the shell's choice, else the OS default. */
export function resolveDataDir(options: DataDirOptions = {}): string {
  const env = options.env ?? process.env;
  const fromEnv = nonEmpty(env.ATELIER_DATA_DIR);
  if (fromEnv !== undefined) return path.resolve(fromEnv);
  const fromShell = nonEmpty(options.dataDir);
  if (fromShell !== undefined) return path.resolve(fromShell);
  return defaultDataDir(options.platform ?? process.platform, env, options.home ?? homedir());
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
