/**
 * The limits an endpoint puts on an input image. Mirrors the input-image limits in the endpoint
 * table (shared/endpoints); the integration maps the table onto this shape. Aspect ratios are
 * width / height (1:2.5 is 0.4, 2.5:1 is 2.5).
 */
export interface InputLimits {
  /** Formats the endpoint accepts, e.g. ['png', 'jpeg', 'webp'] ('jpg' is read as 'jpeg'). */
  formats: readonly string[];
  minSide?: number;
  maxSide?: number;
  minPixels?: number;
  maxPixels?: number;
  /** Largest encoded image, in bytes. */
  maxBytes?: number;
  minAspect?: number;
  maxAspect?: number;
}

/** sharp's own default: 16383 × 16383. A file claiming more is refused before it is decoded. */
export const MAX_INPUT_PIXELS = 0x3fff * 0x3fff;

const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

export function formatMegapixels(pixels: number): string {
  const mp = pixels / 1_000_000;
  const text = mp >= 10 ? mp.toFixed(0) : mp >= 1 ? mp.toFixed(1) : mp.toFixed(2);
  const trimmed = text.replace(/\.0+$/, '');
  return `${trimmed} ${trimmed === '1' ? 'megapixel' : 'megapixels'}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  }
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** 2.5 -> "2.5:1", 0.4 -> "1:2.5", 1 -> "1:1". */
export function formatRatio(ratio: number): string {
  const r = ratio >= 1 ? ratio : 1 / ratio;
  const text = r >= 10 ? Math.round(r).toString() : (Math.round(r * 100) / 100).toString();
  return ratio >= 1 ? `${text}:1` : `1:${text}`;
}
