/**
 * Update checks (electron/shell/updater.ts), with `electron` and electron-updater mocked: nothing
 * without a packaged build and a real publish configuration (and the log says why, once), never in
 * the way at start, never a download without a yes, errors one plain line.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDesktop } from '../../electron/shell/desktop';
import {
  UPDATE_CHECK_DELAY_MS,
  publishConfigProblem,
  scheduleUpdateCheck,
  type UpdaterLike,
} from '../../electron/shell/updater';
import { dialog, resetFake } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

/** electron-updater's autoUpdater as the desktop loads it (the real one needs Electron). */
const mocked = vi.hoisted((): { updater: unknown } => ({ updater: undefined }));
vi.mock('electron-updater', () => ({
  get autoUpdater() {
    return mocked.updater;
  },
  get default() {
    return { autoUpdater: mocked.updater };
  },
}));

/** What electron-builder writes into the packaged app-update.yml for a real GitHub `publish`. */
const REAL_PUBLISH =
  'owner: atelier-app\nrepo: atelier\nprovider: github\nupdaterCacheDirName: atelier-updater\n';
/** The same, built from electron-builder.yml's placeholders. */
const PLACEHOLDER_PUBLISH =
  'owner: REPLACE-WITH-GITHUB-OWNER\nrepo: REPLACE-WITH-GITHUB-REPO\nprovider: github\nupdaterCacheDirName: atelier-updater\n';

class FakeUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = false;
  result: unknown = {
    isUpdateAvailable: true,
    updateInfo: { version: '2.0.0', files: [], path: '', sha512: '', releaseDate: '' },
  };
  downloadAtCheck = vi.fn();
  checkForUpdates = vi.fn(() => {
    // What electron-updater does at check time when autoDownload is still on.
    if (this.autoDownload) this.downloadAtCheck();
    return Promise.resolve(this.result);
  });
  downloadUpdate = vi.fn(() => Promise.resolve([]));
  quitAndInstall = vi.fn();
}

function setup(
  answers: boolean[],
  updater = new FakeUpdater(),
  /** The packaged app-update.yml; null for none. */
  publishConfig: string | null = REAL_PUBLISH,
) {
  const ask = vi.fn((_question: { title: string; yes: string }) =>
    Promise.resolve(answers.shift() ?? false),
  );
  const log = vi.fn();
  let scheduled: { run: () => void; delayMs: number } | undefined;
  const loadUpdater = vi.fn(() => Promise.resolve(updater as unknown as UpdaterLike));
  const readPublishConfig = vi.fn(() => Promise.resolve(publishConfig ?? undefined));
  const armed = (isPackaged: boolean) =>
    scheduleUpdateCheck({
      isPackaged,
      loadUpdater,
      readPublishConfig,
      ask,
      log,
      schedule: (run, delayMs) => {
        scheduled = { run, delayMs };
      },
    });
  return {
    updater,
    ask,
    log,
    loadUpdater,
    readPublishConfig,
    armed,
    run: () => scheduled?.run(),
    scheduled: () => scheduled,
  };
}

describe('update checks', () => {
  it('do nothing at all outside a packaged build', async () => {
    const t = setup([true]);
    await t.armed(false).done;
    expect(t.scheduled()).toBeUndefined();
    expect(t.loadUpdater).not.toHaveBeenCalled();
    expect(t.readPublishConfig).not.toHaveBeenCalled();
    expect(t.log).not.toHaveBeenCalled();
  });

  it.each([
    ['no app-update.yml at all', null, /has no publish configuration/],
    ['an empty app-update.yml', '  \n', /has no publish configuration/],
    [
      'the REPLACE-WITH- placeholders',
      PLACEHOLDER_PUBLISH,
      /still holds a REPLACE-WITH- placeholder/,
    ],
    ['no provider', 'owner: atelier-app\nrepo: atelier\n', /names no provider/],
  ])(
    'do nothing without a real publish configuration (%s), and say so in the log once',
    async (_name, publishConfig, reason) => {
      const t = setup([true, true], new FakeUpdater(), publishConfig);
      const { done } = t.armed(true);
      t.run();
      await done;
      expect(t.loadUpdater).not.toHaveBeenCalled();
      expect(t.updater.checkForUpdates).not.toHaveBeenCalled();
      expect(t.updater.downloadUpdate).not.toHaveBeenCalled();
      expect(t.ask).not.toHaveBeenCalled();
      expect(t.log).toHaveBeenCalledTimes(1);
      const line = String(t.log.mock.calls[0]?.[0]);
      expect(line).toMatch(/^Atelier does not check for updates: /);
      expect(line).toMatch(reason);
      expect(line).toMatch(/electron-builder\.yml.*\.$/);
    },
  );

  it('on Windows, also need the publisherName electron-updater checks downloads against', () => {
    expect(publishConfigProblem(REAL_PUBLISH, 'win32')).toMatch(
      /names no publisherName.*win\.signtoolOptions\.publisherName/,
    );
    expect(
      publishConfigProblem(`${REAL_PUBLISH}publisherName:\n  - Atelier Ltd\n`, 'win32'),
    ).toBeUndefined();
    expect(publishConfigProblem(REAL_PUBLISH, 'darwin')).toBeUndefined();
  });

  it('accept a publish configuration that names a provider and holds no placeholder', () => {
    expect(publishConfigProblem(REAL_PUBLISH, 'linux')).toBeUndefined();
    expect(publishConfigProblem("provider: 'github'\nowner: a\nrepo: b\n")).toBeUndefined();
    expect(
      publishConfigProblem('provider: generic\nurl: https://updates.example.com/atelier\n'),
    ).toBeUndefined();
    // A placeholder anywhere (e.g. a generic url) is refused, not only in owner/repo.
    expect(publishConfigProblem('provider: generic\nurl: https://REPLACE-WITH-HOST/\n')).toMatch(
      /placeholder/,
    );
  });

  it('never block start: arming returns at once and checks only later, after a delay', () => {
    const t = setup([]);
    const { done } = t.armed(true);
    expect(done).toBeInstanceOf(Promise);
    expect(t.loadUpdater).not.toHaveBeenCalled();
    expect(t.updater.checkForUpdates).not.toHaveBeenCalled();
    expect(t.scheduled()?.delayMs).toBeGreaterThan(0);
  });

  it('never download without asking: autoDownload is off before the check, a no downloads nothing', async () => {
    const t = setup([false]);
    const { done } = t.armed(true);
    t.run();
    await done;
    expect(t.updater.autoDownload).toBe(false);
    expect(t.updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(t.updater.downloadAtCheck).not.toHaveBeenCalled();
    expect(t.ask).toHaveBeenCalledTimes(1);
    expect(t.ask.mock.calls[0]?.[0]).toMatchObject({
      title: 'An update is available',
      yes: 'Download',
    });
    expect(t.updater.downloadUpdate).not.toHaveBeenCalled();
  });

  it('download only after a yes, and restart only after a second yes', async () => {
    const t = setup([true, false]);
    const { done } = t.armed(true);
    t.run();
    await done;
    expect(t.updater.downloadUpdate).toHaveBeenCalledTimes(1);
    expect(t.updater.quitAndInstall).not.toHaveBeenCalled();
    expect(t.updater.autoInstallOnAppQuit).toBe(true);

    const again = setup([true, true]);
    const second = again.armed(true);
    again.run();
    await second.done;
    expect(again.updater.quitAndInstall).toHaveBeenCalledTimes(1);
  });

  it('ask nothing when there is no update', async () => {
    const updater = new FakeUpdater();
    updater.result = { isUpdateAvailable: false, updateInfo: { version: '1.0.0' } };
    const t = setup([true], updater);
    const { done } = t.armed(true);
    t.run();
    await done;
    expect(t.ask).not.toHaveBeenCalled();
  });

  it('swallow errors (offline, no feed) and log one plain line', async () => {
    const updater = new FakeUpdater();
    updater.checkForUpdates = vi.fn(() =>
      Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED\n    at stack line')),
    );
    const t = setup([true], updater);
    const { done } = t.armed(true);
    t.run();
    await expect(done).resolves.toBeUndefined();
    expect(t.log).toHaveBeenCalledTimes(1);
    expect(String(t.log.mock.calls[0]?.[0])).toBe(
      'Atelier could not check for updates (net::ERR_INTERNET_DISCONNECTED); it will try next start.',
    );
    // A failure to even load the updater is swallowed the same way.
    const broken = setup([]);
    broken.loadUpdater.mockImplementation(() =>
      Promise.reject(new Error('missing app-update.yml')),
    );
    const second = broken.armed(true);
    broken.run();
    await expect(second.done).resolves.toBeUndefined();
    expect(broken.log).toHaveBeenCalledTimes(1);
  });
});

describe('the desktop’s update check (the app’s own wiring, electron-updater mocked)', () => {
  let resources: string;
  const hadResourcesPath = Object.prototype.hasOwnProperty.call(process, 'resourcesPath');

  beforeEach(() => {
    resetFake();
    resources = mkdtempSync(join(tmpdir(), 'atelier-resources-'));
    Object.defineProperty(process, 'resourcesPath', { value: resources, configurable: true });
    mocked.updater = new FakeUpdater();
    vi.useFakeTimers({ toFake: ['setTimeout'] });
  });

  afterEach(() => {
    vi.useRealTimers();
    if (!hadResourcesPath) Reflect.deleteProperty(process, 'resourcesPath');
    rmSync(resources, { recursive: true, force: true });
  });

  async function check(): Promise<{ log: string[]; updater: FakeUpdater }> {
    const log: string[] = [];
    const desktop = createDesktop({
      window: () => undefined,
      windows: () => [],
      dataDir: resources,
      log: (line) => log.push(line),
      stage: () => Promise.resolve([]),
    });
    const { done } = desktop.checkForUpdates(true);
    await vi.advanceTimersByTimeAsync(UPDATE_CHECK_DELAY_MS);
    await done;
    return { log, updater: mocked.updater as FakeUpdater };
  }

  it('reads app-update.yml from the resources folder and, with a placeholder, loads nothing', async () => {
    writeFileSync(join(resources, 'app-update.yml'), PLACEHOLDER_PUBLISH);
    const { log, updater } = await check();
    expect(log).toEqual([
      expect.stringMatching(/^Atelier does not check for updates: .*REPLACE-WITH- placeholder/),
    ]);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('with no app-update.yml (a build with no publish), loads nothing and says so once', async () => {
    const { log, updater } = await check();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/has no publish configuration/);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
  });

  it('with a real configuration, checks through electron-updater and asks before downloading', async () => {
    writeFileSync(join(resources, 'app-update.yml'), REAL_PUBLISH);
    const { log, updater } = await check();
    expect(log).toEqual([]);
    expect(updater.autoDownload).toBe(false);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
    // The fake dialog answers "Not now": nothing is downloaded.
    expect(updater.downloadUpdate).not.toHaveBeenCalled();
  });
});
