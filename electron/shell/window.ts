/**
 * The main window: created hidden with the secure web preferences, shown once the first frame is
 * ready (no white flash), with a background that matches the OS theme.
 *
 * The web preferences are written out here, literally, in the BrowserWindow call: every value is
 * the safe one even where it is Electron's default, so neither a default change nor a careless edit
 * can weaken them silently, and the static scan (build/scripts/security-scan.mjs) can read them.
 */
import { BrowserWindow, nativeTheme } from 'electron';

export interface MainWindowOptions {
  /** Absolute path of dist/electron/preload.cjs. */
  preload: string;
  /** What to load: app://atelier/index.html, or the dev server's URL. */
  url: string;
  /** Open the developer tools (development only). */
  devTools?: boolean;
  /** Where to open (from the saved window state); the default size, centred, when absent. */
  bounds?: { x: number; y: number; width: number; height: number };
  /** Open maximized (the saved state). */
  maximized?: boolean;
}

/** The smallest size at which every place of the app still works. */
export const MIN_WIDTH = 900;
export const MIN_HEIGHT = 600;
/** The size of a first window. */
export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 800;

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Atelier',
    width: options.bounds?.width ?? DEFAULT_WIDTH,
    height: options.bounds?.height ?? DEFAULT_HEIGHT,
    ...(options.bounds ? { x: options.bounds.x, y: options.bounds.y } : {}),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1c1c1e' : '#f5f5f4',
    autoHideMenuBar: true,
    webPreferences: {
      // electronegativity-justified: PRELOAD_JS_CHECK — the preload (electron/preload.ts) exposes only window.atelier { invoke, on } through contextBridge, never ipcRenderer; every call is checked in main (tests/electron/preload.test.ts).
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A middle click must not open anything (window.open is denied anyway).
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools ?? false,
    },
  });
  window.once('ready-to-show', () => {
    if (options.maximized) window.maximize();
    window.show();
  });
  window.loadURL(options.url).catch((error: unknown) => {
    console.error(`Atelier could not load its window (${String(error)}); restart Atelier.`);
  });
  return window;
}

/** Brings a window to the front (restoring it when minimized), e.g. on a second launch. */
export function focusWindow(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
