/**
 * A stand-in for the `electron` module in unit tests (the real one cannot load under plain Node):
 * each test file does `vi.mock('electron', () => import('./fake-electron'))` and inspects what the
 * shell did to these objects. `resetFake()` puts everything back between tests.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/** Every interesting call, in order, so tests can assert ordering (e.g. privileges before ready). */
export const log: string[] = [];

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId?: number;
  routingId?: number;
  detached?: boolean;
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  mainFrame: FakeFrame = { url: '', parent: null, processId: 7, routingId: this.id };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;
  readonly setWindowOpenHandler = vi.fn(
    (handler: (details: { url: string }) => { action: string }) => {
      this.windowOpenHandler = handler;
    },
  );
  readonly send = vi.fn();
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly options: Record<string, unknown>;
  destroyed = false;
  minimized = false;
  visible = false;
  readonly loadURL = vi.fn((url: string) => {
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  });
  readonly show = vi.fn(() => {
    this.visible = true;
  });
  readonly focus = vi.fn();
  readonly restore = vi.fn(() => {
    this.minimized = false;
  });
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    FakeBrowserWindow.instances.push(this);
    log.push('new BrowserWindow');
    // Like Electron: every new webContents is announced to the app.
    app.emit('web-contents-created', {}, this.webContents);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.destroyed);
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  lock = true;
  paths: Record<string, string> = { userData: '/fake/user-data' };
  private resolveReady: (() => void) | undefined;
  private ready = new Promise<void>((resolve) => (this.resolveReady = resolve));
  readonly requestSingleInstanceLock = vi.fn(() => {
    log.push('requestSingleInstanceLock');
    return this.lock;
  });
  readonly quit = vi.fn(() => log.push('quit'));
  readonly exit = vi.fn();
  readonly enableSandbox = vi.fn(() => log.push('enableSandbox'));
  readonly setPath = vi.fn((name: string, value: string) => {
    this.paths[name] = value;
  });
  readonly getPath = vi.fn((name: string) => this.paths[name] ?? `/fake/${name}`);
  readonly getVersion = vi.fn(() => '0.0.0-test');
  readonly whenReady = vi.fn(() => {
    log.push('whenReady');
    return this.ready;
  });
  /** Makes whenReady() resolve (tests decide when the app is "ready"). */
  makeReady(): void {
    log.push('ready');
    this.resolveReady?.();
  }
  resetReady(): void {
    this.ready = new Promise<void>((resolve) => (this.resolveReady = resolve));
  }
}

export const app = new FakeApp();
export const BrowserWindow = FakeBrowserWindow;

export const protocol = {
  registerSchemesAsPrivileged: vi.fn(() => log.push('registerSchemesAsPrivileged')),
  handle: vi.fn((scheme: string, _handler: unknown) => log.push(`protocol.handle ${scheme}`)),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    webRequest: { onHeadersReceived: vi.fn() },
  },
};

export const ipcMain = {
  handlers: new Map<string, (...args: unknown[]) => unknown>(),
  handle: vi.fn((channel: string, handler: (...args: unknown[]) => unknown) => {
    ipcMain.handlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => ipcMain.handlers.delete(channel)),
};

export const shell = { openExternal: vi.fn(() => Promise.resolve()) };
export const Menu = {
  buildFromTemplate: vi.fn((template: unknown) => ({ template })),
  setApplicationMenu: vi.fn(),
};
export const dialog = { showErrorBox: vi.fn() };
export const nativeTheme = { shouldUseDarkColors: false };

// Renderer-side modules, for the preload.
export const exposed: Record<string, unknown> = {};
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, value: unknown) => {
    exposed[key] = value;
  }),
};
class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn((..._args: unknown[]) => Promise.resolve({ ok: true, value: 'pong' }));
}
export const ipcRenderer = new FakeIpcRenderer();

export function resetFake(): void {
  log.length = 0;
  app.removeAllListeners();
  app.isPackaged = false;
  app.lock = true;
  app.paths = { userData: '/fake/user-data' };
  app.resetReady();
  FakeBrowserWindow.instances = [];
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  for (const key of Object.keys(exposed)) Reflect.deleteProperty(exposed, key);
  vi.clearAllMocks();
}

export default {
  app,
  BrowserWindow,
  protocol,
  session,
  ipcMain,
  shell,
  Menu,
  dialog,
  nativeTheme,
  contextBridge,
  ipcRenderer,
};
