/**
 * Compare's geometry: two sizes on one frame, zoom to a point keeps that point fixed, pan
 * clamping, fit, and the same spot of both pictures under the same screen point.
 */
import { describe, expect, it } from 'vitest';
import {
  clampView,
  fitZoom,
  frameAt,
  frameTransform,
  panBy,
  pictureTransform,
  stepZoom,
  zoomLabel,
  zoomTo,
} from '../../renderer/ui/zoom/geometry';
import type { View } from '../../renderer/ui/zoom/geometry';
import { layoutFrame } from '../../shared/compare-layout';

const small = { width: 512, height: 384 };
const big = { width: 2048, height: 1536 };
const port = { width: 800, height: 600 };

describe('layoutFrame', () => {
  it('maps an upscale and its input onto the larger one’s pixel grid', () => {
    const { frame, placements } = layoutFrame(small, big);
    expect(frame).toEqual(big);
    expect(placements[0]).toEqual({ x: 0, y: 0, scale: 4 });
    expect(placements[1]).toEqual({ x: 0, y: 0, scale: 1 });
    // Either order gives the same frame.
    expect(layoutFrame(big, small).frame).toEqual(big);
  });

  it('centres a picture of another shape, whole, in the frame', () => {
    const { frame, placements } = layoutFrame(
      { width: 100, height: 100 },
      { width: 400, height: 200 },
    );
    expect(frame).toEqual({ width: 400, height: 200 });
    expect(placements[0]).toEqual({ x: 100, y: 0, scale: 2 });
  });

  it('puts the same picture point at the same screen point for both', () => {
    const layout = layoutFrame(small, big);
    const view: View = { zoom: 1.5, cx: 700, cy: 900 };
    const t = frameTransform(view, layout.frame, port);
    const a = pictureTransform(t, layout.placements[0]);
    const b = pictureTransform(t, layout.placements[1]);
    // Pixel (100.25, 50.5) of the small one is pixel (401, 202) of the big one.
    const pa = { x: a.x + 100.25 * a.scale, y: a.y + 50.5 * a.scale };
    const pb = { x: b.x + 401 * b.scale, y: b.y + 202 * b.scale };
    expect(pa.x).toBeCloseTo(pb.x, 9);
    expect(pa.y).toBeCloseTo(pb.y, 9);
  });
});

describe('zoom', () => {
  const frame = big;

  it('fits the whole frame, and 100% is one frame pixel per device pixel', () => {
    expect(fitZoom(frame, port)).toBeCloseTo(800 / 2048);
    expect(fitZoom(frame, port, 2)).toBeCloseTo((800 / 2048) * 2);
    const t = frameTransform({ zoom: 1, cx: 1024, cy: 768 }, frame, port, 2);
    expect(t.scale).toBe(0.5);
  });

  it('keeps the point under the cursor where it is', () => {
    for (const [from, to] of [
      [1, 2],
      [2, 8],
      [8, 1.5],
    ] as const) {
      const view = clampView({ zoom: from, cx: 900, cy: 700 }, frame, port);
      const cursor = { x: 230, y: 410 };
      const before = frameAt(view, frame, port, cursor);
      const after = frameAt(zoomTo(view, to, frame, port, cursor), frame, port, cursor);
      expect(after.x).toBeCloseTo(before.x, 6);
      expect(after.y).toBeCloseTo(before.y, 6);
    }
  });

  it('zooming from fit at the cursor also keeps the point', () => {
    const fit: View = { zoom: null, cx: 0, cy: 0 };
    const cursor = { x: 400, y: 300 };
    const before = frameAt(fit, frame, port, cursor);
    const next = zoomTo(fit, 1, frame, port, cursor);
    expect(next.zoom).toBe(1);
    const after = frameAt(next, frame, port, cursor);
    expect(after.x).toBeCloseTo(before.x, 6);
    expect(after.y).toBeCloseTo(before.y, 6);
  });

  it('steps through the usual stops', () => {
    expect(stepZoom(1, 1)).toBe(1.5);
    expect(stepZoom(1, -1)).toBeCloseTo(2 / 3);
    expect(stepZoom(0.39, 1)).toBe(0.5);
    expect(zoomLabel(1)).toBe('100%');
    expect(zoomLabel(0.0625)).toBe('6.3%');
  });
});

describe('pan', () => {
  const frame = big;

  it('moves the picture with the pointer', () => {
    const view = clampView({ zoom: 1, cx: 1000, cy: 700 }, frame, port);
    const moved = panBy(view, 30, -20, frame, port);
    expect(moved.cx).toBe(970);
    expect(moved.cy).toBe(720);
    const t0 = frameTransform(view, frame, port);
    const t1 = frameTransform(moved, frame, port);
    expect(t1.x - t0.x).toBe(30);
    expect(t1.y - t0.y).toBe(-20);
  });

  it('stops at the frame’s edges: no empty space past them', () => {
    const view: View = { zoom: 1, cx: 1000, cy: 700 };
    const far = panBy(view, 1e6, 1e6, frame, port);
    expect(far).toEqual({ zoom: 1, cx: 400, cy: 300 });
    expect(frameTransform(far, frame, port)).toMatchObject({ x: 0, y: 0 });
    const other = panBy(view, -1e6, -1e6, frame, port);
    expect(other).toEqual({ zoom: 1, cx: 2048 - 400, cy: 1536 - 300 });
  });

  it('keeps a frame smaller than the view centred', () => {
    const view = panBy({ zoom: 0.25, cx: 0, cy: 0 }, 100, 100, frame, port);
    expect(view).toEqual({ zoom: 0.25, cx: 1024, cy: 768 });
    const t = frameTransform(view, frame, port);
    expect(t.x).toBe((800 - 512) / 2);
    expect(t.y).toBe((600 - 384) / 2);
  });

  it('a pan from fit keeps the fit zoom and stays centred when everything shows', () => {
    const view = panBy({ zoom: null, cx: 0, cy: 0 }, 50, 0, frame, port);
    expect(view.zoom).toBeCloseTo(800 / 2048);
    expect(view.cx).toBe(1024);
  });
});
