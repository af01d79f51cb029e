/**
 * The one layout rule of Compare: the view (layoutFrame) and the saved comparison (paneLayout)
 * put the same spot of both pictures at the same place.
 */
import { describe, expect, it } from 'vitest';
import { layoutFrame, paneLayout, type Size } from '../../shared/compare-layout';

const cases: [Size, Size][] = [
  [
    { width: 512, height: 384 },
    { width: 2048, height: 1536 },
  ],
  [
    { width: 100, height: 100 },
    { width: 400, height: 200 },
  ],
  [
    { width: 1024, height: 1024 },
    { width: 1216, height: 832 },
  ],
  [
    { width: 9000, height: 3000 },
    { width: 640, height: 480 },
  ],
  [
    { width: 7, height: 13 },
    { width: 13, height: 7 },
  ],
];

describe('layoutFrame', () => {
  it('takes the larger picture’s pixel grid (by area) in either order; the first on a tie', () => {
    for (const [a, b] of cases) {
      const area = (s: Size) => s.width * s.height;
      expect(layoutFrame(a, b).frame).toEqual(area(a) >= area(b) ? a : b);
      expect(layoutFrame(b, a).frame).toEqual(area(b) >= area(a) ? b : a);
    }
    expect(layoutFrame({ width: 7, height: 13 }, { width: 13, height: 7 }).frame).toEqual({
      width: 7,
      height: 13,
    });
  });

  it('fits each picture whole and centred', () => {
    for (const [a, b] of cases) {
      const { frame, placements } = layoutFrame(a, b);
      [a, b].forEach((picture, i) => {
        const p = placements[i];
        if (!p) throw new Error('no placement');
        const w = picture.width * p.scale;
        const h = picture.height * p.scale;
        expect(w).toBeLessThanOrEqual(frame.width + 1e-9);
        expect(h).toBeLessThanOrEqual(frame.height + 1e-9);
        // Fills one side of the frame, and leaves equal space on both sides of the other.
        expect(Math.max(w / frame.width, h / frame.height)).toBeCloseTo(1, 9);
        expect(p.x * 2 + w).toBeCloseTo(frame.width, 9);
        expect(p.y * 2 + h).toBeCloseTo(frame.height, 9);
      });
    }
  });

  it('scales the frame down to maxSide in whole pixels, never up', () => {
    const { frame } = layoutFrame(
      { width: 1000, height: 500 },
      { width: 8000, height: 4000 },
      4096,
    );
    expect(frame).toEqual({ width: 4096, height: 2048 });
    expect(layoutFrame({ width: 30, height: 20 }, { width: 3, height: 2 }, 4096).frame).toEqual({
      width: 30,
      height: 20,
    });
    expect(layoutFrame({ width: 5000, height: 1 }, { width: 1, height: 1 }, 100).frame).toEqual({
      width: 100,
      height: 1,
    });
  });

  it('counts a size that is not real as 1 x 1', () => {
    for (const bad of [
      { width: 0, height: 10 },
      { width: -4, height: 10 },
      { width: Number.NaN, height: 10 },
      { width: Number.POSITIVE_INFINITY, height: 10 },
    ]) {
      const { frame, placements } = layoutFrame(bad, { width: 40, height: 20 });
      expect(frame).toEqual({ width: 40, height: 20 });
      expect(placements[0]).toEqual({ scale: 20, x: 10, y: 0 });
    }
  });
});

describe('paneLayout (the saved comparison) follows the view', () => {
  it('draws each picture where the view places it, to the pixel', () => {
    for (const maxPane of [4096, 1000, 333]) {
      for (const [a, b] of cases) {
        const view = layoutFrame(a, b, maxPane);
        const pane = paneLayout(a, b, maxPane);
        expect(pane.pane).toEqual(view.frame);
        [pane.left, pane.right].forEach((drawn, i) => {
          const placed = view.placements[i];
          if (!placed) throw new Error('no placement');
          expect(drawn.scale).toBe(placed.scale);
          expect(Math.abs(drawn.left - placed.x)).toBeLessThanOrEqual(1);
          expect(Math.abs(drawn.top - placed.y)).toBeLessThanOrEqual(1);
          expect(drawn.left + drawn.width).toBeLessThanOrEqual(pane.pane.width);
          expect(drawn.top + drawn.height).toBeLessThanOrEqual(pane.pane.height);
        });
      }
    }
  });

  it('gives an upscale and its input the same box, so the same spot lines up', () => {
    const { pane, left, right } = paneLayout(
      { width: 512, height: 384 },
      { width: 2048, height: 1536 },
      4096,
    );
    expect(pane).toEqual({ width: 2048, height: 1536 });
    expect(left).toEqual({ width: 2048, height: 1536, left: 0, top: 0, scale: 4 });
    expect(right).toEqual({ width: 2048, height: 1536, left: 0, top: 0, scale: 1 });
  });
});
