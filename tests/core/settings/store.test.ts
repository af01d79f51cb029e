import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { link, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/api';
import { PlainError } from '../../../electron/core/errors';
import { openSettings } from '../../../electron/core/settings';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'atelier-settings-'));
  file = path.join(dir, 'settings.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readJson(target: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(target, 'utf8')) as Record<string, unknown>;
}

describe('settings store', () => {
  it('gives the defaults when there is no file, and writes nothing', async () => {
    const store = await openSettings({ dir });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recovery).toBeNull();
    expect(store.file).toBe(file);
    expect(await readdir(dir)).toEqual([]);
  });

  it('creates a missing data folder on the first write', async () => {
    const nested = path.join(dir, 'a', 'b');
    const store = await openSettings({ dir: nested });
    await store.set({ theme: 'dark' });
    expect((await readJson(path.join(nested, 'settings.json'))).theme).toBe('dark');
  });

  it('keeps settings across restarts (round trip)', async () => {
    const first = await openSettings({ dir });
    const changed: Settings = {
      theme: 'light',
      apiBaseUrl: 'https://proxy.example.com/stability',
      libraryDir: '/home/ada/Pictures/Atelier',
      sandboxMode: true,
      concurrency: 2,
    };
    expect(await first.set(changed)).toEqual(changed);
    const second = await openSettings({ dir });
    expect(second.get()).toEqual(changed);
    expect(second.recovery).toBeNull();
    expect(await readJson(file)).toEqual(changed);
  });

  it('get returns a copy the caller cannot use to change the store', async () => {
    const store = await openSettings({ dir });
    const copy = store.get();
    copy.concurrency = 99;
    expect(store.get().concurrency).toBe(DEFAULT_SETTINGS.concurrency);
  });

  it('writes atomically: the file is replaced by a rename and no temporary file is left', async () => {
    const store = await openSettings({ dir });
    await store.set({ theme: 'dark' });
    const before = await readFile(file, 'utf8');
    // A hard link to the old file: a rename leaves it alone, writing in place would change it.
    const keep = await mkdtemp(path.join(tmpdir(), 'atelier-settings-link-'));
    try {
      await link(file, path.join(keep, 'old.json'));
      for (let i = 1; i <= 8; i++) await store.set({ concurrency: i });
      expect(await readFile(path.join(keep, 'old.json'), 'utf8')).toBe(before);
    } finally {
      await rm(keep, { recursive: true, force: true });
    }
    expect(await readdir(dir)).toEqual(['settings.json']);
    expect((await readJson(file)).concurrency).toBe(8);
  });

  it('refuses an invalid change with fields, and changes nothing', async () => {
    const store = await openSettings({ dir });
    await store.set({ theme: 'dark' });
    const invalidPatch = { concurrency: 99, apiBaseUrl: 'ftp://x' } as unknown as Settings;
    const error: unknown = await store.set(invalidPatch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlainError);
    const plain = error as PlainError;
    expect(plain.code).toBe('invalid_request');
    expect(Object.keys(plain.fields ?? {}).sort()).toEqual(['apiBaseUrl', 'concurrency']);
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect((await readJson(file)).concurrency).toBe(DEFAULT_SETTINGS.concurrency);
  });

  it('refuses unknown keys in a change', async () => {
    const store = await openSettings({ dir });
    const error: unknown = await store
      .set({ colour: 'red' } as unknown as Settings)
      .catch((e: unknown) => e);
    expect((error as PlainError).code).toBe('invalid_request');
  });

  it('serializes concurrent changes: none is lost', async () => {
    const store = await openSettings({ dir });
    const results = await Promise.all([
      store.set({ theme: 'dark' }),
      store.set({ sandboxMode: true }),
      store.set({ concurrency: 2 }),
      store.set({ libraryDir: '/lib' }),
    ]);
    // Each change applies to the result of the one before it, in call order.
    expect(results[0]).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(results[1]).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', sandboxMode: true });
    const expected = {
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      sandboxMode: true,
      concurrency: 2,
      libraryDir: '/lib',
    };
    expect(results[3]).toEqual(expected);
    expect(store.get()).toEqual(expected);
    expect(await readJson(file)).toEqual(expected);
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('a failed change in a burst does not stop the others', async () => {
    const store = await openSettings({ dir });
    const outcomes = await Promise.allSettled([
      store.set({ concurrency: 3 }),
      store.set({ concurrency: 0 }),
      store.set({ theme: 'light' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, concurrency: 3, theme: 'light' });
  });

  it('says so in plain words when it cannot write, and keeps the settings unchanged', async () => {
    const blocked = path.join(dir, 'not-a-folder');
    await writeFile(blocked, 'a file where the data folder should be');
    const store = await openSettings({ dir: blocked });
    const error: unknown = await store.set({ theme: 'dark' }).catch((e: unknown) => e);
    expect((error as PlainError).code).toBe('io_error');
    expect((error as PlainError).message).toMatch(/could not save your settings/);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });
});

describe('settings store recovery', () => {
  const now = () => new Date('2026-11-30T07:40:00.123Z');
  const aside = () => `${file}.corrupt-2026-11-30T07-40-00-123Z`;

  it('moves a file that is not JSON aside, uses the defaults, and reports it', async () => {
    await writeFile(file, '{ "theme": "dark", ');
    const onWarning = vi.fn();
    const store = await openSettings({ dir, now, onWarning });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recovery).toMatchObject({ movedTo: aside(), resetFields: ['*'] });
    expect(store.recovery?.message).toContain(aside());
    expect(onWarning).toHaveBeenCalledWith(store.recovery?.message);
    // The person's text is kept, byte for byte.
    expect(await readFile(aside(), 'utf8')).toBe('{ "theme": "dark", ');
    expect(await readJson(file)).toEqual(DEFAULT_SETTINGS);
  });

  it('treats JSON that is not an object as corrupt', async () => {
    await writeFile(file, '[1, 2, 3]');
    const store = await openSettings({ dir, now });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recovery?.movedTo).toBe(aside());
  });

  it('keeps the valid fields, resets the invalid ones, and keeps the old file', async () => {
    const original = {
      theme: 'dark',
      concurrency: 99,
      sandboxMode: 'yes',
      apiBaseUrl: 'https://proxy.example.com',
      fromTheFuture: { a: 1 },
    };
    await writeFile(file, JSON.stringify(original));
    const store = await openSettings({ dir, now, onWarning: () => undefined });
    expect(store.get()).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      apiBaseUrl: 'https://proxy.example.com',
    });
    expect(store.recovery?.resetFields).toEqual(['concurrency', 'sandboxMode']);
    expect(store.recovery?.message).toMatch(/concurrency, sandboxMode/);
    expect(await readJson(aside())).toEqual(original);
    // The repaired file keeps the valid fields (and keys a newer Atelier wrote) for the next start.
    expect(await readJson(file)).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      apiBaseUrl: 'https://proxy.example.com',
      fromTheFuture: { a: 1 },
    });
    const again = await openSettings({ dir, now });
    expect(again.recovery).toBeNull();
    expect(again.get().theme).toBe('dark');
  });

  it('fills missing keys from the defaults without calling the file corrupt', async () => {
    await writeFile(file, '\uFEFF{"theme":"light"}');
    const store = await openSettings({ dir, now });
    expect(store.recovery).toBeNull();
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'light' });
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('keeps unknown keys when writing a change', async () => {
    await writeFile(file, JSON.stringify({ theme: 'light', fromTheFuture: true }));
    const store = await openSettings({ dir });
    await store.set({ concurrency: 1 });
    expect(await readJson(file)).toMatchObject({ fromTheFuture: true, concurrency: 1 });
  });

  it('does not overwrite an earlier moved-aside file', async () => {
    await writeFile(aside(), 'older');
    await writeFile(file, 'not json');
    const store = await openSettings({ dir, now });
    expect(store.recovery?.movedTo).toBe(`${aside()}-1`);
    expect(await readFile(aside(), 'utf8')).toBe('older');
  });

  it('never crashes on a settings file it cannot read', async () => {
    await mkdir(file);
    const store = await openSettings({ dir, now, onWarning: () => undefined });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recovery).toMatchObject({ movedTo: null, resetFields: ['*'] });
    expect(store.recovery?.message).toMatch(/could not read its settings file/);
  });
});
