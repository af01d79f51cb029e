/**
 * Walking a chosen folder for a batch, on real files: subfolders in order, links never followed
 * (out of the folder or not), a FIFO skipped without hanging, hidden files skipped, non-images and
 * too-small pictures named by the probe, depth and count bounded, and 10,000 files walked.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFile, walkFolder, type WalkItem } from '../../../electron/core/batch';
import { IMAGE_LIMITS } from '../../../shared/endpoints';

let root: string;
let folder: string;
let outside: string;

async function png(file: string, size = 64): Promise<void> {
  const bytes = await sharp({
    create: { width: size, height: size, channels: 3, background: { r: 200, g: 90, b: 40 } },
  })
    .png()
    .toBuffer();
  writeFileSync(file, bytes);
}

async function collect(dir: string, limits = {}): Promise<WalkItem[]> {
  const items: WalkItem[] = [];
  for await (const item of walkFolder(dir, limits)) items.push(item);
  return items;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'atelier-batch-walk-'));
  folder = path.join(root, 'chosen');
  outside = path.join(root, 'outside');
  mkdirSync(path.join(folder, 'a', 'deep'), { recursive: true });
  mkdirSync(path.join(folder, 'b'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  await png(path.join(folder, 'top.png'));
  await png(path.join(folder, 'a', 'one.png'));
  await png(path.join(folder, 'a', 'deep', 'two.png'));
  await png(path.join(folder, 'b', 'tiny.png'), 8);
  await png(path.join(outside, 'secret.png'));
  writeFileSync(path.join(folder, 'b', 'notes.txt'), 'not a picture\n');
  writeFileSync(path.join(folder, 'b', 'fake.png'), 'text that says it is a png');
  writeFileSync(path.join(folder, '.DS_Store'), 'x');
  symlinkSync(path.join(outside, 'secret.png'), path.join(folder, 'link-out.png'));
  symlinkSync(outside, path.join(folder, 'link-dir'));
  execFileSync('mkfifo', [path.join(folder, 'b', 'pipe.png')]);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('walkFolder', () => {
  it('yields every regular file in subfolders and skips links, pipes and hidden names', async () => {
    const items = await collect(folder);
    const files = items.filter((i) => i.kind === 'file').map((i) => i.relative);
    // A folder's own files first, then its subfolders, each in name order.
    expect(files).toEqual([
      'top.png',
      'a/one.png',
      'a/deep/two.png',
      'b/fake.png',
      'b/notes.txt',
      'b/tiny.png',
    ]);
    const skipped = Object.fromEntries(
      items.flatMap((i) => (i.kind === 'skip' ? [[i.relative, i.reason]] : [])),
    );
    expect(skipped).toEqual({
      '.DS_Store': 'hidden',
      'b/pipe.png': 'odd-file',
      'link-dir': 'odd-file',
      'link-out.png': 'odd-file',
    });
    // Nothing from outside the chosen folder, however it was linked.
    expect(items.some((i) => i.relative.includes('secret'))).toBe(false);
  });

  it('bounds the depth and the number of files, naming what it left out', async () => {
    const shallow = await collect(folder, { maxDepth: 1 });
    expect(shallow).toContainEqual({ kind: 'skip', relative: 'a/deep', reason: 'too-deep' });
    const few = await collect(folder, { maxFiles: 2 });
    expect(few.filter((i) => i.kind === 'file')).toHaveLength(2);
    expect(few.filter((i) => i.kind === 'skip' && i.reason === 'too-many')).toHaveLength(4);
  });

  it('names what each file is for an upscaler: a picture, not one, too small', async () => {
    const limits = IMAGE_LIMITS.fast;
    const at = (name: string) => probeFile(path.join(folder, name), limits);
    expect(await at('top.png')).toMatchObject({ ok: true, width: 64, height: 64 });
    expect(await at('b/notes.txt')).toEqual({ ok: false, reason: 'not-image' });
    expect(await at('b/fake.png')).toEqual({ ok: false, reason: 'not-image' });
    expect(await at('b/tiny.png')).toEqual({ ok: false, reason: 'too-small' });
    // A FIFO and a link are refused by the open itself, without hanging.
    expect(await at('b/pipe.png')).toEqual({ ok: false, reason: 'unreadable' });
    expect(await at('link-out.png')).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('walks 10,000 files in 100 folders', async () => {
    const many = path.join(root, 'many');
    for (let d = 0; d < 100; d++) {
      const dir = path.join(many, `f${String(d).padStart(3, '0')}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(path.join(dir, `${f}.png`), '');
    }
    writeFileSync(path.join(many, 'one-more.png'), '');
    let files = 0;
    let tooMany = 0;
    for await (const item of walkFolder(many)) {
      if (item.kind === 'file') files += 1;
      else if (item.reason === 'too-many') tooMany += 1;
    }
    expect(files).toBe(10_000);
    expect(tooMany).toBe(1);
  }, 60_000);
});
