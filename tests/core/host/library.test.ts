import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallResult, EventName } from '../../../shared/api';
import { createHost, type Host, type HostOptions } from '../../../electron/core/host';
import { saveResult } from '../../../electron/core/library';
import { makeImage, recipe, waitFor } from '../library/helpers';

let root: string;
let dataDir: string;
let libDir: string;
const hosts: Host[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'atelier-hostlib-'));
  dataDir = path.join(root, 'data');
  libDir = path.join(root, 'library');
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  await rm(root, { recursive: true, force: true });
});

async function makeHost(options: Partial<HostOptions> = {}): Promise<Host> {
  const host = await createHost({
    shell: 'browser',
    version: '1.2.3',
    platform: 'linux',
    env: { ATELIER_DATA_DIR: dataDir },
    log: () => undefined,
    libraryDir: libDir,
    keychain: false,
    libraryOptions: { debounceMs: 20, graceMs: 200 },
    ...options,
  });
  hosts.push(host);
  return host;
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view of a test answer
function value<T = unknown>(result: CallResult): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.value as T;
}

function failure(result: CallResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.error;
}

interface Item {
  id: string;
  path: string;
  prompt: string;
  favourite: boolean;
  sandbox: boolean;
  model: string | null;
  operation: string;
}
interface Page {
  total: number;
  all: number;
  entries: Item[];
  facets: { models: string[]; operations: string[] };
}

/** Three images: fox (oldest, sd3.5-large), owl (Sandbox, core), cat (newest, upscale). */
async function seed(dir: string) {
  const day = (d: number) => new Date(Date.UTC(2026, 10, d, 12));
  const fox = await saveResult(dir, {
    bytes: await makeImage('png', 40, 30, 1),
    format: 'png',
    recipe: recipe({ createdAt: day(1) }),
  });
  const owl = await saveResult(dir, {
    bytes: await makeImage('png', 40, 30, 2),
    format: 'png',
    recipe: recipe({
      createdAt: day(5),
      model: 'core',
      sandbox: true,
      params: { prompt: 'an owl at night', negative_prompt: '' },
    }),
  });
  const cat = await saveResult(dir, {
    bytes: await makeImage('webp', 40, 30, 3),
    format: 'webp',
    recipe: recipe({
      createdAt: day(9),
      operation: 'upscale',
      model: null,
      params: { prompt: 'a sleepy cat' },
    }),
  });
  return { fox: fox.entry, owl: owl.entry, cat: cat.entry };
}

describe('library calls through the host', () => {
  it('query: newest first, paged, searched and filtered, with facets', async () => {
    const { fox, owl, cat } = await seed(libDir);
    const host = await makeHost();
    const all = value<Page>(await host.dispatch('library.query', {}));
    expect(all.entries.map((e) => e.id)).toEqual([cat.id, owl.id, fox.id]);
    expect(all.total).toBe(3);
    expect(all.facets.models.sort()).toEqual(['core', 'sd3.5-large']);
    expect(all.facets.operations.sort()).toEqual(['text-to-image', 'upscale']);

    const page = value<Page>(await host.dispatch('library.query', { offset: 1, limit: 1 }));
    expect(page.entries.map((e) => e.id)).toEqual([owl.id]);
    expect(page.total).toBe(3);

    const q = async (request: Record<string, unknown>) =>
      value<Page>(await host.dispatch('library.query', request)).entries.map((e) => e.id);
    expect(await q({ text: 'OWL night' })).toEqual([owl.id]);
    expect(await q({ text: 'fox giraffe' })).toEqual([]);
    expect(await q({ sandbox: true })).toEqual([owl.id]);
    expect(await q({ sandbox: false })).toEqual([cat.id, fox.id]);
    expect(await q({ operations: ['upscale'] })).toEqual([cat.id]);
    expect(await q({ models: ['sd3.5-large'] })).toEqual([fox.id]);
    expect(await q({ from: Date.UTC(2026, 10, 3), to: Date.UTC(2026, 10, 8) })).toEqual([owl.id]);
    const filtered = value<Page>(await host.dispatch('library.query', { favourites: true }));
    expect(filtered.total).toBe(0);
    expect(filtered.all).toBe(3);
    // Bad requests are refused at the boundary.
    expect(failure(await host.dispatch('library.query', { limit: 100_000 })).code).toBe(
      'invalid_request',
    );
  });

  it('get answers the recipe; favourites persist in the sidecar and are announced', async () => {
    const { fox } = await seed(libDir);
    const host = await makeHost();
    const events: { event: EventName; payload: unknown }[] = [];
    host.subscribe((event, payload) => events.push({ event, payload }));
    const got = value<{ entry: Item; recipe: { params: Record<string, unknown> } }>(
      await host.dispatch('library.get', { id: fox.id }),
    );
    expect(got.entry.prompt).toBe('a red fox in the snow, watercolour');
    expect(got.recipe.params).toMatchObject({ cfg_scale: 4, negative_prompt: 'blurry' });

    const marked = value<Item>(
      await host.dispatch('library.setFavourite', { id: fox.id, favourite: true }),
    );
    expect(marked.favourite).toBe(true);
    const sidecar = JSON.parse(await readFile(path.join(libDir, fox.sidecarPath), 'utf8')) as {
      favourite: boolean;
    };
    expect(sidecar.favourite).toBe(true);
    await waitFor(() => events.some((e) => e.event === 'library.changed'));
    const change = events.find((e) => e.event === 'library.changed')?.payload as {
      updated: Item[];
    };
    expect(change.updated[0]?.id).toBe(fox.id);
    const favs = value<Page>(await host.dispatch('library.query', { favourites: true }));
    expect(favs.entries.map((e) => e.id)).toEqual([fox.id]);

    const missing = failure(
      await host.dispatch('library.get', { id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ' }),
    );
    expect(missing.code).toBe('not_found');
    expect(missing.message).toMatch(/no longer in the library/);
  });

  it('delete many, then undo brings them back', async () => {
    const { fox, owl, cat } = await seed(libDir);
    const host = await makeHost();
    const receipt = value<{ token: string; ids: string[] }>(
      await host.dispatch('library.delete', { ids: [fox.id, owl.id] }),
    );
    expect(receipt.ids.sort()).toEqual([fox.id, owl.id].sort());
    await expect(stat(path.join(libDir, fox.path))).rejects.toThrow();
    expect(value<Page>(await host.dispatch('library.query', {})).entries.map((e) => e.id)).toEqual([
      cat.id,
    ]);
    const undone = value<{ entries: Item[] }>(
      await host.dispatch('library.undoDelete', { token: receipt.token }),
    );
    expect(undone.entries).toHaveLength(2);
    expect((await stat(path.join(libDir, fox.path))).isFile()).toBe(true);
    expect(value<Page>(await host.dispatch('library.query', {})).total).toBe(3);
    expect(failure(await host.dispatch('library.delete', { ids: ['nope'] })).code).toBe(
      'not_found',
    );
  });

  it('two deletes of the same picture at once: one deletes it, the other says it is gone (found by the fuzz test)', async () => {
    const { fox, owl, cat } = await seed(libDir);
    const host = await makeHost();
    const [first, second] = await Promise.all([
      host.dispatch('library.delete', { ids: [fox.id] }),
      host.dispatch('library.delete', { ids: [fox.id, owl.id] }),
    ]);
    expect(value<{ ids: string[] }>(first).ids).toEqual([fox.id]);
    // The second takes what is still there (owl) and does not fail on the picture already moved.
    expect(value<{ ids: string[] }>(second).ids).toEqual([owl.id]);
    const again = failure(
      await host
        .dispatch('library.delete', { ids: [cat.id] })
        .then(() => host.dispatch('library.delete', { ids: [cat.id] })),
    );
    expect(again.code).toBe('not_found');
    const [a, b] = await Promise.all([
      host.dispatch('library.delete', { ids: [owl.id] }),
      host.dispatch('library.delete', { ids: [owl.id] }),
    ]);
    for (const result of [a, b]) expect(failure(result).code).toBe('not_found');
    expect(value<Page>(await host.dispatch('library.query', {})).total).toBe(0);
  });

  it('imports staged pictures (a main-process path, uploaded chunks), never a path from the page', async () => {
    const host = await makeHost();
    const file = path.join(root, 'outside.png');
    await writeFile(file, await makeImage('png', 20, 20, 7));
    const staged = value<{ id: string }>(await host.stagePath(file));
    const byPath = value<Item>(await host.dispatch('library.import', { input: staged.id }));
    expect(byPath.operation).toBe('import');

    const bytes = await makeImage('jpeg', 30, 20, 8);
    const { id } = value<{ id: string }>(
      await host.dispatch('inputs.begin', { name: 'dropped.jpg', size: bytes.length }),
    );
    const half = Math.floor(bytes.length / 2);
    value(
      await host.dispatch('inputs.chunk', {
        id,
        offset: 0,
        data: bytes.subarray(0, half).toString('base64'),
      }),
    );
    value(
      await host.dispatch('inputs.chunk', {
        id,
        offset: half,
        data: bytes.subarray(half).toString('base64'),
      }),
    );
    value(await host.dispatch('inputs.finish', { id }));
    const byBytes = value<Item>(await host.dispatch('library.import', { input: id }));
    expect(byBytes.path.endsWith('.jpg') || byBytes.path.endsWith('.jpeg')).toBe(true);
    expect(value<Page>(await host.dispatch('library.query', {})).total).toBe(2);

    const other = value<{ id: string }>(
      await host.dispatch('inputs.begin', { name: 'x.png', size: 10 }),
    );
    const wrong = failure(
      await host.dispatch('inputs.chunk', { id: other.id, offset: 5, data: 'AAAA' }),
    );
    expect(wrong.code).toBe('bad_offset');
    expect(failure(await host.dispatch('library.import', { input: 'no-such-input' })).code).toBe(
      'input_gone',
    );
    expect(failure(await host.dispatch('library.import', { path: file })).code).toBe(
      'invalid_request',
    );
  });

  it('images written by saveResult (as Create does) appear with a library.changed event', async () => {
    const host = await makeHost();
    const events: unknown[] = [];
    host.subscribe((event, payload) => {
      if (event === 'library.changed') events.push(payload);
    });
    expect(value<Page>(await host.dispatch('library.query', {})).total).toBe(0);
    const saved = await saveResult(libDir, {
      bytes: await makeImage('png'),
      format: 'png',
      recipe: recipe(),
    });
    await waitFor(async () => value<Page>(await host.dispatch('library.query', {})).total === 1);
    await waitFor(() =>
      events.some((e) => (e as { added: Item[] }).added.some((a) => a.id === saved.entry.id)),
    );
  });

  it('refresh reads what no watch saw (a network drive), and announces it', async () => {
    const host = await makeHost({ libraryOptions: { watch: false } });
    const events: { added: Item[] }[] = [];
    host.subscribe((event, payload) => {
      if (event === 'library.changed') events.push(payload as { added: Item[] });
    });
    expect(value<Page>(await host.dispatch('library.query', {})).total).toBe(0);
    const saved = await saveResult(libDir, {
      bytes: await makeImage('png'),
      format: 'png',
      recipe: recipe(),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(value<Page>(await host.dispatch('library.query', {})).total).toBe(0);
    expect(value(await host.dispatch('library.refresh', {}))).toEqual({
      added: 1,
      updated: 0,
      removed: 0,
    });
    expect(value<Page>(await host.dispatch('library.query', {})).entries[0]?.id).toBe(
      saved.entry.id,
    );
    await waitFor(() => events.some((e) => e.added.some((a) => a.id === saved.entry.id)));
    // Nothing new: nothing to say.
    expect(value(await host.dispatch('library.refresh', {}))).toEqual({
      added: 0,
      updated: 0,
      removed: 0,
    });
  });

  it('follows the libraryDir setting: reopens on the new folder and says reset', async () => {
    const other = path.join(root, 'other');
    await seed(other);
    const host = await makeHost({ libraryDir: undefined });
    await host.settings.set({ libraryDir: libDir });
    expect(value<Page>(await host.dispatch('library.query', {})).total).toBe(0);
    const events: { reset: boolean }[] = [];
    host.subscribe((event, payload) => {
      if (event === 'library.changed') events.push(payload as { reset: boolean });
    });
    await host.settings.set({ libraryDir: other });
    await waitFor(() => events.some((e) => e.reset));
    expect(value<Page>(await host.dispatch('library.query', {})).total).toBe(3);
    const folder = value<{ dir: string; isDefault: boolean; mediaBase: string }>(
      await host.dispatch('library.folder', {}),
    );
    expect(folder).toMatchObject({ dir: other, isDefault: false, mediaBase: '', canReveal: false });
  });

  it('move: every picture goes to the new folder, which becomes the library folder', async () => {
    await seed(libDir);
    const host = await makeHost({ libraryDir: undefined });
    await host.settings.set({ libraryDir: libDir });
    expect(value<Page>(await host.dispatch('library.query', {})).total).toBe(3);
    const progress: { done: number; total: number }[] = [];
    host.subscribe((event, payload) => {
      if (event === 'library.moving') progress.push(payload as { done: number; total: number });
    });
    const target = path.join(root, 'moved here');

    // Refused plainly: a relative folder, one inside the library.
    expect(failure(await host.dispatch('library.move', { to: 'moved' })).message).toMatch(
      /full path/,
    );
    expect(
      failure(await host.dispatch('library.move', { to: path.join(libDir, 'sub') })).message,
    ).toMatch(/cannot be inside/);

    const moved = value<{ dir: string; moved: number; left: number }>(
      await host.dispatch('library.move', { to: target }),
    );
    expect(moved).toEqual({ dir: target, moved: 6, pictures: 3, left: 0 });
    expect(progress.at(-1)).toEqual({ done: 6, total: 6 });
    expect(host.settings.get().libraryDir).toBe(target);
    const page = value<Page>(await host.dispatch('library.query', {}));
    expect(page.entries.map((e) => e.prompt)).toEqual([
      'a sleepy cat',
      'an owl at night',
      'a red fox in the snow, watercolour',
    ]);
    // The pictures are served from the new folder.
    const first = page.entries[0];
    expect(first && (await stat(path.join(target, first.path))).size).toBeGreaterThan(0);
  });

  it('move: refused where the folder was given for this run (--library)', async () => {
    const host = await makeHost();
    const error = failure(await host.dispatch('library.move', { to: path.join(root, 'x') }));
    expect(error.message).toMatch(/--library/);
  });

  it('reveal: a plain sentence in the browser shell; the shell service in Electron', async () => {
    const { fox } = await seed(libDir);
    const browser = await makeHost();
    const refused = failure(await browser.dispatch('library.reveal', { id: fox.id }));
    expect(refused.code).toBe('not_available');
    expect(refused.message).toMatch(/desktop app/);
    await browser.close();

    const revealed: string[] = [];
    const electron = await makeHost({
      shell: 'electron',
      shellServices: {
        openImage: () => Promise.resolve([]),
        saveImage: () => Promise.resolve(null),
        chooseFolder: () => Promise.resolve(null),
        reveal: (p) => revealed.push(p),
        startDrag: () => undefined,
        copyImage: () => Promise.resolve(),
      },
    });
    value(await electron.dispatch('library.reveal', { id: fox.id }));
    expect(revealed).toEqual([path.join(libDir, ...fox.path.split('/'))]);
    expect(
      value<{ mediaBase: string }>(await electron.dispatch('library.folder', {})),
    ).toMatchObject({ mediaBase: 'atelier-media://library', canReveal: true });
  });

  it('media: files of the library only; thumbnails by id and known size only', async () => {
    const { fox } = await seed(libDir);
    await writeFile(path.join(root, 'secret.png'), await makeImage('png'));
    await symlink(path.join(root, 'secret.png'), path.join(libDir, 'link.png'));
    const host = await makeHost();
    const ok = await host.library.media.resolve(`/${fox.path}`);
    expect(ok.ok).toBe(true);
    for (const bad of [
      '/../secret.png',
      '/%2e%2e/secret.png',
      '/link.png',
      `/${fox.sidecarPath}`,
      '/.atelier/thumbs/x-128.webp',
      '/C:/Windows/win.ini',
    ]) {
      expect((await host.library.media.resolve(bad)).ok, bad).toBe(false);
    }
    const thumb = await host.library.media.thumbnail(fox.id, 256);
    expect(thumb).not.toBeNull();
    expect((await readFile(thumb ?? '')).subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(await host.library.media.thumbnail(fox.id, 300)).toBeNull();
    expect(await host.library.media.thumbnail('../../etc', 256)).toBeNull();
    expect(await host.library.media.thumbnail('01ZZZZZZZZZZZZZZZZZZZZZZZZ', 256)).toBeNull();
  });
});
