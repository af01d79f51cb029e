import { describe, expect, it } from 'vitest';
import {
  exifHasGps,
  inspectImage,
  InputImageError,
  sniffFormat,
} from '../../../electron/core/images';
import { animated, bombPng, fakeHeic, solid } from './corpus';

describe('inspectImage reads the content, not the name', () => {
  it('a PNG named .jpg is a PNG', async () => {
    const info = await inspectImage({
      bytes: await solid(120, 80).png().toBuffer(),
      name: 'x.jpg',
    });
    expect(info).toMatchObject({
      name: 'x.jpg',
      format: 'png',
      width: 120,
      height: 80,
      hasAlpha: false,
      animated: false,
      pages: 1,
      bitDepth: 8,
      colourSpace: 'srgb',
      channels: 3,
      orientation: 1,
      hasExif: false,
      hasGps: false,
    });
  });

  it.each([
    ['jpeg', () => solid(64, 48).jpeg().toBuffer()],
    ['webp', () => solid(64, 48).webp().toBuffer()],
    ['gif', () => solid(64, 48).gif().toBuffer()],
    ['tiff', () => solid(64, 48).tiff().toBuffer()],
    ['avif', () => solid(64, 48).avif().toBuffer()],
  ] as const)('recognises %s', async (format, make) => {
    const bytes = await make();
    expect(sniffFormat(bytes)).toBe(format);
    const info = await inspectImage({ bytes, name: 'file.png' });
    expect(info.format).toBe(format);
    expect([info.width, info.height]).toEqual([64, 48]);
  });

  it('reports alpha, frames, bit depth and colour space', async () => {
    const alpha = await inspectImage({
      bytes: await solid(10, 10, { r: 1, g: 2, b: 3, alpha: 0.5 }, 4).png().toBuffer(),
    });
    expect(alpha).toMatchObject({ hasAlpha: true, channels: 4 });

    const gif = await inspectImage({ bytes: await animated('gif') });
    expect(gif).toMatchObject({ format: 'gif', animated: true, pages: 2, width: 40, height: 30 });

    const deep = await inspectImage({
      bytes: await solid(10, 10).toColourspace('rgb16').png().toBuffer(),
    });
    expect(deep).toMatchObject({ bitDepth: 16, colourSpace: 'rgb16' });

    const cmyk = await inspectImage({
      bytes: await solid(10, 10).toColourspace('cmyk').jpeg().toBuffer(),
    });
    expect(cmyk).toMatchObject({ format: 'jpeg', colourSpace: 'cmyk', channels: 4 });

    const grey = await inspectImage({
      bytes: await solid(10, 10).toColourspace('b-w').png().toBuffer(),
    });
    expect(grey).toMatchObject({ colourSpace: 'b-w', channels: 1 });
  });

  it('measures a 30000×30000 bomb from its header without decoding it', async () => {
    const info = await inspectImage({ bytes: bombPng(30000, 30000) });
    expect(info).toMatchObject({ format: 'png', width: 30000, height: 30000 });
  });

  it('refuses what is not an image, in plain words', async () => {
    await expect(inspectImage({ bytes: Buffer.from('hello\n'), name: 'a.png' })).rejects.toThrow(
      '“a.png” is a text file, not an image. Choose a PNG, JPEG or WebP picture instead.',
    );
    await expect(inspectImage({ bytes: new Uint8Array(0) })).rejects.toMatchObject({
      code: 'empty',
    });
    await expect(inspectImage({ bytes: fakeHeic() })).rejects.toBeInstanceOf(InputImageError);
  });
});

describe('exifHasGps', () => {
  it('finds a GPS directory, and only when there is one', async () => {
    const { default: sharp } = await import('sharp');
    const gps = await solid(10, 10)
      .withExif({ IFD0: { Make: 'X' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '1/1 2/1 3/1' } })
      .jpeg()
      .toBuffer();
    const plain = await solid(10, 10)
      .withExif({ IFD0: { Make: 'X' } })
      .jpeg()
      .toBuffer();
    expect(exifHasGps((await sharp(gps).metadata()).exif)).toBe(true);
    expect(exifHasGps((await sharp(plain).metadata()).exif)).toBe(false);
    expect(exifHasGps(undefined)).toBe(false);
    expect(exifHasGps(Buffer.from('Exif\0\0junk'))).toBe(false);
  });
});

/** The prebuilt sharp has no HEVC codec (patents); where it has one, a real HEIC is tested. */
const heic = await solid(64, 48)
  .heif({ compression: 'hevc' })
  .toBuffer()
  .catch(() => null);

describe('HEIC', () => {
  it.skipIf(heic === null)(
    'a real HEIC photo is read and converted to PNG (skipped when this sharp has no HEVC encoder)',
    async () => {
      if (!heic) return;
      const { prepareInput } = await import('../../../electron/core/images');
      expect((await inspectImage({ bytes: heic })).format).toBe('heic');
      const out = await prepareInput({ bytes: heic }, { formats: ['png', 'jpeg', 'webp'] });
      expect([out.format, out.width, out.height]).toEqual(['png', 64, 48]);
    },
  );
});
