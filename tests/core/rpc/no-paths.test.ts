/**
 * The page names no files: across the whole Api, the only request fields shaped like a path are the
 * few the core confines itself (a path inside the library folder, or a library folder that must
 * come from the native dialog in the desktop app), and each of them refuses an arbitrary absolute
 * path through the real host's dispatch. Pictures come in by staged id or library id only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calls, type CallResult } from '../../../shared/api';
import { createHost, type Host } from '../../../electron/core/host';
import { createMemoryVault } from '../../../electron/core/vault';

/** Dotted names of the string fields of `schema` long enough to hold a path (maxLength ≥ 4096). */
function pathLikeFields(schema: unknown, name: string, out: Set<string>): void {
  if (Array.isArray(schema)) {
    for (const item of schema) pathLikeFields(item, name, out);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as Record<string, unknown>;
  if (node.type === 'string' && typeof node.maxLength === 'number' && node.maxLength >= 4096) {
    out.add(name);
  }
  const properties = node.properties as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(properties ?? {})) {
    pathLikeFields(value, `${name}.${key}`, out);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf', 'items']) pathLikeFields(node[key], name, out);
}

/** Long strings that are not paths: the API key, and an upload's base64 bytes. */
const NOT_PATHS = new Set(['key.set.key', 'key.test.key', 'inputs.chunk.data']);

describe('the contract', () => {
  it('takes a path-shaped field only where the core confines it', () => {
    const found = new Set<string>();
    for (const [name, spec] of Object.entries(calls)) {
      const json = z.toJSONSchema(spec.request, { unrepresentable: 'any', io: 'input' });
      pathLikeFields(json, name, found);
    }
    expect([...found].filter((f) => !NOT_PATHS.has(f)).sort()).toEqual([
      'app.copyImage.path', // inside the library folder (libraryImagePath)
      'app.startDrag.path', // inside the library folder (libraryImagePath)
      'library.export.to', // the desktop app: a folder the native dialog answered
      'library.move.to', // the desktop app: a folder the native dialog answered
      'settings.set.libraryDir', // the desktop app: a folder the native dialog answered
    ]);
  });

  it('has no call that stages or imports a picture by path', () => {
    expect(Object.keys(calls)).not.toContain('inputs.fromPath');
    expect(Object.keys(calls).filter((c) => /import(Begin|Chunk|Finish)/.test(c))).toEqual([]);
  });
});

describe('through the desktop host, an arbitrary absolute path is refused everywhere', () => {
  let root: string;
  let host: Host;
  const secret = () => join(root, 'secret.png');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'atelier-no-paths-'));
    writeFileSync(secret(), 'not for the page');
    host = await createHost({
      shell: 'electron',
      version: '0.0.0-test',
      dataDir: join(root, 'data'),
      env: {},
      libraryDir: join(root, 'library'),
      log: () => undefined,
      vault: createMemoryVault(),
      libraryOptions: { watch: false },
      shellServices: {
        openImage: () => Promise.resolve([]),
        saveImage: () => Promise.resolve(null),
        chooseFolder: () => Promise.resolve(null),
        reveal: () => undefined,
        startDrag: () => undefined,
        copyImage: () => Promise.resolve(),
      },
    });
  });
  afterAll(async () => {
    await host.close();
    rmSync(root, { recursive: true, force: true });
  });

  const refused = (result: CallResult, code: string) =>
    expect(result).toMatchObject({ ok: false, error: { code } });

  it('for every call that could name a file', async () => {
    const file = secret();
    refused(await host.dispatch('inputs.fromPath', { path: file }), 'unknown_call');
    refused(await host.dispatch('library.import', { path: file }), 'invalid_request');
    refused(
      await host.dispatch('jobs.add', {
        kind: 'upscale',
        endpoint: 'upscale.fast',
        params: {},
        count: 1,
        input: file,
      }),
      'input_gone',
    );
    refused(await host.dispatch('app.startDrag', { path: file }), 'invalid_request');
    refused(await host.dispatch('app.copyImage', { path: file }), 'invalid_request');
    // compare.save names its pictures by staged id or library id: a file source is not a shape.
    const side = { source: { kind: 'file', path: file }, title: 'x' };
    refused(await host.dispatch('compare.save', { left: side, right: side }), 'invalid_request');
    refused(await host.dispatch('settings.set', { libraryDir: root }), 'choose_folder');
    refused(await host.dispatch('library.move', { to: join(root, 'elsewhere') }), 'choose_folder');
    const exportTo = (to: string) => ({
      ids: ['01JDQ8Y3V4K6Z0R2M5N7P9Q1S3'],
      to,
      format: 'png',
      longestEdge: null,
      metadata: 'strip',
      names: 'prompt',
    });
    refused(await host.dispatch('library.export', exportTo(root)), 'choose_folder');
  });
});
