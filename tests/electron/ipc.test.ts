import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_STAGE_CHANNEL } from '../../shared/api';
import {
  FOREIGN_SENDER_RESULT,
  checkSender,
  forwardEvent,
  registerInvokeHandler,
  registerTrusted,
  stagePathAnswer,
} from '../../electron/shell/ipc';
import {
  FakeBrowserWindow,
  FakeWebContents,
  ipcMain,
  resetFake,
  type FakeFrame,
} from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

beforeEach(() => resetFake());

function ourWindow(url = 'app://atelier/index.html'): FakeBrowserWindow {
  const window = new FakeBrowserWindow({});
  window.webContents.mainFrame.url = url;
  return window;
}

const asWindows = (windows: FakeBrowserWindow[]) => windows as unknown as BrowserWindow[];

function eventFrom(sender: FakeWebContents, frame: FakeFrame | null) {
  return { sender, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

describe('checkSender', () => {
  it('accepts the main frame of our window showing the app', () => {
    const window = ourWindow();
    const event = eventFrom(window.webContents, window.webContents.mainFrame);
    expect(checkSender(event, asWindows([window]), {})).toBe(true);
  });

  it('recognises the main frame by its ids, not only by object identity', () => {
    const window = ourWindow();
    const main = window.webContents.mainFrame;
    const sameFrame: FakeFrame = { ...main };
    expect(checkSender(eventFrom(window.webContents, sameFrame), asWindows([window]), {})).toBe(
      true,
    );
    const otherFrame: FakeFrame = { ...main, routingId: (main.routingId ?? 0) + 100 };
    expect(checkSender(eventFrom(window.webContents, otherFrame), asWindows([window]), {})).toBe(
      false,
    );
    const detached: FakeFrame = { ...main, detached: true };
    expect(checkSender(eventFrom(window.webContents, detached), asWindows([window]), {})).toBe(
      false,
    );
  });

  it('refuses a subframe of our window, even on the app origin', () => {
    const window = ourWindow();
    const sub: FakeFrame = {
      url: 'app://atelier/index.html',
      parent: window.webContents.mainFrame,
    };
    expect(checkSender(eventFrom(window.webContents, sub), asWindows([window]), {})).toBe(false);
  });

  it('refuses our main frame once it shows a foreign page', () => {
    const window = ourWindow('https://evil.com/');
    const event = eventFrom(window.webContents, window.webContents.mainFrame);
    expect(checkSender(event, asWindows([window]), {})).toBe(false);
  });

  it('refuses other webContents, destroyed frames and destroyed windows', () => {
    const window = ourWindow();
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'app://atelier/index.html';
    expect(checkSender(eventFrom(stranger, stranger.mainFrame), asWindows([window]), {})).toBe(
      false,
    );
    expect(checkSender(eventFrom(window.webContents, null), asWindows([window]), {})).toBe(false);
    window.destroyed = true;
    const event = eventFrom(window.webContents, window.webContents.mainFrame);
    expect(checkSender(event, asWindows([window]), {})).toBe(false);
  });

  it('accepts the dev server only in development', () => {
    const window = ourWindow('http://127.0.0.1:5173/');
    const event = eventFrom(window.webContents, window.webContents.mainFrame);
    expect(checkSender(event, asWindows([window]), {})).toBe(false);
    expect(checkSender(event, asWindows([window]), { devOrigin: 'http://127.0.0.1:5173' })).toBe(
      true,
    );
  });
});

describe('registerInvokeHandler', () => {
  function setup() {
    const window = ourWindow();
    const dispatch = vi.fn((call: unknown, request: unknown) =>
      Promise.resolve({ ok: true as const, value: { call, request } }),
    );
    registerInvokeHandler(ipcMain as unknown as IpcMain, dispatch, () => asWindows([window]), {});
    const handler = ipcMain.handlers.get(IPC_INVOKE_CHANNEL);
    if (!handler) throw new Error('no handler on the invoke channel');
    return { window, dispatch, handler };
  }

  it('serves our own frame through the dispatch', async () => {
    const { window, dispatch, handler } = setup();
    const result = await handler(
      eventFrom(window.webContents, window.webContents.mainFrame),
      'app.ping',
      { message: 'hi' },
    );
    expect(dispatch).toHaveBeenCalledWith('app.ping', { message: 'hi' });
    expect(result).toEqual({ ok: true, value: { call: 'app.ping', request: { message: 'hi' } } });
  });

  it('answers a foreign frame with an error result and never dispatches', async () => {
    const { window, dispatch, handler } = setup();
    const iframe: FakeFrame = { url: 'https://evil.com/', parent: window.webContents.mainFrame };
    const result = await handler(eventFrom(window.webContents, iframe), 'settings.set', {});
    expect(result).toEqual(FOREIGN_SENDER_RESULT);
    expect(FOREIGN_SENDER_RESULT.ok).toBe(false);
    expect(dispatch).not.toHaveBeenCalled();
  });
});

describe('the stage-file channel (the path of a real drop, from the preload)', () => {
  function setup() {
    const window = ourWindow();
    const stage = vi.fn((file: string) =>
      Promise.resolve({ ok: true as const, value: { staged: file } }),
    );
    registerTrusted(
      ipcMain as unknown as IpcMain,
      IPC_STAGE_CHANNEL,
      () => asWindows([window]),
      {},
      stagePathAnswer(stage),
    );
    const handler = ipcMain.handlers.get(IPC_STAGE_CHANNEL);
    if (!handler) throw new Error('no handler on the stage channel');
    const ours = eventFrom(window.webContents, window.webContents.mainFrame);
    return { window, stage, handler, ours };
  }

  it('stages one absolute path from our own frame', async () => {
    const { stage, handler, ours } = setup();
    expect(await handler(ours, '/home/ann/cat.png')).toEqual({
      ok: true,
      value: { staged: '/home/ann/cat.png' },
    });
    expect(stage).toHaveBeenCalledWith('/home/ann/cat.png');
  });

  it('refuses anything but one absolute path string, and foreign frames, without staging', async () => {
    const { window, stage, handler, ours } = setup();
    for (const args of [
      ['relative.png'],
      [42],
      [{ path: '/etc/passwd' }],
      ['/a.png', '/b.png'],
      [`/${'a'.repeat(5000)}.png`],
      [],
    ]) {
      const result = (await handler(ours, ...args)) as { ok: boolean };
      expect(result.ok, JSON.stringify(args).slice(0, 40)).toBe(false);
    }
    const iframe: FakeFrame = { url: 'https://evil.com/', parent: window.webContents.mainFrame };
    expect(await handler(eventFrom(window.webContents, iframe), '/etc/passwd')).toEqual(
      FOREIGN_SENDER_RESULT,
    );
    expect(stage).not.toHaveBeenCalled();
  });
});

describe('forwardEvent', () => {
  it('sends (event, payload) to every live window on the event channel', () => {
    const a = ourWindow();
    const b = ourWindow();
    const gone = ourWindow();
    gone.destroyed = true;
    forwardEvent(asWindows([a, b, gone]), 'settings.changed', { theme: 'dark' });
    for (const window of [a, b]) {
      expect(window.webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, 'settings.changed', {
        theme: 'dark',
      });
    }
    expect(gone.webContents.send).not.toHaveBeenCalled();
  });
});
