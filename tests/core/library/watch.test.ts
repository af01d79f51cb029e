/**
 * The folder watcher, on real folders: which folder it says changed, what it ignores, and (on
 * Linux, one watch per folder) that it watches exactly the folders it is given, a new one reported
 * once when first watched; a folder the system refuses to watch is polled until it may be watched.
 */
import { watch } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchFolders, type FolderWatcher } from '../../../electron/core/library/watch';
import { tempDir, waitFor } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
let watcher: FolderWatcher | null = null;
let changed: string[];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('atelier-watch-'));
  changed = [];
  await mkdir(path.join(dir, '2026-01-01', 'nested'), { recursive: true });
  await mkdir(path.join(dir, '2026-01-02'), { recursive: true });
  await mkdir(path.join(dir, '.atelier'), { recursive: true });
});
afterEach(async () => {
  watcher?.close();
  watcher = null;
  await cleanup();
});

const start = (recursive: boolean) =>
  watchFolders(dir, {
    recursive,
    ignored: (rel) => rel.split('/').some((s) => s.startsWith('.')),
    onChange: (relDir) => changed.push(relDir),
  });

/** Lets events that are on their way arrive, then forgets them. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 150));
  changed = [];
}

describe('one watch per folder (Linux)', () => {
  it('says which watched folder changed, and nothing of folders it was not given', async () => {
    watcher = start(false);
    watcher.sync(['', '2026-01-01']);
    expect(changed).toEqual([]); // the first sync reports nothing: the index was just read
    await writeFile(path.join(dir, '2026-01-01', 'a.png'), 'x');
    await waitFor(() => changed.includes('2026-01-01'));
    await writeFile(path.join(dir, 'b.png'), 'x');
    await waitFor(() => changed.includes(''));
    await settle();

    await writeFile(path.join(dir, '2026-01-02', 'c.png'), 'x');
    await writeFile(path.join(dir, '.atelier', 'index.json'), 'x');
    await writeFile(path.join(dir, '2026-01-01', '.hidden.png'), 'x');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changed).toEqual([]);
  });

  it('a folder added later is reported once, then watched; one dropped is no longer watched', async () => {
    watcher = start(false);
    watcher.sync(['', '2026-01-01']);
    watcher.sync(['', '2026-01-01', '2026-01-02']);
    expect(changed).toEqual(['2026-01-02']);
    await writeFile(path.join(dir, '2026-01-02', 'c.png'), 'x');
    await waitFor(() => changed.length > 1);
    expect(new Set(changed)).toEqual(new Set(['2026-01-02']));

    watcher.sync(['', '2026-01-02']);
    await settle();
    await writeFile(path.join(dir, '2026-01-01', 'a.png'), 'x');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changed).toEqual([]);
  });

  it('a watched folder that is deleted is reported by its parent, and never breaks the watcher', async () => {
    watcher = start(false);
    watcher.sync(['', '2026-01-01', '2026-01-01/nested', '2026-01-02']);
    await rm(path.join(dir, '2026-01-01'), { recursive: true });
    await waitFor(() => changed.includes(''));
    watcher.sync(['', '2026-01-02']);
    await settle();
    await writeFile(path.join(dir, '2026-01-02', 'c.png'), 'x');
    await waitFor(() => changed.includes('2026-01-02'));
  });

  it('a folder gone before its watch begins is no error (its parent reports it gone)', () => {
    const errors: string[] = [];
    watcher = watchFolders(dir, {
      recursive: false,
      ignored: () => false,
      onChange: () => undefined,
      onError: (relDir) => errors.push(relDir),
    });
    watcher.sync(['', 'gone']);
    expect(errors).toEqual([]);
  });
});

describe('a folder the system will not watch', () => {
  /** fs.watch, refusing the folders in `refuse` as Linux does past its limit of watches. */
  const refuse = new Set<string>();
  const limitedWatch = ((file: string, ...rest: unknown[]) => {
    if (refuse.has(path.relative(dir, file))) {
      throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), {
        code: 'ENOSPC',
      });
    }
    return (watch as (...args: unknown[]) => ReturnType<typeof watch>)(file, ...rest);
  }) as typeof watch;
  const errors: string[] = [];
  const startLimited = (recursive: boolean) =>
    watchFolders(dir, {
      recursive,
      pollMs: 40,
      watch: limitedWatch,
      ignored: () => false,
      onChange: (relDir) => changed.push(relDir),
      onError: (relDir) => errors.push(relDir),
    });
  beforeEach(() => {
    refuse.clear();
    errors.length = 0;
  });

  it('is said once, looked at every few seconds, and watched once the system allows', async () => {
    refuse.add('2026-01-02');
    watcher = startLimited(false);
    watcher.sync(['', '2026-01-01', '2026-01-02']);
    await waitFor(() => changed.filter((d) => d === '2026-01-02').length >= 3);
    expect(errors).toEqual(['2026-01-02']);
    expect(changed.every((d) => d === '2026-01-02')).toBe(true);

    refuse.clear(); // e.g. another program let go of its watches
    await settle(); // the next poll watches it, and polling stops
    await settle();
    await writeFile(path.join(dir, '2026-01-02', 'c.png'), 'x');
    await waitFor(() => changed.includes('2026-01-02'));
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(changed).toEqual([]);
    expect(errors).toEqual(['2026-01-02']);
  });

  it('a refused recursive watch looks at every folder of the index', async () => {
    refuse.add('');
    watcher = startLimited(true);
    watcher.sync(['', '2026-01-01', '2026-01-01/nested']);
    await waitFor(() => changed.includes('2026-01-01/nested'));
    expect(new Set(changed)).toEqual(new Set(['', '2026-01-01', '2026-01-01/nested']));
    expect(errors).toEqual(['']);
  });
});

describe('one recursive watch (macOS, Windows)', () => {
  it('says which folder changed, at any depth; hidden paths are ignored', async () => {
    watcher = start(true);
    watcher.sync(['']); // nothing to do in this mode
    await writeFile(path.join(dir, '2026-01-01', 'nested', 'deep.png'), 'x');
    await waitFor(() => changed.includes('2026-01-01/nested'));
    await writeFile(path.join(dir, '2026-01-02', 'c.png'), 'x');
    await waitFor(() => changed.includes('2026-01-02'));
    await settle();
    await writeFile(path.join(dir, '.atelier', 'index.json'), 'x');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changed).toEqual([]);
  });
});
