/**
 * Update checks through electron-updater (GitHub releases, see `publish` in electron-builder.yml).
 *
 * - Only in packaged builds (a development run has nothing to update).
 * - Only with a real publish configuration: electron-builder writes `publish` into the packaged
 *   app-update.yml, which is where electron-updater looks for releases. When that file is missing, names
 *   no provider or still holds a `REPLACE-WITH-` placeholder, nothing is loaded or asked (a release
 *   feed the project does not own must never be trusted), and the log says so once.
 * - Never blocks start: the check begins a while after the window has shown, and start() does not
 *   wait for it.
 * - Never downloads without asking: autoDownload is off; when an update is found the person is asked
 *   "Download?" and only a yes downloads it. Once downloaded it installs when Atelier quits (or at
 *   once, if the person says so).
 * - Errors (offline, no release feed, a proxy) are swallowed and logged as one plain line.
 */
import type { AppUpdater, UpdateInfo } from 'electron-updater';

/** The part of electron-updater's AppUpdater this module uses (tests pass a fake). */
export type UpdaterLike = Pick<
  AppUpdater,
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'checkForUpdates'
  | 'downloadUpdate'
  | 'quitAndInstall'
  | 'on'
>;

export interface UpdateOptions {
  isPackaged: boolean;
  /** The app's updater (electron-updater's autoUpdater), loaded only when it is needed. */
  loadUpdater: () => Promise<UpdaterLike>;
  /** Asks a yes/no question; true for yes. */
  ask: (question: { title: string; message: string; yes: string; no: string }) => Promise<boolean>;
  log: (line: string) => void;
  /** The packaged app-update.yml (electron-builder's copy of `publish`), or undefined when there is none. */
  readPublishConfig: () => Promise<string | undefined>;
  /** Defaults to process.platform (Windows also needs a publisherName). */
  platform?: string;
  /** Delay after the window shows before checking (ms). */
  delayMs?: number;
  /** Schedules the check (tests run it at once). */
  schedule?: (run: () => void, delayMs: number) => void;
}

export const UPDATE_CHECK_DELAY_MS = 10_000;

/** The mark of a value electron-builder.yml leaves for the project to fill in. */
export const PLACEHOLDER_MARK = 'REPLACE-WITH-';

/**
 * Why this app-update.yml cannot be trusted as a release feed, as the end of a sentence, or
 * undefined when it names a provider and holds no placeholder.
 */
export function publishConfigProblem(
  text: string | undefined,
  platform: string = process.platform,
): string | undefined {
  if (text === undefined || text.trim() === '') {
    return 'this build has no publish configuration (set `publish` in electron-builder.yml before packaging)';
  }
  if (text.includes(PLACEHOLDER_MARK)) {
    return `this build's publish configuration still holds a ${PLACEHOLDER_MARK} placeholder (set the real owner and repository in electron-builder.yml's \`publish\`)`;
  }
  if (!/^provider:[ \t]*['"]?[A-Za-z0-9-]+/m.test(text)) {
    return "this build's publish configuration names no provider (set `publish` in electron-builder.yml)";
  }
  // On Windows electron-updater checks a downloaded installer's signature against publisherName,
  // and checks nothing at all when there is none.
  if (platform === 'win32' && !/^publisherName:/m.test(text)) {
    return 'this Windows build names no publisherName, so a downloaded update could not be checked against the signing certificate (sign the build, or set win.signtoolOptions.publisherName in electron-builder.yml)';
  }
  return undefined;
}

function plain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * Arms the update check; call it once the window has shown. Returns at once (never throws) with a
 * promise that settles when the check (and any download the person asked for) is over, for tests.
 */
export function scheduleUpdateCheck(options: UpdateOptions): { done: Promise<void> } {
  if (!options.isPackaged) return { done: Promise.resolve() };
  const schedule =
    options.schedule ??
    ((run: () => void, delayMs: number) => {
      setTimeout(run, delayMs).unref();
    });
  const done = new Promise<void>((resolve) => {
    schedule(() => {
      checkForUpdate(options).then(resolve, (error: unknown) => {
        options.log(
          `Atelier could not check for updates (${plain(error)}); it will try next start.`,
        );
        resolve();
      });
    }, options.delayMs ?? UPDATE_CHECK_DELAY_MS);
  });
  return { done };
}

async function checkForUpdate(options: UpdateOptions): Promise<void> {
  const problem = publishConfigProblem(await options.readPublishConfig(), options.platform);
  if (problem !== undefined) {
    options.log(`Atelier does not check for updates: ${problem}.`);
    return;
  }
  const updater = await options.loadUpdater();
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = true;
  // electron-updater also emits 'error' for failures it reports through promises: log, never throw.
  updater.on('error', (error: Error) => {
    options.log(`Atelier could not check for updates (${plain(error)}); it will try next start.`);
  });
  const result = await updater.checkForUpdates();
  if (!result?.isUpdateAvailable) return;
  const info: UpdateInfo = result.updateInfo;
  const download = await options.ask({
    title: 'An update is available',
    message: `Atelier ${info.version} is available. Download it now? It installs when you quit Atelier.`,
    yes: 'Download',
    no: 'Not now',
  });
  if (!download) return;
  await updater.downloadUpdate();
  const now = await options.ask({
    title: 'The update is ready',
    message: `Atelier ${info.version} has been downloaded. Restart Atelier now to use it, or it installs the next time you quit.`,
    yes: 'Restart now',
    no: 'Later',
  });
  if (now) updater.quitAndInstall();
}
