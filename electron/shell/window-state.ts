/**
 * Where the main window was: size, position and maximized state, remembered per display in
 * window-state.json in the data folder (written atomically: a temporary file, then a rename).
 *
 * Restoring picks the entry of the display the window was last on; when that display is gone (a
 * laptop without its monitor) it uses the entry of a display that is still there, and otherwise a
 * default size centred on the primary display. Whatever it picks is clamped into a visible display's
 * work area and never smaller than the window's minimum size, so the window never opens off screen.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/fs/atomic';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the shell knows of a display (Electron's Display, reduced). */
export interface DisplayInfo {
  id: number;
  bounds: Rect;
  workArea: Rect;
}

export const WINDOW_STATE_FILE = 'window-state.json';

const RectSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().positive(),
  height: z.number().positive(),
});
const EntrySchema = z.object({ bounds: RectSchema, maximized: z.boolean() });
const StateSchema = z.object({
  version: z.literal(1),
  /** The key of the display the window was on when last saved. */
  last: z.string().optional(),
  displays: z.record(z.string(), EntrySchema),
});
export type WindowStateEntry = z.infer<typeof EntrySchema>;
export type WindowStateFile = z.infer<typeof StateSchema>;

export const EMPTY_STATE: WindowStateFile = { version: 1, displays: {} };

/**
 * A display's key: its id and its size, so a different monitor that happens to get the same id
 * (or a changed resolution) counts as another display.
 */
export function displayKey(display: DisplayInfo): string {
  const { x, y, width, height } = display.bounds;
  return `${String(display.id)}@${String(x)},${String(y)},${String(width)}x${String(height)}`;
}

export interface RestoreOptions {
  defaultSize: { width: number; height: number };
  minSize: { width: number; height: number };
}

export interface Restored {
  bounds: Rect;
  maximized: boolean;
}

/** The area two rectangles share (0 when they do not touch). */
function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** `rect` moved and shrunk so that it lies wholly inside `area` (but not below `min`). */
export function clampInto(rect: Rect, area: Rect, min: { width: number; height: number }): Rect {
  const width = Math.round(
    Math.max(Math.min(rect.width, area.width), Math.min(min.width, area.width)),
  );
  const height = Math.round(
    Math.max(Math.min(rect.height, area.height), Math.min(min.height, area.height)),
  );
  const x = Math.round(Math.min(Math.max(rect.x, area.x), area.x + area.width - width));
  const y = Math.round(Math.min(Math.max(rect.y, area.y), area.y + area.height - height));
  return { x, y, width, height };
}

function centred(size: { width: number; height: number }, area: Rect): Rect {
  return {
    x: area.x + Math.round((area.width - size.width) / 2),
    y: area.y + Math.round((area.height - size.height) / 2),
    width: size.width,
    height: size.height,
  };
}

/** Where to open the window, given what was saved and the displays there are now. */
export function restoreWindowState(
  state: WindowStateFile,
  displays: readonly DisplayInfo[],
  primary: DisplayInfo,
  options: RestoreOptions,
): Restored {
  const present = new Map(displays.map((d) => [displayKey(d), d]));
  const candidates = [
    ...(state.last !== undefined ? [state.last] : []),
    ...Object.keys(state.displays),
  ];
  for (const key of candidates) {
    const entry = state.displays[key];
    const display = present.get(key);
    if (!entry || !display) continue;
    // The saved place is on this display: keep it, clamped into its work area.
    return {
      bounds: clampInto(entry.bounds, display.workArea, options.minSize),
      maximized: entry.maximized,
    };
  }
  // The display is gone: keep the size (and maximized), centred on the primary display.
  const last = state.last !== undefined ? state.displays[state.last] : undefined;
  const size = last?.bounds ?? options.defaultSize;
  return {
    bounds: clampInto(centred(size, primary.workArea), primary.workArea, options.minSize),
    maximized: last?.maximized ?? false,
  };
}

/** The display a window's bounds are mostly on (the primary one when on none). */
export function displayFor(
  bounds: Rect,
  displays: readonly DisplayInfo[],
  primary: DisplayInfo,
): DisplayInfo {
  let best = primary;
  let bestArea = 0;
  for (const display of displays) {
    const area = overlap(bounds, display.bounds);
    if (area > bestArea) {
      best = display;
      bestArea = area;
    }
  }
  return best;
}

/** The file with one more entry: this window on this display. */
export function rememberWindowState(
  state: WindowStateFile,
  display: DisplayInfo,
  entry: WindowStateEntry,
): WindowStateFile {
  const key = displayKey(display);
  return { version: 1, last: key, displays: { ...state.displays, [key]: entry } };
}

/** Reads window-state.json; a missing or damaged file reads as no state (never throws). */
export async function readWindowState(dataDir: string): Promise<WindowStateFile> {
  try {
    const text = await readFile(path.join(dataDir, WINDOW_STATE_FILE), 'utf8');
    const parsed = StateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : EMPTY_STATE;
  } catch {
    return EMPTY_STATE;
  }
}

/** Writes window-state.json atomically (a reader sees the old file or the new one, whole). */
export async function writeWindowState(dataDir: string, state: WindowStateFile): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  // Not durable: a window state lost to a power cut costs only the window's place.
  await writeFileAtomic(
    path.join(dataDir, WINDOW_STATE_FILE),
    `${JSON.stringify(state, null, 2)}\n`,
    {
      durable: false,
    },
  );
}

/** What the tracker needs of Electron's screen module. */
export interface ScreenLike {
  getAllDisplays(): DisplayInfo[];
  getPrimaryDisplay(): DisplayInfo;
}

/** What the tracker needs of a BrowserWindow. */
export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isFullScreen(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

export interface WindowStateTracker {
  /** Writes the latest state now (and waits for any write under way). */
  flush(): Promise<void>;
}

/**
 * Follows a window's moves and resizes and writes the state a moment after it settles and when the
 * window closes. Failures are logged once per write, in a plain line, never thrown.
 */
export function trackWindowState(
  window: TrackedWindow,
  options: {
    dataDir: string;
    screen: ScreenLike;
    initial: WindowStateFile;
    log: (line: string) => void;
    /** Delay after the last move/resize before writing (ms). */
    delayMs?: number;
    write?: (dataDir: string, state: WindowStateFile) => Promise<void>;
  },
): WindowStateTracker {
  const write = options.write ?? writeWindowState;
  let state = options.initial;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;

  const capture = () => {
    // Full screen is not a place to come back to: keep what was there before.
    if (window.isFullScreen()) return;
    const bounds = window.getNormalBounds();
    const display = displayFor(
      bounds,
      options.screen.getAllDisplays(),
      options.screen.getPrimaryDisplay(),
    );
    state = rememberWindowState(state, display, { bounds, maximized: window.isMaximized() });
    dirty = true;
  };
  const save = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return writing;
    dirty = false;
    const snapshot = state;
    writing = writing
      .then(() => write(options.dataDir, snapshot))
      .catch((error: unknown) => {
        options.log(
          `Atelier could not remember the window's size and place (${String(error)}); it will open at its usual size next time.`,
        );
      });
    return writing;
  };
  const later = () => {
    capture();
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void save(), options.delayMs ?? 500);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const)
    window.on(event, later);
  window.on('close', () => {
    capture();
    void save();
  });
  return { flush: () => save() };
}
