/**
 * Ratings, bulk favourites, select-all, collections and export through the host's dispatch, over
 * real files: exiftool is the reference reader of what lands in the pictures.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallResult, Collection, LibraryItem } from '../../../shared/api';
import { createHost, type Host } from '../../../electron/core/host';
import { saveResult } from '../../../electron/core/library';
import { EXIFTOOL, exiftoolRating, makeImage, recipe, runFile, waitFor } from '../library/helpers';

const run = runFile;

let root: string;
let libDir: string;
let host: Host;
const events: { event: string; payload: unknown }[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'atelier-collect-'));
  libDir = path.join(root, 'library');
  events.length = 0;
});
afterEach(async () => {
  await host.close();
  await rm(root, { recursive: true, force: true });
});

async function open(): Promise<Host> {
  host = await createHost({
    shell: 'browser',
    version: '1.2.3',
    platform: 'linux',
    env: { ATELIER_DATA_DIR: path.join(root, 'data') },
    log: () => undefined,
    libraryDir: libDir,
    keychain: false,
    libraryOptions: { debounceMs: 20, graceMs: 200 },
  });
  host.subscribe((event, payload) => events.push({ event, payload }));
  return host;
}

function must<T>(item: T | undefined): T {
  if (item === undefined) throw new Error('expected a value');
  return item;
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view of a test answer
function value<T>(result: CallResult): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.value as T;
}

async function seed(count: number) {
  const saved = [];
  for (let i = 0; i < count; i++) {
    const format = (['png', 'jpeg', 'webp'] as const)[i % 3] ?? 'png';
    saved.push(
      await saveResult(libDir, {
        bytes: await makeImage(format, 64, 48, i + 1),
        format,
        recipe: recipe({
          params: { prompt: i === 0 ? '../../etc/passwd CON: a <fox>' : `picture ${i}` },
          createdAt: new Date(Date.UTC(2026, 10, 1, 12, i)),
        }),
      }),
    );
  }
  return saved;
}

const query = async (filter: Record<string, unknown> = {}) =>
  value<{ total: number; entries: LibraryItem[] }>(await host.dispatch('library.query', filter));

describe.skipIf(!existsSync(EXIFTOOL))('ratings', () => {
  it('go into the sidecar and the picture, and come back from a picture exiftool rated', async () => {
    const [png, jpeg, webp] = await seed(3);
    await open();
    const before = await sharp(must(png).imageFile).raw().toBuffer();
    const rated = value<{ entries: LibraryItem[]; failed: string[] }>(
      await host.dispatch('library.rate', {
        ids: [
          must(png).entry.id,
          must(jpeg).entry.id,
          must(webp).entry.id,
          '01JDQ8Y3V4K6Z0R2M5N7P9Q1S3',
        ],
        rating: 4,
      }),
    );
    expect(rated.entries.map((e) => e.rating)).toEqual([4, 4, 4]);
    expect(rated.failed).toEqual(['01JDQ8Y3V4K6Z0R2M5N7P9Q1S3']);
    for (const saved of [png, jpeg, webp].map(must)) {
      expect(await exiftoolRating(saved.imageFile)).toBe(4);
      const sidecar = JSON.parse(await readFile(saved.sidecarFile, 'utf8')) as {
        rating: number;
        image: { bytes: number };
      };
      expect(sidecar.rating).toBe(4);
      expect(sidecar.image.bytes).toBe((await readFile(saved.imageFile)).length);
    }
    expect((await sharp(must(png).imageFile).raw().toBuffer()).equals(before)).toBe(true);
    expect((await query({ minRating: 4 })).total).toBe(3);

    // Another program rates one: the watcher's rescan takes it in.
    await run(EXIFTOOL, ['-overwrite_original', '-XMP:Rating=2', must(jpeg).imageFile]);
    await waitFor(
      async () => (await query()).entries.find((e) => e.id === must(jpeg).entry.id)?.rating === 2,
    );
    expect((await query({ minRating: 3 })).total).toBe(2);
  });

  it('are read from a picture exiftool rated while Atelier was closed', async () => {
    const [png] = await seed(1);
    await run(EXIFTOOL, ['-overwrite_original', '-XMP:Rating=5', must(png).imageFile]);
    await open();
    expect((await query()).entries[0]?.rating).toBe(5);
  });
});

describe('bulk and select all', () => {
  it('select all answers every id of the filter, and favourites go in bulk', async () => {
    const saved = await seed(6);
    await open();
    const { ids } = value<{ ids: string[] }>(
      await host.dispatch('library.ids', { text: 'picture' }),
    );
    expect(ids).toHaveLength(5);
    const fav = value<{ entries: LibraryItem[] }>(
      await host.dispatch('library.setFavourites', { ids, favourite: true }),
    );
    expect(fav.entries.every((e) => e.favourite)).toBe(true);
    expect((await query({ favourites: true })).total).toBe(5);
    expect(ids).not.toContain(must(saved[0]).entry.id);
  });
});

describe('collections', () => {
  it('are files that survive a deleted index, and filter the library', async () => {
    const saved = await seed(4);
    await open();
    const made = value<Collection>(
      await host.dispatch('collections.create', { name: '  Foxes  ' }),
    );
    expect(made.name).toBe('Foxes');
    const ids = saved.slice(0, 3).map((s) => s.entry.id);
    expect(
      value<Collection>(await host.dispatch('collections.add', { id: made.id, ids })).count,
    ).toBe(3);
    value(await host.dispatch('collections.remove', { id: made.id, ids: [ids[0]] }));
    value(await host.dispatch('collections.rename', { id: made.id, name: 'Red foxes' }));
    const other = value<Collection>(await host.dispatch('collections.create', { name: 'Also' }));
    value(await host.dispatch('collections.add', { id: other.id, ids: [ids[1]] }));
    expect(events.some((e) => e.event === 'collections.changed')).toBe(true);
    expect((await query({ collection: made.id })).entries.map((e) => e.id).sort()).toEqual(
      ids.slice(1).sort(),
    );
    expect(
      value<{ ids: string[] }>(await host.dispatch('library.ids', { collection: made.id })).ids,
    ).toHaveLength(2);

    await host.close();
    await rm(path.join(libDir, '.atelier'), { recursive: true, force: true });
    await open();
    const { collections } = value<{ collections: Collection[] }>(
      await host.dispatch('collections.list', {}),
    );
    expect(collections.map((c) => [c.name, c.count])).toEqual([
      ['Also', 1],
      ['Red foxes', 2],
    ]);
    expect((await query()).total).toBe(4);

    value(await host.dispatch('collections.delete', { id: other.id }));
    expect(await readdir(path.join(libDir, 'collections'))).toEqual([`${made.id}.json`]);
    expect((await query()).total).toBe(4);
  });

  it('hostile collection files are bounded and harmless', async () => {
    await seed(1);
    const dir = path.join(libDir, 'collections');
    await mkdir(dir, { recursive: true });
    const id = (n: number) => `01JDQ8Y3V4K6Z0R2M5N7P9Q${String(n).padStart(3, '0')}`;
    const good = (fileId: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        kind: 'atelier-collection',
        version: 1,
        id: fileId,
        name: 'ok',
        createdAt: 'x',
        items: [],
        ...extra,
      });
    await writeFile(path.join(dir, `${id(1)}.json`), 'not json at all {{{');
    await writeFile(path.join(dir, `${id(2)}.json`), Buffer.alloc(5 * 1024 * 1024, 0x20));
    await writeFile(path.join(dir, `${id(3)}.json`), '['.repeat(100_000));
    await writeFile(path.join(dir, `${id(4)}.json`), good(id(9))); // id inside differs
    await writeFile(
      path.join(dir, `${id(5)}.json`),
      good(id(5), {
        name: `evil\u0000${'x'.repeat(5000)}`,
        items: ['../../etc/passwd', '/abs', 'C:\\x', 42, { a: 1 }],
      }),
    );
    await writeFile(path.join(dir, '../escape.json'), good(id(6)));
    await writeFile(path.join(dir, 'notes.txt'), 'hello');
    await symlink('/etc/passwd', path.join(dir, `${id(7)}.json`));
    for (let n = 0; n < 1500; n++) await writeFile(path.join(dir, `junk-${n}.json`), '{}');
    await open();
    const started = performance.now();
    const { collections } = value<{ collections: Collection[] }>(
      await host.dispatch('collections.list', {}),
    );
    console.log(
      `hostile collections folder listed in ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(collections).toHaveLength(1);
    expect(collections[0]?.name).toBe(`evil ${'x'.repeat(95)}`);
    expect(collections[0]?.count).toBe(0);
    // The page cannot name a collection by a path.
    const refused = await host.dispatch('collections.add', { id: '../../x', ids: ['a'] });
    expect(refused.ok).toBe(false);
    expect((await query()).total).toBe(1);
  });
});

describe('export', () => {
  it('writes JPEGs at 1024 px without metadata, never over a file, with safe names', async () => {
    const saved = [];
    for (let i = 0; i < 3; i++) {
      saved.push(
        await saveResult(libDir, {
          bytes: await makeImage('png', 2048, 1536, i + 1),
          format: 'png',
          recipe: recipe({ params: { prompt: i === 0 ? '../../x/CON' : 'a fox' } }),
        }),
      );
    }
    await open();
    const out = path.join(root, 'out');
    await mkdir(out);
    await writeFile(path.join(out, 'a fox.jpg'), 'someone else’s file');
    const result = value<{ exported: number; cancelled: boolean }>(
      await host.dispatch('library.export', {
        ids: saved.map((s) => s.entry.id),
        to: out,
        format: 'jpeg',
        quality: 80,
        longestEdge: 1024,
        metadata: 'strip',
        names: 'prompt',
      }),
    );
    expect(result).toMatchObject({ exported: 3, cancelled: false });
    const names = (await readdir(out)).sort();
    expect(names).toEqual(['a fox (2).jpg', 'a fox (3).jpg', 'a fox.jpg', 'x CON.jpg']);
    expect(await readFile(path.join(out, 'a fox.jpg'), 'utf8')).toBe('someone else’s file');
    const meta = await sharp(path.join(out, 'a fox (2).jpg')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1024, 768]);
    if (existsSync(EXIFTOOL)) {
      const { stdout } = await run(EXIFTOOL, [
        '-j',
        '-XMP:all',
        '-PNG:all',
        '-EXIF:all',
        path.join(out, 'x CON.jpg'),
      ]);
      const tags = Object.keys((JSON.parse(stdout) as Record<string, unknown>[])[0] ?? {});
      expect(tags).toEqual(['SourceFile']);
    }
    expect(events.filter((e) => e.event === 'library.exporting').at(-1)?.payload).toEqual({
      done: 3,
      total: 3,
    });
  });

  it('keeps the recipe when asked, and refuses a folder that is not one', async () => {
    const [one] = await seed(1);
    await open();
    value(await host.dispatch('library.rate', { ids: [must(one).entry.id], rating: 3 }));
    const out = path.join(root, 'keep');
    await mkdir(out);
    value(
      await host.dispatch('library.export', {
        ids: [must(one).entry.id],
        to: out,
        format: 'webp',
        quality: 70,
        longestEdge: null,
        metadata: 'keep',
        names: 'original',
      }),
    );
    const [name] = await readdir(out);
    expect(name).toMatch(/^[0-9A-Z]{26}-.*\.webp$/);
    if (existsSync(EXIFTOOL)) expect(await exiftoolRating(path.join(out, must(name)))).toBe(3);
    const missing = await host.dispatch('library.export', {
      ids: [must(one).entry.id],
      to: path.join(root, 'nope'),
      format: 'png',
      longestEdge: null,
      metadata: 'strip',
      names: 'prompt',
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'export-folder' } });
  });
});
