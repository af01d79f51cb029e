/**
 * Contract tests: the client against the Sandbox over real HTTP, for every endpoint of the table.
 * Wire format is asserted on the Sandbox side (what it recorded), results on the client side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENDPOINTS,
  SD3_MODELS,
  ASPECT_RATIOS,
  OUTPUT_SIZES,
  creditCost,
  endpoint,
  findParam,
  type EndpointId,
} from '../../../shared/endpoints';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../../electron/core/sandbox';
import {
  StabilityError,
  createStabilityClient,
  resolveBaseUrl,
  type StabilityClient,
} from '../../../electron/core/stability';
import { difference, facts, makeFixtures, type Fixtures } from './fixtures';

let sandbox: Sandbox;
let client: StabilityClient;
let fx: Fixtures;
const FAST_POLL = { firstDelayMs: 1, intervalMs: 5, maxIntervalMs: 20, deadlineMs: 20_000 };

beforeAll(async () => {
  fx = await makeFixtures();
  sandbox = await startSandbox({ startingCredits: 100_000, faults: {} });
  client = createStabilityClient({
    baseUrl: sandbox.url,
    apiKey: SANDBOX_API_KEY,
    clientVersion: '1.2.3',
    poll: FAST_POLL,
  });
});

afterAll(async () => {
  await client.close();
  await sandbox.close();
  fx.cleanup();
});

const last = () => sandbox.requests[sandbox.requests.length - 1];

/** The recorded fields of the last request must all be parameters of the endpoint. */
function expectOnlyTableFields(id: EndpointId): void {
  const spec = endpoint(id);
  const record = last();
  expect(record?.path).toBe(spec.path);
  for (const field of record?.fields ?? []) {
    const param = findParam(spec, field.name);
    expect(param, `unexpected field ${field.name}`).toBeDefined();
    expect(field.kind).toBe(param?.kind === 'image' ? 'file' : 'text');
    if (field.kind === 'file') expect(field.type).toMatch(/^image\/(png|jpeg|webp)$/);
  }
}

describe('base URL', () => {
  it('takes the address it is given, else the official one, and never reads the environment', () => {
    const before = process.env.STABILITY_API_BASE;
    process.env.STABILITY_API_BASE = 'http://elsewhere.test';
    try {
      expect(resolveBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
      expect(resolveBaseUrl(null)).toBe('https://api.stability.ai');
      expect(resolveBaseUrl(undefined)).toBe('https://api.stability.ai');
    } finally {
      if (before === undefined) delete process.env.STABILITY_API_BASE;
      else process.env.STABILITY_API_BASE = before;
    }
  });
});

describe('wire format', () => {
  it('sends a text-only request as multipart with auth, accept and client headers', async () => {
    await client.send('generate.core', { prompt: 'a quiet harbour', seed: 7 });
    const record = last();
    expect(record?.method).toBe('POST');
    expect(record?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(record?.headers.authorization).toBe('Bearer [redacted]');
    expect(record?.headers.accept).toBe('image/*');
    expect(record?.headers['stability-client-id']).toBe('atelier');
    expect(record?.headers['stability-client-version']).toBe('1.2.3');
    expect(record?.headers.connection).toBe('keep-alive');
    expect(record?.fields).toEqual([
      { name: 'prompt', kind: 'text', value: 'a quiet harbour' },
      { name: 'seed', kind: 'text', value: '7' },
    ]);
  });

  it('streams files as parts with their content type and name', async () => {
    await client.send('upscale.fast', { image: { path: fx.jpeg96 } });
    expectOnlyTableFields('upscale.fast');
    expect(last()?.fields[0]).toMatchObject({
      name: 'image',
      kind: 'file',
      filename: 'c.jpg',
      type: 'image/jpeg',
    });
    await client.send('upscale.fast', { image: { path: fx.webp80 }, output_format: 'webp' });
    expect(last()?.fields[0]).toMatchObject({ type: 'image/webp', filename: 'd.webp' });
  });

  it('sends application/json when asked and decodes the JSON answer', async () => {
    const viaJson = await client.send(
      'generate.core',
      { prompt: 'lanterns', seed: 99 },
      { accept: 'application/json' },
    );
    expect(last()?.headers.accept).toBe('application/json');
    const viaBytes = await client.send('generate.core', { prompt: 'lanterns', seed: 99 });
    expect(viaJson.seed).toBe(99);
    expect(viaBytes.seed).toBe(99);
    expect(viaJson.contentType).toBe('image/png');
    expect(Buffer.from(viaJson.bytes).equals(Buffer.from(viaBytes.bytes))).toBe(true);
  });
});

describe('generate', () => {
  it('core: 1.5 MP per the table, deterministic, different per prompt, charged 3', async () => {
    const before = sandbox.ledger.balance;
    const a = await client.send('generate.core', { prompt: 'a red fox', seed: 42 });
    expect(sandbox.ledger.balance).toBe(before - 3);
    const again = await client.send('generate.core', { prompt: 'a red fox', seed: 42 });
    const other = await client.send('generate.core', { prompt: 'a blue whale', seed: 42 });
    expect(a.outcome).toBe('image');
    expect(a.finishReason).toBe('SUCCESS');
    expect(a.seed).toBe(42);
    expect(await facts(a.bytes)).toMatchObject({ width: 1536, height: 1536, format: 'png' });
    expect(Buffer.from(a.bytes).equals(Buffer.from(again.bytes))).toBe(true);
    expect(await difference(a.bytes, other.bytes)).toBeGreaterThan(10);
    const seeded = await client.send('generate.core', { prompt: 'a red fox', seed: 43 });
    expect(Buffer.from(seeded.bytes).equals(Buffer.from(a.bytes))).toBe(false);
  });

  it('no seed (or 0) means a random one, as the API: the same prompt twice gives two pictures', async () => {
    const first = await client.send('generate.core', { prompt: 'a red fox' });
    const second = await client.send('generate.core', { prompt: 'a red fox', seed: 0 });
    expect(first.seed).toBeGreaterThan(0);
    expect(second.seed).not.toBe(first.seed);
    expect(Buffer.from(first.bytes).equals(Buffer.from(second.bytes))).toBe(false);
  });

  it('ultra: every aspect ratio gives the table size', async () => {
    for (const ratio of ASPECT_RATIOS) {
      const r = await client.send('generate.ultra', {
        prompt: 'dunes',
        aspect_ratio: ratio,
        output_format: 'jpeg',
      });
      const [width, height] = OUTPUT_SIZES.oneMegapixel[ratio];
      expect(await facts(r.bytes)).toMatchObject({ width, height, format: 'jpeg' });
    }
  });

  it('every output format comes back as asked', async () => {
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const r = await client.send('generate.sd3', {
        prompt: 'tea',
        model: 'sd3.5-flash',
        output_format: format,
      });
      expect(r.format).toBe(format);
      expect(r.contentType).toBe(`image/${format}`);
      expect((await facts(r.bytes)).format).toBe(format);
    }
  });

  it('sd3: each model is accepted and charged its own price', async () => {
    for (const model of SD3_MODELS) {
      const before = sandbox.ledger.balance;
      await client.send('generate.sd3', { prompt: 'moss', model, cfg_scale: 1 });
      expect(sandbox.ledger.balance).toBeCloseTo(
        before - creditCost(ENDPOINTS['generate.sd3'], { model }),
      );
      expectOnlyTableFields('generate.sd3');
    }
  });

  it('sd3 image-to-image transforms the input more as strength grows', async () => {
    const diffs: number[] = [];
    for (const strength of [0, 0.5, 1]) {
      const r = await client.send('generate.sd3', {
        prompt: 'a glass sculpture',
        mode: 'image-to-image',
        image: { path: fx.png64 },
        strength,
        seed: 5,
      });
      diffs.push(await difference(r.bytes, fx.png64));
    }
    expect(diffs[0]).toBeLessThan(8);
    expect(diffs[1]).toBeGreaterThan((diffs[0] ?? 0) + 5);
    expect(diffs[2]).toBeGreaterThan((diffs[1] ?? 0) + 5);
    expectOnlyTableFields('generate.sd3');
  });

  it('ultra image-to-image needs strength and keeps the input aspect', async () => {
    await expect(
      client.send('generate.ultra', { prompt: 'x', image: { path: fx.png96x64 } }),
    ).rejects.toMatchObject({ kind: 'invalid_parameters', fields: { strength: 'Required.' } });
    const r = await client.send('generate.ultra', {
      prompt: 'x',
      image: { bytes: await import('node:fs').then((fs) => fs.readFileSync(fx.png96x64)) },
      strength: 0.7,
    });
    const size = await facts(r.bytes);
    expect(size.width / size.height).toBeCloseTo(96 / 64, 1);
    expect(last()?.fields.find((f) => f.name === 'image')).toMatchObject({
      filename: 'image.png',
      type: 'image/png',
    });
  });
});

describe('parameter edges are checked before sending', () => {
  const cases: [EndpointId, string, Record<string, unknown>][] = [
    ['generate.core', 'prompt', {}],
    ['generate.core', 'prompt', { prompt: '' }],
    ['generate.core', 'prompt', { prompt: 'x'.repeat(10_001) }],
    ['generate.core', 'aspect_ratio', { prompt: 'a', aspect_ratio: '4:3' }],
    ['generate.core', 'style_preset', { prompt: 'a', style_preset: 'watercolor' }],
    ['generate.core', 'seed', { prompt: 'a', seed: -1 }],
    ['generate.core', 'seed', { prompt: 'a', seed: 4_294_967_295 }],
    ['generate.core', 'output_format', { prompt: 'a', output_format: 'gif' }],
    ['generate.core', 'colour', { prompt: 'a', colour: 'red' }],
    ['generate.sd3', 'cfg_scale', { prompt: 'a', cfg_scale: 0.99 }],
    ['generate.sd3', 'cfg_scale', { prompt: 'a', cfg_scale: 10.01 }],
    ['generate.sd3', 'model', { prompt: 'a', model: 'sd3-huge' }],
    ['generate.sd3', 'image', { prompt: 'a', mode: 'image-to-image', strength: 0.5 }],
    ['upscale.conservative', 'creativity', { prompt: 'a', creativity: 0.19 }],
    ['upscale.creative', 'creativity', { prompt: 'a', creativity: 0.51 }],
    ['edit.erase', 'grow_mask', { grow_mask: 21 }],
    ['edit.remove-background', 'output_format', { output_format: 'jpeg' }],
    ['edit.outpaint', 'left', { left: 2001 }],
    ['edit.outpaint', 'left', { left: 1.5 }],
    ['control.style-transfer', 'change_strength', { change_strength: 0.05 }],
  ];

  it.each(cases)('%s: bad %s is refused', async (id, field, params) => {
    const count = sandbox.requests.length;
    const needsImage = ENDPOINTS[id].params.some((p) => p.kind === 'image' && p.required === true);
    const images = Object.fromEntries(
      ENDPOINTS[id].params
        .filter((p) => p.kind === 'image' && p.required === true)
        .map((p) => [p.name, { path: fx.png64 }]),
    );
    const error = await client
      .run(id, { ...(needsImage ? images : {}), ...(params as Record<string, string>) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid_parameters', mayHaveBeenCharged: false });
    expect(Object.keys((error as { fields: object }).fields)).toContain(field);
    expect(sandbox.requests.length).toBe(count);
  });

  it('accepts the edges themselves', async () => {
    await client.send('generate.sd3', { prompt: 'a', cfg_scale: 10, seed: 4_294_967_294 });
    await client.send('generate.sd3', { prompt: 'a', cfg_scale: 1, seed: 0 });
    await client.send('edit.erase', { image: { path: fx.png64 }, grow_mask: 20 });
    await client.send('edit.erase', { image: { path: fx.png64 }, grow_mask: 0 });
    await client.send('upscale.conservative', {
      image: { path: fx.png64 },
      prompt: 'a',
      creativity: 0.2,
    });
    await client.send('upscale.fast', { image: { path: fx.png64 } });
  });

  it('checks image limits: too small, too large, wrong kind of file', async () => {
    const fail = (p: Promise<unknown>): Promise<StabilityError> =>
      p.then(
        () => Promise.reject(new Error('expected a failure')),
        (e: unknown) => e as StabilityError,
      );
    const small = await fail(
      client.send('upscale.conservative', { image: { path: fx.png16 }, prompt: 'a' }),
    );
    expect(small.kind).toBe('invalid_parameters');
    expect(small.fields.image).toMatch(/at least 64/);
    const wide = await fail(
      client.send('upscale.conservative', { image: { path: fx.wide400x100 }, prompt: 'a' }),
    );
    expect(wide.fields.image).toMatch(/narrow or too wide/);
    const junk = await fail(client.send('upscale.fast', { image: { path: fx.notImage } }));
    expect(junk.kind).toBe('invalid_parameters');
    const missing = await fail(
      client.send('upscale.fast', { image: { path: '/nonexistent/x.png' } }),
    );
    expect(missing.kind).toBe('invalid_parameters');
    expect(missing.message).toMatch(/does not exist/);
  });
});

describe('upscale', () => {
  it('fast: 4x each side', async () => {
    const r = await client.send('upscale.fast', { image: { path: fx.png96x64 } });
    expect(await facts(r.bytes)).toMatchObject({ width: 384, height: 256 });
    expect(await difference(r.bytes, fx.png96x64)).toBeLessThan(12);
  });

  it('conservative: about 4 MP, same aspect', async () => {
    const r = await client.send(
      'upscale.conservative',
      { image: { path: fx.png96x64 }, prompt: 'sharp', output_format: 'jpeg' },
      { accept: 'application/json' },
    );
    const size = await facts(r.bytes);
    expect(size.width * size.height).toBeGreaterThan(4_000_000);
    expect(size.width / size.height).toBeCloseTo(96 / 64, 2);
  });

  it('creative: starts a job, polls 202 until 200, charged once', async () => {
    const before = sandbox.ledger.balance;
    const polls: number[] = [];
    const r = await client.run(
      'upscale.creative',
      { image: { path: fx.png64 }, prompt: 'crisp', output_format: 'webp' },
      { onPoll: (n) => polls.push(n) },
    );
    expect(polls).toEqual([1, 2]);
    expect(r.format).toBe('webp');
    expect((await facts(r.bytes)).width).toBe(2048);
    expect(sandbox.ledger.balance).toBe(before - 60);
    const tail = sandbox.requests.slice(-4);
    expect(tail.map((q) => `${q.method} ${q.status}`)).toEqual([
      'POST 200',
      'GET 202',
      'GET 202',
      'GET 200',
    ]);
    expect(tail[1]?.headers.accept).toBe('*/*');
    expect(tail[1]?.path).toMatch(/^\/v2beta\/results\/[0-9a-f]{64}$/);
  });

  it('creative: the result as JSON, and on the older result path', async () => {
    const job = await client.start('upscale.creative', { image: { path: fx.png64 }, prompt: 'a' });
    expect(job.id).toHaveLength(64);
    expect(await client.result(job.id, { endpoint: 'upscale.creative.result' })).toEqual({
      status: 'in-progress',
    });
    const done = await client.waitFor(job.id, { accept: 'application/json' });
    expect(done.outcome).toBe('image');
    expect(done.seed).toBeGreaterThan(0);
  });
});

describe('edit and control', () => {
  it('erase with a mask and inpaint without one keep the input size', async () => {
    const erased = await client.send('edit.erase', {
      image: { path: fx.png64 },
      mask: { path: fx.mask64 },
    });
    expect(await facts(erased.bytes)).toMatchObject({ width: 64, height: 64 });
    expectOnlyTableFields('edit.erase');
    const inpainted = await client.send('edit.inpaint', {
      image: { path: fx.alpha64 },
      prompt: 'flowers',
      grow_mask: 100,
      style_preset: 'line-art',
    });
    expect(await facts(inpainted.bytes)).toMatchObject({ width: 64, height: 64 });
  });

  it('outpaint grows the picture by the directions', async () => {
    const r = await client.send('edit.outpaint', {
      image: { path: fx.png96x64 },
      left: 10,
      right: 6,
      down: 16,
    });
    expect(await facts(r.bytes)).toMatchObject({ width: 112, height: 80 });
    await expect(client.send('edit.outpaint', { image: { path: fx.png64 } })).rejects.toMatchObject(
      { kind: 'invalid_parameters' },
    );
  });

  it('search-and-replace, search-and-recolor, remove-background', async () => {
    const replaced = await client.send('edit.search-and-replace', {
      image: { path: fx.png64 },
      prompt: 'a dog',
      search_prompt: 'cat',
    });
    expect(await difference(replaced.bytes, fx.png64)).toBeGreaterThan(3);
    const recolored = await client.send('edit.search-and-recolor', {
      image: { path: fx.png64 },
      prompt: 'golden',
      select_prompt: 'sky',
    });
    expect(await difference(recolored.bytes, fx.png64)).toBeGreaterThan(3);
    const cut = await client.send('edit.remove-background', {
      image: { path: fx.jpeg96 },
      output_format: 'webp',
    });
    expect(await facts(cut.bytes)).toMatchObject({ width: 96, height: 96, channels: 4 });
  });

  it('replace-background-and-relight is a job', async () => {
    const r = await client.run('edit.replace-background-and-relight', {
      subject_image: { path: fx.png64 },
      background_prompt: 'a beach at dawn',
      light_source_direction: 'above',
      light_source_strength: 0.8,
      keep_original_background: false,
    });
    expect(await facts(r.bytes)).toMatchObject({ width: 64, height: 64 });
    const start = sandbox.requests.find((q) => q.path.endsWith('/replace-background-and-relight'));
    expect(start?.fields.map((f) => f.name)).toEqual([
      'subject_image',
      'background_prompt',
      'keep_original_background',
      'light_source_direction',
      'light_source_strength',
    ]);
    expect(start?.fields.find((f) => f.name === 'keep_original_background')?.value).toBe('false');
  });

  it('sketch, structure, style and style-transfer', async () => {
    for (const id of ['control.sketch', 'control.structure'] as const) {
      const r = await client.send(id, {
        image: { path: fx.png96x64 },
        prompt: 'a house',
        control_strength: 0.2,
      });
      expect(await facts(r.bytes)).toMatchObject({ width: 96, height: 64 });
      expectOnlyTableFields(id);
    }
    const styled = await client.send('control.style', {
      image: { path: fx.png64 },
      prompt: 'a tower',
      aspect_ratio: '21:9',
      fidelity: 1,
    });
    expect(await facts(styled.bytes)).toMatchObject({ width: 1536, height: 640 });
    const transferred = await client.send('control.style-transfer', {
      init_image: { path: fx.png96x64 },
      style_image: { path: fx.webp80 },
      change_strength: 0.1,
    });
    const size = await facts(transferred.bytes);
    expect(size.width / size.height).toBeCloseTo(96 / 64, 1);
    expectOnlyTableFields('control.style-transfer');
  });
});

describe('account', () => {
  it('balance reads the ledger', async () => {
    sandbox.ledger.set(123.456);
    expect(await client.balance()).toEqual({ credits: 123.456 });
    expect(last()).toMatchObject({ method: 'GET', path: '/v1/user/balance' });
    expect(last()?.headers.accept).toBe('application/json');
    sandbox.ledger.set(100_000);
  });
});
