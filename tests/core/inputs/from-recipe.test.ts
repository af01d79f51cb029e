/**
 * inputs.fromRecipe over real files: the picture a library entry was made from is staged by the
 * entry's id and the input's role, and a hostile sidecar (the folder syncs) cannot make it read
 * any other file: not another picture of the library, not a file outside it, not a link, not bytes
 * that changed since.
 */
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInputs, type InputsService } from '../../../electron/core/inputs';
import {
  openLibrary,
  saveResult,
  type Library,
  type SavedItem,
} from '../../../electron/core/library';
import { makeImage, recipe, tempDir } from '../library/helpers';

const posix = process.platform !== 'win32';

let root: { dir: string; cleanup: () => Promise<void> };
let libraryDir: string;
let library: Library;
let inputs: InputsService;
let saved: SavedItem;

beforeEach(async () => {
  root = await tempDir('atelier-recipe-input-');
  libraryDir = path.join(root.dir, 'library');
  saved = await saveResult(libraryDir, {
    bytes: await makeImage('png', 24, 16),
    format: 'png',
    recipe: recipe({
      operation: 'image-to-image',
      params: { prompt: 'a heron', strength: 0.4 },
      inputs: [{ role: 'image', bytes: await makeImage('png', 40, 30) }],
    }),
  });
  library = await openLibrary(libraryDir, { watch: false });
  inputs = createInputs({
    dir: path.join(root.dir, 'data', 'inputs'),
    library: () => Promise.resolve(library),
  });
});

afterEach(async () => {
  await inputs.close();
  await library.close();
  await root.cleanup();
});

const GONE = { code: 'input_gone' };

const fromRecipe = (role = 'image') =>
  inputs.handlers['inputs.fromRecipe']({ id: saved.entry.id, role });

/** Rewrites the sidecar on disk as a hostile sync client could. */
async function tamper(change: (input: Record<string, unknown>) => void): Promise<void> {
  const sidecar = JSON.parse(await readFile(saved.sidecarFile, 'utf8')) as {
    inputs: Record<string, unknown>[];
  };
  const first = sidecar.inputs[0];
  if (!first) throw new Error('no input');
  change(first);
  await writeFile(saved.sidecarFile, JSON.stringify(sidecar));
}

describe('inputs.fromRecipe', () => {
  it('stages the input of that role, a copy the job can keep', async () => {
    const view = await fromRecipe();
    expect(view).toMatchObject({ width: 40, height: 30, format: 'png' });
    expect(view.name).toMatch(/^image of /);
    expect(path.dirname(inputs.require(view.id).file)).toBe(path.join(root.dir, 'data', 'inputs'));
  });

  it('says which picture is missing: no such role, an input deleted, an unknown entry', async () => {
    await expect(fromRecipe('mask')).rejects.toThrow("This picture's recipe has no mask.");
    const stored = saved.sidecar.inputs[0]?.file ?? '';
    await rm(path.join(libraryDir, stored));
    await expect(fromRecipe()).rejects.toMatchObject({
      code: 'input_gone',
      message:
        "The input picture this picture was made from is no longer in the library's inputs folder.",
    });
    await expect(
      inputs.handlers['inputs.fromRecipe']({ id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ', role: 'image' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('never reads a file the sidecar names outside inputs/<sha256>.<ext>', async () => {
    const outside = path.join(root.dir, 'secret.png');
    await writeFile(outside, await makeImage('png', 8, 8));
    for (const file of [
      saved.entry.path, // another picture of the library
      'inputs/../../secret.png',
      '../secret.png',
      outside,
      'inputs/%2e%2e/secret.png',
    ]) {
      await tamper((input) => (input.file = file));
      await expect(fromRecipe()).rejects.toMatchObject(GONE);
    }
  });

  it('refuses bytes that are not the ones the recipe recorded', async () => {
    const stored = path.join(libraryDir, saved.sidecar.inputs[0]?.file ?? '');
    await writeFile(stored, await makeImage('png', 41, 30));
    await expect(fromRecipe()).rejects.toMatchObject(GONE);
  });

  it.runIf(posix)('does not follow a link planted in the inputs folder', async () => {
    const outside = path.join(root.dir, 'secret.png');
    const bytes = await makeImage('png', 40, 30);
    await writeFile(outside, bytes);
    const stored = path.join(libraryDir, saved.sidecar.inputs[0]?.file ?? '');
    await rm(stored);
    await symlink(outside, stored);
    await expect(fromRecipe()).rejects.toMatchObject(GONE);
  });
});
