/**
 * What an image file is, read from its bytes alone (no decoder): format, size, alpha, and whether
 * the file is structurally whole (so a half-copied file is never indexed).
 */
import { LIBRARY_LIMITS } from './files';
import type { ImageFormat } from './format';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  hasAlpha: boolean;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function detectFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(PNG_SIGNATURE)) {
    return 'png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    return 'webp';
  }
  return null;
}

export function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++)
    s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

function u16be(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
}
function u32be(b: Uint8Array, o: number): number {
  return (
    (((b[o] ?? 0) << 24) >>> 0) +
    (((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0))
  );
}
export function u24le(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16);
}
export function u32le(b: Uint8Array, o: number): number {
  return u24le(b, o) + (b[o + 3] ?? 0) * 0x1000000;
}

/** Reads format, width, height and alpha from the headers; null if not a PNG/JPEG/WebP we understand. */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  const format = detectFormat(bytes);
  if (format === 'png') {
    if (bytes.length < 33 || ascii(bytes, 12, 4) !== 'IHDR') return null;
    const colorType = bytes[25] ?? 0;
    return {
      format,
      width: u32be(bytes, 16),
      height: u32be(bytes, 20),
      hasAlpha: colorType === 4 || colorType === 6,
    };
  }
  if (format === 'jpeg') {
    let o = 2;
    // Headers end long before this; a file of fill bytes must not be walked to its end.
    const end = Math.min(bytes.length, LIBRARY_LIMITS.jpegHeaderBytes);
    for (let step = 0; o + 4 <= end && step < LIBRARY_LIMITS.jpegHeaderSteps; step++) {
      if (bytes[o] !== 0xff) return null;
      const marker = bytes[o + 1] ?? 0;
      if (marker === 0xff) {
        o += 1;
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        o += 2;
        continue;
      }
      const length = u16be(bytes, o + 2);
      const isSof =
        marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) {
        if (o + 9 > bytes.length) return null;
        return { format, width: u16be(bytes, o + 7), height: u16be(bytes, o + 5), hasAlpha: false };
      }
      if (marker === 0xda || marker === 0xd9) return null;
      o += 2 + length;
    }
    return null;
  }
  if (format === 'webp') {
    const fourcc = ascii(bytes, 12, 4);
    const d = 20;
    if (fourcc === 'VP8X' && bytes.length >= d + 10) {
      return {
        format,
        width: u24le(bytes, d + 4) + 1,
        height: u24le(bytes, d + 7) + 1,
        hasAlpha: ((bytes[d] ?? 0) & 0x10) !== 0,
      };
    }
    if (fourcc === 'VP8L' && bytes.length >= d + 5 && bytes[d] === 0x2f) {
      const bits = u32le(bytes, d + 1);
      return {
        format,
        width: (bits & 0x3fff) + 1,
        height: ((bits >>> 14) & 0x3fff) + 1,
        hasAlpha: ((bits >>> 28) & 1) === 1,
      };
    }
    if (fourcc === 'VP8 ' && bytes.length >= d + 10) {
      if (bytes[d + 3] !== 0x9d || bytes[d + 4] !== 0x01 || bytes[d + 5] !== 0x2a) return null;
      return {
        format,
        width: ((bytes[d + 6] ?? 0) | ((bytes[d + 7] ?? 0) << 8)) & 0x3fff,
        height: ((bytes[d + 8] ?? 0) | ((bytes[d + 9] ?? 0) << 8)) & 0x3fff,
        hasAlpha: false,
      };
    }
    return null;
  }
  return null;
}

/**
 * True when the file ends where its own structure says it ends: PNG has its IEND chunk, JPEG
 * ends with EOI, WebP's RIFF size matches. A file still being copied in fails this.
 */
export function isStructurallyComplete(bytes: Uint8Array): boolean {
  const format = detectFormat(bytes);
  if (format === 'png') {
    if (bytes.length < 8 + 12 + 13 + 12) return false;
    return ascii(bytes, bytes.length - 8, 4) === 'IEND' && u32be(bytes, bytes.length - 12) === 0;
  }
  if (format === 'jpeg') {
    // Some writers leave padding after EOI; allow a little trailing zero fill.
    let end = bytes.length;
    while (end > 2 && bytes[end - 1] === 0x00 && bytes.length - end < 64) end--;
    return end >= 4 && bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
  }
  if (format === 'webp') {
    const riffSize = u32le(bytes, 4);
    return riffSize + 8 === bytes.length || riffSize + 9 === bytes.length;
  }
  return false;
}
