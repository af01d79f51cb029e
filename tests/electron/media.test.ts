import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLibraryService, type LibraryService } from '../../electron/core/host/library';
import { saveResult, type LibraryEntry } from '../../electron/core/library';
import { MEDIA_SCHEME_PRIVILEGES, createMediaProtocolHandler } from '../../electron/shell/media';
import { makeImage, recipe, tempDir } from '../core/library/helpers';

// The handler never touches Electron; make sure nothing loads the real module.
vi.mock('electron', () => ({}));

let root: { dir: string; cleanup: () => Promise<void> };
let libDir: string;
let service: LibraryService;
let entry: LibraryEntry;

beforeAll(async () => {
  root = await tempDir('atelier-media-');
  libDir = path.join(root.dir, 'library');
  entry = (
    await saveResult(libDir, {
      bytes: await makeImage('jpeg', 50, 40),
      format: 'jpeg',
      recipe: recipe(),
    })
  ).entry;
  await writeFile(path.join(root.dir, 'outside.png'), await makeImage('png'));
  await symlink(path.join(root.dir, 'outside.png'), path.join(libDir, 'link.png'));
  await mkdir(path.join(libDir, 'sub'));
  await symlink(root.dir, path.join(libDir, 'sub', 'up'));
  service = createLibraryService({
    folder: () => ({ dir: libDir, chosen: true }),
    shell: 'electron',
    emit: () => undefined,
    inputs: {
      require: () => {
        throw new Error('no imports here');
      },
      read: () => Promise.reject(new Error('no imports here')),
    },
    libraryOptions: { watch: false },
  });
});

afterAll(async () => {
  await service.close();
  await root.cleanup();
});

const get = (url: string, method = 'GET') =>
  createMediaProtocolHandler(service.media)(new Request(url, { method }));

describe('atelier-media:// scheme', () => {
  it('is standard and secure, with fetch, and never bypasses the CSP', () => {
    expect(MEDIA_SCHEME_PRIVILEGES.scheme).toBe('atelier-media');
    expect(MEDIA_SCHEME_PRIVILEGES.privileges).toMatchObject({
      standard: true,
      secure: true,
      supportFetchAPI: true,
      bypassCSP: false,
      allowServiceWorkers: false,
      corsEnabled: false,
    });
  });

  it('serves a library image and its thumbnail', async () => {
    const image = await get(`atelier-media://library/media/${entry.path}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect((await image.arrayBuffer()).byteLength).toBe(entry.bytes);
    const thumb = await get(`atelier-media://library/thumb/${entry.id}/128?v=1`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const head = await get(`atelier-media://library/media/${entry.path}`, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses traversal, encoded dots, symlinks out, hidden files, other hosts', async () => {
    const refused = [
      'atelier-media://library/media/../outside.png',
      'atelier-media://library/media/%2e%2e/outside.png',
      'atelier-media://library/media/%2E%2E%2Foutside.png',
      'atelier-media://library/media/..%2foutside.png',
      'atelier-media://library/media/link.png',
      'atelier-media://library/media/sub/up/outside.png',
      `atelier-media://library/media/${entry.sidecarPath}`,
      `atelier-media://library/media/.atelier/thumbs/${entry.id}-128.webp`,
      'atelier-media://library/media/%00.png',
      `atelier-media://other/media/${entry.path}`,
      `atelier-media://library/${entry.path}`,
      `atelier-media://library/thumb/${entry.id}/999`,
      'atelier-media://library/thumb/..%2f..%2foutside/128',
      'atelier-media://library/thumb/01ZZZZZZZZZZZZZZZZZZZZZZZZ/128',
    ];
    for (const url of refused) {
      const answer = await get(url);
      expect(answer.status, url).toBe(404);
      expect(answer.headers.get('content-type'), url).toMatch(/^text\/plain/);
    }
    expect((await get(`atelier-media://library/media/${entry.path}`, 'POST')).status).toBe(405);
  });
});
