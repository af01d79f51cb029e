import { readdir, readFile, stat, writeFile, mkdir, truncate } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeTime } from 'ulid';
import {
  FORMAT_VERSION,
  Sidecar,
  dayFolder,
  readEmbedded,
  saveResult,
  sanitizeParams,
  scanAndRepair,
} from '../../../electron/core/library';
import { checkSidecar, slugify } from '../../../electron/core/library/format';
import { sha256Hex } from '../../../electron/core/library/save';
import { makeImage, recipe, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe('names', () => {
  it('day folders are YYYY-MM-DD in local time', () => {
    expect(dayFolder(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
  it('slugs are short lower-case ASCII', () => {
    expect(slugify('Un Café à Paris — 夜の狐, "quoted"!')).toBe('un-cafe-a-paris-quoted');
    expect(slugify('a'.repeat(100)).length).toBeLessThanOrEqual(40);
  });
});

describe('sanitizeParams', () => {
  it('drops keys, tokens, absolute paths and bytes; keeps the rest', () => {
    expect(
      sanitizeParams({
        prompt: 'a fox',
        api_key: 'anything',
        authorization: 'Bearer x',
        note: 'sk-abcdefghijklmnopqrstuvwxyz012345',
        init: '/home/alice/Pictures/fox.png',
        win: 'C:\\Users\\alice\\fox.png',
        image: new Uint8Array([1, 2]),
        nested: { ok: 1, path: '/Users/bob/x' },
        work: '/work/project/in.png',
        url: 'file:///srv/x.png',
        unc: '\\\\server\\share\\x.png',
        homeInside: `see ${homedir()}/x.png`,
        slashCommand: '/imagine a cat / a dog',
        seed: 3,
        strength: Number.NaN,
      }),
    ).toEqual({
      prompt: 'a fox',
      nested: { ok: 1 },
      seed: 3,
      slashCommand: '/imagine a cat / a dog',
    });
  });
});

describe('saveResult writes the documented layout', () => {
  it('image and sidecar side by side in the day folder, inputs once by hash', async () => {
    const when = new Date(2026, 10, 30, 8, 15, 0);
    const input = await makeImage('png', 20, 20, 9);
    const bytes = await makeImage('png');
    const first = await saveResult(dir, {
      bytes,
      format: 'png',
      recipe: recipe({
        operation: 'image-to-image',
        createdAt: when,
        params: {
          prompt: 'A Red Fox!',
          strength: 0.6,
          api_key: 'sk-secretsecretsecretsecret',
          mode: 'image-to-image',
        },
        inputs: [{ role: 'image', bytes: input }],
      }),
    });
    const second = await saveResult(dir, {
      bytes: await makeImage('png', 32, 24, 2),
      format: 'png',
      recipe: recipe({ createdAt: when, inputs: [{ role: 'image', bytes: input }] }),
    });
    const hash = sha256Hex(input);
    expect(await readdir(path.join(dir, 'inputs'))).toEqual([`${hash}.png`]);
    expect(first.sidecar.inputs).toEqual([
      {
        role: 'image',
        sha256: hash,
        file: `inputs/${hash}.png`,
        format: 'png',
        width: 20,
        height: 20,
        bytes: input.length,
      },
    ]);
    expect(second.sidecar.inputs[0]?.sha256).toBe(hash);

    const folder = path.join(dir, '2026-11-30');
    const names = (await readdir(folder)).sort();
    const stem = `${first.sidecar.id}-a-red-fox`;
    expect(names).toContain(`${stem}.png`);
    expect(names).toContain(`${stem}.json`);
    expect(names.filter((n) => n.startsWith('.'))).toEqual([]);
    // ULIDs carry the creation time and sort by it.
    expect(decodeTime(first.sidecar.id)).toBe(when.getTime());
    expect(second.sidecar.id > first.sidecar.id).toBe(true);

    const sidecarText = await readFile(path.join(folder, `${stem}.json`), 'utf8');
    const sidecar = Sidecar.parse(JSON.parse(sidecarText));
    const stored = await readFile(path.join(folder, `${stem}.png`));
    expect(sidecar).toMatchObject({
      format: FORMAT_VERSION,
      id: first.sidecar.id,
      file: `${stem}.png`,
      operation: 'image-to-image',
      endpoint: '/v2beta/stable-image/generate/sd3',
      model: 'sd3.5-large',
      params: { prompt: 'A Red Fox!', strength: 0.6, mode: 'image-to-image' },
      seed: 343940597,
      finishReason: 'SUCCESS',
      credits: 6.5,
      createdAt: when.toISOString(),
      image: {
        format: 'png',
        width: 32,
        height: 24,
        bytes: stored.length,
        sha256: sha256Hex(stored),
      },
      sandbox: false,
      favourite: false,
    });
    expect(typeof sidecar.appVersion).toBe('string');
    // No key, no personal path, anywhere: sidecar or embedded.
    for (const text of [sidecarText, stored.toString('latin1')]) {
      expect(text).not.toContain('sk-secret');
      expect(text).not.toContain(dir);
      expect(text).not.toContain(homedir());
    }
    expect(readEmbedded(stored).recipe?.id).toBe(first.sidecar.id);
  });

  it('refuses bytes that do not match the announced format, and cut-short images', async () => {
    const png = await makeImage('png');
    await expect(saveResult(dir, { bytes: png, format: 'jpeg', recipe: recipe() })).rejects.toThrow(
      /announced as JPEG/,
    );
    await expect(
      saveResult(dir, { bytes: png.subarray(0, png.length - 20), format: 'png', recipe: recipe() }),
    ).rejects.toThrow(/cut short/);
  });
});

describe('scanAndRepair', () => {
  it('repairs and reports what a crash or an outside program left', async () => {
    const when = new Date(2026, 10, 30, 9, 0, 0);
    const kept = await saveResult(dir, {
      bytes: await makeImage('png'),
      format: 'png',
      recipe: recipe({ createdAt: when }),
    });
    // 1. An Atelier image whose sidecar was never written.
    const lost = await saveResult(dir, {
      bytes: await makeImage('webp'),
      format: 'webp',
      recipe: recipe({ createdAt: when, sandbox: true, credits: 0 }),
    });
    const lostSidecar = await readFile(lost.sidecarFile, 'utf8');
    await import('node:fs/promises').then((fs) => fs.rm(lost.sidecarFile));
    // 2. A sidecar whose image is gone.
    const gone = await saveResult(dir, {
      bytes: await makeImage('jpeg'),
      format: 'jpeg',
      recipe: recipe({ createdAt: when }),
    });
    await import('node:fs/promises').then((fs) => fs.rm(gone.imageFile));
    const folder = path.dirname(kept.imageFile);
    // 3. Orphan temp files.
    await writeFile(path.join(folder, '.atelier-tmp-0a1b2c3d4e5f-x.png'), 'half');
    // 4. An outside image with no metadata, and one cut short, and foreign files.
    await writeFile(path.join(folder, 'holiday.jpg'), await makeImage('jpeg', 40, 30));
    const half = await makeImage('png', 64, 64, 5);
    await writeFile(
      path.join(folder, 'copying.png'),
      half.subarray(0, Math.floor(half.length / 2)),
    );
    await writeFile(path.join(folder, 'notes.txt'), 'hello');
    await writeFile(path.join(folder, 'settings.json'), '{"theme":"dark"}');
    await mkdir(path.join(dir, 'elsewhere', 'deeper'), { recursive: true });
    await writeFile(path.join(dir, 'elsewhere', 'deeper', 'desktop.ini'), '[x]');

    const { report, entries } = await scanAndRepair(dir);
    const rel = (file: string) => path.relative(dir, file).split(path.sep).join('/');
    expect(report.removedTemp).toEqual(['2026-11-30/.atelier-tmp-0a1b2c3d4e5f-x.png']);
    expect(report.recovered).toEqual([rel(lost.imageFile)]);
    expect(report.adopted).toEqual(['2026-11-30/holiday.jpg']);
    expect(report.missingImage).toEqual([rel(gone.sidecarFile)]);
    expect(report.incomplete).toEqual(['2026-11-30/copying.png']);
    expect(entries.map((e) => e.path).sort()).toEqual(
      [rel(kept.imageFile), rel(lost.imageFile), '2026-11-30/holiday.jpg'].sort(),
    );

    // The recovered sidecar is the one that was lost (same id, same recipe).
    const recovered = JSON.parse(await readFile(lost.sidecarFile, 'utf8')) as Sidecar;
    expect(recovered).toEqual(JSON.parse(lostSidecar));
    const adopted = Sidecar.parse(
      JSON.parse(await readFile(path.join(folder, 'holiday.json'), 'utf8')),
    );
    expect(adopted).toMatchObject({
      operation: 'import',
      file: 'holiday.jpg',
      image: { width: 40, height: 30 },
      source: { kind: 'none', name: 'holiday.jpg' },
    });
    // Foreign files are left alone.
    expect(await readFile(path.join(folder, 'settings.json'), 'utf8')).toBe('{"theme":"dark"}');
    expect((await stat(path.join(folder, 'copying.png'))).size).toBe(Math.floor(half.length / 2));

    // A second run finds nothing left to do.
    const again = await scanAndRepair(dir);
    expect(again.report.removedTemp).toEqual([]);
    expect(again.report.recovered).toEqual([]);
    expect(again.report.adopted).toEqual([]);
    expect(again.entries).toHaveLength(3);
  });

  it('sets a damaged sidecar aside and rebuilds it from the image; gives a copied pair a new id', async () => {
    const a = await saveResult(dir, {
      bytes: await makeImage('png'),
      format: 'png',
      recipe: recipe(),
    });
    await truncate(a.sidecarFile, 40);
    const b = await saveResult(dir, {
      bytes: await makeImage('jpeg'),
      format: 'jpeg',
      recipe: recipe(),
    });
    await mkdir(path.join(dir, 'copy'), { recursive: true });
    await writeFile(
      path.join(dir, 'copy', path.basename(b.imageFile)),
      await readFile(b.imageFile),
    );
    await writeFile(
      path.join(dir, 'copy', path.basename(b.sidecarFile)),
      await readFile(b.sidecarFile),
    );

    const { report, entries } = await scanAndRepair(dir);
    expect(report.damagedSidecars).toHaveLength(1);
    expect(report.recovered).toHaveLength(1);
    expect(report.duplicateIds).toHaveLength(1);
    expect(new Set(entries.map((e) => e.id)).size).toBe(3);
    expect(entries.find((e) => e.path.endsWith(path.basename(a.imageFile)))?.id).toBe(a.sidecar.id);
  });
});

describe('checkSidecar (the fast check used when opening) agrees with the Sidecar schema', () => {
  it('on a valid sidecar and on every kind of damage', async () => {
    const saved = await saveResult(dir, {
      bytes: await makeImage('png'),
      format: 'png',
      recipe: recipe({ inputs: [{ role: 'image', bytes: await makeImage('jpeg') }] }),
    });
    const good = JSON.parse(JSON.stringify(saved.sidecar)) as Record<string, unknown>;
    const variants: Record<string, unknown>[] = [
      good,
      { ...good, source: { kind: 'none', name: 'x.png', parameters: null, operation: null } },
      { ...good, format: 2 },
      { ...good, id: 'not-a-ulid' },
      { ...good, file: '' },
      { ...good, operation: 3 },
      { ...good, endpoint: undefined },
      { ...good, params: [] },
      { ...good, seed: '42' },
      { ...good, credits: 'free' },
      { ...good, createdAt: null },
      { ...good, sandbox: 'no' },
      { ...good, favourite: undefined },
      { ...good, image: { ...(good.image as object), sha256: 'abc' } },
      { ...good, image: { ...(good.image as object), width: -1 } },
      { ...good, image: { ...(good.image as object), format: 'gif' } },
      { ...good, inputs: [{ role: '' }] },
      { ...good, inputs: 'none' },
      { ...good, source: { kind: 'stolen' } },
    ];
    for (const variant of variants) {
      const fast = checkSidecar(variant) !== null;
      const schema = Sidecar.safeParse(variant).success;
      expect(fast, JSON.stringify(variant).slice(0, 120)).toBe(schema);
    }
    expect(checkSidecar(good)).not.toBeNull();
  });
});
