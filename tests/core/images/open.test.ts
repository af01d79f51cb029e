/**
 * openImage, the one sharp helper: every pipeline has a pixel limit and a timeout, and nothing
 * else in electron/core calls sharp() itself (so no caller can forget either).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_INPUT_PIXELS,
  openImage,
  SHARP_TIMEOUT_SECONDS,
} from '../../../electron/core/images/open';
import { readPngChunks, writePngChunks } from '../../../electron/core/library/png';
import { makeImage } from '../library/helpers';

const CORE = path.resolve(__dirname, '../../../electron/core');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(full);
      return Promise.resolve(e.name.endsWith('.ts') ? [full] : []);
    }),
  );
  return nested.flat();
}

describe('openImage', () => {
  it('is the only place in electron/core that calls sharp()', async () => {
    const callers: string[] = [];
    for (const file of await sourceFiles(CORE)) {
      if (file.endsWith(path.join('images', 'open.ts'))) continue;
      const text = await readFile(file, 'utf8');
      if (/(?<![\w.])sharp\(/.test(text)) callers.push(path.relative(CORE, file));
    }
    expect(callers).toEqual([]);
  });

  it('refuses to decode a picture that claims more pixels than the limit', async () => {
    const png = await makeImage('png', 16, 16);
    const chunks = readPngChunks(png).map((c) => ({ type: c.type, data: Buffer.from(c.data) }));
    const ihdr = chunks[0];
    if (!ihdr) throw new Error('no IHDR');
    ihdr.data.writeUInt32BE(30_000, 0);
    ihdr.data.writeUInt32BE(30_000, 4);
    expect(30_000 * 30_000).toBeGreaterThan(MAX_INPUT_PIXELS);
    await expect(openImage(writePngChunks(chunks)).resize(64).toBuffer()).rejects.toThrow(
      /pixel limit/i,
    );
    // A real picture within the limit goes through.
    await expect(openImage(png).resize(8).webp().toBuffer()).resolves.toBeInstanceOf(Buffer);
  });

  it('sets a timeout on every pipeline (sharp keeps it in its options)', () => {
    const timeoutOf = (img: unknown) =>
      (img as { options: { timeoutSeconds: number } }).options.timeoutSeconds;
    expect(timeoutOf(openImage(Buffer.alloc(1)))).toBe(SHARP_TIMEOUT_SECONDS);
    expect(
      timeoutOf(
        openImage(undefined, {
          create: { width: 2, height: 2, channels: 3, background: '#000' },
          timeoutSeconds: 5,
        }),
      ),
    ).toBe(5);
  });
});
