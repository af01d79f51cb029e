/**
 * The Electron shell wired to the real core (only `electron` is mocked): a call from our window
 * reaches the core's dispatch through ipcMain, settings land in ATELIER_DATA_DIR, and the core's
 * settings.changed event comes back to the window on the event channel.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type CallResult } from '../../shared/api';
import { start } from '../../electron/shell/app';
import { FakeBrowserWindow, app, ipcMain, resetFake } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let dir: string;

beforeEach(() => {
  resetFake();
  dir = mkdtempSync(join(tmpdir(), 'atelier-shell-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Atelier</title>');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function running() {
  const pending = start({
    preload: join(dir, 'preload.cjs'),
    rendererDir: dir,
    version: '9.9.9',
    env: { ATELIER_DATA_DIR: join(dir, 'data') },
    argv: [],
  });
  app.makeReady();
  const shell = await pending;
  if (!shell) throw new Error('the shell did not start');
  const window = FakeBrowserWindow.instances[0];
  const invoke = ipcMain.handlers.get(IPC_INVOKE_CHANNEL);
  if (!window || !invoke) throw new Error('no window or no invoke handler');
  const call = (name: string, request: unknown) =>
    invoke(
      { sender: window.webContents, senderFrame: window.webContents.mainFrame },
      name,
      request,
    ) as Promise<CallResult>;
  return { shell, window, call };
}

describe('the Electron shell with the real core', () => {
  it('answers app.info as the electron shell, with the data folder from ATELIER_DATA_DIR', async () => {
    const { shell, call } = await running();
    const result = await call('app.info', {});
    expect(result).toMatchObject({
      ok: true,
      value: { name: 'Atelier', version: '9.9.9', shell: 'electron', dataDir: join(dir, 'data') },
    });
    await shell.host.close();
  });

  it('validates at the boundary: a bad payload gets a sentence, not a crash', async () => {
    const { shell, call } = await running();
    const result = await call('settings.set', { concurrency: 99 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_request');
      expect(result.error.message).toMatch(/^Atelier could not do "settings.set": .+\.$/);
    }
    await shell.host.close();
  });

  it('stores settings and sends settings.changed back to the window', async () => {
    const { shell, window, call } = await running();
    const result = await call('settings.set', { theme: 'dark' });
    expect(result).toMatchObject({ ok: true, value: { theme: 'dark' } });
    await vi.waitFor(() =>
      expect(window.webContents.send).toHaveBeenCalledWith(
        IPC_EVENT_CHANNEL,
        'settings.changed',
        expect.objectContaining({ theme: 'dark' }),
      ),
    );
    await shell.host.close();
    const stored = readFileSync(join(dir, 'data', 'settings.json'), 'utf8');
    expect(stored).toContain('"dark"');
  });
});
