/**
 * inputs.fromReference: Reuse settings of a guide result stages its reference pictures again from
 * the library's inputs folder, by the entry's id and the picture's role; real files, a real
 * library and the real inputs service. The library syncs, so its sidecars are hostile: a sidecar
 * naming a file outside inputs/, a path leading out of the library, or a link planted in inputs/
 * reads as a picture that is no longer there, and nothing outside is staged.
 */
import { mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReferenceHandlers } from '../../../electron/core/host/reference';
import { createInputs, type InputsService } from '../../../electron/core/inputs';
import { openLibrary, type Library } from '../../../electron/core/library';
import { createDispatch, type Handlers } from '../../../electron/core/rpc/dispatch';

let root: string;
let library: Library;
let inputs: InputsService;
let dispatch: ReturnType<typeof createDispatch>;

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 90, g: 20, b: 160 } } })
    .png()
    .toBuffer();
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'atelier-reference-'));
  library = await openLibrary(path.join(root, 'library'), { watch: false });
  inputs = createInputs({
    dir: path.join(root, 'data', 'inputs'),
    library: () => Promise.resolve(library),
  });
  dispatch = createDispatch(
    createReferenceHandlers({ library: () => Promise.resolve(library), inputs }) as Handlers,
  );
});

afterEach(async () => {
  await inputs.close();
  await library.close();
  await rm(root, { recursive: true, force: true });
});

/** A style transfer result whose init picture is 320×240 and style picture 200×200. */
async function transferResult() {
  return library.save({
    bytes: await png(256, 192),
    format: 'png',
    recipe: {
      operation: 'guide',
      endpoint: '/v2beta/stable-image/control/style-transfer',
      model: null,
      params: { style_strength: 0.6 },
      seed: 3,
      finishReason: 'SUCCESS',
      credits: 0,
      sandbox: true,
      inputs: [
        { role: 'init_image', bytes: await png(320, 240) },
        { role: 'style_image', bytes: await png(200, 200) },
      ],
    },
  });
}

async function sidecarOf(id: string) {
  const entry = library.get(id);
  const file = path.join(library.dir, ...(entry?.sidecarPath ?? '').split('/'));
  return { file, json: JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown> };
}

async function stage(id: string, role: string) {
  return dispatch('inputs.fromReference', { id, role });
}

describe('inputs.fromReference', () => {
  it('stages each reference of a recipe by its role, from the inputs folder', async () => {
    const saved = await transferResult();
    const init = await stage(saved.id, 'init_image');
    const style = await stage(saved.id, 'style_image');
    expect(init).toMatchObject({ ok: true, value: { width: 320, height: 240 } });
    expect(style).toMatchObject({ ok: true, value: { width: 200, height: 200 } });
    if (!init.ok) return;
    const view = init.value as { id: string; name: string };
    expect(view.name).toMatch(/^init_image-[0-9a-f]{8}\.png$/);
    // A staged picture like any other: jobs.add takes its id.
    expect(inputs.get(view.id)?.view.width).toBe(320);
  });

  it('says in a sentence when the picture or the entry is no longer there', async () => {
    const saved = await transferResult();
    const { json } = await sidecarOf(saved.id);
    const style = (json.inputs as { role: string; file: string }[]).find(
      (i) => i.role === 'style_image',
    );
    await unlink(path.join(library.dir, ...(style?.file ?? '').split('/')));
    const gone = await stage(saved.id, 'style_image');
    expect(gone).toMatchObject({
      ok: false,
      error: {
        code: 'not_found',
        message:
          "The style image this picture was made with is no longer in the library's inputs folder. Drop it again to use it.",
      },
    });
    expect(await stage(saved.id, 'mask')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await stage('01JDQ8Y3V4K6Z0R2M5N7P9Q1S3', 'image')).toMatchObject({
      ok: false,
      error: {
        message: 'That picture is no longer in the library. It may have been deleted or moved.',
      },
    });
  });

  it('refuses a role that is not a field name before any handler runs', async () => {
    const saved = await transferResult();
    for (const role of ['../image', 'inputs/x', '', 'A'.repeat(80)]) {
      expect(await stage(saved.id, role)).toMatchObject({
        ok: false,
        error: { code: 'invalid_request' },
      });
    }
  });

  it('never stages a file a hostile sidecar names outside inputs/, nor through a planted link', async () => {
    const saved = await transferResult();
    const secret = path.join(root, 'secret.png');
    await writeFile(secret, await png(77, 77));
    const { file, json } = await sidecarOf(saved.id);
    const entries = json.inputs as { role: string; file: string; sha256: string }[];
    const [init, style] = entries;
    if (!init || !style) throw new Error('no inputs');
    // Outside the library, outside inputs/, an absolute path, and a link planted in inputs/.
    const link = `inputs/${'a'.repeat(64)}.png`;
    await symlink(secret, path.join(library.dir, ...link.split('/')));
    const hostile = ['../secret.png', 'inputs/../../secret.png', saved.path, secret, link];
    for (const named of hostile) {
      init.file = named;
      await writeFile(file, JSON.stringify(json));
      const answer = await stage(saved.id, 'init_image');
      expect(answer, named).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    // The other reference, untouched, still stages.
    expect(await stage(saved.id, 'style_image')).toMatchObject({ ok: true, value: { width: 200 } });
  });
});
