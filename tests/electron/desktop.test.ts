/**
 * The shell's desktop integration, through start() with `electron` mocked and a stand-in core:
 * single-instance handoff and file opening, menu commands reaching the renderer, the window place,
 * job progress and notifications, the theme, dialogs and drag out, and updates never in the way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SETTINGS,
  IPC_EVENT_CHANNEL,
  type CallResult,
  type InputView,
  type JobView,
} from '../../shared/api';
import { createHost, type ShellServices } from '../../electron/core/host';
import { start, type StartOptions } from '../../electron/shell/app';
import { WINDOW_STATE_FILE, displayKey } from '../../electron/shell/window-state';
import {
  FakeBrowserWindow,
  Menu,
  Notification,
  app,
  clipboard,
  dialog,
  nativeImage,
  nativeTheme,
  resetFake,
  screen,
  shell,
} from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));
vi.mock('../../electron/core/host', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../electron/core/host')>()),
  createHost: vi.fn(),
}));

type Listener = (event: string, payload: unknown) => void;

let dir: string;
let listeners: Listener[];
let shellServices: ShellServices | undefined;
const dispatch = vi.fn((call: unknown) =>
  Promise.resolve<CallResult>(
    call === 'settings.get'
      ? { ok: true, value: { ...DEFAULT_SETTINGS, theme: 'dark' } }
      : { ok: true, value: {} },
  ),
);

/** What the stand-in core stages for a path: a view named after it (the path stays in main). */
function stagedView(file: string): InputView {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return { id: `staged-${name}`, name, width: 4, height: 3, bytes: 3, format: 'png' };
}
const stagePath = vi.fn((file: string) =>
  Promise.resolve<CallResult>(
    file.endsWith('.txt')
      ? { ok: false, error: { code: 'unreadable_file', message: 'Not a picture.' } }
      : { ok: true, value: stagedView(file) },
  ),
);
/** The app.openFiles events a window received, once they arrive. */
const opened = (...files: string[]) => [{ inputs: files.map((f) => stagedView(join(dir, f))) }];

beforeEach(() => {
  resetFake();
  stagePath.mockClear();
  dir = mkdtempSync(join(tmpdir(), 'atelier-desktop-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Atelier</title>');
  writeFileSync(join(dir, 'cat.png'), 'png');
  writeFileSync(join(dir, 'dog.webp'), 'webp');
  listeners = [];
  shellServices = undefined;
  vi.mocked(createHost).mockImplementation((hostOptions) => {
    shellServices = hostOptions.shellServices;
    return Promise.resolve({
      dispatch,
      subscribe: (listener: Listener) => {
        listeners.push(listener);
        return () => undefined;
      },
      close: () => Promise.resolve(),
      stagePath,
      libraryDir: () => join(dir, 'library'),
      library: { media: {} },
    } as unknown as Awaited<ReturnType<typeof createHost>>);
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function options(extra: Partial<StartOptions> = {}): StartOptions {
  return {
    preload: '/opt/atelier/dist/electron/preload.cjs',
    rendererDir: dir,
    version: '1.2.3',
    env: { ATELIER_DATA_DIR: join(dir, 'data') },
    argv: ['/opt/Atelier/atelier'],
    ...extra,
  };
}

async function started(extra: Partial<StartOptions> = {}, beforeReady?: () => void) {
  const running = start(options(extra));
  beforeReady?.();
  app.makeReady();
  const result = await running;
  if (!result) throw new Error('the shell did not start');
  const window = FakeBrowserWindow.instances[0];
  if (!window) throw new Error('no window');
  return window;
}

/** The events the window received: [name, payload]. */
function sent(window: FakeBrowserWindow, name: string): unknown[] {
  return window.webContents.send.mock.calls
    .filter((call) => call[0] === IPC_EVENT_CHANNEL && call[1] === name)
    .map((call) => call[2] as unknown);
}

function menuItem(id: string): MenuItemConstructorOptions {
  const [template] = Menu.buildFromTemplate.mock.calls.at(-1) as unknown as [
    MenuItemConstructorOptions[],
  ];
  const walk = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions | undefined => {
    for (const item of items) {
      if (item.id === id) return item;
      const inner = Array.isArray(item.submenu) ? walk(item.submenu) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  const found = walk(template);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
}

describe('opening images', () => {
  it('hands an image from a second launch to the open window, once its page has loaded', async () => {
    const window = await started();
    window.minimized = true;
    app.emit(
      'second-instance',
      {},
      ['/opt/Atelier/atelier', 'cat.png', '--flag', 'notes.txt'],
      dir,
    );
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
    expect(sent(window, 'app.openFiles')).toEqual([]);
    window.webContents.emit('did-finish-load');
    await vi.waitFor(() => expect(sent(window, 'app.openFiles')).toEqual(opened('cat.png')));
    // The main process staged the path itself: the page receives the view, not the path.
    expect(stagePath).toHaveBeenCalledWith(join(dir, 'cat.png'));
    expect(JSON.stringify(sent(window, 'app.openFiles'))).not.toContain(dir);
    // Later launches arrive at once.
    app.emit('second-instance', {}, ['/opt/Atelier/atelier', join(dir, 'dog.webp')], '/');
    await vi.waitFor(() => expect(sent(window, 'app.openFiles')).toHaveLength(2));
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });

  it('opens the images the app was launched with ("Open with Atelier")', async () => {
    const window = await started({ argv: ['/opt/Atelier/atelier', join(dir, 'cat.png')] });
    window.webContents.emit('did-finish-load');
    await vi.waitFor(() => expect(sent(window, 'app.openFiles')).toEqual(opened('cat.png')));
  });

  it('takes macOS open-file events, even before the app is ready', async () => {
    const preventDefault = vi.fn();
    const window = await started({}, () => {
      app.emit('open-file', { preventDefault }, join(dir, 'dog.webp'));
    });
    expect(preventDefault).toHaveBeenCalled();
    window.webContents.emit('did-finish-load');
    await vi.waitFor(() => expect(sent(window, 'app.openFiles')).toEqual(opened('dog.webp')));
  });

  it('File > Open Image… shows the native dialog and opens what was chosen', async () => {
    const window = await started();
    window.webContents.emit('did-finish-load');
    dialog.showOpenDialog.mockResolvedValueOnce({
      canceled: false,
      filePaths: [join(dir, 'cat.png')],
    });
    (menuItem('open-image').click as () => void)();
    await vi.waitFor(() => expect(sent(window, 'app.openFiles')).toEqual(opened('cat.png')));
    const [parent, dialogOptions] = dialog.showOpenDialog.mock.calls[0] as [
      unknown,
      { filters: { extensions: string[] }[] },
    ];
    expect(parent).toBe(window);
    expect(dialogOptions.filters[0]?.extensions).toEqual(['png', 'jpg', 'jpeg', 'webp']);
  });
});

describe('menu commands', () => {
  it('reach the renderer as app.command events', async () => {
    const window = await started();
    for (const id of ['go-library', 'run', 'new-generation', 'go-settings']) {
      (menuItem(id).click as () => void)();
    }
    expect(sent(window, 'app.command')).toEqual([
      { command: 'go-library' },
      { command: 'run' },
      { command: 'new-generation' },
      { command: 'go-settings' },
    ]);
  });

  it('reveal the library folder and the settings folder: shown, never opened or run', async () => {
    await started();
    (menuItem('reveal-library').click as () => void)();
    (menuItem('reveal-data').click as () => void)();
    expect(shell.showItemInFolder.mock.calls.map((call) => call[0])).toEqual([
      join(dir, 'library'),
      join(dir, 'data'),
    ]);
    expect(shell.openPath).not.toHaveBeenCalled();
  });
});

describe('the window place', () => {
  it('opens where it was last time on a display that is still there', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'data'));
    const display = screen.displays[0];
    if (!display) throw new Error('no display');
    writeFileSync(
      join(dir, 'data', WINDOW_STATE_FILE),
      JSON.stringify({
        version: 1,
        last: displayKey(display),
        displays: {
          [displayKey(display)]: {
            bounds: { x: 200, y: 100, width: 1000, height: 700 },
            maximized: true,
          },
        },
      }),
    );
    const window = await started();
    expect(window.options).toMatchObject({ x: 200, y: 100, width: 1000, height: 700 });
    window.emit('ready-to-show');
    expect(window.maximize).toHaveBeenCalled();
  });

  it('comes back on screen when its display is gone', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      join(dir, 'data', WINDOW_STATE_FILE),
      JSON.stringify({
        version: 1,
        last: '9@3000,0,2560x1440',
        displays: {
          '9@3000,0,2560x1440': {
            bounds: { x: 3500, y: 100, width: 1200, height: 800 },
            maximized: false,
          },
        },
      }),
    );
    const window = await started();
    const { x, y, width, height } = window.options as Record<string, number>;
    expect([width, height]).toEqual([1200, 800]);
    expect(x).toBeGreaterThanOrEqual(0);
    expect((x ?? 0) + (width ?? 0)).toBeLessThanOrEqual(1920);
    expect(y).toBeGreaterThanOrEqual(25);
  });

  it('writes the place when the window closes, before the app quits', async () => {
    const window = await started();
    window.normalBounds = { x: 40, y: 60, width: 1100, height: 720 };
    window.emit('close');
    const event = { preventDefault: vi.fn() };
    app.emit('will-quit', event);
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    const { readFileSync } = await import('node:fs');
    const saved = JSON.parse(readFileSync(join(dir, 'data', WINDOW_STATE_FILE), 'utf8')) as {
      displays: Record<string, { bounds: unknown }>;
    };
    expect(Object.values(saved.displays)[0]?.bounds).toEqual({
      x: 40,
      y: 60,
      width: 1100,
      height: 720,
    });
  });
});

function job(id: string, state: JobView['state']): JobView {
  return {
    id,
    kind: 'text-to-image',
    endpoint: 'generate.core',
    params: {},
    batch: 'b1',
    createdAt: 1,
    updatedAt: 1,
    state,
    attempts: 0,
    mayHaveBeenCharged: false,
  };
}

describe('jobs on the dock / taskbar', () => {
  it('shows progress and notifies when a batch finishes while the window is in the background', async () => {
    const window = await started();
    const emit = (id: string, state: JobView['state']) => {
      for (const listener of listeners) listener('jobs.changed', job(id, state));
    };
    emit('1', 'waiting');
    emit('2', 'waiting');
    emit('1', 'done');
    expect(window.setProgressBar).toHaveBeenLastCalledWith(0.5);
    window.focused = false;
    emit('2', 'done');
    expect(window.setProgressBar).toHaveBeenLastCalledWith(-1);
    expect(Notification.instances).toHaveLength(1);
    expect(Notification.instances[0]?.options).toMatchObject({ title: 'Your pictures are ready' });
    expect(Notification.instances[0]?.show).toHaveBeenCalled();
    // The jobs also reached the renderer as usual.
    expect(sent(window, 'jobs.changed')).toHaveLength(4);
  });

  it('does not notify when the window is in front', async () => {
    const window = await started();
    window.focused = true;
    for (const listener of listeners) {
      listener('jobs.changed', job('1', 'waiting'));
      listener('jobs.changed', job('1', 'done'));
    }
    expect(Notification.instances).toHaveLength(0);
  });
});

describe('the theme', () => {
  it('follows the setting: system follows the OS, light and dark override it', async () => {
    await started();
    await vi.waitFor(() => expect(nativeTheme.themeSource).toBe('dark'));
    for (const listener of listeners) listener('settings.changed', { ...DEFAULT_SETTINGS });
    expect(nativeTheme.themeSource).toBe('system');
    for (const listener of listeners) {
      listener('settings.changed', { ...DEFAULT_SETTINGS, theme: 'light' });
    }
    expect(nativeTheme.themeSource).toBe('light');
  });
});

describe('shell services given to the core', () => {
  it('drags a file out with a thumbnail icon, or a generic icon when none can be made', async () => {
    const window = await started();
    if (!shellServices) throw new Error('no shell services');
    nativeImage.sizes.set('/lib/cat.png', { width: 1024, height: 512 });
    shellServices.startDrag('/lib/cat.png');
    const [first] = window.webContents.startDrag.mock.calls[0] as [
      { file: string; icon: { source: string; size: { width: number } } },
    ];
    expect(first.file).toBe('/lib/cat.png');
    expect(first.icon.size.width).toBe(96);
    shellServices.startDrag('/lib/dog.webp');
    const [second] = window.webContents.startDrag.mock.calls[1] as [{ icon: { source: string } }];
    expect(second.icon.source).toBe('fallback');
  });

  it('copies a picture through the main process clipboard, as image/png', async () => {
    await started();
    if (!shellServices) throw new Error('no shell services');
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await shellServices.copyImage(png);
    expect(clipboard.write).toHaveBeenCalledTimes(1);
    const [items] = clipboard.write.mock.calls[0] ?? [[]];
    expect(items).toHaveLength(1);
    const blob = items[0]?.items['image/png'];
    expect(blob).toBeInstanceOf(Blob);
    if (!(blob instanceof Blob)) return;
    expect(blob.type).toBe('image/png');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(png);

    clipboard.write.mockRejectedValueOnce(new Error('no clipboard'));
    await expect(shellServices.copyImage(png)).rejects.toThrow();
  });

  it('reveals a file in the file manager and answers the dialogs', async () => {
    await started();
    if (!shellServices) throw new Error('no shell services');
    shellServices.reveal('/lib/cat.png');
    expect(shell.showItemInFolder).toHaveBeenCalledWith('/lib/cat.png');
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/a/folder'] });
    expect(await shellServices.chooseFolder({})).toBe('/a/folder');
    expect(await shellServices.saveImage({ suggestedName: 'x.png' })).toBeNull();
    expect(await shellServices.openImage({ multiple: false })).toEqual([]);
  });
});

describe('updates', () => {
  it('never check in development, and never block start or ask at start in a packaged app', async () => {
    const devWindow = await started();
    devWindow.emit('show');
    expect(dialog.showMessageBox).not.toHaveBeenCalled();

    resetFake();
    app.isPackaged = true;
    const window = await started();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
    // The check is armed for later; nothing was asked while starting.
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });
});
