import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLibraryFile } from '../../../electron/core/library';
import { tempDir } from './helpers';

let root: string;
let lib: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('atelier-resolve-'));
  lib = path.join(root, 'Library');
  await mkdir(path.join(lib, '2026-11-30'), { recursive: true });
  await mkdir(path.join(lib, '.atelier', 'thumbs'), { recursive: true });
  await mkdir(path.join(root, 'outside'), { recursive: true });
  await writeFile(path.join(lib, '2026-11-30', 'a fox.png'), 'png');
  await writeFile(path.join(lib, '2026-11-30', 'a.json'), '{}');
  await writeFile(path.join(lib, '.atelier', 'thumbs', '01ABC-256.webp'), 'webp');
  await writeFile(path.join(lib, '.atelier', 'index-x.json'), '{}');
  await writeFile(path.join(lib, '.atelier', 'secret.png'), 'png');
  await writeFile(path.join(root, 'outside', 'secret.png'), 'secret');
  await writeFile(path.join(root, 'Library-evil.png'), 'sibling');
  // Symlinks: a file pointing out, a folder pointing out, and one pointing inside.
  await symlink(
    path.join(root, 'outside', 'secret.png'),
    path.join(lib, '2026-11-30', 'link-out.png'),
  );
  await symlink(path.join(root, 'outside'), path.join(lib, 'dir-out'));
  await symlink(path.join(lib, '2026-11-30', 'a fox.png'), path.join(lib, 'link-in.png'));
});
afterAll(async () => {
  await cleanup();
});

describe('resolveLibraryFile', () => {
  it('serves images inside the library, by URL path (encoded or not), and thumbnails', async () => {
    const expected = await realpath(path.join(lib, '2026-11-30', 'a fox.png'));
    expect(await resolveLibraryFile(lib, '/2026-11-30/a%20fox.png')).toEqual({
      ok: true,
      path: expected,
    });
    expect(await resolveLibraryFile(lib, '2026-11-30/a fox.png')).toEqual({
      ok: true,
      path: expected,
    });
    expect(await resolveLibraryFile(lib, '/link-in.png')).toEqual({ ok: true, path: expected });
    expect(await resolveLibraryFile(lib, '/.atelier/thumbs/01ABC-256.webp')).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ['parent segments', '/../outside/secret.png'],
    ['parent segments inside', '/2026-11-30/../../outside/secret.png'],
    ['a lone dot', '/./2026-11-30/a fox.png'],
    ['encoded dots', '/%2e%2e/outside/secret.png'],
    ['encoded dots, upper case', '/%2E%2E/outside/secret.png'],
    ['half-encoded dots', '/.%2e/outside/secret.png'],
    ['encoded slash', '/..%2foutside%2fsecret.png'],
    ['encoded backslash', '/..%5coutside%5csecret.png'],
    ['double encoding', '/%252e%252e/outside/secret.png'],
    ['backslashes', '/..\\outside\\secret.png'],
    ['backslash inside a name', '/2026-11-30\\a fox.png'],
    ['absolute path', '//etc/passwd.png'],
    ['absolute path, three slashes', '///tmp/x.png'],
    ['drive letter', '/C:/Windows/x.png'],
    ['home', '/~/x.png'],
    ['NUL byte', '/2026-11-30/a fox.png\0.png'],
    ['encoded NUL', '/2026-11-30/a%00.png'],
    ['bad encoding', '/2026-11-30/%E0%A4%A.png'],
    ['empty segment', '/2026-11-30//a fox.png'],
    ['empty', ''],
    ['the cache index', '/.atelier/index-x.json'],
    ['other hidden files', '/.atelier/secret.png'],
    ['hidden file in the thumbs path trick', '/.atelier/thumbs/../secret.png'],
  ])('refuses %s', async (_label, request) => {
    const result = await resolveLibraryFile(lib, request);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['bad-path', 'not-media']).toContain(result.reason);
  });

  it('refuses symlinks that lead out of the library', async () => {
    expect(await resolveLibraryFile(lib, '/2026-11-30/link-out.png')).toEqual({
      ok: false,
      reason: 'outside',
    });
    expect(await resolveLibraryFile(lib, '/dir-out/secret.png')).toEqual({
      ok: false,
      reason: 'outside',
    });
  });

  it('refuses what is not an image, and what is not there', async () => {
    expect(await resolveLibraryFile(lib, '/2026-11-30/a.json')).toEqual({
      ok: false,
      reason: 'not-media',
    });
    expect(await resolveLibraryFile(lib, '/2026-11-30/none.png')).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await resolveLibraryFile(lib, '/2026-11-30')).toEqual({
      ok: false,
      reason: 'not-media',
    });
    // A sibling folder whose name starts with the library's name is still outside.
    expect((await resolveLibraryFile(lib, '/../Library-evil.png')).ok).toBe(false);
  });
});
