import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EMPTY_STATE,
  WINDOW_STATE_FILE,
  clampInto,
  displayKey,
  readWindowState,
  rememberWindowState,
  restoreWindowState,
  trackWindowState,
  writeWindowState,
  type DisplayInfo,
  type Rect,
  type WindowStateFile,
} from '../../electron/shell/window-state';

vi.mock('electron', () => import('./fake-electron'));

const laptop: DisplayInfo = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1440, height: 900 },
  workArea: { x: 0, y: 25, width: 1440, height: 875 },
};
const monitor: DisplayInfo = {
  id: 2,
  bounds: { x: 1440, y: 0, width: 2560, height: 1440 },
  workArea: { x: 1440, y: 0, width: 2560, height: 1400 },
};
const options = {
  defaultSize: { width: 1280, height: 800 },
  minSize: { width: 900, height: 600 },
};

function inside(rect: Rect, area: Rect): boolean {
  return (
    rect.x >= area.x &&
    rect.y >= area.y &&
    rect.x + rect.width <= area.x + area.width &&
    rect.y + rect.height <= area.y + area.height
  );
}

describe('restoreWindowState', () => {
  it('opens at the default size, centred on the primary display, the first time', () => {
    const restored = restoreWindowState(EMPTY_STATE, [laptop], laptop, options);
    expect(restored).toEqual({
      bounds: { x: 80, y: 63, width: 1280, height: 800 },
      maximized: false,
    });
  });

  it('comes back where it was on the display it was on, maximized or not', () => {
    let state = rememberWindowState(EMPTY_STATE, laptop, {
      bounds: { x: 100, y: 100, width: 1000, height: 700 },
      maximized: false,
    });
    state = rememberWindowState(state, monitor, {
      bounds: { x: 1600, y: 200, width: 1800, height: 1100 },
      maximized: true,
    });
    expect(restoreWindowState(state, [laptop, monitor], laptop, options)).toEqual({
      bounds: { x: 1600, y: 200, width: 1800, height: 1100 },
      maximized: true,
    });
  });

  it('uses the entry of a display still there when the last one is gone', () => {
    let state = rememberWindowState(EMPTY_STATE, laptop, {
      bounds: { x: 100, y: 100, width: 1000, height: 700 },
      maximized: false,
    });
    state = rememberWindowState(state, monitor, {
      bounds: { x: 1600, y: 200, width: 1800, height: 1100 },
      maximized: true,
    });
    // The monitor is unplugged: the laptop's own place comes back.
    expect(restoreWindowState(state, [laptop], laptop, options)).toEqual({
      bounds: { x: 100, y: 100, width: 1000, height: 700 },
      maximized: false,
    });
  });

  it('recovers when the only remembered display has vanished: on screen, within the work area', () => {
    const state = rememberWindowState(EMPTY_STATE, monitor, {
      bounds: { x: 2000, y: 300, width: 2200, height: 1300 },
      maximized: false,
    });
    const restored = restoreWindowState(state, [laptop], laptop, options);
    expect(inside(restored.bounds, laptop.workArea)).toBe(true);
    // Shrunk to fit the smaller display, never below the minimum size.
    expect(restored.bounds.width).toBe(1440);
    expect(restored.bounds.height).toBe(875);
    expect(restored.maximized).toBe(false);
  });

  it('treats a display with the same id but another size as another display', () => {
    const state = rememberWindowState(EMPTY_STATE, monitor, {
      bounds: { x: 3000, y: 900, width: 900, height: 600 },
      maximized: false,
    });
    const smaller: DisplayInfo = {
      id: 2,
      bounds: { x: 1440, y: 0, width: 1280, height: 720 },
      workArea: { x: 1440, y: 0, width: 1280, height: 720 },
    };
    expect(displayKey(smaller)).not.toBe(displayKey(monitor));
    const restored = restoreWindowState(state, [laptop, smaller], laptop, options);
    expect(inside(restored.bounds, laptop.workArea)).toBe(true);
  });

  it('pulls back a window that was left half off its display', () => {
    const state = rememberWindowState(EMPTY_STATE, laptop, {
      bounds: { x: -500, y: 800, width: 1000, height: 700 },
      maximized: false,
    });
    const restored = restoreWindowState(state, [laptop], laptop, options);
    expect(inside(restored.bounds, laptop.workArea)).toBe(true);
    expect(restored.bounds).toMatchObject({ x: 0, width: 1000, height: 700 });
  });
});

describe('clampInto', () => {
  it('never goes below the minimum size unless the display itself is smaller', () => {
    const area = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(clampInto({ x: 10, y: 10, width: 300, height: 200 }, area, options.minSize)).toEqual({
      x: 10,
      y: 10,
      width: 900,
      height: 600,
    });
    const tiny = { x: 0, y: 0, width: 800, height: 500 };
    expect(clampInto({ x: 10, y: 10, width: 1000, height: 700 }, tiny, options.minSize)).toEqual(
      tiny,
    );
  });
});

describe('window-state.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'atelier-window-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips, leaving no temporary files behind', async () => {
    const state = rememberWindowState(EMPTY_STATE, laptop, {
      bounds: { x: 1, y: 2, width: 1000, height: 700 },
      maximized: true,
    });
    await writeWindowState(dir, state);
    await writeWindowState(dir, state);
    expect(await readWindowState(dir)).toEqual(state);
    expect(readdirSync(dir)).toEqual([WINDOW_STATE_FILE]);
  });

  it('reads a missing, damaged or foreign file as no state', async () => {
    expect(await readWindowState(dir)).toEqual(EMPTY_STATE);
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"version":1,"displays":');
    expect(await readWindowState(dir)).toEqual(EMPTY_STATE);
    writeFileSync(
      join(dir, WINDOW_STATE_FILE),
      JSON.stringify({ version: 1, displays: { a: { bounds: { x: 'no' }, maximized: 1 } } }),
    );
    expect(await readWindowState(dir)).toEqual(EMPTY_STATE);
  });
});

class FakeWindow extends EventEmitter {
  bounds: Rect = { x: 100, y: 100, width: 1000, height: 700 };
  maximized = false;
  fullScreen = false;
  getNormalBounds = () => ({ ...this.bounds });
  isMaximized = () => this.maximized;
  isFullScreen = () => this.fullScreen;
}

describe('trackWindowState', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'atelier-window-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const screen = { getAllDisplays: () => [laptop, monitor], getPrimaryDisplay: () => laptop };

  it('remembers the place on the display the window is on when it closes', async () => {
    const window = new FakeWindow();
    const tracker = trackWindowState(window, {
      dataDir: dir,
      screen,
      initial: EMPTY_STATE,
      log: () => undefined,
    });
    window.bounds = { x: 1500, y: 50, width: 1200, height: 900 };
    window.maximized = true;
    window.emit('close');
    await tracker.flush();
    const saved = JSON.parse(readFileSync(join(dir, WINDOW_STATE_FILE), 'utf8')) as WindowStateFile;
    expect(saved.last).toBe(displayKey(monitor));
    expect(saved.displays[displayKey(monitor)]).toEqual({
      bounds: { x: 1500, y: 50, width: 1200, height: 900 },
      maximized: true,
    });
  });

  it('writes a moment after moves settle, and keeps the place from before full screen', async () => {
    vi.useFakeTimers();
    try {
      const write = vi.fn((_dir: string, _state: WindowStateFile) => Promise.resolve());
      const window = new FakeWindow();
      const tracker = trackWindowState(window, {
        dataDir: dir,
        screen,
        initial: EMPTY_STATE,
        log: () => undefined,
        write,
        delayMs: 500,
      });
      window.emit('move');
      window.emit('resize');
      expect(write).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(500);
      expect(write).toHaveBeenCalledTimes(1);
      window.fullScreen = true;
      window.bounds = { x: 0, y: 0, width: 1440, height: 900 };
      window.emit('resize');
      await vi.advanceTimersByTimeAsync(500);
      await tracker.flush();
      expect(write).toHaveBeenCalledTimes(1);
      expect(write.mock.calls[0]?.[1].displays[displayKey(laptop)]?.bounds).toEqual({
        x: 100,
        y: 100,
        width: 1000,
        height: 700,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs one plain line when the file cannot be written, and never throws', async () => {
    const log = vi.fn();
    const window = new FakeWindow();
    const tracker = trackWindowState(window, {
      dataDir: dir,
      screen,
      initial: EMPTY_STATE,
      log,
      write: () => Promise.reject(new Error('EACCES')),
    });
    window.emit('close');
    await expect(tracker.flush()).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]?.[0])).toMatch(/could not remember the window/);
  });
});
