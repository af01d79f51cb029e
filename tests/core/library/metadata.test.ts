import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  embedRecipe,
  embeddedPrompt,
  formatParameters,
  imageInfo,
  importImage,
  isStructurallyComplete,
  parseParameters,
  readEmbedded,
  saveResult,
  type EmbeddedRecipe,
  type ImageFormat,
} from '../../../electron/core/library';
import {
  itxtChunk,
  readPngChunks,
  setPngTexts,
  textChunk,
} from '../../../electron/core/library/png';
import { makeImage, recipe, tempDir } from './helpers';

const EXIFTOOL = '/usr/bin/exiftool';
const hasExiftool = existsSync(EXIFTOOL);
const run = promisify(execFile);

async function exiftool(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(EXIFTOOL, ['-j', '-a', '-G1', '-struct', file]);
  const [first] = JSON.parse(stdout) as Record<string, unknown>[];
  return first ?? {};
}

function sampleRecipe(
  format: ImageFormat,
  prompt = 'a red fox, "snow", 1:1 — ünïcødé 狐',
): EmbeddedRecipe {
  return {
    format: 1,
    id: '01JDQ8Y3V4K6Z0R2M5N7P9Q1S3',
    operation: 'text-to-image',
    endpoint: '/v2beta/stable-image/generate/sd3',
    model: 'sd3.5-large',
    params: {
      prompt,
      negative_prompt: 'blurry, low <quality> & noise',
      cfg_scale: 4,
      aspect_ratio: '1:1',
    },
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

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe('image headers', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('reads %s size and completeness', async (format) => {
    const bytes = await makeImage(format, 37, 21);
    expect(imageInfo(bytes)).toMatchObject({ format, width: 37, height: 21 });
    expect(isStructurallyComplete(bytes)).toBe(true);
    expect(isStructurallyComplete(bytes.subarray(0, bytes.length - 7))).toBe(false);
  });

  it('reads the size of a lossless and an alpha WebP', async () => {
    const lossless = await sharp({
      create: { width: 19, height: 7, channels: 4, background: '#f00a' },
    })
      .webp({ lossless: true })
      .toBuffer();
    expect(imageInfo(lossless)).toMatchObject({ width: 19, height: 7, hasAlpha: true });
  });
});

describe('embedding the recipe', () => {
  it.each(['png', 'jpeg', 'webp'] as const)(
    '%s: round trip through our reader, pixels untouched',
    async (format) => {
      const original = await makeImage(format);
      const r = sampleRecipe(format);
      const embedded = embedRecipe(original, format, r);
      const back = readEmbedded(embedded);
      expect(back.recipe).toEqual(r);
      expect(back.parameters).toContain('Negative prompt: blurry, low <quality> & noise');
      expect(back.parameters).toContain('Seed: 42');
      expect(isStructurallyComplete(embedded)).toBe(true);
      const [a, b] = await Promise.all([
        sharp(original).raw().toBuffer(),
        sharp(embedded).raw().toBuffer(),
      ]);
      expect(b.equals(a)).toBe(true);
      // Embedding twice replaces, never duplicates.
      const twice = embedRecipe(embedded, format, { ...r, seed: 7 });
      expect(readEmbedded(twice).recipe?.seed).toBe(7);
      expect(twice.equals(embedRecipe(original, format, { ...r, seed: 7 }))).toBe(true);
    },
  );

  it('PNG: sharp sees both text chunks (they come before IDAT)', async () => {
    const embedded = embedRecipe(
      await makeImage('png'),
      'png',
      sampleRecipe('png', 'a plain latin-1 prompt'),
    );
    const chunks = readPngChunks(embedded).map((c) => c.type);
    expect(chunks.slice(0, 3)).toEqual(['IHDR', 'tEXt', 'iTXt']);
    const { comments } = await sharp(embedded).metadata();
    const byKey = Object.fromEntries((comments ?? []).map((c) => [c.keyword, c.text]));
    expect(byKey.parameters).toMatch(
      /^a plain latin-1 prompt\nNegative prompt: .*\nCFG scale: 4, Seed: 42, Size: 32x24, Model: sd3.5-large/,
    );
    expect(JSON.parse(byKey.atelier ?? '{}')).toMatchObject({
      id: '01JDQ8Y3V4K6Z0R2M5N7P9Q1S3',
      seed: 42,
    });
  });

  it('PNG: a non-Latin-1 prompt goes in an iTXt `parameters` chunk, read back intact by sharp', async () => {
    const embedded = embedRecipe(await makeImage('png'), 'png', sampleRecipe('png', '夜の狐 🦊'));
    const { comments } = await sharp(embedded).metadata();
    expect(comments?.find((c) => c.keyword === 'parameters')?.text.startsWith('夜の狐 🦊\n')).toBe(
      true,
    );
  });

  it('PNG: reads compressed iTXt and tEXt written by others, and replaces old chunks', async () => {
    const png = await makeImage('png');
    const other = setPngTexts(png, [
      textChunk('Software', 'x'),
      itxtChunk('atelier', JSON.stringify(sampleRecipe('png')), true),
    ]);
    expect(readEmbedded(other).recipe?.id).toBe('01JDQ8Y3V4K6Z0R2M5N7P9Q1S3');
  });

  it.each(['jpeg', 'webp'] as const)('%s: sharp reads the XMP packet', async (format) => {
    const embedded = embedRecipe(await makeImage(format), format, sampleRecipe(format));
    const { xmp } = await sharp(embedded).metadata();
    const text = xmp?.toString('utf8') ?? '';
    expect(text).toContain('<atelier:recipe>');
    expect(text).toContain('Seed: 42');
  });

  it('WebP: a simple lossy file becomes an extended one with the XMP flag', async () => {
    const plain = await makeImage('webp');
    expect(plain.toString('latin1', 12, 16)).toBe('VP8 ');
    const embedded = embedRecipe(plain, 'webp', sampleRecipe('webp'));
    expect(embedded.toString('latin1', 12, 16)).toBe('VP8X');
    expect((embedded[20] ?? 0) & 0x04).toBe(0x04);
    expect(embedded.readUInt32LE(4) + 8).toBe(embedded.length);
    expect(await sharp(embedded).metadata()).toMatchObject({
      width: 32,
      height: 24,
      format: 'webp',
    });
  });
});

describe.skipIf(!hasExiftool)('independent reader: exiftool', () => {
  it.each(['png', 'jpeg', 'webp'] as const)(
    '%s written by saveResult reads back in exiftool',
    async (format) => {
      const saved = await saveResult(dir, {
        bytes: await makeImage(format),
        format,
        recipe: recipe(),
      });
      const tags = await exiftool(saved.imageFile);
      const values = Object.entries(tags);
      const find = (suffix: string) =>
        values.find(([k]) => k.toLowerCase().endsWith(suffix.toLowerCase()))?.[1];
      expect(tags['ExifTool:Warning']).toBeUndefined();
      expect(tags['ExifTool:Error']).toBeUndefined();
      const params = String(find(':Parameters'));
      expect(params).toContain('a red fox in the snow, watercolour');
      expect(params).toContain('Seed: 343940597');
      const json = JSON.parse(String(find(':Recipe') ?? find(':Atelier'))) as { id: string };
      expect(json.id).toBe(saved.sidecar.id);
      if (format !== 'png')
        expect(String(find(':Description'))).toContain('Negative prompt: blurry');
    },
  );
});
if (!hasExiftool) {
  describe('independent reader: exiftool', () => {
    it.skip('skipped: /usr/bin/exiftool is not installed (apt-get install libimage-exiftool-perl)', () =>
      undefined);
  });
}

describe('the plain-text parameters form', () => {
  const a1111 = [
    'masterpiece, a castle on a hill,',
    'at dusk',
    'Negative prompt: lowres, bad anatomy',
    'Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234567890, Size: 512x768, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Lora hashes: "a: 1, b: 2", Version: v1.9.4',
  ].join('\n');

  it('reads what A1111 writes', () => {
    const p = parseParameters(a1111);
    expect(p).toMatchObject({
      prompt: 'masterpiece, a castle on a hill,\nat dusk',
      negativePrompt: 'lowres, bad anatomy',
      seed: 1234567890,
      steps: 28,
      cfgScale: 7,
      sampler: 'DPM++ 2M Karras',
      width: 512,
      height: 768,
      model: 'v1-5-pruned-emaonly',
    });
    expect(p?.settings['Lora hashes']).toBe('a: 1, b: 2');
  });

  it('reads a prompt alone, and our own form back', () => {
    expect(parseParameters('just a prompt')?.prompt).toBe('just a prompt');
    const text = formatParameters({
      prompt: 'a fox, at night',
      negativePrompt: 'blur',
      seed: 5,
      width: 1024,
      height: 576,
      model: 'sd3.5-large',
      params: { cfg_scale: 4, style_preset: 'anime', aspect_ratio: '16:9' },
    });
    const back = parseParameters(text);
    expect(back).toMatchObject({
      prompt: 'a fox, at night',
      negativePrompt: 'blur',
      seed: 5,
      cfgScale: 4,
      width: 1024,
      height: 576,
      model: 'sd3.5-large',
    });
    expect(back?.settings['Aspect ratio']).toBe('16:9');
  });

  it("embeddedPrompt: our recipe first, else the prompt of another tool's parameters", async () => {
    const ours = embedRecipe(await makeImage('png'), 'png', sampleRecipe('png', 'a fox, ink'));
    expect(embeddedPrompt(readEmbedded(ours))).toBe('a fox, ink');
    const theirs = setPngTexts(await makeImage('png'), [textChunk('parameters', a1111)]);
    expect(embeddedPrompt(readEmbedded(theirs))).toBe('masterpiece, a castle on a hill,\nat dusk');
    expect(embeddedPrompt(readEmbedded(await makeImage('png')))).toBeUndefined();
    const blank = embedRecipe(await makeImage('jpeg'), 'jpeg', sampleRecipe('jpeg', '   '));
    expect(embeddedPrompt(readEmbedded(blank))).toBeUndefined();
  });

  it('import: a PNG from another tool has its parameters read', async () => {
    const png = setPngTexts(await makeImage('png'), [textChunk('parameters', a1111)]);
    const file = path.join(dir, 'castle.png');
    await writeFile(file, png);
    const saved = await importImage(dir, { bytes: await readFile(file), name: file });
    expect(saved.sidecar).toMatchObject({
      operation: 'import',
      model: 'v1-5-pruned-emaonly',
      seed: 1234567890,
      params: {
        prompt: 'masterpiece, a castle on a hill,\nat dusk',
        negative_prompt: 'lowres, bad anatomy',
        steps: 28,
        cfg_scale: 7,
      },
      source: { kind: 'parameters', name: 'castle.png' },
    });
    // Imported bytes are kept exactly as they were.
    expect((await readFile(saved.imageFile)).equals(png)).toBe(true);
    expect(JSON.stringify(saved.sidecar)).not.toContain(dir);
  });

  it('import: a JPEG with A1111 parameters in EXIF UserComment', async () => {
    // Build an EXIF block with a UNICODE UserComment the way piexif does (big-endian UTF-16).
    const text =
      'a cat\nNegative prompt: dog\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 9, Size: 32x24, Model: m1';
    const comment = Buffer.concat([
      Buffer.from('UNICODE\0', 'latin1'),
      Buffer.from(text, 'utf16le').swap16(),
    ]);
    const tiff = Buffer.alloc(8 + 2 + 12 + 4 + 2 + 12 + 4);
    tiff.write('MM', 0, 'latin1');
    tiff.writeUInt16BE(42, 2);
    tiff.writeUInt32BE(8, 4);
    tiff.writeUInt16BE(1, 8);
    tiff.writeUInt16BE(0x8769, 10);
    tiff.writeUInt16BE(4, 12);
    tiff.writeUInt32BE(1, 14);
    tiff.writeUInt32BE(26, 18);
    tiff.writeUInt32BE(0, 22);
    tiff.writeUInt16BE(1, 26);
    tiff.writeUInt16BE(0x9286, 28);
    tiff.writeUInt16BE(7, 30);
    tiff.writeUInt32BE(comment.length, 32);
    tiff.writeUInt32BE(tiff.length, 36);
    tiff.writeUInt32BE(0, 40);
    const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, comment]);
    const jpeg = await makeImage('jpeg');
    const seg = Buffer.from([0xff, 0xe1, 0, 0]);
    seg.writeUInt16BE(exif.length + 2, 2);
    const withExif = Buffer.concat([jpeg.subarray(0, 2), seg, exif, jpeg.subarray(2)]);
    expect(readEmbedded(withExif).parameters).toBe(text);
    const saved = await importImage(dir, { bytes: withExif, name: 'cat.jpg' });
    expect(saved.sidecar).toMatchObject({
      model: 'm1',
      seed: 9,
      params: { prompt: 'a cat', negative_prompt: 'dog' },
    });
  });

  it('import: an Atelier image from elsewhere keeps its recipe, as an import', async () => {
    const embedded = embedRecipe(await makeImage('webp'), 'webp', sampleRecipe('webp'));
    const saved = await importImage(dir, { bytes: embedded, name: 'fox.webp' });
    expect(saved.sidecar.operation).toBe('import');
    expect(saved.sidecar.source).toMatchObject({ kind: 'atelier', operation: 'text-to-image' });
    expect(saved.sidecar.seed).toBe(42);
    expect(saved.sidecar.id).not.toBe('01JDQ8Y3V4K6Z0R2M5N7P9Q1S3');
  });

  it('import: refuses what is not a PNG, JPEG or WebP, with a sentence', async () => {
    await expect(
      importImage(dir, { bytes: Buffer.from('GIF89a....'), name: 'x.gif' }),
    ).rejects.toThrow(/not a PNG, JPEG or WebP image/);
  });
});
