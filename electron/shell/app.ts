/**
 * The Electron shell's life cycle: privileges for app://, one instance, the security hooks on every
 * webContents and session, the core (host), the IPC bridge, the window. electron/main.ts calls
 * start(); tests call it with the `electron` module mocked.
 */
import { resolve } from 'node:path';
import {
  BrowserWindow,
  Menu,
  app,
  dialog,
  ipcMain,
  protocol,
  session,
  shell,
  type WebContents,
} from 'electron';
import { createHost, type Host } from '../core/host';
import { InputView } from '../../shared/api';
import { IPC_STAGE_CHANNEL } from '../../shared/ipc';
import { forwardEvent, registerInvokeHandler, registerTrusted, stagePathAnswer } from './ipc';
import { menuTemplate } from './menu';
import { createDesktop, imagePathsFromArgv } from './desktop';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
} from './protocol';
import { MEDIA_SCHEME } from '../core/library/media';
import { MEDIA_SCHEME_PRIVILEGES, createMediaProtocolHandler } from './media';
import {
  contentSecurityPolicy,
  hardenSession,
  hardenWebContents,
  type OriginPolicy,
} from './security';
import { createMainWindow, focusWindow } from './window';

export interface StartOptions {
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preload: string;
  /** Absolute path of the built renderer (dist/renderer), served as app://atelier/. */
  rendererDir: string;
  version: string;
  env?: NodeJS.ProcessEnv;
  argv?: readonly string[];
}

export interface StartedShell {
  window: BrowserWindow;
  host: Host;
  policy: OriginPolicy;
}

/**
 * The Vite dev server's origin when ATELIER_DEV_SERVER_URL names a loopback http(s) server and the
 * app is not packaged; otherwise undefined (a packaged app never loads a page named by the
 * environment).
 */
export function devServerOrigin(
  env: NodeJS.ProcessEnv,
  isPackaged: boolean,
): { origin: string; url: string } | undefined {
  const value = env.ATELIER_DEV_SERVER_URL;
  if (!value || isPackaged) return undefined;
  try {
    const url = new URL(value);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !loopback) return undefined;
    return { origin: url.origin, url: url.href };
  } catch {
    return undefined;
  }
}

/** `--library DIR` or `--library=DIR` from the command line, as in the browser shell. */
export function libraryArg(argv: readonly string[]): string | undefined {
  for (const [index, arg] of argv.entries()) {
    if (arg === '--library') return argv[index + 1];
    if (arg.startsWith('--library=')) return arg.slice('--library='.length);
  }
  return undefined;
}

export async function start(options: StartOptions): Promise<StartedShell | null> {
  const env = options.env ?? process.env;
  // Must happen before the app is ready.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES, MEDIA_SCHEME_PRIVILEGES]);
  app.enableSandbox();

  // ATELIER_DATA_DIR moves everything (the core's files and Chromium's profile) to that folder.
  const dataDir = env.ATELIER_DATA_DIR ? resolve(env.ATELIER_DATA_DIR) : undefined;
  if (dataDir) app.setPath('userData', dataDir);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  const dev = devServerOrigin(env, app.isPackaged);
  const policy: OriginPolicy = { devOrigin: dev?.origin };
  const windows = new Set<BrowserWindow>();
  let mainWindow: BrowserWindow | undefined;

  app.on('web-contents-created', (_event, contents: WebContents) => {
    // electronegativity-justified: OPEN_EXTERNAL_JS_CHECK — hardenWebContents calls this only for https links to the hosts in EXTERNAL_HOSTS (isAllowedExternalUrl, tested in tests/electron/security.test.ts).
    hardenWebContents(contents, policy, (url) => shell.openExternal(url));
  });
  // "Open with Atelier" and a second launch: the files go to the window that is already open.
  const pendingFiles: string[] = imagePathsFromArgv(options.argv ?? process.argv, process.cwd());
  let openFiles = (paths: readonly string[]): void => {
    pendingFiles.push(...paths);
  };
  app.on('open-file', (event, file) => {
    event.preventDefault();
    openFiles(imagePathsFromArgv([file], process.cwd()));
  });
  app.on('second-instance', (_event, argv: string[], workingDirectory: string) => {
    focusWindow(mainWindow);
    openFiles(imagePathsFromArgv(argv, workingDirectory));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  await app.whenReady();

  hardenSession(session.defaultSession, policy);
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler(options.rendererDir, contentSecurityPolicy(policy)),
  );
  const desktop = createDesktop({
    window: () => mainWindow,
    windows: () => [...windows],
    dataDir: dataDir ?? app.getPath('userData'),
    // Paths the main process produced (open-file, the command line, its own Open dialog).
    stage: async (paths) => {
      const inputs: InputView[] = [];
      for (const file of paths) {
        const result = await host.stagePath(file);
        const view = result.ok ? InputView.safeParse(result.value) : null;
        if (view?.success) inputs.push(view.data);
        else if (!result.ok) console.error(`Atelier: ${result.error.message}`);
      }
      return inputs;
    },
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(process.platform, dev !== undefined, {
        command: (command) => desktop.command(command),
        openImage: () => void desktop.openImage(),
        revealLibrary: () => desktop.reveal(host.libraryDir()),
        revealDataFolder: () => desktop.reveal(dataDir ?? app.getPath('userData')),
      }),
    ),
  );

  let host: Host;
  try {
    host = await createHost({
      shell: 'electron',
      version: options.version,
      dataDir: dataDir ?? app.getPath('userData'),
      env,
      libraryDir: libraryArg(options.argv ?? process.argv),
      trash: async (files) => {
        for (const file of files) await shell.trashItem(file);
      },
      shellServices: desktop.services,
    });
  } catch (error) {
    console.error(error);
    dialog.showErrorBox(
      'Atelier could not start',
      'Atelier could not open its settings folder. Check that your user folder is writable, then start Atelier again.',
    );
    app.quit();
    return null;
  }

  protocol.handle(MEDIA_SCHEME, createMediaProtocolHandler(host.library.media));
  registerInvokeHandler(ipcMain, host.dispatch, () => [...windows], policy);
  // A real drop's path, from the preload's stageFile only (see stagePathAnswer).
  registerTrusted(
    ipcMain,
    IPC_STAGE_CHANNEL,
    () => [...windows],
    policy,
    stagePathAnswer((file) => host.stagePath(file)),
  );
  host.subscribe((event, payload) => {
    forwardEvent([...windows], event, payload);
    desktop.onCoreEvent(event, payload);
  });
  desktop.followTheme(host.dispatch);
  openFiles = (paths) => {
    desktop.openFiles(paths);
  };
  desktop.openFiles(pendingFiles.splice(0));
  await desktop.loadWindowState();

  const openWindow = (): BrowserWindow => {
    const place = desktop.restoreWindow();
    const window = createMainWindow({
      preload: options.preload,
      url: dev?.url ?? APP_ENTRY_URL,
      devTools: dev !== undefined,
      ...place,
    });
    desktop.attachWindow(window);
    windows.add(window);
    window.on('closed', () => {
      windows.delete(window);
      if (mainWindow === window) mainWindow = undefined;
    });
    mainWindow = window;
    return window;
  };
  const window = openWindow();
  // Update checks: packaged builds only, after the window shows, never blocking, never downloading
  // without asking.
  window.once('show', () => desktop.checkForUpdates(app.isPackaged));
  app.on('activate', () => {
    if (windows.size === 0) openWindow();
  });

  // Let the core finish its writes before the process ends.
  let closing: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (event) => {
    if (closing === 'closed') return;
    event.preventDefault();
    if (closing === 'closing') return;
    closing = 'closing';
    void Promise.all([desktop.flush(), host.close()])
      .catch((error: unknown) => console.error(error))
      .finally(() => {
        closing = 'closed';
        app.quit();
      });
  });

  return { window, host, policy };
}
