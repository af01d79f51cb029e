import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHost, type Host } from '../../electron/core/host';
import { saveResult, type LibraryEntry } from '../../electron/core/library';
import { startWebShell, type WebShell } from '../../electron/web/server';
import { makeImage, recipe } from '../core/library/helpers';
import { cookiePair, get, makeRendererDir, removeDir } from './helpers';

let root: string;
let libDir: string;
let host: Host;
let shell: WebShell;
let entry: LibraryEntry;
let cookie: string;

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
  host = await createHost({
    shell: 'browser',
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
  });
  cookie = cookiePair((await get(shell.port, `/?token=${shell.token}`)).headers);
});

afterEach(async () => {
  await shell.close();
  await host.close();
  await removeDir(root);
});

const withCookie = () => ({ Cookie: cookie });

describe('media over the browser shell', () => {
  it('serves a library image and its thumbnail with the page cookie', async () => {
    const image = await get(shell.port, `/media/${entry.path}`, withCookie());
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(Number(image.headers['content-length'])).toBe(entry.bytes);
    expect(image.headers['x-content-type-options']).toBe('nosniff');

    const thumb = await get(shell.port, `/thumb/${entry.id}/256`, withCookie());
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    // A cache-busting query string is ignored.
    expect((await get(shell.port, `/thumb/${entry.id}/128?v=abc`, withCookie())).status).toBe(200);
  });

  it('sits behind the same gate as the page: token or cookie, Host, Origin', async () => {
    expect((await get(shell.port, `/media/${entry.path}`)).status).toBe(401);
    expect((await get(shell.port, `/thumb/${entry.id}/256`)).status).toBe(401);
    expect(
      (await get(shell.port, `/media/${entry.path}`, { ...withCookie(), Host: 'evil.example' }))
        .status,
    ).toBe(403);
    expect(
      (
        await get(shell.port, `/media/${entry.path}`, {
          ...withCookie(),
          Origin: 'http://evil.example',
        })
      ).status,
    ).toBe(403);
    expect((await get(shell.port, `/media/${entry.path}?token=${shell.token}`)).status).toBe(200);
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
      const answer = await get(shell.port, target, withCookie());
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
    const page = await get(shell.port, `/?token=${shell.token}`);
    const answer = await get(shell.port, `/media/${entry.path}`, {
      Cookie: cookiePair(page.headers),
    });
    expect(answer.status).toBe(404);
  });
});
