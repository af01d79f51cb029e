import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { scheduleUpdateCheck, type UpdaterLike } from '../../electron/shell/updater';

vi.mock('electron', () => import('./fake-electron'));

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

function setup(answers: boolean[], updater = new FakeUpdater()) {
  const ask = vi.fn((_question: { title: string; yes: string }) =>
    Promise.resolve(answers.shift() ?? false),
  );
  const log = vi.fn();
  let scheduled: { run: () => void; delayMs: number } | undefined;
  const loadUpdater = vi.fn(() => Promise.resolve(updater as unknown as UpdaterLike));
  const armed = (isPackaged: boolean) =>
    scheduleUpdateCheck({
      isPackaged,
      loadUpdater,
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
