/**
 * compare.save: two pictures (library entries, a file of the library, a staged upload) composed
 * side by side into one PNG in the library, as a `comparison` with both pictures as its inputs,
 * the same spot of both lined up.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../../electron/core/rpc/dispatch';
import { createCompareService, MAX_PANE } from '../../../electron/core/host/compare';
import { paneLayout } from '../../../shared/compare-layout';
import { openLibrary, Sidecar, type Library } from '../../../electron/core/library';
import type { Handlers } from '../../../electron/core/rpc/dispatch';

/** A grey picture with one red square at (x, y) of side `cell`. */
async function marked(width: number, height: number, x: number, y: number, cell: number) {
  const raw = Buffer.alloc(width * height * 3, 0x80);
  for (let j = y; j < y + cell; j++)
    for (let i = x; i < x + cell; i++) {
      const o = (j * width + i) * 3;
      raw[o] = 255;
      raw[o + 1] = 0;
      raw[o + 2] = 0;
    }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function pixel(png: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const o = (y * info.width + x) * info.channels;
  return [data[o] ?? -1, data[o + 1] ?? -1, data[o + 2] ?? -1];
}

let root: string;
let library: Library;
let dispatch: ReturnType<typeof createDispatch>;
/** Create's staged inputs, by id (the host asks the create service). */
let staged: Map<string, string>;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'atelier-compare-'));
  library = await openLibrary(path.join(root, 'library'), { watch: false });
  staged = new Map();
  const service = createCompareService({
    library: () => Promise.resolve(library),
    inputs: {
      read: (id) => {
        const file = staged.get(id);
        return file === undefined ? Promise.reject(new Error('gone')) : readFile(file);
      },
    },
  });
  dispatch = createDispatch(service.handlers as Handlers);
});

afterEach(async () => {
  await library.close();
  await rm(root, { recursive: true, force: true });
});

async function saveEntry(bytes: Buffer, operation: string) {
  return library.save({
    bytes,
    format: 'png',
    recipe: {
      operation,
      endpoint: null,
      model: operation === 'upscale' ? 'fast' : null,
      params: {},
      seed: null,
      finishReason: null,
      credits: 0,
      sandbox: true,
    },
  });
}

describe('compare.save', () => {
  it('saves an upscale next to its input as one labelled PNG with both as inputs', async () => {
    // The small picture has a red square at (8, 4); its 4x upscale has it at (32, 16).
    const small = await marked(32, 24, 8, 4, 2);
    const big = await marked(128, 96, 32, 16, 8);
    const a = await saveEntry(small, 'import');
    const b = await saveEntry(big, 'upscale');

    const result = await dispatch('compare.save', {
      left: { source: { kind: 'library', id: a.id }, title: 'Original' },
      right: { source: { kind: 'library', id: b.id }, title: 'Upscale', model: 'fast' },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const saved = result.value as { id: string; path: string; width: number; height: number };

    // The file is in the library folder, with its sidecar saying what it is.
    const file = path.join(library.dir, ...saved.path.split('/'));
    const png = await readFile(file);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect([meta.width, meta.height]).toEqual([saved.width, saved.height]);
    const sidecar = Sidecar.parse(
      JSON.parse(await readFile(file.replace(/\.png$/, '.json'), 'utf8')),
    );
    expect(sidecar.operation).toBe('comparison');
    expect(sidecar.inputs.map((i) => [i.role, i.width, i.height])).toEqual([
      ['left', 32, 24],
      ['right', 128, 96],
    ]);
    expect(sidecar.params).toMatchObject({ left: 'Original', right: 'Upscale' });
    expect(library.get(saved.id)?.operation).toBe('comparison');

    // Both panes are the larger picture's grid: the red square lines up in both.
    const layout = paneLayout({ width: 32, height: 24 }, { width: 128, height: 96 }, MAX_PANE);
    expect(layout.pane).toEqual({ width: 128, height: 96 });
    const font = Math.round(Math.min(64, Math.max(14, 128 / 36)));
    const pad = Math.round(font * 0.9);
    const leftRed = await pixel(png, pad + 33, pad + 17);
    const rightRed = await pixel(png, pad + 128 + pad + 33, pad + 17);
    const leftGrey = await pixel(png, pad + 60, pad + 60);
    expect(leftRed).toEqual([255, 0, 0]);
    expect(rightRed).toEqual([255, 0, 0]);
    expect(leftGrey).toEqual([128, 128, 128]);
    // Nearest-neighbour: the pixel just outside the 8x8 square is grey, not a blend.
    expect(await pixel(png, pad + 40, pad + 17)).toEqual([128, 128, 128]);
  });

  it('takes the picture a library entry was made from, and a staged upload', async () => {
    const upscaled = await library.save({
      bytes: await marked(80, 80, 0, 0, 16),
      format: 'png',
      recipe: {
        operation: 'upscale',
        endpoint: null,
        model: 'fast',
        params: {},
        seed: null,
        finishReason: null,
        credits: 0,
        sandbox: true,
        inputs: [{ role: 'image', bytes: await marked(20, 20, 0, 0, 4) }],
      },
    });
    const id = '0b9f3c52-6a0e-4c57-9a53-3c1e2b0d7f11';
    const upload = path.join(root, 'data', 'inputs', `${id}.upload`);
    staged.set(id, upload);
    await mkdir(path.dirname(upload), { recursive: true });
    await writeFile(
      upload,
      await sharp(await marked(40, 20, 10, 10, 4))
        .jpeg()
        .toBuffer(),
    );
    const result = await dispatch('compare.save', {
      left: { source: { kind: 'made-from', id: upscaled.id, role: 'image' }, title: 'Original' },
      right: { source: { kind: 'input', id }, title: 'dropped.jpg' },
    });
    expect(result).toMatchObject({ ok: true });
    // Different shapes: the frame is the larger (40x20), the square one centred in it.
    expect(
      paneLayout({ width: 20, height: 20 }, { width: 40, height: 20 }, MAX_PANE),
    ).toMatchObject({
      pane: { width: 40, height: 20 },
      left: { width: 20, height: 20, left: 10, top: 0 },
      right: { width: 40, height: 20, left: 0, top: 0 },
    });
  });

  it('says in a sentence when a picture is gone, and saves nothing', async () => {
    const a = await saveEntry(await marked(8, 8, 0, 0, 1), 'import');
    const result = await dispatch('compare.save', {
      left: { source: { kind: 'library', id: a.id }, title: 'A' },
      right: { source: { kind: 'library', id: '01JDQ8Y3V4K6Z0R2M5N7P9Q1S3' }, title: 'B' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('not_found');
    expect(result.error.message).toMatch(/^One of the pictures is no longer there.*\.$/);
    const traversal = await dispatch('compare.save', {
      left: { source: { kind: 'made-from', id: a.id, role: '../../etc/passwd' }, title: 'A' },
      right: { source: { kind: 'input', id: '../../x' }, title: 'B' },
    });
    expect(traversal.ok).toBe(false);
    expect(library.list().filter((e) => e.operation === 'comparison')).toEqual([]);
  });

  it('caps a huge pane at MAX_PANE on its longest side', () => {
    const layout = paneLayout({ width: 1000, height: 500 }, { width: 8000, height: 4000 }, 4096);
    expect(layout.pane).toEqual({ width: 4096, height: 2048 });
    expect(layout.left).toMatchObject({ width: 4096, height: 2048 });
  });
});
