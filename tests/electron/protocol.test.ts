import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticContentType } from '../../electron/core/fs/content-types';
import {
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  requestedSegments,
  resolveAppFile,
} from '../../electron/shell/protocol';

let base: string;
let root: string;
const CSP = "default-src 'self'";

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'atelier-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Atelier</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'font.woff2'), 'w');
  writeFileSync(join(root, 'assets', 'a b.png'), 'png');
  writeFileSync(join(root, 'assets', 'blob.xyz'), 'x');
  // Outside the renderer folder: must never be served.
  writeFileSync(join(base, 'secret.txt'), 'top secret');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil');
  symlinkSync(join(base, 'secret.txt'), join(root, 'link-out.txt'));
  symlinkSync(base, join(root, 'dir-out'));
  symlinkSync(join(root, 'index.html'), join(root, 'link-in.html'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const handler = () => createAppProtocolHandler(root, CSP);
const get = (url: string, method = 'GET') => handler()(new Request(url, { method }));

describe('app:// scheme privileges', () => {
  it('is standard and secure, with fetch, and never bypasses the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({
      standard: true,
      secure: true,
      supportFetchAPI: true,
      bypassCSP: false,
      allowServiceWorkers: false,
    });
  });
});

describe('requestedSegments', () => {
  it('maps the root and folders to index.html', () => {
    expect(requestedSegments('app://atelier/')).toEqual(['index.html']);
    expect(requestedSegments('app://atelier')).toEqual(['index.html']);
    expect(requestedSegments('app://atelier/assets/app.js')).toEqual(['assets', 'app.js']);
  });
  it('refuses other hosts, schemes and dangerous segments', () => {
    for (const url of [
      'app://other/index.html',
      'file:///etc/passwd',
      'app://atelier/..%2fsecret.txt',
      'app://atelier/%2e%2e%2fsecret.txt',
      'app://atelier/assets%2f..%2f..%2fsecret.txt',
      'app://atelier/..%5csecret.txt',
      'app://atelier/%00index.html',
      'app://atelier/%E0%A4%A',
      'app://atelier/C:%5cWindows',
      'app://atelier/assets//app.js',
    ]) {
      expect(requestedSegments(url), url).toBeNull();
    }
  });
});

describe('the app:// handler', () => {
  it('serves files inside the renderer folder with their content types and the CSP', async () => {
    const index = await get('app://atelier/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>Atelier</title>');

    const cases: [string, string][] = [
      ['app://atelier/', 'text/html; charset=utf-8'],
      ['app://atelier/assets/app.js', 'text/javascript; charset=utf-8'],
      ['app://atelier/assets/app.css', 'text/css; charset=utf-8'],
      ['app://atelier/assets/logo.svg', 'image/svg+xml'],
      ['app://atelier/assets/font.woff2', 'font/woff2'],
      ['app://atelier/assets/a%20b.png', 'image/png'],
      ['app://atelier/assets/blob.xyz', 'application/octet-stream'],
      ['app://atelier/link-in.html', 'text/html; charset=utf-8'],
    ];
    for (const [url, type] of cases) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toBe(type);
    }
  });

  it('refuses traversal, encoded dots and symlinks that lead out with 404', async () => {
    for (const url of [
      'app://atelier/../secret.txt',
      'app://atelier/%2e%2e/secret.txt',
      'app://atelier/%2E%2E/secret.txt',
      'app://atelier/.%2e/secret.txt',
      'app://atelier/assets/..%2f..%2fsecret.txt',
      'app://atelier/%2e%2e%2fsecret.txt',
      'app://atelier/..%5c..%5csecret.txt',
      'app://atelier/../renderer-evil/x.js',
      'app://atelier/link-out.txt',
      'app://atelier/dir-out/secret.txt',
      'app://atelier/assets',
      'app://atelier/missing.js',
      'app://other/index.html',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('secret');
    }
  });

  it('resolves to a real path inside the folder, or nothing', async () => {
    expect(await resolveAppFile(root, 'app://atelier/link-out.txt')).toBeNull();
    expect(await resolveAppFile(root, 'app://atelier/dir-out/secret.txt')).toBeNull();
    expect(await resolveAppFile(join(base, 'nowhere'), 'app://atelier/index.html')).toBeNull();
    expect(await resolveAppFile(root, 'app://atelier/index.html')).toMatch(/index\.html$/);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://atelier/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get('app://atelier/index.html', 'POST');
    expect(post.status).toBe(405);
  });

  it('knows the usual content types', () => {
    expect(staticContentType('x.MJS')).toBe('text/javascript; charset=utf-8');
    expect(staticContentType('x.json')).toBe('application/json; charset=utf-8');
    expect(staticContentType('x.webp')).toBe('image/webp');
  });
});
