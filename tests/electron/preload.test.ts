import { build } from 'esbuild';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PreloadBridge } from '../../shared/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_STAGE_CHANNEL } from '../../shared/api';
import { contextBridge, exposed, ipcRenderer, resetFake, webUtils } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let bridge: PreloadBridge;
let exposeCalls = 0;

beforeAll(async () => {
  resetFake();
  await import('../../electron/preload');
  bridge = exposed.atelier as PreloadBridge;
  exposeCalls = contextBridge.exposeInMainWorld.mock.calls.length;
});

describe('the preload', () => {
  it('exposes exactly one key, atelier, with exactly invoke, on and stageFile', () => {
    expect(exposeCalls).toBe(1);
    expect(Object.keys(exposed)).toEqual(['atelier']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'stageFile']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
  });

  it('never hands out ipcRenderer', () => {
    for (const value of Object.values(bridge)) expect(value).not.toBe(ipcRenderer);
    expect(JSON.stringify(Object.keys(bridge))).not.toContain('ipc');
  });

  it('invoke goes to the invoke channel with (call, request)', async () => {
    await expect(bridge.invoke('app.ping', { message: 'hi' })).resolves.toEqual({
      ok: true,
      value: 'pong',
    });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'app.ping', {
      message: 'hi',
    });
  });

  it('on forwards (event, payload) without the IPC event object, and unsubscribes', () => {
    const listener = vi.fn();
    const stop = bridge.on(listener);
    const ipcEvent = { sender: ipcRenderer, senderId: 0 };
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, 'settings.changed', { theme: 'dark' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith('settings.changed', { theme: 'dark' });
    expect(listener.mock.calls[0]).not.toContain(ipcEvent);
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, 42, 'not an event name');
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, 'settings.changed', {});
    expect(listener).toHaveBeenCalledTimes(1);
    expect(ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
  });

  it('stageFile sends only the path Electron gives for a real File, on its own channel', async () => {
    const dropped = new File(['png'], 'cat.png', { type: 'image/png' });
    webUtils.paths.set(dropped, '/home/ann/cat.png');
    ipcRenderer.invoke.mockClear();
    await bridge.stageFile?.(dropped);
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(IPC_STAGE_CHANNEL, '/home/ann/cat.png');

    // A File the page made (whatever its name says) and a plain Blob have no path: nothing is
    // sent, and the renderer uploads their bytes instead.
    ipcRenderer.invoke.mockClear();
    const madeUp = new File(['x'], '/etc/passwd', { type: 'image/png' });
    await expect(bridge.stageFile?.(madeUp)).resolves.toBeNull();
    await expect(bridge.stageFile?.(new Blob(['x']))).resolves.toBeNull();
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('bundles to one CommonJS file that requires only electron (no zod)', async () => {
    const result = await build({
      entryPoints: ['electron/preload.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(code).not.toContain('zod');
    expect(code.length).toBeLessThan(4000);
  });
});
