/**
 * The Sandbox's pictures: real images made with sharp, deterministic for the same request.
 * Text-to-image draws a seeded pattern whose colours come from the prompt; image-to-image blends the
 * input towards the pattern as strength grows; upscales resize with Lanczos. Every picture carries a
 * small pixel-drawn "SANDBOX" mark (no fonts needed) so nobody mistakes it for AI output.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { openImage } from '../images/open';
import type { ImageFormat, Size } from '../../../shared/endpoints';

sharp.cache(false);

/** 32-bit hash of any text (first 4 bytes of SHA-256). */
export function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** mulberry32: a small seeded random generator. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

export interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * A pleasant seeded pattern: a two-colour gradient, soft blobs and gentle waves. Colours follow the
 * prompt (different prompts, visibly different pictures); layout follows the seed and settings.
 */
export async function pattern(size: Size, prompt: string, layoutKey: string): Promise<Raw> {
  const baseHue = hash32(`hue:${prompt}`) % 360;
  const spread = 60 + (hash32(`spread:${prompt}`) % 180);
  const rnd = random(hash32(`layout:${prompt}:${layoutKey}`));
  const palette = [0, spread, spread / 2, 180 + spread / 3, 330].map((offset, i) =>
    hsl((baseHue + offset + rnd() * 25) % 360, 0.5 + rnd() * 0.4, 0.3 + 0.09 * i + rnd() * 0.12),
  );
  const gw = Math.max(8, Math.ceil(size.width / 8));
  const gh = Math.max(8, Math.ceil(size.height / 8));
  const angle = rnd() * Math.PI * 2;
  const ca: [number, number, number] = palette[0] ?? [0, 0, 0];
  const cb: [number, number, number] = palette[1] ?? [255, 255, 255];
  const blobs = Array.from({ length: 5 + Math.floor(rnd() * 5) }, () => ({
    x: rnd(),
    y: rnd(),
    r: 0.1 + rnd() * 0.25,
    color: palette[Math.floor(rnd() * 5)] ?? [128, 128, 128],
  }));
  const waveF = 3 + rnd() * 9;
  const waveA = rnd() * Math.PI * 2;
  const data = Buffer.alloc(gw * gh * 3);
  const aspect = gw / gh;
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const u = x / (gw - 1);
      const v = y / (gh - 1);
      const t = 0.5 + 0.5 * Math.sin((u * Math.cos(angle) + v * Math.sin(angle)) * Math.PI);
      let r = ca[0] * (1 - t) + cb[0] * t;
      let g = ca[1] * (1 - t) + cb[1] * t;
      let b = ca[2] * (1 - t) + cb[2] * t;
      for (const blob of blobs) {
        const dx = (u - blob.x) * aspect;
        const dy = v - blob.y;
        const w = Math.exp(-(dx * dx + dy * dy) / (blob.r * blob.r)) * 0.9;
        r = r * (1 - w) + blob.color[0] * w;
        g = g * (1 - w) + blob.color[1] * w;
        b = b * (1 - w) + blob.color[2] * w;
      }
      const wave = 1 + 0.035 * Math.sin((u * Math.sin(waveA) + v * Math.cos(waveA)) * waveF * 6.28);
      const i = (y * gw + x) * 3;
      data[i] = Math.min(255, r * wave);
      data[i + 1] = Math.min(255, g * wave);
      data[i + 2] = Math.min(255, b * wave);
    }
  }
  const big = await openImage(data, { raw: { width: gw, height: gh, channels: 3 } })
    .resize(size.width, size.height, { kernel: 'cubic', fit: 'fill' })
    .raw()
    .toBuffer();
  return { data: big, width: size.width, height: size.height, channels: 3 };
}

/** An input picture as raw RGB(A) at a size (cover fit). */
export async function rawOf(input: Buffer, size: Size, alpha = false): Promise<Raw> {
  const pipeline = openImage(input).resize(size.width, size.height, {
    fit: 'cover',
    kernel: 'lanczos3',
  });
  const { data, info } = await (alpha ? pipeline.ensureAlpha() : pipeline.removeAlpha())
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: alpha ? 4 : 3 };
}

/** Blends `a` towards `b` (both RGB, same size) by `amount`, or per pixel by a grey mask. */
export function blend(a: Raw, b: Raw, amount: number, mask?: Buffer): Raw {
  const out = Buffer.alloc(a.data.length);
  const n = a.width * a.height;
  for (let p = 0; p < n; p++) {
    const w = mask ? ((mask[p] ?? 0) / 255) * amount : amount;
    for (let c = 0; c < 3; c++) {
      const i = p * 3 + c;
      out[i] = (a.data[i] ?? 0) * (1 - w) + (b.data[i] ?? 0) * w;
    }
  }
  return { data: out, width: a.width, height: a.height, channels: 3 };
}

/** A grey mask (one byte per pixel) from a mask image, or from the transparency of the image. */
export async function maskOf(
  size: Size,
  mask?: Buffer,
  image?: Buffer,
): Promise<Buffer | undefined> {
  if (mask) {
    return openImage(mask)
      .resize(size.width, size.height, { fit: 'fill' })
      .greyscale()
      .extractChannel(0)
      .raw()
      .toBuffer();
  }
  if (image) {
    const meta = await openImage(image).metadata();
    if (!meta.hasAlpha) return undefined;
    return openImage(image)
      .resize(size.width, size.height, { fit: 'fill' })
      .ensureAlpha()
      .extractChannel(3)
      .negate()
      .raw()
      .toBuffer();
  }
  return undefined;
}

/** A soft radial mask: white in the middle, black at the edges (for "found" regions). */
export function radialMask(size: Size, cx = 0.5, cy = 0.5, radius = 0.35): Buffer {
  const out = Buffer.alloc(size.width * size.height);
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const dx = x / size.width - cx;
      const dy = y / size.height - cy;
      const d = Math.sqrt(dx * dx + dy * dy) / radius;
      out[y * size.width + x] = Math.max(0, Math.min(255, (1.2 - d) * 255));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The "SANDBOX" mark, drawn from a 5x7 pixel font

const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  S: ['01111', '10000', '10000', '01110', '00001', '00001', '11110'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  N: ['10001', '11001', '10101', '10011', '10001', '10001', '10001'],
  D: ['11110', '10001', '10001', '10001', '10001', '10001', '11110'],
  B: ['11110', '10001', '10001', '11110', '10001', '10001', '11110'],
  O: ['01110', '10001', '10001', '10001', '10001', '10001', '01110'],
  X: ['10001', '10001', '01010', '00100', '01010', '10001', '10001'],
};
const MARK_TEXT = 'SANDBOX';

/** The mark as raw RGBA at a pixel scale: white letters on a translucent dark plate. */
export function markRaw(scale: number): { data: Buffer; width: number; height: number } {
  const pad = 2;
  const cols = MARK_TEXT.length * 6 - 1 + pad * 2;
  const rows = 7 + pad * 2;
  const width = cols * scale;
  const height = rows * scale;
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4 + 3] = 150;
  }
  MARK_TEXT.split('').forEach((letter, li) => {
    const glyph = GLYPHS[letter] ?? [];
    glyph.forEach((row, gy) => {
      row.split('').forEach((bit, gx) => {
        if (bit !== '1') return;
        const x0 = (pad + li * 6 + gx) * scale;
        const y0 = (pad + gy) * scale;
        for (let y = y0; y < y0 + scale; y++) {
          for (let x = x0; x < x0 + scale; x++) {
            const i = (y * width + x) * 4;
            data[i] = 255;
            data[i + 1] = 255;
            data[i + 2] = 255;
            data[i + 3] = 235;
          }
        }
      });
    });
  });
  return { data, width, height };
}

/** Where the mark goes on a picture of this size (bottom right), and at what scale. */
export function markPlacement(size: Size): { scale: number; left: number; top: number } {
  const scale = Math.max(1, Math.floor(Math.min(size.width, size.height) / 320));
  const mark = markRaw(scale);
  const margin = 2 * scale;
  return {
    scale,
    left: Math.max(0, size.width - mark.width - margin),
    top: Math.max(0, size.height - mark.height - margin),
  };
}

/** Draws the mark and encodes the picture in the format asked for. */
export async function finish(
  raw: Raw,
  format: ImageFormat,
  options: { blur?: boolean } = {},
): Promise<Buffer> {
  let image = openImage(raw.data, {
    raw: { width: raw.width, height: raw.height, channels: raw.channels },
  });
  if (options.blur) {
    image = openImage(await image.blur(Math.max(8, raw.width / 40)).toBuffer(), {
      raw: { width: raw.width, height: raw.height, channels: raw.channels },
    });
  }
  const place = markPlacement(raw);
  let mark = markRaw(place.scale);
  let input: Buffer = mark.data;
  if (mark.width > raw.width || mark.height > raw.height) {
    const w = Math.min(mark.width, raw.width);
    const h = Math.min(mark.height, raw.height);
    input = await openImage(mark.data, {
      raw: { width: mark.width, height: mark.height, channels: 4 },
    })
      .extract({ left: 0, top: 0, width: w, height: h })
      .raw()
      .toBuffer();
    mark = { data: input, width: w, height: h };
  }
  image = image.composite([
    {
      input,
      raw: { width: mark.width, height: mark.height, channels: 4 },
      left: place.left,
      top: place.top,
    },
  ]);
  if (format === 'jpeg') return image.jpeg({ quality: 85 }).toBuffer();
  if (format === 'webp') return image.webp({ quality: 80, effort: 0 }).toBuffer();
  return image.png({ compressionLevel: 3 }).toBuffer();
}
