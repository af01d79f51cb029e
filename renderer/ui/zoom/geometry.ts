/**
 * The geometry of a zoomable view of pictures, as plain functions (no DOM), shared by Compare and
 * the Library's viewer: a view (zoom + the frame point at the centre of the viewport). The frame is
 * what is shown: one picture (the viewer), or Compare's two placed in it by the one rule in
 * shared/compare-layout.ts, which the saved comparison follows too. Zoom 1 (100%) shows one frame
 * pixel (in Compare, one pixel of the larger picture) per device pixel.
 */
import { isRealSize, type Placement, type Size } from '../../../shared/compare-layout';

/** The view: how many device pixels per frame pixel, and which frame point is at the centre. */
export interface View {
  /** null: fit the whole frame in the viewport (recomputed when the viewport changes). */
  zoom: number | null;
  cx: number;
  cy: number;
}

export const FIT_VIEW: View = { zoom: null, cx: 0, cy: 0 };

/** The transform of one picture in a viewport: screen = (x, y) + pixel * scale (CSS px). */
export interface Transform {
  x: number;
  y: number;
  scale: number;
}

export const MIN_ZOOM = 1 / 64;
export const MAX_ZOOM = 64;
/** The steps of + and - (and of a wheel notch, in smaller bites). */
export const ZOOM_STEPS = [
  1 / 64,
  1 / 32,
  1 / 16,
  1 / 8,
  1 / 6,
  1 / 4,
  1 / 3,
  1 / 2,
  2 / 3,
  1,
  1.5,
  2,
  3,
  4,
  6,
  8,
  12,
  16,
  24,
  32,
  48,
  64,
] as const;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The zoom that shows the whole frame in the viewport (device pixels per frame pixel). */
export function fitZoom(frame: Size, viewport: Size, dpr = 1): number {
  if (!isRealSize(frame) || !isRealSize(viewport)) return 1;
  return clampZoom(Math.min(viewport.width / frame.width, viewport.height / frame.height) * dpr);
}

/** The zoom in force: the chosen one, or fit. */
export function zoomOf(view: View, frame: Size, viewport: Size, dpr = 1): number {
  return view.zoom ?? fitZoom(frame, viewport, dpr);
}

/** CSS pixels per frame pixel. */
export function cssScale(view: View, frame: Size, viewport: Size, dpr = 1): number {
  return zoomOf(view, frame, viewport, dpr) / dpr;
}

/**
 * Keeps the frame in view: along an axis where the frame is smaller than the viewport it is
 * centred; otherwise the centre stays where no empty space shows past the frame's edge.
 */
export function clampView(view: View, frame: Size, viewport: Size, dpr = 1): View {
  if (view.zoom === null) return { zoom: null, cx: frame.width / 2, cy: frame.height / 2 };
  const s = cssScale(view, frame, viewport, dpr);
  const axis = (c: number, length: number, port: number) => {
    const half = port / (2 * s);
    if (length <= 2 * half) return length / 2;
    return Math.min(length - half, Math.max(half, c));
  };
  return {
    zoom: view.zoom,
    cx: axis(view.cx, frame.width, viewport.width),
    cy: axis(view.cy, frame.height, viewport.height),
  };
}

/** The frame's origin on screen (CSS px from the viewport's top-left) and its scale. */
export function frameTransform(view: View, frame: Size, viewport: Size, dpr = 1): Transform {
  const clamped = clampView(view, frame, viewport, dpr);
  const s = cssScale(clamped, frame, viewport, dpr);
  return {
    scale: s,
    x: viewport.width / 2 - clamped.cx * s,
    y: viewport.height / 2 - clamped.cy * s,
  };
}

/** One picture's transform in a viewport. */
export function pictureTransform(frameT: Transform, placement: Placement): Transform {
  return {
    x: frameT.x + placement.x * frameT.scale,
    y: frameT.y + placement.y * frameT.scale,
    scale: placement.scale * frameT.scale,
  };
}

/** The frame point under a screen point of a viewport. */
export function frameAt(
  view: View,
  frame: Size,
  viewport: Size,
  point: { x: number; y: number },
  dpr = 1,
) {
  const t = frameTransform(view, frame, viewport, dpr);
  return { x: (point.x - t.x) / t.scale, y: (point.y - t.y) / t.scale };
}

/**
 * Zooms to `zoom`, keeping the frame point under `anchor` (a screen point in the viewport, e.g.
 * the cursor) where it is. Without an anchor, the viewport's centre stays.
 */
export function zoomTo(
  view: View,
  zoom: number,
  frame: Size,
  viewport: Size,
  anchor: { x: number; y: number } = { x: viewport.width / 2, y: viewport.height / 2 },
  dpr = 1,
): View {
  const before = frameAt(view, frame, viewport, anchor, dpr);
  const next = clampZoom(zoom);
  const s = next / dpr;
  const unclamped: View = {
    zoom: next,
    cx: before.x - (anchor.x - viewport.width / 2) / s,
    cy: before.y - (anchor.y - viewport.height / 2) / s,
  };
  return clampView(unclamped, frame, viewport, dpr);
}

/** Moves the picture by (dx, dy) CSS pixels on screen (a drag, an arrow key). */
export function panBy(
  view: View,
  dx: number,
  dy: number,
  frame: Size,
  viewport: Size,
  dpr = 1,
): View {
  const zoom = zoomOf(view, frame, viewport, dpr);
  const start = clampView({ ...view, zoom }, frame, viewport, dpr);
  const s = zoom / dpr;
  return clampView({ zoom, cx: start.cx - dx / s, cy: start.cy - dy / s }, frame, viewport, dpr);
}

/** The next step of + (direction 1) or - (direction -1) from `zoom`. */
export function stepZoom(zoom: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOM_STEPS.find((z) => z > zoom * 1.0001) ?? MAX_ZOOM;
  return [...ZOOM_STEPS].reverse().find((z) => z < zoom / 1.0001) ?? MIN_ZOOM;
}

/** A wheel's deltaY as a zoom factor (smooth for touchpads and pinch, one notch about 1.2x). */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-Math.max(-300, Math.min(300, pixels)) * 0.0018);
}

/** "100%", "25%", "12.5%". */
export function zoomLabel(zoom: number): string {
  const percent = zoom * 100;
  const rounded = percent >= 10 ? Math.round(percent) : Math.round(percent * 10) / 10;
  return `${rounded}%`;
}
