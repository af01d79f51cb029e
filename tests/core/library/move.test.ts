/**
 * Moving the library to another folder, on real files: everything arrives with its folders, the
 * cache and temporary files stay behind, across "drives" (rename refused with EXDEV) nothing is
 * half-written, an interrupted move finishes when run again, and nothing in the new folder is ever
 * overwritten.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, saveResult } from '../../../electron/core/library';
import { moveLibrary, moveProblem } from '../../../electron/core/library/move';
import { makeImage, recipe, tempDir } from './helpers';

let root: { dir: string; cleanup: () => Promise<void> };
let from: string;
let to: string;

beforeEach(async () => {
  root = await tempDir('atelier-move-');
  from = path.join(root.dir, 'old library');
  to = path.join(root.dir, 'new drive', 'Atelier');
  await mkdir(from, { recursive: true });
});

afterEach(() => root.cleanup());

async function seed(count: number): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const saved = await saveResult(from, {
      bytes: await makeImage('png', 32, 24, i + 1),
      format: 'png',
      recipe: recipe({
        params: { prompt: `a fox #${i}` },
        createdAt: new Date(Date.UTC(2026, 9, 1 + i, 12)),
      }),
    });
    paths.push(saved.entry.path);
  }
  return paths;
}

/** Every file below `dir`, library-relative with '/'. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(child);
      else out.push(child);
    }
  };
  if (existsSync(dir)) await walk('');
  return out.sort();
}

describe('moving the library', () => {
  it('moves every picture, sidecar, input and extra file; the cache and temporary files stay', async () => {
    const images = await seed(3);
    await mkdir(path.join(from, 'inputs'), { recursive: true });
    await writeFile(path.join(from, 'inputs', 'abc.png'), await makeImage('png'));
    await writeFile(path.join(from, 'notes.txt'), 'my notes');
    await (await openLibrary(from, { watch: false })).close(); // makes the hidden cache folder
    await writeFile(path.join(from, '.atelier-tmp-123-half.png'), 'half');
    const before = (await filesUnder(from)).filter((f) => !f.startsWith('.'));
    const progress: number[] = [];

    const result = await moveLibrary(from, to, { onProgress: (p) => progress.push(p.done) });

    expect(result).toEqual({ moved: before.length, pictures: 3, left: [] });
    expect(await filesUnder(to)).toEqual(before);
    expect(progress.at(-1)).toBe(before.length);
    // The old folder keeps only what was not moved: the temporary file (its cache is gone).
    expect(await filesUnder(from)).toEqual(['.atelier-tmp-123-half.png']);
    // The new folder opens as a library with the same pictures.
    const moved = await openLibrary(to, { watch: false });
    expect(
      moved
        .list()
        .map((e) => e.path)
        .sort(),
    ).toEqual([...images].sort());
    await moved.close();
  });

  it('copies across drives through a temporary name, then removes the original', async () => {
    await seed(2);
    const names = await filesUnder(from);
    const seen: string[] = [];
    const result = await moveLibrary(from, to, {
      rename: (a, b) => {
        // Our own temporary files are renamed on one drive; the move itself is refused.
        if (path.basename(a).startsWith('.atelier-tmp-')) return rename(a, b);
        seen.push(b);
        return Promise.reject(Object.assign(new Error('cross-device'), { code: 'EXDEV' }));
      },
    });
    expect(result.moved).toBe(names.length);
    expect(seen).toHaveLength(names.length);
    expect((await filesUnder(to)).filter((f) => f.includes('.atelier-tmp-'))).toEqual([]);
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      expect(JSON.parse(await readFile(path.join(to, name), 'utf8'))).toHaveProperty('id');
    }
    expect((await filesUnder(from)).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('finishes an interrupted move when run again, and never overwrites a different file', async () => {
    await seed(3);
    const names = (await filesUnder(from)).filter((f) => !f.startsWith('.'));
    // The first run stops after two files (as a crash would)...
    const stop = new AbortController();
    await expect(
      moveLibrary(from, to, {
        onProgress: (p) => {
          if (p.done === 2) stop.abort(new Error('the power went'));
        },
        signal: stop.signal,
      }),
    ).rejects.toThrow(/power/);
    expect((await filesUnder(to)).length).toBe(2);
    // ...the two files already there are the same to the byte, so the second run finishes.
    const again = await moveLibrary(from, to);
    expect(again.left).toEqual([]);
    expect(await filesUnder(to)).toEqual(names);

    // A different file at a name in the new folder is left alone, and so is the original.
    await mkdir(path.join(from, 'extra'), { recursive: true });
    await writeFile(path.join(from, 'extra', 'a.txt'), 'old');
    await mkdir(path.join(to, 'extra'), { recursive: true });
    await writeFile(path.join(to, 'extra', 'a.txt'), 'new');
    const third = await moveLibrary(from, to);
    expect(third.left).toEqual([
      { path: 'extra/a.txt', reason: 'a different file has its name in the new folder' },
    ]);
    expect(await readFile(path.join(to, 'extra', 'a.txt'), 'utf8')).toBe('new');
    expect(await readFile(path.join(from, 'extra', 'a.txt'), 'utf8')).toBe('old');
  });

  it('refuses a relative folder, the same folder, and one inside the other', () => {
    expect(moveProblem(from, 'pictures')).toMatch(/full path/);
    expect(moveProblem(from, `${from}/`)).toMatch(/already the library folder/);
    expect(moveProblem(from, path.join(from, 'sub'))).toMatch(/cannot be inside/);
    expect(moveProblem(from, root.dir)).toMatch(/cannot contain/);
    expect(moveProblem(from, to)).toBeNull();
  });
});
