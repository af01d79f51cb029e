/** Calls about the app itself: who it is, and a round trip through the transport. */
import { z } from 'zod';
import { Empty } from './common';
import { InputView } from './create';

export const ShellKind = z.enum(['electron', 'browser']);
export type ShellKind = z.infer<typeof ShellKind>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  shell: ShellKind,
  /** process.platform of the core: 'darwin' | 'win32' | 'linux' | ... */
  platform: z.string(),
  /** Where settings live (the per-user app data folder, or ATELIER_DATA_DIR). */
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * The app's menu commands (desktop shell), sent to the renderer as `app.command`. Go-to commands
 * move between places; Create listens for 'new-generation' and 'run'.
 */
export const APP_COMMANDS = [
  'new-generation',
  'run',
  'go-create',
  'go-library',
  'go-compare',
  'go-settings',
] as const;
export const AppCommand = z.enum(APP_COMMANDS);
export type AppCommand = z.infer<typeof AppCommand>;

const FilePath = z.string().min(1).max(4096);
/** The request of a call that names one library picture by its path. */
const LibraryPicture = z.object({ path: FilePath }).strict();

export const appCalls = {
  /** Name, version, which shell, platform. */
  'app.info': { request: Empty, response: AppInfo },
  /** A round trip through the transport; the core answers with the same message. */
  'app.ping': {
    request: z.object({ message: z.string().max(1000) }).strict(),
    response: z.object({ message: z.string(), receivedAt: z.number() }),
  },
  /**
   * The system's "Open" dialog for images (desktop only; 'not_available' in the browser shell): the
   * chosen pictures, staged (their paths stay in the core). An empty list when the person cancelled.
   */
  'dialog.openImage': {
    request: z.object({ multiple: z.boolean().optional() }).strict(),
    response: z.object({ inputs: z.array(InputView) }),
  },
  /** The system's "Save" dialog (desktop only); null when cancelled. */
  'dialog.saveImage': {
    request: z.object({ suggestedName: z.string().min(1).max(255) }).strict(),
    response: z.object({ path: FilePath.nullable() }),
  },
  /**
   * The system's "Choose folder" dialog (desktop only); null when cancelled. In the desktop app a
   * library folder must come from here: settings.set { libraryDir } and library.move take a folder
   * this dialog answered (or the default), never one typed or made up by the page.
   */
  'dialog.chooseFolder': {
    request: z.object({ title: z.string().max(200).optional() }).strict(),
    response: z.object({ path: FilePath.nullable() }),
  },
  /** Shows the library folder in Finder / Explorer / Files (desktop only). */
  'app.revealLibrary': { request: Empty, response: Empty },
  /**
   * Starts dragging a library image out of the window (desktop only): call it from `dragstart`.
   * `path` is relative to the library folder, with `/` separators; anything outside it is refused.
   */
  'app.startDrag': {
    request: LibraryPicture,
    response: Empty,
  },
  /**
   * Puts a library image on the system clipboard as a picture (desktop only: the main process's
   * clipboard, since the window itself may not write to it). `path` is relative to the library
   * folder, as for app.startDrag. In the browser it answers 'not_available': use the browser's own
   * clipboard there.
   */
  'app.copyImage': {
    request: LibraryPicture,
    response: Empty,
  },
} as const;

export const appEvents = {
  /** A menu command (desktop shell). */
  'app.command': z.object({ command: AppCommand }),
  /**
   * Images the system asked Atelier to open ("Open with Atelier", a second launch with files, the
   * File > Open Image… menu), already staged by the main process: the page never sees their paths.
   */
  'app.openFiles': z.object({ inputs: z.array(InputView).min(1) }),
} as const;
