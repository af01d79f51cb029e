import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type CallResult } from '../../shared/api';
import { createHost } from '../../electron/core/host';
import { devServerOrigin, libraryArg, start, type StartOptions } from '../../electron/shell/app';
import { menuTemplate } from '../../electron/shell/menu';
import {
  FakeBrowserWindow,
  FakeWebContents,
  Menu,
  app,
  dialog,
  ipcMain,
  log,
  protocol,
  resetFake,
  session,
  shell,
} from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));
vi.mock('../../electron/core/host', () => ({ createHost: vi.fn() }));

type Listener = (event: string, payload: unknown) => void;

let rendererDir: string;
const listeners: Listener[] = [];
const dispatch = vi.fn((call: unknown) => Promise.resolve<CallResult>({ ok: true, value: call }));
const close = vi.fn(() => Promise.resolve());

beforeAll(() => {
  rendererDir = mkdtempSync(join(tmpdir(), 'atelier-main-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Atelier</title>');
});
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

beforeEach(() => {
  resetFake();
  listeners.length = 0;
  vi.mocked(createHost).mockImplementation(() =>
    Promise.resolve({
      dispatch,
      subscribe: (listener: Listener) => {
        listeners.push(listener);
        return () => undefined;
      },
      close,
      library: {
        media: {
          resolve: () => Promise.resolve({ ok: false, reason: 'not-found' }),
          thumbnail: () => Promise.resolve(null),
        },
      },
    } as unknown as Awaited<ReturnType<typeof createHost>>),
  );
});

function options(extra: Partial<StartOptions> = {}): StartOptions {
  return {
    preload: '/opt/atelier/dist/electron/preload.cjs',
    rendererDir,
    version: '1.2.3',
    env: {},
    argv: [],
    ...extra,
  };
}

/** Starts the shell and makes the app ready; returns the started shell. */
async function started(extra: Partial<StartOptions> = {}) {
  const running = start(options(extra));
  app.makeReady();
  const result = await running;
  if (!result) throw new Error('the shell did not start');
  const window = FakeBrowserWindow.instances[0];
  if (!window) throw new Error('no window');
  return { result, window };
}

describe('before the app is ready', () => {
  it('registers app:// as standard + secure before waiting for ready, and sandboxes everything', async () => {
    const running = start(options());
    await Promise.resolve();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    const [schemes] = protocol.registerSchemesAsPrivileged.mock.calls[0] as unknown as [
      { scheme: string; privileges: Record<string, boolean> }[],
    ];
    expect(schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }) as unknown,
      }),
      expect.objectContaining({
        scheme: 'atelier-media',
        privileges: expect.objectContaining({ standard: true, secure: true }) as unknown,
      }),
    ]);
    expect(log.indexOf('registerSchemesAsPrivileged')).toBeLessThan(log.indexOf('whenReady'));
    expect(app.enableSandbox).toHaveBeenCalled();
    expect(protocol.handle).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    app.makeReady();
    await running;
  });
});

describe('single instance', () => {
  it('quits at once when another instance holds the lock', async () => {
    app.lock = false;
    const result = await start(options());
    expect(result).toBeNull();
    expect(app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(app.quit).toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(createHost).not.toHaveBeenCalled();
  });

  it('focuses (and restores) the existing window on a second launch', async () => {
    const { window } = await started();
    window.minimized = true;
    app.emit('second-instance', {}, ['atelier'], '/');
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });
});

describe('the window', () => {
  it('is created with the secure web preferences and the bundled preload', async () => {
    const { window } = await started();
    expect(window.options.webPreferences).toMatchObject({
      preload: '/opt/atelier/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(window.options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('loads the renderer from app://, not file://', async () => {
    const { window } = await started();
    expect(window.loadURL).toHaveBeenCalledWith('app://atelier/index.html');
  });

  it('is hardened through web-contents-created: window.open denied, links allowlisted', async () => {
    const { window } = await started();
    const handler = window.webContents.windowOpenHandler;
    expect(handler?.({ url: 'https://evil.com/' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).not.toHaveBeenCalled();
    expect(handler?.({ url: 'https://stability.ai/' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://stability.ai/');
    const navigate = { preventDefault: vi.fn() };
    window.webContents.emit('will-navigate', navigate, 'https://evil.com/');
    expect(navigate.preventDefault).toHaveBeenCalled();
  });

  it('blocks <webview> in every webContents created later', async () => {
    await started();
    const later = new FakeWebContents();
    app.emit('web-contents-created', {}, later);
    const attach = { preventDefault: vi.fn() };
    later.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
    expect(later.setWindowOpenHandler).toHaveBeenCalled();
  });

  it('has a menu without reload or developer tools in production', async () => {
    await started();
    expect(Menu.setApplicationMenu).toHaveBeenCalled();
    const text = JSON.stringify(menuTemplate('linux', false));
    expect(text).not.toContain('toggleDevTools');
    expect(text).not.toContain('"reload"');
    const mac: MenuItemConstructorOptions[] = menuTemplate('darwin', true);
    expect(mac[0]).toMatchObject({
      label: 'Atelier',
      submenu: expect.arrayContaining([{ role: 'about' }]) as unknown,
    });
    expect(JSON.stringify(mac)).toContain('toggleDevTools');
  });
});

describe('the session and the protocol', () => {
  it('denies every permission and sets the CSP header on responses', async () => {
    await started();
    const ses = session.defaultSession;
    const request = ses.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      c: unknown,
      p: string,
      cb: (granted: boolean) => void,
    ) => void;
    const callback = vi.fn();
    request({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    const check = ses.setPermissionCheckHandler.mock.calls[0]?.[0] as () => boolean;
    expect(check()).toBe(false);
    expect(ses.webRequest.onHeadersReceived).toHaveBeenCalledTimes(1);
  });

  it('serves the renderer folder on app:// once ready, with the CSP, and nothing outside', async () => {
    await started();
    expect(log.indexOf('protocol.handle app')).toBeGreaterThan(log.indexOf('ready'));
    expect(log.indexOf('protocol.handle atelier-media')).toBeGreaterThan(log.indexOf('ready'));
    const handler = protocol.handle.mock.calls[0]?.[1] as (r: Request) => Promise<Response>;
    const ok = await handler(new Request('app://atelier/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self';");
    const out = await handler(new Request('app://atelier/%2e%2e/etc/passwd'));
    expect(out.status).toBe(404);
  });
});

describe('the core and IPC', () => {
  it('creates the host for the electron shell in the userData folder', async () => {
    await started({ argv: ['electron', '.', '--library', '/pictures/lib'] });
    expect(createHost).toHaveBeenCalledWith(
      expect.objectContaining({
        shell: 'electron',
        version: '1.2.3',
        dataDir: '/fake/user-data',
        libraryDir: '/pictures/lib',
      }),
    );
  });

  it('makes a relative ATELIER_DATA_DIR absolute (Electron requires it)', async () => {
    await started({ env: { ATELIER_DATA_DIR: 'relative/data' } });
    expect(app.setPath).toHaveBeenCalledWith('userData', resolve('relative/data'));
  });

  it('uses ATELIER_DATA_DIR for the core and for Chromium when it is set', async () => {
    await started({ env: { ATELIER_DATA_DIR: '/tmp/atelier-data' } });
    expect(app.setPath).toHaveBeenCalledWith('userData', '/tmp/atelier-data');
    expect(createHost).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir: '/tmp/atelier-data' }),
    );
  });

  it('answers our window through the dispatch and refuses foreign frames', async () => {
    const { window } = await started();
    const handler = ipcMain.handlers.get(IPC_INVOKE_CHANNEL);
    if (!handler) throw new Error('no invoke handler');
    const own = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    await expect(handler(own, 'app.ping', { message: 'x' })).resolves.toEqual({
      ok: true,
      value: 'app.ping',
    });
    expect(dispatch).toHaveBeenCalledWith('app.ping', { message: 'x' });
    dispatch.mockClear();
    const foreign = {
      sender: window.webContents,
      senderFrame: { url: 'https://evil.com/', parent: window.webContents.mainFrame },
    };
    const refused = (await handler(foreign, 'app.ping', { message: 'x' })) as CallResult;
    expect(refused.ok).toBe(false);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('forwards core events to the window', async () => {
    const { window } = await started();
    expect(listeners).toHaveLength(1);
    listeners[0]?.('settings.changed', { theme: 'dark' });
    expect(window.webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, 'settings.changed', {
      theme: 'dark',
    });
  });

  it('closes the core before the app quits', async () => {
    await started();
    const event = { preventDefault: vi.fn() };
    app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(close).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
  });

  it('says what happened in a dialog when the core cannot start', async () => {
    vi.mocked(createHost).mockRejectedValueOnce(new Error('EACCES'));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const running = start(options());
    app.makeReady();
    expect(await running).toBeNull();
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'Atelier could not start',
      expect.stringMatching(/^Atelier could not .+\. .+\.$/),
    );
    expect(app.quit).toHaveBeenCalled();
  });
});

describe('development', () => {
  const env = { ATELIER_DEV_SERVER_URL: 'http://127.0.0.1:5173/' };

  it('loads the Vite dev server and allows it only then', async () => {
    const { window, result } = await started({ env });
    expect(window.loadURL).toHaveBeenCalledWith('http://127.0.0.1:5173/');
    expect(result.policy.devOrigin).toBe('http://127.0.0.1:5173');
    expect(window.options.webPreferences).toMatchObject({ devTools: true, sandbox: true });
  });

  it('ignores the dev server in a packaged app, or when it is not on this machine', async () => {
    app.isPackaged = true;
    const { window } = await started({ env });
    expect(window.loadURL).toHaveBeenCalledWith('app://atelier/index.html');
    expect(devServerOrigin({ ATELIER_DEV_SERVER_URL: 'http://evil.com:5173/' }, false)).toBe(
      undefined,
    );
    expect(devServerOrigin({ ATELIER_DEV_SERVER_URL: 'file:///x' }, false)).toBe(undefined);
    expect(devServerOrigin(env, false)?.origin).toBe('http://127.0.0.1:5173');
  });

  it('reads --library like the browser shell', () => {
    expect(libraryArg(['--library=/a'])).toBe('/a');
    expect(libraryArg(['x', '--library', '/b'])).toBe('/b');
    expect(libraryArg(['x'])).toBeUndefined();
  });
});

describe('electron/main.ts', () => {
  it('starts the shell with the preload next to the bundled main file', async () => {
    await import('../../electron/main');
    app.makeReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));
    const window = FakeBrowserWindow.instances[0];
    const prefs = window?.options.webPreferences as { preload: string };
    expect(prefs.preload).toBe(resolve('electron', 'preload.cjs'));
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
  });
});
