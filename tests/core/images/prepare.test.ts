/**
 * The corpus: good, odd and bad files made here, each with the outcome it must get from
 * prepareInput. A file is given by its path (as Electron's drag-and-drop gives it) unless a case
 * says otherwise; the browser shell's bytes path is covered too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inspectImage,
  InputImageError,
  prepareInput,
  sniffFormat,
  type InputImageErrorCode,
  type InputLimits,
  type PreparedImage,
} from '../../../electron/core/images';
import {
  animated,
  bmpHeader,
  BLUE,
  bombPng,
  fakeHeic,
  halves,
  jpegComment,
  noise,
  pixel,
  pngChunk,
  RED,
  solid,
  withJpegSegments,
  withPngChunkAfterHeader,
} from './corpus';

/** Limits shaped like the endpoint table's (see shared/stability-api.md). */
const ULTRA: InputLimits = {
  formats: ['png', 'jpeg', 'webp'],
  minSide: 64,
  maxSide: 16384,
  minPixels: 4096,
};
const CONSERVATIVE: InputLimits = {
  formats: ['png', 'jpeg', 'webp'],
  minSide: 64,
  minPixels: 4096,
  maxPixels: 9_437_184,
  minAspect: 1 / 2.5,
  maxAspect: 2.5,
  maxBytes: 10 * 1024 * 1024,
};
const FAST: InputLimits = {
  formats: ['png', 'jpeg', 'webp'],
  minSide: 32,
  maxSide: 1536,
  minPixels: 1024,
  maxPixels: 1_048_576,
};

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-images-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function save(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function refusal(p: Promise<unknown>): Promise<InputImageError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof InputImageError) return error;
    throw error;
  }
  throw new Error('expected the image to be refused');
}

/** What every prepared image must be: readable, the stated size and format, and bare of metadata. */
async function expectClean(out: PreparedImage): Promise<void> {
  expect(out.bytes.length).toBeGreaterThan(0);
  expect(sniffFormat(out.bytes)).toBe(out.format);
  const meta = await sharp(out.bytes).metadata();
  expect(meta.format).toBe(out.format);
  expect([meta.width, meta.height]).toEqual([out.width, out.height]);
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.comments ?? []).toEqual([]);
  expect(meta.orientation ?? 1).toBe(1);
  expect(meta.depth).toBe('uchar');
  expect(meta.space).toBe('srgb');
  expect(meta.pages ?? 1).toBe(1);
  for (const note of out.notes) expect(note).toMatch(/^[A-Z].*\.$/);
}

type Outcome =
  | { ok: { format: 'png' | 'jpeg' | 'webp'; width: number; height: number; notes?: RegExp[] } }
  | { refused: InputImageErrorCode; message: RegExp };

interface Case {
  name: string;
  file: string;
  make: () => Promise<Buffer> | Buffer;
  limits?: InputLimits;
  outcome: Outcome;
}

const DAMAGED =
  /looks like a (PNG|JPEG|WebP) image, but it is damaged or incomplete \(perhaps it did not finish downloading or copying\)\. Open it in an image editor and save it again, or choose another file\.$/;

const half = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2));

const corpus: Case[] = [
  {
    name: 'an empty file',
    file: 'empty.png',
    make: () => Buffer.alloc(0),
    outcome: { refused: 'empty', message: /^“empty\.png” is empty \(0 bytes\)\. Choose a PNG/ },
  },
  {
    name: 'a truncated PNG',
    file: 'cut.png',
    make: async () => half(await noise(300, 200).png().toBuffer()),
    outcome: { refused: 'damaged', message: DAMAGED },
  },
  {
    name: 'a truncated JPEG',
    file: 'cut.jpg',
    make: async () => half(await noise(300, 200).jpeg().toBuffer()),
    outcome: { refused: 'damaged', message: DAMAGED },
  },
  {
    name: 'a truncated WebP',
    file: 'cut.webp',
    make: async () => half(await noise(300, 200).webp().toBuffer()),
    outcome: { refused: 'damaged', message: DAMAGED },
  },
  {
    name: 'a PNG cut right after its signature and header',
    file: 'header-only.png',
    make: async () => (await solid(300, 200).png().toBuffer()).subarray(0, 40),
    outcome: { refused: 'damaged', message: DAMAGED },
  },
  {
    name: 'a JPEG cut after 20 bytes',
    file: 'stub.jpg',
    make: async () => (await solid(300, 200).jpeg().toBuffer()).subarray(0, 20),
    outcome: { refused: 'damaged', message: DAMAGED },
  },
  {
    name: 'a PNG with the wrong extension (.jpg)',
    file: 'really-a-png.jpg',
    make: () => solid(120, 80).png().toBuffer(),
    outcome: { ok: { format: 'png', width: 120, height: 80 } },
  },
  {
    name: 'a JPEG with no extension',
    file: 'photo',
    make: () => solid(120, 80).jpeg().toBuffer(),
    outcome: { ok: { format: 'jpeg', width: 120, height: 80 } },
  },
  {
    name: 'a text file named .png',
    file: 'notes.png',
    make: () => Buffer.from('These are my notes, not a picture.\n'),
    outcome: { refused: 'not_an_image', message: /^“notes\.png” is a text file, not an image\./ },
  },
  {
    name: 'random bytes',
    file: 'noise.bin',
    make: () => Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 256)),
    outcome: { refused: 'not_an_image', message: /is not an image Atelier can read/ },
  },
  {
    name: 'a PDF',
    file: 'scan.pdf',
    make: () => Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'),
    outcome: { refused: 'not_an_image', message: /is a PDF, not an image/ },
  },
  {
    name: 'an SVG drawing',
    file: 'logo.svg',
    make: () =>
      Buffer.from(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
      ),
    outcome: {
      refused: 'unsupported_format',
      message: /is a SVG image, which Atelier can't read\. Save it as PNG or JPEG/,
    },
  },
  {
    name: 'a BMP',
    file: 'old.bmp',
    make: () => bmpHeader(),
    outcome: { refused: 'unsupported_format', message: /is a BMP image, which Atelier can't read/ },
  },
  {
    name: 'a HEIC this computer cannot decode',
    file: 'IMG_0001.HEIC',
    make: () => fakeHeic(),
    outcome: {
      refused: 'unsupported_format',
      message: /is a HEIC photo, which Atelier can't decode on this computer\. Export it as JPEG/,
    },
  },
  {
    name: 'a 30000×30000 decompression bomb',
    file: 'bomb.png',
    make: () => bombPng(30000, 30000),
    outcome: {
      refused: 'too_many_pixels',
      message:
        /^“bomb\.png” says it is 30000×30000 pixels \(900 megapixels\), more than the 268 megapixels Atelier will open\./,
    },
  },
  {
    name: 'a 1×1 image',
    file: 'dot.png',
    make: () => solid(1, 1).png().toBuffer(),
    outcome: {
      refused: 'too_small',
      message:
        /^“dot\.png” is 1×1 pixels; this model needs at least 64 pixels on each side and 4,096 pixels in all\. Use a larger image\.$/,
    },
  },
  {
    name: 'a 10000×64 strip, for an endpoint with a shape limit',
    file: 'strip.png',
    make: () => solid(10000, 64).png().toBuffer(),
    limits: CONSERVATIVE,
    outcome: {
      refused: 'bad_shape',
      message:
        /is 10000×64, too wide a shape \(156:1\); this model takes shapes between 1:2\.5 and 2\.5:1\. Crop it/,
    },
  },
  {
    name: 'a 10000×64 strip, for an endpoint that must shrink it below its minimum',
    file: 'strip-fast.png',
    make: () => solid(10000, 64).png().toBuffer(),
    limits: FAST,
    outcome: {
      refused: 'bad_shape',
      message:
        /to fit this model's limit of 1,536 pixels per side, Atelier would have to shrink it to 1536×9, under the smallest size it takes \(32 pixels on each side and 1,024 pixels in all\)/,
    },
  },
  {
    name: 'a 10000×64 strip, for an endpoint without a shape limit',
    file: 'strip-ok.png',
    make: () => solid(10000, 64).png().toBuffer(),
    outcome: { ok: { format: 'png', width: 10000, height: 64 } },
  },
  {
    name: 'a 64×10000 tower, for an endpoint with a shape limit',
    file: 'tower.png',
    make: () => solid(64, 10000).png().toBuffer(),
    limits: CONSERVATIVE,
    outcome: { refused: 'bad_shape', message: /too tall a shape \(1:156\)/ },
  },
  {
    name: 'an animated GIF',
    file: 'anim.gif',
    make: () => animated('gif', 80, 80),
    outcome: {
      ok: {
        format: 'png',
        width: 80,
        height: 80,
        notes: [
          /converted your GIF image to PNG, since this model takes PNG, JPEG and WebP\./,
          /Your GIF is animated; Atelier used its first frame\./,
        ],
      },
    },
  },
  {
    name: 'an animated WebP',
    file: 'anim.webp',
    make: () => animated('webp', 80, 80),
    outcome: {
      ok: {
        format: 'webp',
        width: 80,
        height: 80,
        notes: [/animated; Atelier used its first frame/],
      },
    },
  },
  {
    name: 'a CMYK JPEG',
    file: 'print.jpg',
    make: () => solid(100, 100).toColourspace('cmyk').jpeg().toBuffer(),
    outcome: { ok: { format: 'jpeg', width: 100, height: 100, notes: [/print colours \(CMYK\)/] } },
  },
  {
    name: 'a 16-bit PNG',
    file: 'deep.png',
    make: () => solid(100, 100).toColourspace('rgb16').png().toBuffer(),
    outcome: { ok: { format: 'png', width: 100, height: 100, notes: [/16 bits per channel/] } },
  },
  {
    name: 'a greyscale PNG',
    file: 'grey.png',
    make: () => solid(100, 100, { r: 128, g: 128, b: 128 }).toColourspace('b-w').png().toBuffer(),
    outcome: { ok: { format: 'png', width: 100, height: 100, notes: [] } },
  },
  {
    name: 'a PNG with alpha',
    file: 'alpha.png',
    make: () =>
      solid(100, 100, { ...RED, alpha: 0.5 }, 4)
        .png()
        .toBuffer(),
    outcome: { ok: { format: 'png', width: 100, height: 100, notes: [] } },
  },
  {
    name: 'a PNG with 4 MB of text metadata',
    file: 'chatty.png',
    make: async () =>
      withPngChunkAfterHeader(
        await solid(100, 100).png().toBuffer(),
        pngChunk(
          'tEXt',
          Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(4 * 1024 * 1024, 'a')]),
        ),
      ),
    outcome: { ok: { format: 'png', width: 100, height: 100 } },
  },
  {
    name: 'a JPEG with 600 KB of comments and XMP',
    file: 'chatty.jpg',
    make: async () =>
      withJpegSegments(
        await solid(100, 100)
          .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/">' + 'z'.repeat(30000) + '</x:xmpmeta>')
          .jpeg()
          .toBuffer(),
        Array.from({ length: 10 }, () => jpegComment(60000)),
      ),
    outcome: { ok: { format: 'jpeg', width: 100, height: 100 } },
  },
  {
    name: 'a TIFF',
    file: 'scan.tif',
    make: () => solid(120, 90).tiff().toBuffer(),
    outcome: {
      ok: { format: 'png', width: 120, height: 90, notes: [/converted your TIFF image to PNG/] },
    },
  },
  {
    name: 'a two-page TIFF',
    file: 'pages.tiff',
    make: async () =>
      sharp([await solid(100, 80).png().toBuffer(), await solid(100, 80, BLUE).png().toBuffer()], {
        join: { animated: true },
      })
        .tiff()
        .toBuffer(),
    outcome: {
      ok: {
        format: 'png',
        width: 100,
        height: 80,
        notes: [
          /converted your TIFF image to PNG/,
          /^Your TIFF has 2 pages; Atelier used the first\.$/,
        ],
      },
    },
  },
  {
    name: 'a JPEG with junk after its end (as some cameras and phones write)',
    file: 'trailing.jpg',
    make: async () =>
      Buffer.concat([await solid(100, 100).jpeg().toBuffer(), Buffer.alloc(5000, 0xab)]),
    outcome: { ok: { format: 'jpeg', width: 100, height: 100, notes: [] } },
  },
  {
    name: 'a PNG with junk after IEND',
    file: 'trailing.png',
    make: async () =>
      Buffer.concat([await solid(100, 100).png().toBuffer(), Buffer.from('garbage')]),
    outcome: { ok: { format: 'png', width: 100, height: 100, notes: [] } },
  },
  {
    name: 'an AVIF',
    file: 'modern.avif',
    make: () => solid(128, 96).avif().toBuffer(),
    outcome: {
      ok: { format: 'png', width: 128, height: 96, notes: [/converted your AVIF image to PNG/] },
    },
  },
  {
    name: 'a still GIF',
    file: 'still.gif',
    make: () => solid(100, 100).gif().toBuffer(),
    outcome: {
      ok: { format: 'png', width: 100, height: 100, notes: [/converted your GIF image to PNG/] },
    },
  },
  {
    name: 'a WebP, kept as WebP',
    file: 'web.webp',
    make: () => solid(100, 100).webp().toBuffer(),
    outcome: { ok: { format: 'webp', width: 100, height: 100, notes: [] } },
  },
  {
    name: 'a 3000×2000 JPEG for an endpoint of at most 1,536 pixels per side',
    file: 'big.jpg',
    make: () => solid(3000, 2000).jpeg().toBuffer(),
    limits: FAST,
    outcome: {
      ok: {
        format: 'jpeg',
        width: 1254,
        height: 836,
        notes: [
          /^Your image was 3000×2000; Atelier scaled it to 1254×836 to fit this model's limits of 1,536 pixels per side and 1 megapixel \(1,048,576 pixels\)\.$/,
        ],
      },
    },
  },
  {
    name: 'a 4000×3000 PNG for an endpoint of at most 9.4 megapixels',
    file: 'large.png',
    make: () => solid(4000, 3000).png().toBuffer(),
    limits: CONSERVATIVE,
    outcome: {
      ok: {
        format: 'png',
        width: 3547,
        height: 2660,
        notes: [
          /^Your image was 4000×3000; Atelier scaled it to 3547×2660 to fit this model's limit of 9\.4 megapixels \(9,437,184 pixels\)\.$/,
        ],
      },
    },
  },
];

describe('the corpus of odd and bad files', () => {
  it('has at least 25 files', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
  });

  it.each(corpus)('$name ($file)', async ({ file, make, limits, outcome }) => {
    const path = save(file, await make());
    const run = prepareInput({ path }, limits ?? ULTRA);
    if ('refused' in outcome) {
      const error = await refusal(run);
      expect(error.code).toBe(outcome.refused);
      expect(error.message).toMatch(outcome.message);
      expect(error.message).toMatch(/\.$/);
      return;
    }
    const out = await run;
    expect({ format: out.format, width: out.width, height: out.height }).toEqual({
      format: outcome.ok.format,
      width: outcome.ok.width,
      height: outcome.ok.height,
    });
    if (outcome.ok.notes) {
      expect(out.notes).toHaveLength(outcome.ok.notes.length);
      outcome.ok.notes.forEach((re, i) => expect(out.notes[i]).toMatch(re));
    }
    await expectClean(out);
  });
});

describe('prepareInput, in detail', () => {
  it('turns an EXIF-rotated JPEG upright, then drops the orientation tag', async () => {
    // Stored 300×200, left half red; orientation 6 means "turn 90° clockwise to view".
    const stored = await (
      await halves(300, 200)
    )
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 100 })
      .toBuffer();
    const info = await inspectImage({ bytes: stored, name: 'rotated.jpg' });
    expect(info).toMatchObject({
      width: 200,
      height: 300,
      storedWidth: 300,
      storedHeight: 200,
      orientation: 6,
    });

    const out = await prepareInput({ path: save('rotated.jpg', stored) }, ULTRA);
    expect([out.width, out.height]).toEqual([200, 300]);
    await expectClean(out);
    // Upright, the red half is on top.
    const top = await pixel(out.bytes, 100, 50);
    const bottom = await pixel(out.bytes, 100, 250);
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200);
    expect(bottom[0]).toBeLessThan(60);
  });

  it('scales an EXIF-rotated image by its upright size', async () => {
    const stored = await solid(3000, 1000).withMetadata({ orientation: 8 }).jpeg().toBuffer();
    const out = await prepareInput(
      { bytes: stored, name: 'tall.jpg' },
      { ...FAST, maxPixels: undefined },
    );
    expect([out.width, out.height]).toEqual([512, 1536]);
    expect(out.notes[0]).toBe(
      "Your image was 1000×3000; Atelier scaled it to 512×1536 to fit this model's limit of 1,536 pixels per side.",
    );
  });

  it('strips GPS and camera details, and says so', async () => {
    const withGps = await solid(200, 150)
      .withExif({
        IFD0: { Make: 'PhoneCo', Model: 'Phone 9', Copyright: 'Ann Artist' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '48/1 51/1 30/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '2/1 21/1 5/1',
        },
      })
      .jpeg()
      .toBuffer();
    const info = await inspectImage({ path: save('gps.jpg', withGps) });
    expect(info).toMatchObject({ hasExif: true, hasGps: true, hasMetadata: true });

    const out = await prepareInput({ path: save('gps.jpg', withGps) }, ULTRA);
    await expectClean(out);
    expect(out.notes).toEqual([
      'Atelier removed the location (GPS) and camera details from the copy it sends.',
    ]);
    expect(out.bytes.includes(Buffer.from('PhoneCo'))).toBe(false);
    expect(out.bytes.includes(Buffer.from('Ann Artist'))).toBe(false);
    expect((await inspectImage({ bytes: out.bytes })).hasGps).toBe(false);
  });

  it('keeps transparency in a PNG', async () => {
    const out = await prepareInput(
      {
        bytes: await solid(100, 100, { ...RED, alpha: 0.5 }, 4)
          .png()
          .toBuffer(),
      },
      ULTRA,
    );
    const meta = await sharp(out.bytes).metadata();
    expect(meta.hasAlpha).toBe(true);
    const [r, , , a] = await pixel(out.bytes, 50, 50);
    expect(r).toBe(255);
    expect(a).toBeGreaterThan(120);
    expect(a).toBeLessThan(135);
  });

  it('uses the first frame of an animated GIF', async () => {
    const out = await prepareInput(
      { bytes: await animated('gif', 80, 80), name: 'anim.gif' },
      ULTRA,
    );
    const [r, g, b] = await pixel(out.bytes, 40, 40);
    expect([r, g, b]).toEqual([RED.r, RED.g, RED.b]);
    expect(out.fileName).toBe('anim.png');
    expect(out.mimeType).toBe('image/png');
  });

  it('scales a file that is too many bytes until it fits, and says so', async () => {
    const big = await noise(1024, 1024).png().toBuffer();
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    const out = await prepareInput(
      { bytes: big, name: 'noisy.png' },
      { ...ULTRA, maxBytes: 1024 * 1024 },
      { target: 'Stable Image Ultra' },
    );
    expect(out.bytes.length).toBeLessThanOrEqual(1024 * 1024);
    expect(out.width).toBeLessThan(1024);
    expect(out.width).toBe(out.height);
    expect(out.notes).toHaveLength(1);
    expect(out.notes[0]).toMatch(
      /^Your image was 1024×1024; Atelier scaled it to \d+×\d+ to fit Stable Image Ultra's limit of 1 MB per upload\.$/,
    );
    await expectClean(out);
  });

  it('saves a JPEG at a lower quality first when that is enough to fit the byte limit', async () => {
    const photo = await noise(800, 600).jpeg({ quality: 100 }).toBuffer();
    const atFullQuality = await prepareInput({ bytes: photo }, ULTRA);
    const maxBytes = atFullQuality.bytes.length - 1;
    const out = await prepareInput({ bytes: photo }, { ...ULTRA, maxBytes });
    expect([out.width, out.height]).toEqual([800, 600]);
    expect(out.bytes.length).toBeLessThanOrEqual(maxBytes);
    expect(out.notes).toEqual([
      expect.stringMatching(
        /^As a JPEG your image came to \d+ KB; Atelier saved it at a slightly lower quality to fit this model's upload limit of \d+ KB\.$/,
      ),
    ]);
    await expectClean(out);
  });

  it('one note says why an image shrank when both its size and its bytes were too large', async () => {
    const out = await prepareInput(
      { bytes: await noise(2000, 1000).png().toBuffer() },
      { ...FAST, maxBytes: 1024 * 1024 },
      { target: 'Fast Upscale' },
    );
    expect(out.bytes.length).toBeLessThanOrEqual(1024 * 1024);
    expect(out.notes).toHaveLength(1);
    expect(out.notes[0]).toMatch(
      /^Your image was 2000×1000; Atelier scaled it to \d+×\d+ to fit Fast Upscale's limits of 1,536 pixels per side, 1 megapixel \(1,048,576 pixels\) and 1 MB per upload\.$/,
    );
  });

  it('refuses a file that cannot be made small enough in bytes without going under the minimum', async () => {
    const error = await refusal(
      prepareInput(
        { bytes: await noise(200, 200).png().toBuffer(), name: 'n.png' },
        { ...ULTRA, minSide: 150, maxBytes: 20_000 },
      ),
    );
    expect(error.code).toBe('cannot_fit');
    expect(error.message).toMatch(
      /can't be made smaller than 20 KB \(this model's upload limit\) without going under the smallest size it takes \(150 pixels on each side and 4,096 pixels in all\)/,
    );
  });

  it('names the endpoint in its sentences when told which one it is', async () => {
    const error = await refusal(
      prepareInput({ bytes: await solid(40, 40).png().toBuffer(), name: 'tiny.png' }, ULTRA, {
        target: 'Stable Image Ultra',
      }),
    );
    expect(error.message).toBe(
      '“tiny.png” is 40×40 pixels; Stable Image Ultra needs at least 64 pixels on each side and 4,096 pixels in all. Use a larger image.',
    );
  });

  it('converts to what the endpoint takes when it does not take the original format', async () => {
    const out = await prepareInput(
      { bytes: await solid(100, 100).webp().toBuffer() },
      { formats: ['png', 'jpg'] },
    );
    expect(out.format).toBe('png');
    expect(out.notes).toEqual([
      'Atelier converted your WebP image to PNG, since this model takes PNG and JPEG.',
    ]);
    const jpegOnly = await prepareInput(
      { bytes: await solid(100, 100).png().toBuffer() },
      { formats: ['JPG'] },
    );
    expect(jpegOnly.format).toBe('jpeg');
    expect(jpegOnly.fileName).toBe('image.jpg');
  });

  it('refuses a bomb from its header, without decoding it', async () => {
    const bomb = bombPng(30000, 30000);
    expect(bomb.length).toBeLessThan(1000);
    const info = await inspectImage({ bytes: bomb, name: 'bomb.png' });
    expect([info.width, info.height]).toEqual([30000, 30000]);
    // Even with a lower ceiling, a smaller bomb is refused the same way.
    const error = await refusal(
      prepareInput({ bytes: bombPng(5000, 5000) }, ULTRA, { maxInputPixels: 4_000_000 }),
    );
    expect(error.code).toBe('too_many_pixels');
    expect(error.message).toMatch(
      /^This file says it is 5000×5000 pixels \(25 megapixels\), more than the 4 megapixels Atelier will open\./,
    );
  });

  it('handles a unicode file name, on disk and in its messages', async () => {
    const sub = join(dir, 'Mes images é 🎨');
    mkdirSync(sub, { recursive: true });
    const path = join(sub, 'café 写真 🎨.png');
    writeFileSync(path, await solid(100, 80).png().toBuffer());
    const out = await prepareInput({ path }, ULTRA);
    expect([out.width, out.height]).toEqual([100, 80]);
    expect(out.fileName).toBe('café 写真 🎨.png');
    const empty = join(sub, 'vide 🎨.jpg');
    writeFileSync(empty, Buffer.alloc(0));
    const error = await refusal(prepareInput({ path: empty }, ULTRA));
    expect(error.message).toMatch(/^“vide 🎨\.jpg” is empty/);
  });

  it('says plainly when the path is missing or a folder', async () => {
    const missing = await refusal(prepareInput({ path: join(dir, 'gone.png') }, ULTRA));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toBe(
      "Atelier can't find “gone.png”; it may have been moved or deleted. Choose the file again.",
    );
    const folder = await refusal(prepareInput({ path: dir }, ULTRA));
    expect(folder.code).toBe('not_a_file');
  });

  it('refuses a file larger than it will read, before reading it', async () => {
    const path = save('big.png', await solid(100, 100).png().toBuffer());
    const error = await refusal(prepareInput({ path }, ULTRA, { maxFileBytes: 100 }));
    expect(error.code).toBe('file_too_big');
    expect(error.message).toMatch(
      /^“big\.png” is \d+ bytes, larger than the 100 bytes Atelier will open\./,
    );
  });

  it('gives the same result from bytes as from a path', async () => {
    const bytes = await halves(300, 200).then((s) => s.png().toBuffer());
    const fromBytes = await prepareInput({ bytes, name: 'x.png' }, ULTRA);
    const fromPath = await prepareInput({ path: save('x.png', bytes) }, ULTRA);
    expect(fromBytes.bytes.equals(fromPath.bytes)).toBe(true);
    expect(fromBytes.source.name).toBe('x.png');
  });

  it('keeps the pixels of an image that needs no change', async () => {
    const bytes = await halves(200, 100).then((s) => s.png().toBuffer());
    const out = await prepareInput({ bytes }, ULTRA);
    expect(out.notes).toEqual([]);
    const a = await sharp(bytes).raw().toBuffer();
    const b = await sharp(out.bytes).raw().toBuffer();
    expect(b.equals(a)).toBe(true);
    expect((await pixel(out.bytes, 150, 50)).slice(0, 3)).toEqual([BLUE.r, BLUE.g, BLUE.b]);
  });
});
