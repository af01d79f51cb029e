import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MIN_HEIGHT, MIN_WIDTH, createMainWindow, focusWindow } from '../../electron/shell/window';
import { FakeBrowserWindow, resetFake } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

beforeEach(() => resetFake());

function create(devTools?: boolean) {
  const window = createMainWindow({
    preload: '/app/dist/electron/preload.cjs',
    url: 'app://atelier/index.html',
    ...(devTools === undefined ? {} : { devTools }),
  }) as unknown as FakeBrowserWindow;
  return window;
}

describe('createMainWindow', () => {
  it('spells out every safe web preference and the preload', () => {
    const prefs = create().options.webPreferences;
    expect(prefs).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
    });
  });

  it('enables no Blink features and no extra Node', () => {
    const prefs = create().options.webPreferences;
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(prefs).not.toHaveProperty('enableRemoteModule');
  });

  it('opens developer tools only when asked (development)', () => {
    expect(create(true).options.webPreferences).toMatchObject({ devTools: true, sandbox: true });
  });

  it('starts hidden, shows on ready-to-show, keeps a working minimum size, loads the URL', () => {
    const window = create();
    expect(window.options).toMatchObject({
      show: false,
      minWidth: MIN_WIDTH,
      minHeight: MIN_HEIGHT,
    });
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
    expect(window.loadURL).toHaveBeenCalledWith('app://atelier/index.html');
  });
});

describe('focusWindow', () => {
  it('restores, shows and focuses; ignores a missing or destroyed window', () => {
    const window = create();
    window.minimized = true;
    focusWindow(window as never);
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
    const gone = create();
    gone.destroyed = true;
    focusWindow(gone as never);
    expect(gone.focus).not.toHaveBeenCalled();
    expect(() => focusWindow(undefined)).not.toThrow();
  });
});
