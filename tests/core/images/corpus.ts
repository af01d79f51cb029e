/**
 * Builds the test images: good, odd and bad files, made by the tests themselves (nothing binary is
 * checked in). Every builder is small and says what it makes.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A PNG whose header claims width × height (RGB, 8 bits) with only a tiny IDAT behind it: a
 * decompression bomb that costs nothing to make and must never be decoded.
 */
export function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const idat = deflateSync(Buffer.alloc(width * 3 + 1)); // one row of zeros
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Inserts a chunk right after IHDR (where readers look for text). */
export function withPngChunkAfterHeader(png: Buffer, chunk: Buffer): Buffer {
  const afterIhdr = 8 + 8 + 13 + 4;
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

/** Inserts JPEG segments (e.g. comments) right after SOI. */
export function withJpegSegments(jpeg: Buffer, segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

export function jpegComment(bytes: number): Buffer {
  const body = Buffer.alloc(bytes, 'x');
  const header = Buffer.from([0xff, 0xfe, 0, 0]);
  header.writeUInt16BE(bytes + 2, 2);
  return Buffer.concat([header, body]);
}

export type Colour = { r: number; g: number; b: number; alpha?: number };
export const RED: Colour = { r: 255, g: 0, b: 0 };
export const BLUE: Colour = { r: 0, g: 0, b: 255 };

export function solid(
  width: number,
  height: number,
  background: Colour = RED,
  channels: 3 | 4 = 3,
) {
  return sharp({ create: { width, height, channels, background } });
}

/** Gaussian noise: compresses badly, so it makes large files. */
export function noise(width: number, height: number) {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  });
}

/** Left half red, right half blue: shows which way an image was turned. */
export async function halves(width: number, height: number) {
  const left = await solid(Math.floor(width / 2), height, RED)
    .png()
    .toBuffer();
  return solid(width, height, BLUE).composite([{ input: left, left: 0, top: 0 }]);
}

/** A two-frame animated image: a red frame, then a blue one. */
export async function animated(format: 'gif' | 'webp', width = 40, height = 30): Promise<Buffer> {
  const frames = [
    await solid(width, height, RED, 4).png().toBuffer(),
    await solid(width, height, BLUE, 4).png().toBuffer(),
  ];
  const joined = sharp(frames, { join: { animated: true } });
  return format === 'gif' ? joined.gif().toBuffer() : joined.webp().toBuffer();
}

/** A minimal BMP header (sharp here has no BMP reader). */
export function bmpHeader(): Buffer {
  const b = Buffer.alloc(70);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(70, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(4, 18);
  b.writeInt32LE(4, 22);
  return b;
}

/** The ftyp box of a HEIC photo followed by junk: a HEIC this computer can't decode. */
export function fakeHeic(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.write('mif1heic', 16, 'latin1');
  return Buffer.concat([ftyp, Buffer.alloc(200, 7)]);
}

/** The colour of one pixel of an encoded image. */
export async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}
