/** Small test images on disk, made once per test file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';

export interface Fixtures {
  dir: string;
  png64: string;
  png96x64: string;
  jpeg96: string;
  webp80: string;
  mask64: string;
  alpha64: string;
  png16: string;
  wide400x100: string;
  notImage: string;
  cleanup(): void;
}

function solid(width: number, height: number, color: string): Sharp {
  // A gradient-ish picture so transforms are measurable.
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = color === 'blue' ? 200 : 60;
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

export async function makeFixtures(): Promise<Fixtures> {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-stability-'));
  const file = (name: string): string => join(dir, name);
  await solid(64, 64, 'blue').png().toFile(file('a.png'));
  await solid(96, 64, 'red').png().toFile(file('b.png'));
  await solid(96, 96, 'red').jpeg().toFile(file('c.jpg'));
  await solid(80, 80, 'blue').webp().toFile(file('d.webp'));
  await solid(16, 16, 'blue').png().toFile(file('tiny.png'));
  await solid(400, 100, 'blue').png().toFile(file('wide.png'));
  const mask = Buffer.alloc(64 * 64);
  for (let i = 0; i < mask.length; i++) mask[i] = i % 64 > 32 ? 255 : 0;
  await sharp(mask, { raw: { width: 64, height: 64, channels: 1 } })
    .png()
    .toFile(file('mask.png'));
  await solid(64, 64, 'red').ensureAlpha(0.5).png().toFile(file('alpha.png'));
  writeFileSync(file('not-image.png'), 'this is not a picture');
  return {
    dir,
    png64: file('a.png'),
    png96x64: file('b.png'),
    jpeg96: file('c.jpg'),
    webp80: file('d.webp'),
    mask64: file('mask.png'),
    alpha64: file('alpha.png'),
    png16: file('tiny.png'),
    wide400x100: file('wide.png'),
    notImage: file('not-image.png'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Width, height, format and channels of image bytes. */
export async function facts(
  bytes: Uint8Array,
): Promise<{ width: number; height: number; format: string; channels: number }> {
  const meta = await sharp(bytes).metadata();
  return { width: meta.width, height: meta.height, format: meta.format, channels: meta.channels };
}

/** Mean absolute difference (0..255) between two pictures at 64x64 RGB. */
export async function difference(a: Uint8Array | string, b: Uint8Array | string): Promise<number> {
  const load = (x: Uint8Array | string): Promise<Buffer> =>
    sharp(x).resize(64, 64, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [ra, rb] = await Promise.all([load(a), load(b)]);
  let sum = 0;
  for (let i = 0; i < ra.length; i++) sum += Math.abs((ra[i] ?? 0) - (rb[i] ?? 0));
  return sum / ra.length;
}
