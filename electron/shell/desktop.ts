/**
 * The desktop side of the shell, in one place so app.ts only wires it: menu commands to the
 * renderer, files to open, the remembered window place, job progress on the dock/taskbar, a
 * notification when a batch finishes in the background, the theme, the update check, and the shell
 * services the core uses for dialogs, reveal and drag out.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Notification, dialog, nativeTheme, screen, shell, type BrowserWindow } from 'electron';
import {
  AppCommand,
  Settings,
  events,
  type CallResult,
  type EventName,
  type InputView,
} from '../../shared/api';
import type { ShellServices } from '../core/host';
import { forwardEvent } from './ipc';
import { batchNotification, createJobProgress, createOpenFilesQueue } from './os';
import { createShellServices } from './services';
import { scheduleUpdateCheck, type UpdaterLike } from './updater';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, MIN_HEIGHT, MIN_WIDTH } from './window';
import {
  EMPTY_STATE,
  readWindowState,
  restoreWindowState,
  trackWindowState,
  type Restored,
  type WindowStateFile,
  type WindowStateTracker,
  writeWindowState,
} from './window-state';

export { imagePathsFromArgv } from './os';

export interface DesktopOptions {
  /** The main window (the one dialogs attach to and progress shows on). */
  window: () => BrowserWindow | undefined;
  /** Every open window (events go to all of them). */
  windows: () => readonly BrowserWindow[];
  /** Where window-state.json lives. */
  dataDir: string;
  /**
   * Stages files the main process was asked to open (open-file, the command line, File > Open
   * Image…): the page receives their staged views, never their paths.
   */
  stage: (paths: readonly string[]) => Promise<InputView[]>;
  /** One plain line per problem (default: stderr). */
  log?: (line: string) => void;
  /** The updater (default: electron-updater's autoUpdater, loaded on first use). */
  loadUpdater?: () => Promise<UpdaterLike>;
  /** The packaged app-update.yml (default: read from the app's resources folder). */
  readPublishConfig?: () => Promise<string | undefined>;
}

/** electron-builder's copy of `publish`, where electron-updater itself reads it; undefined if none. */
async function packagedPublishConfig(): Promise<string | undefined> {
  try {
    return await readFile(join(process.resourcesPath, 'app-update.yml'), 'utf8');
  } catch {
    return undefined;
  }
}

async function electronUpdater(): Promise<UpdaterLike> {
  const mod = await import('electron-updater');
  // electron-updater is CommonJS: its exports arrive as `default` when bundled as ESM.
  return (
    (mod as { default?: { autoUpdater: UpdaterLike } }).default?.autoUpdater ?? mod.autoUpdater
  );
}

export function createDesktop(options: DesktopOptions) {
  const log = options.log ?? ((line: string) => console.error(line));
  const live = () => {
    const w = options.window();
    return w && !w.isDestroyed() ? w : undefined;
  };
  const send = (event: EventName, payload: unknown) => {
    const checked = events[event].safeParse(payload);
    if (!checked.success) return;
    forwardEvent(options.windows(), event, checked.data);
  };
  const opened = createOpenFilesQueue((paths) => {
    void options.stage(paths).then(
      (inputs) => {
        if (inputs.length > 0) send('app.openFiles', { inputs });
      },
      (error: unknown) => log(`Atelier could not open those files (${String(error)}).`),
    );
  });
  const services: ShellServices = createShellServices(live, log);

  const progress = createJobProgress({
    setProgress(value) {
      live()?.setProgressBar(value);
    },
    batchFinished(batch) {
      const w = live();
      if (w?.isFocused() || !Notification.isSupported()) return;
      const notification = new Notification({ ...batchNotification(batch), silent: false });
      notification.on('click', () => {
        if (w && !w.isDestroyed()) {
          if (w.isMinimized()) w.restore();
          w.show();
          w.focus();
        }
      });
      notification.show();
    },
  });

  let windowState: WindowStateFile = EMPTY_STATE;
  const trackers = new Set<WindowStateTracker>();

  return {
    services,

    /** A menu command for the renderer. */
    command(command: AppCommand) {
      send('app.command', { command: AppCommand.parse(command) });
    },

    /** Images to hand to the window (held until its page has loaded). */
    openFiles(paths: readonly string[]) {
      opened.add(paths);
    },

    /** File > Open Image…: the native dialog, then the same path as "Open with Atelier". */
    async openImage() {
      try {
        opened.add(await services.openImage({ multiple: true }));
      } catch (error) {
        log(`Atelier could not show the Open dialog (${String(error)}). Try again.`);
      }
    },

    /**
     * Shows a folder in Finder / Explorer / Files, selected in its parent: never shell.openPath,
     * which would run a library path that names a program.
     */
    reveal(folder: string) {
      shell.showItemInFolder(folder);
    },

    /** Core events the desktop reacts to: job progress and the theme. */
    onCoreEvent(event: EventName, payload: unknown) {
      progress.onEvent(event, payload);
      if (event === 'settings.changed') {
        const settings = Settings.safeParse(payload);
        if (settings.success) nativeTheme.themeSource = settings.data.theme;
      }
    },

    /** Applies the theme setting now (system follows the OS; light/dark override it). */
    followTheme(dispatch: (call: string, request: unknown) => Promise<CallResult>) {
      void dispatch('settings.get', {}).then((result) => {
        const settings = result.ok ? Settings.safeParse(result.value) : undefined;
        if (settings?.success) nativeTheme.themeSource = settings.data.theme;
      });
    },

    async loadWindowState() {
      windowState = await readWindowState(options.dataDir);
      return windowState;
    },

    /** Where the next window opens. */
    restoreWindow(): Partial<Restored> {
      try {
        return restoreWindowState(
          windowState,
          screen.getAllDisplays(),
          screen.getPrimaryDisplay(),
          {
            defaultSize: { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT },
            minSize: { width: MIN_WIDTH, height: MIN_HEIGHT },
          },
        );
      } catch (error) {
        log(
          `Atelier could not read the screen layout (${String(error)}); it opens at its usual size.`,
        );
        return {};
      }
    },

    /** Remembers this window's place, and gives it opened files once its page has loaded. */
    attachWindow(window: BrowserWindow) {
      const tracker = trackWindowState(window, {
        dataDir: options.dataDir,
        screen,
        initial: windowState,
        log,
        write: async (dir, state) => {
          windowState = state;
          await writeWindowState(dir, state);
        },
      });
      trackers.add(tracker);
      window.webContents.on('did-finish-load', () => opened.ready());
      window.on('closed', () => {
        opened.notReady();
        trackers.delete(tracker);
      });
    },

    /** The update check (packaged builds only; never blocks, never downloads without asking). */
    checkForUpdates(isPackaged: boolean) {
      return scheduleUpdateCheck({
        isPackaged,
        loadUpdater: options.loadUpdater ?? electronUpdater,
        readPublishConfig: options.readPublishConfig ?? packagedPublishConfig,
        log,
        ask: async ({ title, message, yes, no }) => {
          const w = live();
          const box = {
            type: 'info' as const,
            title,
            message: title,
            detail: message,
            buttons: [yes, no],
            defaultId: 0,
            cancelId: 1,
          };
          const answer = await (w ? dialog.showMessageBox(w, box) : dialog.showMessageBox(box));
          return answer.response === 0;
        },
      });
    },

    /** Writes the window state now (before quitting). */
    async flush() {
      await Promise.all([...trackers].map((t) => t.flush()));
    },
  };
}

export type Desktop = ReturnType<typeof createDesktop>;
