/**
 * xmp:Rating in the image itself: written without touching the pixels, read back by exiftool (the
 * reference reader), and a rating exiftool wrote is read by us. Hostile packets stay bounded.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBRARY_LIMITS } from '../../../electron/core/library/files';
import { embedRecipe, readEmbedded } from '../../../electron/core/library/metadata';
import {
  parseXmpRating,
  readImageRating,
  setXmpRating,
  writeImageRating,
} from '../../../electron/core/library/rating';
import type { EmbeddedRecipe, ImageFormat } from '../../../electron/core/library/format';
import { EXIFTOOL, exiftoolRating, hasExiftool, makeImage, runFile, tempDir } from './helpers';

const run = runFile;
const FORMATS: ImageFormat[] = ['png', 'jpeg', 'webp'];

function recipeFor(format: ImageFormat): EmbeddedRecipe {
  return {
    format: 1,
    id: '01JDQ8Y3V4K6Z0R2M5N7P9Q1S3',
    operation: 'text-to-image',
    endpoint: '/v2beta/stable-image/generate/sd3',
    model: 'sd3.5-large',
    params: { prompt: 'a red fox' },
    seed: 42,
    finishReason: 'SUCCESS',
    credits: 6.5,
    createdAt: '2026-11-30T07:40:00.000Z',
    appVersion: '0.1.0',
    image: { format, width: 32, height: 24 },
    inputs: [],
    sandbox: false,
  };
}

const pixels = (bytes: Uint8Array) => sharp(bytes).raw().toBuffer();

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('atelier-rating-'));
});
afterAll(() => cleanup());

describe('xmp:Rating in the packet', () => {
  it('reads elements and attributes, in either quote, and clamps', () => {
    expect(parseXmpRating('<x><xmp:Rating>4</xmp:Rating></x>')).toBe(4);
    expect(parseXmpRating('<rdf:Description xmp:Rating="3"/>')).toBe(3);
    expect(parseXmpRating("<rdf:Description xmp:Rating='2'/>")).toBe(2);
    expect(parseXmpRating('<rdf:Description xmp:Rating="-1"/>')).toBe(0);
    expect(parseXmpRating('<rdf:Description xmp:Rating="9"/>')).toBe(5);
    expect(parseXmpRating('<rdf:Description xmp:Rating="lots"/>')).toBeNull();
    expect(parseXmpRating('<rdf:Description/>')).toBeNull();
  });

  it('edits a packet in place, keeping what else it holds', () => {
    const other =
      '<rdf:Description rdf:about="" xmlns:dc="d"><dc:title>x</dc:title></rdf:Description>';
    const set = setXmpRating(other, 4);
    expect(set).toContain('<dc:title>x</dc:title>');
    expect(parseXmpRating(set)).toBe(4);
    expect(parseXmpRating(setXmpRating(set, 1))).toBe(1);
    expect(setXmpRating(setXmpRating(set, 1), 2).match(/xmp:Rating=/g)).toHaveLength(1);
  });

  it('replaces a packet it cannot edit, and stays linear on hostile ones', () => {
    expect(parseXmpRating(setXmpRating('garbage', 5))).toBe(5);
    // The prefix xmp bound to another namespace: not ours to extend.
    const foreign = '<rdf:Description xmlns:xmp="urn:other"/>';
    expect(setXmpRating(foreign, 3)).not.toContain('urn:other');
    const huge = '<xmp:Rating>'.repeat(LIBRARY_LIMITS.xmpBytes / 12 + 10);
    expect(parseXmpRating(huge)).toBeNull();
    expect(parseXmpRating(setXmpRating(huge, 2))).toBe(2);
    const unclosed = '<xmp:Rating '.repeat(100_000);
    const started = performance.now();
    expect(parseXmpRating(unclosed.slice(0, LIBRARY_LIMITS.xmpBytes))).toBeNull();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe.each(FORMATS)('%s', (format) => {
  it('carries the rating, keeps the recipe and the pixels', async () => {
    const plain = await makeImage(format);
    const withRecipe = embedRecipe(plain, format, recipeFor(format));
    const rated = writeImageRating(withRecipe, 4);
    expect(readImageRating(rated)).toBe(4);
    expect(readImageRating(writeImageRating(rated, 0))).toBe(0);
    expect(readEmbedded(rated).recipe?.id).toBe('01JDQ8Y3V4K6Z0R2M5N7P9Q1S3');
    expect((await pixels(rated)).equals(await pixels(plain))).toBe(true);
    expect(readImageRating(plain)).toBeNull();
  });

  it.skipIf(!hasExiftool)('is read by exiftool, and reads what exiftool wrote', async () => {
    const file = path.join(dir, `rated.${format === 'jpeg' ? 'jpg' : format}`);
    const original = embedRecipe(await makeImage(format), format, recipeFor(format));
    await writeFile(file, writeImageRating(original, 3));
    expect(await exiftoolRating(file)).toBe(3);

    await run(EXIFTOOL, ['-overwrite_original', '-XMP:Rating=5', file]);
    const byExiftool = await readFile(file);
    expect(readImageRating(byExiftool)).toBe(5);
    expect(readEmbedded(byExiftool).recipe?.id).toBe('01JDQ8Y3V4K6Z0R2M5N7P9Q1S3');

    // And back: our edit of exiftool's packet, read by exiftool.
    await writeFile(file, writeImageRating(byExiftool, 1));
    expect(await exiftoolRating(file)).toBe(1);
    expect((await pixels(await readFile(file))).equals(await pixels(original))).toBe(true);
  });

  it.skipIf(!hasExiftool)('a file without a packet gets one exiftool reads', async () => {
    const file = path.join(dir, `bare.${format === 'jpeg' ? 'jpg' : format}`);
    await writeFile(file, writeImageRating(await makeImage(format), 2));
    expect(await exiftoolRating(file)).toBe(2);
  });
});
