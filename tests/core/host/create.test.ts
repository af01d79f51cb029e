/**
 * Create in the core against the Sandbox over real HTTP, with a temporary data and library folder:
 * text-to-image, image-to-image from uploaded bytes, every upscaler, the content filter, errors as
 * sentences, cancel, and every finished job's image and sidecar in the library folder.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateEndpoint, EventName, FormParams, JobView } from '../../../shared/api';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../../electron/core/sandbox';
import { createStabilityClient, type StabilityClient } from '../../../electron/core/stability';
import { createCreateService, type CreateService } from '../../../electron/core/host/create';
import { createInputs, type InputsService } from '../../../electron/core/inputs';
import { saveResult } from '../../../electron/core/library';
import { setPngTexts, textChunk } from '../../../electron/core/library/png';

let sandbox: Sandbox;
let client: StabilityClient;
let root: string;
let libraryDir: string;
let service: CreateService;
let inputs: InputsService;
const views = new Map<string, JobView>();
const waiters = new Set<() => void>();

beforeAll(async () => {
  sandbox = await startSandbox({ startingCredits: 100_000, faults: {}, recordFileBytes: true });
  client = createStabilityClient({ baseUrl: sandbox.url, apiKey: SANDBOX_API_KEY });
});

afterAll(async () => {
  await client.close();
  await sandbox.close();
});

beforeEach(async () => {
  sandbox.setFaults({});
  root = mkdtempSync(path.join(tmpdir(), 'atelier-create-'));
  libraryDir = path.join(root, 'library');
  views.clear();
  inputs = createInputs({
    dir: path.join(root, 'data', 'inputs'),
    library: () => Promise.reject(new Error('no library in these tests')),
  });
  service = await createCreateService({
    dataDir: path.join(root, 'data'),
    inputs,
    libraryDir: () => libraryDir,
    client: () => Promise.resolve({ client, sandbox: true }),
    emit: (event: EventName, payload: unknown) => {
      if (event === 'jobs.changed') {
        const view = payload as JobView;
        views.set(view.id, view);
        for (const wake of [...waiters]) wake();
      }
    },
    pollMs: 5,
  });
});

afterEach(async () => {
  await service.close();
  rmSync(root, { recursive: true, force: true });
});

const FINISHED = ['done', 'filtered', 'failed', 'needs-attention', 'cancelled'];

/** Resolves once the job is in a state that passes `test`. */
function until(id: string, test: (view: JobView) => boolean): Promise<JobView> {
  return new Promise((resolve) => {
    const check = () => {
      const view = views.get(id);
      if (view && test(view)) {
        waiters.delete(check);
        resolve(view);
      }
    };
    waiters.add(check);
    check();
  });
}

const finished = (id: string) => until(id, (v) => FINISHED.includes(v.state));

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } },
  })
    .png()
    .toBuffer();
}

/** Uploads bytes the way the browser shell does: begin, chunks, finish. */
async function upload(bytes: Buffer, name: string) {
  const { id } = await inputs.handlers['inputs.begin']({ name, size: bytes.length });
  const chunk = 4096;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    await inputs.handlers['inputs.chunk']({
      id,
      offset,
      data: bytes.subarray(offset, offset + chunk).toString('base64'),
    });
  }
  return inputs.handlers['inputs.finish']({ id });
}

function expectInLibrary(view: JobView) {
  expect(view.state).toBe('done');
  const result = view.result;
  expect(result).toBeDefined();
  if (!result) return;
  const image = path.join(libraryDir, result.path);
  expect(existsSync(image)).toBe(true);
  const sidecar = image.replace(/\.[a-z]+$/, '.json');
  expect(existsSync(sidecar)).toBe(true);
  return JSON.parse(readFileSync(sidecar, 'utf8')) as Record<string, unknown>;
}

describe('text-to-image', () => {
  it('makes 4 images of one prompt, each its own request, each in the library with its sidecar', async () => {
    const before = sandbox.requests.length;
    const { jobs } = await service.handlers['jobs.add']({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'a lighthouse at dusk', aspect_ratio: '16:9', output_format: 'png' },
      count: 4,
    });
    expect(jobs).toHaveLength(4);
    expect(new Set(jobs.map((j) => j.batch)).size).toBe(1);
    const done = await Promise.all(jobs.map((j) => finished(j.id)));
    for (const view of done) {
      const sidecar = expectInLibrary(view);
      expect(sidecar?.params).toMatchObject({ prompt: 'a lighthouse at dusk' });
      expect(view.result?.width).toBe(2016);
    }
    expect(sandbox.requests.length - before).toBe(4);
    const listed = await service.handlers['jobs.list']({});
    expect(listed.jobs.filter((j) => j.state === 'done')).toHaveLength(4);
  });

  it('sends SD 3.5 with its model and cfg scale, and Ultra', async () => {
    const { jobs } = await service.handlers['jobs.add']({
      kind: 'text-to-image',
      endpoint: 'generate.sd3',
      params: { prompt: 'fox', model: 'sd3.5-large-turbo', cfg_scale: 1.5, seed: 42 },
      count: 1,
    });
    const { jobs: ultra } = await service.handlers['jobs.add']({
      kind: 'text-to-image',
      endpoint: 'generate.ultra',
      params: { prompt: 'fox', style_preset: 'anime' },
      count: 1,
    });
    const sd3 = expectInLibrary(await finished(jobs[0]?.id ?? ''));
    expect(sd3?.model).toBe('sd3.5-large-turbo');
    expect(sd3?.seed).toBe(42);
    expectInLibrary(await finished(ultra[0]?.id ?? ''));
  });

  it('shows the content filter as its own outcome, and errors as plain sentences', async () => {
    const add = (prompt: string) =>
      service.handlers['jobs.add']({
        kind: 'text-to-image',
        endpoint: 'generate.core',
        params: { prompt },
        count: 1,
      });
    const filtered = await finished((await add('sandbox-filter cat')).jobs[0]?.id ?? '');
    expect(filtered.state).toBe('filtered');
    expect(filtered.error?.message).toMatch(/content filter/i);

    const moderated = await finished((await add('sandbox-moderate cat')).jobs[0]?.id ?? '');
    expect(moderated.state).toBe('failed');
    expect(moderated.error?.message).toMatch(/\./);
    expect(moderated.error?.message).not.toMatch(/^\d{3}$/);

    const language = await finished((await add('sandbox-language cat')).jobs[0]?.id ?? '');
    expect(language.state).toBe('failed');
    expect(language.error?.message.length).toBeGreaterThan(20);

    // A bad value never costs a request: refused before sending, with the field named.
    const before = sandbox.requests.length;
    const bad = await service.handlers['jobs.add']({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'x', aspect_ratio: '7:3' },
      count: 1,
    });
    const refused = await finished(bad.jobs[0]?.id ?? '');
    expect(refused.state).toBe('failed');
    expect(refused.error?.message).toMatch(/nothing was charged/);
    expect(sandbox.requests.length).toBe(before);
  });

  it('a fixed seed with 3 images sends seeds 42, 43 and 44 on the wire, never 3 identical requests', async () => {
    const before = sandbox.requests.length;
    const { jobs } = await service.handlers['jobs.add']({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'three seeds', seed: 42 },
      count: 3,
    });
    const done = await Promise.all(jobs.map((j) => finished(j.id)));
    const sent = sandbox.requests
      .slice(before)
      .filter((r) => r.method === 'POST')
      .map((r) => r.fields.find((f) => f.name === 'seed')?.value);
    expect(sent.sort()).toEqual(['42', '43', '44']);
    expect(done.map((v) => v.result?.seed).sort()).toEqual([42, 43, 44]);
    // One image keeps its seed; random (0) stays random.
    const one = await service.handlers['jobs.add']({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'one seed', seed: 42 },
      count: 1,
    });
    expect(one.jobs[0]?.params.seed).toBe(42);
  });

  it('retrying a filtered picture says it costs again, and sends only when the person agrees', async () => {
    const { jobs } = await service.handlers['jobs.add']({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'sandbox-filter again' },
      count: 1,
    });
    const id = jobs[0]?.id ?? '';
    const filtered = await finished(id);
    expect(filtered.state).toBe('filtered');
    expect(filtered.retry).toEqual({ kind: 'costs-again', credits: 3 });
    const posts = () =>
      sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/generate/core'))
        .length;
    const before = posts();
    await expect(service.handlers['jobs.retry']({ id })).rejects.toMatchObject({
      code: 'costs_again',
      message: expect.stringMatching(/costs 3 credits again/) as unknown,
    });
    expect(posts()).toBe(before);
    await service.handlers['jobs.retry']({ id, payAgain: true });
    await until(id, (v) => v.attempts === 2 && FINISHED.includes(v.state));
    expect(posts()).toBe(before + 1);
  });

  it('cancels a running job, and retries it only when asked', async () => {
    sandbox.setFaults({ latencyMs: 60_000 });
    const { jobs } = await service.handlers['jobs.add']({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'slow' },
      count: 1,
    });
    const id = jobs[0]?.id ?? '';
    await until(id, (v) => v.state === 'generating');
    await service.handlers['jobs.cancel']({ id });
    const cancelled = await finished(id);
    expect(cancelled.state).toBe('cancelled');
    sandbox.setFaults({});
    // It was sent before the cancel, so it may have been charged: Retry says it costs again.
    expect(cancelled.retry).toEqual({ kind: 'costs-again', credits: 3 });
    await expect(service.handlers['jobs.retry']({ id })).rejects.toThrow(/costs 3 credits again/);
    await service.handlers['jobs.retry']({ id, payAgain: true });
    expectInLibrary(await until(id, (v) => v.state === 'done'));
  });
});

describe('image-to-image and upscale', () => {
  it('transforms an uploaded picture at two strengths', async () => {
    const input = await upload(await png(800, 600), 'photo.png');
    expect(input).toMatchObject({ name: 'photo.png', width: 800, height: 600, format: 'png' });
    const ids: string[] = [];
    for (const strength of [0.3, 0.8]) {
      const { jobs } = await service.handlers['jobs.add']({
        kind: 'image-to-image',
        endpoint: 'generate.sd3',
        params: { prompt: 'as a watercolour', mode: 'image-to-image', strength },
        count: 1,
        input: input.id,
      });
      ids.push(jobs[0]?.id ?? '');
    }
    for (const id of ids) {
      const view = await finished(id);
      const sidecar = expectInLibrary(view);
      expect(view.inputName).toBe('photo.png');
      expect((sidecar?.inputs as unknown[]).length).toBe(1);
    }
    const sent = sandbox.requests.filter((r) => r.path.endsWith('/generate/sd3')).slice(-2);
    expect(sent.map((r) => r.fields.find((f) => f.name === 'strength')?.value)).toEqual([
      '0.3',
      '0.8',
    ]);
  });

  it('upscales with each upscaler (creative is polled)', async () => {
    const input = await upload(await png(512, 512), 'small.png');
    const runs: { endpoint: CreateEndpoint; params: FormParams }[] = [
      { endpoint: 'upscale.fast', params: {} },
      { endpoint: 'upscale.conservative', params: { prompt: 'sharp', creativity: 0.3 } },
      { endpoint: 'upscale.creative', params: { prompt: 'sharp', creativity: 0.2 } },
    ];
    for (const run of runs) {
      const { jobs } = await service.handlers['jobs.add']({
        kind: 'upscale',
        endpoint: run.endpoint,
        params: run.params,
        count: 1,
        input: input.id,
      });
      const view = await finished(jobs[0]?.id ?? '');
      expectInLibrary(view);
      expect(view.result?.width).toBeGreaterThan(512);
    }
  });

  it('refuses what is not a picture with a sentence, and an image too small for the upscaler', async () => {
    // Named as the artist knows it, not by the name of its staged copy.
    await expect(upload(Buffer.from('hello, not a picture'), 'notes.png')).rejects.toThrow(
      /^“?notes\.png”? .*(not an image|isn’t an image|not a picture|text)/i,
    );
    const tiny = await upload(await png(16, 16), 'tiny.png');
    const { jobs } = await service.handlers['jobs.add']({
      kind: 'upscale',
      endpoint: 'upscale.fast',
      params: {},
      count: 1,
      input: tiny.id,
    });
    const view = await finished(jobs[0]?.id ?? '');
    expect(view.state).toBe('failed');
    expect(view.error?.message).toMatch(/32/);
  });

  it('sends named pictures to their own fields, and refuses a field the endpoint does not have', async () => {
    const photo = await upload(await png(320, 256), 'photo.png');
    const style = await upload(await png(256, 256), 'style.png');
    const { jobs } = await service.handlers['jobs.add']({
      kind: 'guide',
      endpoint: 'control.style-transfer',
      params: { style_strength: 0.5 },
      count: 1,
      images: { init_image: photo.id, style_image: style.id },
    });
    const view = await finished(jobs[0]?.id ?? '');
    expect(view.state).toBe('done');
    const sent = sandbox.requests.filter((r) => r.path.endsWith('/style-transfer')).at(-1);
    const bytesOf = (name: string) => sent?.fields.find((f) => f.name === name)?.bytes;
    expect((await sharp(bytesOf('init_image')).metadata()).width).toBe(320);
    expect((await sharp(bytesOf('style_image')).metadata()).width).toBe(256);
    expect(
      sent?.fields
        .filter((f) => f.kind === 'file')
        .map((f) => f.name)
        .sort(),
    ).toEqual(['init_image', 'style_image']);
    await expect(
      service.handlers['jobs.add']({
        kind: 'guide',
        endpoint: 'control.sketch',
        params: { prompt: 'a fox' },
        count: 1,
        input: photo.id,
        images: { style_image: style.id },
      }),
    ).rejects.toThrow(/Sketch to image takes no picture called style_image/);
    await expect(
      service.handlers['jobs.add']({
        kind: 'upscale',
        endpoint: 'control.sketch',
        params: { prompt: 'a fox' },
        count: 1,
        input: photo.id,
      }),
    ).rejects.toThrow(/cannot do upscale/);
  });

  it('takes a picture by path (the main process: Electron drops) and refuses an image job without one', async () => {
    const file = path.join(root, 'dropped.png');
    writeFileSync(file, await png(300, 200));
    const input = await inputs.fromPath(file);
    expect(input).toMatchObject({ name: 'dropped.png', width: 300, height: 200 });
    await expect(
      service.handlers['jobs.add']({
        kind: 'upscale',
        endpoint: 'upscale.fast',
        params: {},
        count: 1,
      }),
    ).rejects.toThrow(/Drop a picture/);
  });

  it("reads the prompt a picture carries (a library image, another tool's by upload)", async () => {
    const saved = await saveResult(libraryDir, {
      bytes: await png(320, 240),
      format: 'png',
      recipe: {
        operation: 'text-to-image',
        endpoint: '/v2beta/stable-image/generate/core',
        model: null,
        params: { prompt: 'a heron in the reeds, woodcut' },
        seed: 5,
        finishReason: 'SUCCESS',
        credits: 3,
        sandbox: true,
        createdAt: new Date(),
      },
    });
    const fromLibrary = await inputs.fromPath(saved.imageFile);
    expect(fromLibrary).toMatchObject({
      width: 320,
      height: 240,
      prompt: 'a heron in the reeds, woodcut',
    });

    const other = setPngTexts(await png(300, 200), [
      textChunk('parameters', 'a castle at dusk\nSteps: 20, Seed: 1, Size: 300x200'),
    ]);
    expect(await upload(other, 'castle.png')).toMatchObject({ prompt: 'a castle at dusk' });
    expect(await upload(await png(300, 200), 'plain.png')).not.toHaveProperty('prompt');
  });
});
