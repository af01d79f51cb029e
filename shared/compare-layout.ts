/**
 * The one rule of Compare's layout, for the Compare view (renderer/features/compare) and the saved
 * comparison (electron/core/host/compare.ts) alike: two pictures of any sizes on one frame.
 *
 * The frame is the larger picture's pixel grid (by area). Each picture is scaled to fill the frame,
 * centred and whole when the shapes differ, so the same spot of both pictures sits at the same
 * frame point: a result and its input line up, and a saved comparison shows what the view showed.
 */

export interface Size {
  width: number;
  height: number;
}

/** Where a picture sits in the frame: frame = (x, y) + pixel * scale. */
export interface Placement {
  x: number;
  y: number;
  scale: number;
}

export interface FrameLayout {
  frame: Size;
  placements: [Placement, Placement];
}

/** Both sides positive and finite. */
export function isRealSize(size: Size): boolean {
  return size.width > 0 && size.height > 0 && Number.isFinite(size.width + size.height);
}

/** A picture scaled to fit a box, centred and whole. */
function placeIn(box: Size, picture: Size): Placement {
  const scale = Math.min(box.width / picture.width, box.height / picture.height);
  return {
    scale,
    x: (box.width - picture.width * scale) / 2,
    y: (box.height - picture.height * scale) / 2,
  };
}

/**
 * Maps two pictures onto one frame: the larger one's pixel grid, or that grid scaled down to
 * `maxSide` pixels on its longest side (whole pixels then). A size that is not a real one counts
 * as 1 x 1.
 */
export function layoutFrame(a: Size, b: Size, maxSide = Infinity): FrameLayout {
  const sa = isRealSize(a) ? a : { width: 1, height: 1 };
  const sb = isRealSize(b) ? b : { width: 1, height: 1 };
  const larger = sa.width * sa.height >= sb.width * sb.height ? sa : sb;
  const k = maxSide / Math.max(larger.width, larger.height);
  const frame =
    k >= 1
      ? { width: larger.width, height: larger.height }
      : {
          width: Math.max(1, Math.round(larger.width * k)),
          height: Math.max(1, Math.round(larger.height * k)),
        };
  return { frame, placements: [placeIn(frame, sa), placeIn(frame, sb)] };
}

/** A picture in whole pixels: its size in the pane and its top-left corner there. */
export interface PanePicture {
  width: number;
  height: number;
  left: number;
  top: number;
  scale: number;
}

/**
 * The frame as pixels to draw (a saved comparison): one pane of at most `maxPane` pixels on its
 * longest side, and each picture's whole-pixel size and place in it.
 */
export function paneLayout(
  a: Size,
  b: Size,
  maxPane: number,
): { pane: Size; left: PanePicture; right: PanePicture } {
  const { frame: pane, placements } = layoutFrame(a, b, maxPane);
  const pixels = (picture: Size, { scale }: Placement): PanePicture => {
    const width = Math.max(1, Math.round(picture.width * scale));
    const height = Math.max(1, Math.round(picture.height * scale));
    return {
      width,
      height,
      left: Math.floor((pane.width - width) / 2),
      top: Math.floor((pane.height - height) / 2),
      scale,
    };
  };
  return { pane, left: pixels(a, placements[0]), right: pixels(b, placements[1]) };
}
