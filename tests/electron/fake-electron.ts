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
  readonly startDrag = vi.fn();
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
  focused = false;
  maximized = false;
  fullScreen = false;
  normalBounds = { x: 0, y: 0, width: 1280, height: 800 };
  readonly maximize = vi.fn(() => {
    this.maximized = true;
  });
  readonly setProgressBar = vi.fn();
  isFocused(): boolean {
    return this.focused;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.normalBounds };
  }
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

export const shell = {
  openExternal: vi.fn(() => Promise.resolve()),
  showItemInFolder: vi.fn((_path: string) => undefined),
  openPath: vi.fn((_path: string) => Promise.resolve('')),
};
export const Menu = {
  buildFromTemplate: vi.fn((template: unknown) => ({ template })),
  setApplicationMenu: vi.fn(),
};
export const dialog = {
  showErrorBox: vi.fn(),
  showOpenDialog: vi.fn((..._args: unknown[]) =>
    Promise.resolve({ canceled: true, filePaths: [] as string[] }),
  ),
  showSaveDialog: vi.fn((..._args: unknown[]) => Promise.resolve({ canceled: true, filePath: '' })),
  showMessageBox: vi.fn((..._args: unknown[]) => Promise.resolve({ response: 1 })),
};
export const nativeTheme = { shouldUseDarkColors: false, themeSource: 'system' };

interface FakeDisplay {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  workArea: { x: number; y: number; width: number; height: number };
}
const PRIMARY_DISPLAY: FakeDisplay = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 25, width: 1920, height: 1055 },
};
/** The displays attached (tests replace it). The first one is the primary display. */
export const screen = {
  displays: [PRIMARY_DISPLAY],
  getAllDisplays: vi.fn((): FakeDisplay[] => screen.displays),
  getPrimaryDisplay: vi.fn((): FakeDisplay => screen.displays[0] ?? PRIMARY_DISPLAY),
};

export class Notification extends EventEmitter {
  static instances: Notification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return Notification.supported;
  }
  readonly options: { title?: string; body?: string };
  readonly show = vi.fn();
  constructor(options: { title?: string; body?: string }) {
    super();
    this.options = options;
    Notification.instances.push(this);
  }
}

class FakeNativeImage {
  constructor(
    readonly source: string,
    readonly size = { width: 0, height: 0 },
  ) {}
  isEmpty(): boolean {
    return this.size.width === 0;
  }
  getSize() {
    return this.size;
  }
  resize(options: { width?: number; height?: number }): FakeNativeImage {
    return new FakeNativeImage(`${this.source} resized`, {
      width: options.width ?? this.size.width,
      height: options.height ?? this.size.height,
    });
  }
}
export const nativeImage = {
  /** Files whose thumbnail can be made (others give an empty image, like WebP on some systems). */
  sizes: new Map<string, { width: number; height: number }>(),
  createFromPath: vi.fn(
    (file: string) =>
      new FakeNativeImage(file, nativeImage.sizes.get(file) ?? { width: 0, height: 0 }),
  ),
  createFromDataURL: vi.fn(
    (_url: string) => new FakeNativeImage('fallback', { width: 32, height: 32 }),
  ),
};

/** Electron's ClipboardItem: keeps what it was made with. */
export class ClipboardItem {
  constructor(readonly items: Record<string, Blob | string>) {}
}

/** The main process's clipboard: what was written to it. */
export const clipboard = {
  write: vi.fn((_items: ClipboardItem[]) => Promise.resolve()),
};

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
/**
 * Like Electron's: the path on disk of a File the person dropped or chose (tests register them in
 * `paths`), and '' for every other File, such as one the page made itself.
 */
export const webUtils = {
  paths: new WeakMap<object, string>(),
  getPathForFile: vi.fn((file: object): string => webUtils.paths.get(file) ?? ''),
};

export function resetFake(): void {
  log.length = 0;
  app.removeAllListeners();
  app.isPackaged = false;
  app.lock = true;
  app.paths = { userData: '/fake/user-data' };
  app.resetReady();
  FakeBrowserWindow.instances = [];
  Notification.instances = [];
  Notification.supported = true;
  nativeTheme.themeSource = 'system';
  screen.displays = [PRIMARY_DISPLAY];
  nativeImage.sizes.clear();
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
  screen,
  Notification,
  nativeImage,
  clipboard,
  ClipboardItem,
  contextBridge,
  ipcRenderer,
  webUtils,
};
