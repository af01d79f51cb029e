import {
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
  mkdir,
} from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openLibrary,
  saveResult,
  type Library,
  type LibraryChange,
} from '../../../electron/core/library';
import { indexFilePath } from '../../../electron/core/library/cache';
import { setPngTexts, textChunk } from '../../../electron/core/library/png';
import { makeImage, recipe, tempDir, waitFor } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
const open: Library[] = [];
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
  await cleanup();
});

async function openLib(
  options: Parameters<typeof openLibrary>[1] = { watch: false },
): Promise<Library> {
  const library = await openLibrary(dir, options);
  open.push(library);
  return library;
}

async function seed(): Promise<void> {
  const day = (d: number) => new Date(2026, 10, d, 12, 0, 0);
  await saveResult(dir, {
    bytes: await makeImage('png'),
    format: 'png',
    recipe: recipe({ createdAt: day(1), params: { prompt: 'a red fox in the snow' } }),
  });
  await saveResult(dir, {
    bytes: await makeImage('jpeg'),
    format: 'jpeg',
    recipe: recipe({
      createdAt: day(2),
      model: 'core',
      operation: 'text-to-image',
      params: { prompt: 'a blue whale' },
      sandbox: true,
      credits: 0,
    }),
  });
  await saveResult(dir, {
    bytes: await makeImage('webp'),
    format: 'webp',
    recipe: recipe({
      createdAt: day(3),
      model: null,
      operation: 'upscale',
      endpoint: '/v2beta/stable-image/upscale/fast',
      params: { prompt: 'Fox portrait' },
    }),
  });
}

describe('the index', () => {
  it('lists newest first and filters by text, operation, model, dates, sandbox, favourites', async () => {
    await seed();
    const library = await openLib();
    expect(library.openedFrom).toBe('scan');
    expect(library.list().map((e) => e.prompt)).toEqual([
      'Fox portrait',
      'a blue whale',
      'a red fox in the snow',
    ]);
    const q = (query: Parameters<Library['query']>[0]) =>
      library.query(query).entries.map((e) => e.prompt);
    expect(q({ text: 'FOX' })).toEqual(['Fox portrait', 'a red fox in the snow']);
    expect(q({ text: 'fox snow' })).toEqual(['a red fox in the snow']);
    expect(q({ operations: ['upscale'] })).toEqual(['Fox portrait']);
    expect(q({ models: ['core'] })).toEqual(['a blue whale']);
    expect(q({ from: new Date(2026, 10, 2), to: new Date(2026, 10, 3) })).toEqual(['a blue whale']);
    expect(q({ sandbox: true })).toEqual(['a blue whale']);
    expect(q({ sandbox: false })).toHaveLength(2);
    expect(library.query({ limit: 1, offset: 1 })).toMatchObject({
      total: 3,
      entries: [{ prompt: 'a blue whale' }],
    });
    expect(library.facets()).toEqual({
      models: ['core', 'sd3.5-large'],
      operations: ['text-to-image', 'upscale'],
    });

    const whale = library.list()[1];
    if (!whale) throw new Error('missing');
    const fav = await library.setFavourite(whale.id, true);
    expect(fav.favourite).toBe(true);
    expect(q({ favourites: true })).toEqual(['a blue whale']);
    // The favourite lives in the sidecar (sync-friendly: no shared file).
    expect(JSON.parse(await readFile(path.join(dir, whale.sidecarPath), 'utf8'))).toMatchObject({
      favourite: true,
    });
    expect((await library.readSidecar(whale.id))?.favourite).toBe(true);
    expect(library.get(whale.id)?.favourite).toBe(true);
  });

  /** Ways an index can be damaged or hostile, made from a good one; each must be rebuilt. */
  function corruptIndexes(good: string): string[] {
    const [header = '', ...lines] = good.trimEnd().split('\n');
    const line = lines[0] ?? '';
    // The first folder that holds pictures, and its rows.
    const at = lines.findIndex((l) => ((JSON.parse(l) as unknown[])[3] as unknown[]).length > 0);
    const rows = (JSON.parse(lines[at] ?? '') as unknown[])[3] as unknown[][];
    expect(rows[0]).toHaveLength(22);
    const withRow = (change: (row: unknown[]) => void) => {
      const row = structuredClone(rows[0] ?? []);
      change(row);
      const parsed = JSON.parse(lines[at] ?? '') as unknown[];
      parsed[3] = [row, ...rows.slice(1)];
      return [header, ...lines.map((l, i) => (i === at ? JSON.stringify(parsed) : l))].join('\n');
    };
    return [
      '{"kind":"atelier-library-index","version":1,"format":1,"dirs":{"":{"mtimeMs":1}}}',
      '{ not json',
      '',
      '[]',
      '{"kind":"atelier-library-index","version":99}',
      // v2, the whole index as one JSON object
      '{"kind":"atelier-library-index","version":2,"format":1,"dirs":{"":{"m":1,"s":[],"e":[]}}}',
      // cut short: a folder's line missing, or the last one cut mid-way
      [header, ...lines.slice(0, -1)].join('\n'),
      good.slice(0, good.length - 20),
      // more than the header says
      `${good}${line}\n`,
      // a line that is not JSON, or nested deeper than any index
      [header, '{ not json', ...lines.slice(1)].join('\n'),
      [header, `${'['.repeat(100_000)}${']'.repeat(100_000)}`, ...lines.slice(1)].join('\n'),
      // values of the wrong type, and names that would lead out of the library
      withRow((row) => (row[3] = 42)),
      withRow((row) => (row[21] = 9)),
      withRow((row) => (row[20] = [{ role: 1 }])),
      withRow(
        (row) =>
          (row[20] = [
            {
              role: 'image',
              sha256: 'a',
              file: 'b',
              more: JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`) as unknown,
            },
          ]),
      ),
      withRow((row) => (row[2] = '../../outside.png')),
      withRow((row) => (row[2] = '..')),
      withRow((row) => (row[2] = 'notes.txt')),
      [header, JSON.stringify(['', 1, ['..'], []]), ...lines.slice(1)].join('\n'),
      [header, JSON.stringify(['../..', 1, [], []]), ...lines.slice(1)].join('\n'),
    ];
  }

  it('warm open uses the cache; a corrupt, foreign or stale cache is rebuilt from the files', async () => {
    await seed();
    const first = await openLib();
    const ids = first.list().map((e) => e.id);
    await first.close();
    const cacheFile = indexFilePath(dir);
    expect((await stat(cacheFile)).size).toBeGreaterThan(0);

    const warm = await openLib();
    expect(warm.openedFrom).toBe('cache');
    expect(warm.list().map((e) => e.id)).toEqual(ids);
    await warm.close();

    for (const junk of corruptIndexes(await readFile(cacheFile, 'utf8'))) {
      await writeFile(cacheFile, junk);
      const library = await openLib();
      expect(library.openedFrom).toBe('scan');
      expect(library.list().map((e) => e.id)).toEqual(ids);
      await library.close();
    }
    // A good index, but reached through a link planted in its place: not read.
    const elsewhere = path.join(dir, '..', `${path.basename(dir)}-index.json`);
    await rename(cacheFile, elsewhere);
    await symlink(elsewhere, cacheFile);
    const linked = await openLib();
    expect(linked.openedFrom).toBe('scan');
    expect(linked.list().map((e) => e.id)).toEqual(ids);
    await linked.close();
    await rm(elsewhere);

    // Stale: a file removed and one added while the app was closed (folder mtimes move on).
    const gone = ids[0] ?? '';
    const goneEntry = warm.get(gone);
    if (!goneEntry) throw new Error('missing');
    await rm(path.join(dir, goneEntry.path));
    await rm(path.join(dir, goneEntry.sidecarPath));
    const added = await saveResult(dir, {
      bytes: await makeImage('png', 10, 10),
      format: 'png',
      recipe: recipe({ params: { prompt: 'added while closed' } }),
    });
    const stale = await openLib();
    expect(stale.openedFrom).toBe('cache');
    expect(stale.get(gone)).toBeNull();
    expect(stale.get(added.sidecar.id)?.prompt).toBe('added while closed');
    expect(stale.list()).toHaveLength(3);
  });

  it('a library folder that cannot be made is refused with a sentence', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    await expect(openLibrary(path.join(file, 'Library'))).rejects.toThrow(
      /could not be opened\. Check that its drive is connected/,
    );
  });

  it('save and import through the library emit changes and are listed at once', async () => {
    const library = await openLib();
    const changes: LibraryChange[] = [];
    library.onChange((c) => changes.push(c));
    const entry = await library.save({
      bytes: await makeImage('png'),
      format: 'png',
      recipe: recipe(),
    });
    const png = setPngTexts(await makeImage('png', 16, 16), [
      textChunk('parameters', 'a castle\nSteps: 20, Sampler: Euler, Seed: 7, Size: 16x16'),
    ]);
    const outside = path.join(dir, '..', `${path.basename(dir)}-castle.png`);
    await writeFile(outside, png);
    try {
      const imported = await library.import({ path: outside });
      expect(imported).toMatchObject({ operation: 'import', prompt: 'a castle', seed: 7 });
      expect(library.list().map((e) => e.id)).toEqual([imported.id, entry.id]);
      expect(changes.map((c) => c.added.map((e) => e.id))).toEqual([[entry.id], [imported.id]]);
    } finally {
      await rm(outside, { force: true });
    }
  });
});

describe('delete with undo', () => {
  it('without an OS trash: moves to .atelier/trash, undo puts it back', async () => {
    await seed();
    const library = await openLib();
    const [a, b] = library.list();
    if (!a || !b) throw new Error('missing');
    const receipt = await library.delete([a.id, b.id]);
    expect(library.list()).toHaveLength(1);
    await expect(stat(path.join(dir, a.path))).rejects.toThrow();
    const trashed = await readdir(path.join(dir, '.atelier', 'trash', receipt.token), {
      recursive: true,
    });
    expect(trashed.some((f) => f.endsWith(path.basename(a.path)))).toBe(true);
    const restored = await library.undoDelete(receipt.token);
    expect(restored.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
    expect(library.list()).toHaveLength(3);
    expect((await stat(path.join(dir, a.path))).isFile()).toBe(true);
  });

  it('with an injected OS trash: files go there at once, and undo still works', async () => {
    await seed();
    const trashed: string[] = [];
    const osTrash = path.join(dir, '..', `${path.basename(dir)}-os-trash`);
    await mkdir(osTrash, { recursive: true });
    const library = await openLib({
      watch: false,
      undoWindowMs: 60_000,
      trash: async (paths) => {
        for (const p of paths) {
          await rename(p, path.join(osTrash, path.basename(p)));
          trashed.push(p);
        }
      },
    });
    try {
      const [a] = library.list();
      if (!a) throw new Error('missing');
      const receipt = await library.delete([a.id]);
      expect(trashed.map((p) => path.relative(dir, p).split(path.sep).join('/'))).toEqual([
        a.path,
        a.sidecarPath,
      ]);
      expect(library.get(a.id)).toBeNull();
      await library.undoDelete(receipt.token);
      expect(library.get(a.id)?.path).toBe(a.path);
      const bytes = await readFile(path.join(dir, a.path));
      expect(bytes.length).toBe(a.bytes);
    } finally {
      await rm(osTrash, { recursive: true, force: true });
    }
  });
});

describe('thumbnails', () => {
  it('many first thumbnails at once (no cache folder yet) all succeed', async () => {
    await seed();
    await seed();
    const library = await openLib();
    const files = await Promise.all(library.list().map((e) => library.thumbnail(e.id, 128)));
    expect(new Set(files).size).toBe(6);
    for (const file of files) expect((await sharp(file).metadata()).format).toBe('webp');
  });

  it('made by sharp on demand into .atelier/thumbs, cached, remade when the image is newer', async () => {
    const library = await openLib();
    const entry = await library.save({
      bytes: await makeImage('png', 600, 300),
      format: 'png',
      recipe: recipe(),
    });
    const file = await library.thumbnail(entry.id);
    expect(path.relative(dir, file).split(path.sep).join('/')).toBe(
      `.atelier/thumbs/${entry.id}-256.webp`,
    );
    expect(await sharp(file).metadata()).toMatchObject({ format: 'webp', width: 256, height: 128 });
    const before = (await stat(file)).mtimeMs;
    expect(await library.thumbnail(entry.id)).toBe(file);
    expect((await stat(file)).mtimeMs).toBe(before);
    expect((await library.resolve(`/.atelier/thumbs/${entry.id}-256.webp`)).ok).toBe(true);
    // The image changed (e.g. edited in another program): the thumbnail is made again.
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(dir, entry.path), later, later);
    await library.thumbnail(entry.id);
    expect((await stat(file)).mtimeMs).not.toBe(before);
  });
});

describe('changes made by the app itself', () => {
  it('with the watcher on, a save, a favourite and a delete each give exactly one change', async () => {
    const library = await openLib({ watch: true, debounceMs: 30, graceMs: 200 });
    const changes: LibraryChange[] = [];
    library.onChange((c) => changes.push(c));
    const entry = await library.save({
      bytes: await makeImage('png'),
      format: 'png',
      recipe: recipe(),
    });
    await library.setFavourite(entry.id, true);
    await new Promise((r) => setTimeout(r, 600));
    const receipt = await library.delete([entry.id]);
    await new Promise((r) => setTimeout(r, 600));
    expect(changes.map((c) => [c.added.length, c.updated.length, c.removed.length])).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    await library.undoDelete(receipt.token);
    await new Promise((r) => setTimeout(r, 600));
    expect(changes).toHaveLength(4);
    expect(library.get(entry.id)?.favourite).toBe(true);
    await expect(library.undoDelete(receipt.token)).rejects.toThrow(/can no longer be undone/);
  });
});

describe('changes made outside the app', () => {
  it('files added, renamed and deleted in the folder appear without a restart', async () => {
    await seed();
    const library = await openLib({ watch: true, debounceMs: 50, graceMs: 300 });
    const changes: LibraryChange[] = [];
    library.onChange((c) => changes.push(c));
    const ids = () => new Set(library.list().map((e) => e.id));

    // Another Atelier (or a sync client) adds a complete pair in a new day folder.
    const other = path.join(dir, '..', `${path.basename(dir)}-other`);
    const saved = await saveResult(other, {
      bytes: await makeImage('png', 12, 12),
      format: 'png',
      recipe: recipe({ createdAt: new Date(2025, 0, 1), params: { prompt: 'synced in' } }),
    });
    const dayDir = path.join(dir, '2025-01-01');
    await mkdir(dayDir, { recursive: true });
    await writeFile(
      path.join(dayDir, path.basename(saved.imageFile)),
      await readFile(saved.imageFile),
    );
    await writeFile(
      path.join(dayDir, path.basename(saved.sidecarFile)),
      await readFile(saved.sidecarFile),
    );
    await rm(other, { recursive: true, force: true });
    await waitFor(() => ids().has(saved.sidecar.id));
    expect(library.get(saved.sidecar.id)?.prompt).toBe('synced in');

    // Renamed in the file manager (image and sidecar together).
    const entry = library.get(saved.sidecar.id);
    if (!entry) throw new Error('missing');
    await rename(path.join(dir, entry.path), path.join(dayDir, 'renamed.png'));
    await rename(path.join(dir, entry.sidecarPath), path.join(dayDir, 'renamed.json'));
    await waitFor(() => library.get(saved.sidecar.id)?.path === '2025-01-01/renamed.png');

    // A plain image dropped in by hand: adopted as an import once it has settled.
    await writeFile(path.join(dayDir, 'dropped.jpg'), await makeImage('jpeg', 20, 10));
    await waitFor(() => library.list().some((e) => e.path === '2025-01-01/dropped.jpg'), 10_000);
    expect(library.list().find((e) => e.path === '2025-01-01/dropped.jpg')?.operation).toBe(
      'import',
    );

    // Deleted outside: gone from the index.
    const victim = library.list().find((e) => e.prompt === 'a blue whale');
    if (!victim) throw new Error('missing');
    await rm(path.join(dir, victim.path));
    await rm(path.join(dir, victim.sidecarPath));
    await waitFor(() => !ids().has(victim.id));
    expect(changes.some((c) => c.removed.includes(victim.id))).toBe(true);

    // A whole day folder removed.
    await rm(dayDir, { recursive: true });
    await waitFor(() => !ids().has(saved.sidecar.id));
    expect(library.list().every((e) => !e.path.startsWith('2025-01-01/'))).toBe(true);
  });

  it('a folder made outside is watched too: pictures put in it later appear', async () => {
    const library = await openLib({ watch: true, debounceMs: 30, graceMs: 200 });
    const album = path.join(dir, 'albums', 'foxes');
    await mkdir(album, { recursive: true });
    await new Promise((r) => setTimeout(r, 500)); // read (empty) and watched by now
    await writeFile(path.join(album, 'fox.png'), await makeImage('png', 16, 16, 3));
    await waitFor(() => library.list().some((e) => e.path === 'albums/foxes/fox.png'), 10_000);
  });

  it('a half-copied image is never listed; it appears once whole', async () => {
    const library = await openLib({ watch: true, debounceMs: 30, graceMs: 200 });
    const full = await makeImage('png', 64, 64, 7);
    const file = path.join(dir, 'incoming.png');
    await writeFile(file, full.subarray(0, 100));
    await new Promise((r) => setTimeout(r, 700));
    expect(library.list()).toEqual([]);
    await writeFile(file, full);
    await waitFor(() => library.list().some((e) => e.path === 'incoming.png'), 10_000);
  });
});
