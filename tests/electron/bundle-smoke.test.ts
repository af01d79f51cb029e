/**
 * The bundled main process, run for real under plain Node: electron/main.ts is bundled like
 * build/scripts/bundle.mjs does (ESM, dependencies external) except that `electron` is a small
 * stand-in (fixtures/smoke-electron.ts). This proves the artifact itself works with the real core:
 * the preload sits next to main.js, app:// serves ../renderer and nothing outside it, and IPC from
 * the window's main frame reaches the core while a foreign frame is refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Inside the project so the bundle's external packages (zod, ...) resolve from node_modules.
const out = resolve('node_modules/.cache/atelier-bundle-smoke');
let dataDir: string;
let records: Record<string, unknown>[] = [];

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'dist', 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  writeFileSync(join(out, 'dist', 'renderer', 'index.html'), '<!doctype html><title>A</title>');
  writeFileSync(join(out, 'dist', 'renderer', 'assets', 'app.js'), 'export {};');
  await build({
    entryPoints: { main: 'electron/main.ts' },
    outdir: join(out, 'dist', 'electron'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    alias: { electron: resolve('tests/electron/fixtures/smoke-electron.ts') },
    define: { __ATELIER_VERSION__: JSON.stringify('7.7.7') },
    banner: {
      js: "import { createRequire as __atelierCreateRequire } from 'node:module'; const require = __atelierCreateRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  dataDir = mkdtempSync(join(tmpdir(), 'atelier-smoke-'));
  const run = spawnSync(process.execPath, [join(out, 'dist', 'electron', 'main.js')], {
    env: { ...process.env, ATELIER_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0)
    throw new Error(`the bundled main exited with ${String(run.status)}: ${run.stderr}`);
  records = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
});

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const find = (key: string, value?: unknown) =>
  records.find((r) => key in r && (value === undefined || r[key] === value));

describe('the bundled main process', () => {
  it('registers app:// as standard and secure, and loads app://atelier/index.html', () => {
    expect(find('schemes')).toMatchObject({
      schemes: [
        { scheme: 'app', privileges: { standard: true, secure: true } },
        { scheme: 'atelier-media', privileges: { standard: true, secure: true } },
      ],
    });
    expect(find('url')).toMatchObject({ url: 'app://atelier/index.html' });
  });

  it('uses the preload next to main.js', () => {
    expect(find('preload')).toMatchObject({
      preload: join(out, 'dist', 'electron', 'preload.cjs'),
    });
  });

  it('serves ../renderer and nothing outside it', () => {
    expect(find('path', 'index.html')).toMatchObject({
      status: 200,
      type: 'text/html; charset=utf-8',
    });
    expect(find('path', 'assets/app.js')).toMatchObject({ status: 200 });
    expect(find('path', '%2e%2e/electron/main.js')).toMatchObject({ status: 404 });
    expect(find('path', '..%2fpackage.json')).toMatchObject({ status: 404 });
  });

  it('answers the window through the real core and refuses a foreign frame', () => {
    expect(find('call', 'app.info')).toMatchObject({
      result: { ok: true, value: { shell: 'electron', version: '7.7.7', dataDir } },
    });
    expect(find('call', 'settings.set')).toMatchObject({
      result: { ok: true, value: { theme: 'dark' } },
    });
    expect(find('send')).toMatchObject({
      send: ['atelier:event', 'settings.changed', { theme: 'dark' }],
    });
    expect(find('call', 'foreign')).toMatchObject({
      result: { ok: false, error: { code: 'forbidden' } },
    });
  });
});
