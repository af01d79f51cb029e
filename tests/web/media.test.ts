import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHost, type Host } from '../../electron/core/host';
import { saveResult, type LibraryEntry } from '../../electron/core/library';
import { startWebShell, type WebShell } from '../../electron/web/server';
import { makeImage, recipe } from '../core/library/helpers';
import { createMediaBase } from '../../electron/web/security';
import { get, makeRendererDir, removeDir } from './helpers';

let root: string;
let libDir: string;
let host: Host;
let shell: WebShell;
let entry: LibraryEntry;
let base: string;

beforeEach(async () => {
  let rendererDir: string;
  ({ root, rendererDir } = await makeRendererDir());
  libDir = path.join(root, 'library');
  entry = (
    await saveResult(libDir, {
      bytes: await makeImage('png', 64, 48),
      format: 'png',
      recipe: recipe(),
    })
  ).entry;
  // Things outside the library that a crafted address might try to reach.
  await writeFile(path.join(root, 'outside.png'), await makeImage('png'));
  await symlink(path.join(root, 'outside.png'), path.join(libDir, 'link.png'));
  await mkdir(path.join(libDir, 'linked'));
  await symlink(root, path.join(libDir, 'linked', 'up'));
  base = createMediaBase();
  host = await createHost({
    shell: 'browser',
    mediaBase: base,
    version: '9.9.9',
    env: { ATELIER_DATA_DIR: path.join(root, 'data') },
    libraryDir: libDir,
    keychain: false,
    log: () => undefined,
  });
  shell = await startWebShell({
    host,
    rendererDir,
    log: () => undefined,
    media: host.library.media,
    mediaBase: base,
  });
});

afterEach(async () => {
  await shell.close();
  await host.close();
  await removeDir(root);
});

describe('media over the browser shell', () => {
  it('serves a library image and its thumbnail under the per-run media base the host hands out', async () => {
    const folder = await host.dispatch('library.folder', {});
    expect(folder).toMatchObject({ ok: true, value: { mediaBase: base } });
    expect(base).toMatch(/^\/library-[A-Za-z0-9_-]{43}$/);
    const image = await get(shell.port, `${base}/media/${entry.path}`);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(Number(image.headers['content-length'])).toBe(entry.bytes);
    expect(image.headers['x-content-type-options']).toBe('nosniff');

    const thumb = await get(shell.port, `${base}/thumb/${entry.id}/256`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    // A cache-busting query string is ignored.
    expect((await get(shell.port, `${base}/thumb/${entry.id}/128?v=abc`)).status).toBe(200);
    expect(image.headers['set-cookie']).toBeUndefined();
  });

  it('is nowhere without the media base, and behind the Host and Origin checks with it', async () => {
    for (const target of [
      `/media/${entry.path}`,
      `/thumb/${entry.id}/256`,
      `/library-wrong/media/${entry.path}`,
      `${base.slice(0, -1)}x/media/${entry.path}`,
      `/media/${entry.path}?token=${shell.token}`,
    ]) {
      const answer = await get(shell.port, target);
      expect([403, 404], target).toContain(answer.status);
      expect(answer.headers['content-type'], target).toMatch(/^text\/plain/);
    }
    expect(
      (await get(shell.port, `${base}/media/${entry.path}`, { Host: 'evil.example' })).status,
    ).toBe(403);
    expect(
      (await get(shell.port, `${base}/media/${entry.path}`, { Origin: 'http://evil.example' }))
        .status,
    ).toBe(403);
  });

  it('refuses traversal, encoded dots, symlinks out, hidden files and sidecars', async () => {
    const refused = [
      '/media/../outside.png',
      '/media/%2e%2e/outside.png',
      '/media/%2E%2E/outside.png',
      '/media/..%2foutside.png',
      '/media/.%2e/outside.png',
      '/media/link.png',
      '/media/linked/up/outside.png',
      `/media/${entry.sidecarPath}`,
      '/media/.atelier/index.json',
      `/media/.atelier/thumbs/${entry.id}-256.webp`,
      '/media//etc/passwd',
      '/media/%00.png',
      '/thumb/..%2f..%2foutside/256',
      '/thumb/../../outside.png',
      `/thumb/${entry.id}/300`,
      `/thumb/${entry.id}`,
      '/thumb/01ZZZZZZZZZZZZZZZZZZZZZZZZ/256',
      '/media/missing.png',
    ];
    for (const target of refused) {
      const answer = await get(shell.port, target.replace(/^\/(media|thumb)\//, `${base}/$1/`));
      expect([403, 404], target).toContain(answer.status);
      expect(answer.headers['content-type'], target).toMatch(/^text\/plain/);
    }
  });

  it('without a media source the addresses are 404', async () => {
    await shell.close();
    shell = await startWebShell({
      host,
      rendererDir: path.join(root, 'renderer'),
      log: () => undefined,
    });
    expect((await get(shell.port, `${base}/media/${entry.path}`)).status).toBe(404);
    expect((await get(shell.port, `/media/${entry.path}`)).status).toBe(404);
  });
});
