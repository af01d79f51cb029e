import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { ImageFormat, ResultRecipe } from '../../../electron/core/library';

export async function tempDir(
  prefix = 'atelier-lib-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A small noisy image in the given format (noise so that encoders keep real data). */
export async function makeImage(
  format: ImageFormat,
  width = 32,
  height = 24,
  seed = 1,
): Promise<Buffer> {
  const channels = 3;
  const raw = Buffer.alloc(width * height * channels);
  let x = seed * 2654435761;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    raw[i] = (x >>> 16) & 0xff;
  }
  const img = sharp(raw, { raw: { width, height, channels } });
  if (format === 'png') return img.png().toBuffer();
  if (format === 'jpeg') return img.jpeg({ quality: 80 }).toBuffer();
  return img.webp({ quality: 80 }).toBuffer();
}

export function recipe(overrides: Partial<ResultRecipe> = {}): ResultRecipe {
  return {
    operation: 'text-to-image',
    endpoint: '/v2beta/stable-image/generate/sd3',
    model: 'sd3.5-large',
    params: {
      prompt: 'a red fox in the snow, watercolour',
      negative_prompt: 'blurry',
      aspect_ratio: '1:1',
      cfg_scale: 4,
      output_format: 'png',
    },
    seed: 343940597,
    finishReason: 'SUCCESS',
    credits: 6.5,
    sandbox: false,
    ...overrides,
  };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 8000,
): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** exiftool, the reference reader of what is embedded in pictures (absent: tests skip). */
export const EXIFTOOL = '/usr/bin/exiftool';
export const hasExiftool = existsSync(EXIFTOOL);
export const runFile = promisify(execFile);

/** The xmp:Rating exiftool reads in a file (undefined when it finds none). */
export async function exiftoolRating(file: string): Promise<unknown> {
  const { stdout } = await runFile(EXIFTOOL, ['-XMP:Rating', '-j', file]);
  return (JSON.parse(stdout) as Record<string, unknown>[])[0]?.Rating;
}
