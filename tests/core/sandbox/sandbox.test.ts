/**
 * The Sandbox on the wire, with bare undici requests: status codes and error shapes as the API doc
 * says, numbers from the endpoint table, real images with the Sandbox mark, faults from env.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { FormData, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, RATE_LIMIT } from '../../../shared/endpoints';
import {
  SANDBOX_API_KEY,
  faultsFromEnv,
  parseFaults,
  startSandbox,
  type Sandbox,
} from '../../../electron/core/sandbox';
import { markPlacement, markRaw } from '../../../electron/core/sandbox/images';
import { makeFixtures, type Fixtures } from '../stability/fixtures';

let sandbox: Sandbox;
let fx: Fixtures;
const AUTH = { authorization: `Bearer ${SANDBOX_API_KEY}` };

beforeAll(async () => {
  fx = await makeFixtures();
  sandbox = await startSandbox({ faults: {}, pollsBeforeDone: 2 });
});
afterAll(async () => {
  await sandbox.close();
  fx.cleanup();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: () => { id: string; name: string; errors?: string[]; message?: string } & Record<
    string,
    unknown
  >;
}

async function call(
  path: string,
  init: {
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: FormData | string | Buffer;
    server?: Sandbox;
  } = {},
): Promise<Answer> {
  const response = await request(`${(init.server ?? sandbox).url}${path}`, {
    method: init.method ?? 'POST',
    headers: { ...AUTH, ...init.headers },
    body: init.body,
  });
  const body = Buffer.from(await response.body.arrayBuffer());
  return {
    status: response.statusCode,
    headers: response.headers,
    body,
    json: () => JSON.parse(body.toString('utf8')) as ReturnType<Answer['json']>,
  };
}

function form(fields: Record<string, string>, files: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const [k, path] of Object.entries(files)) {
    f.append(k, new Blob([readFileSync(path)], { type: 'image/png' }), 'x.png');
  }
  return f;
}

const CORE = '/v2beta/stable-image/generate/core';

describe('request checks and error shapes', () => {
  it('an empty POST is 400 content-type: required', async () => {
    const a = await call(CORE);
    expect(a.status).toBe(400);
    const body = a.json();
    expect(body).toEqual({
      id: expect.any(String) as string,
      name: 'bad_request',
      errors: ['content-type: required'],
    });
    expect(body.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a JSON body is refused: multipart only', async () => {
    const a = await call(CORE, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a' }),
    });
    expect(a.status).toBe(400);
    expect(a.json().errors).toEqual(['content-type: must be multipart/form-data']);
  });

  it('missing prompt, bad aspect ratio, unknown and repeated fields', async () => {
    const a = await call(CORE, { body: form({ aspect_ratio: '4:3', colour: 'red' }) });
    expect(a.status).toBe(400);
    const errors = a.json().errors ?? [];
    expect(errors).toContain('prompt: Required.');
    expect(errors.some((e) => e.startsWith('aspect_ratio: Must be one of'))).toBe(true);
    expect(errors.some((e) => e.startsWith('colour:'))).toBe(true);
    const twice = new FormData();
    twice.append('prompt', 'a');
    twice.append('prompt', 'b');
    expect((await call(CORE, { body: twice })).json().errors).toEqual([
      'prompt: Given more than once.',
    ]);
  });

  it('images too small and too large', async () => {
    const small = await call('/v2beta/stable-image/upscale/conservative', {
      body: form({ prompt: 'a' }, { image: fx.png16 }),
    });
    expect(small.status).toBe(400);
    expect(small.json().errors?.[0]).toMatch(/^image: .*at least 64 pixels/);
    const large = await call('/v2beta/stable-image/upscale/creative', {
      body: form({ prompt: 'a' }, { image: fx.wide400x100 }),
    });
    expect(large.status).toBe(200);
    const wide = await call('/v2beta/stable-image/upscale/conservative', {
      body: form({ prompt: 'a' }, { image: fx.wide400x100 }),
    });
    expect(wide.json().errors?.[0]).toMatch(/too narrow or too wide/);
  });

  it('a body over 10 MiB is 413 payload_too_large', async () => {
    const f = new FormData();
    f.append('prompt', 'a');
    f.append(
      'image',
      new Blob([Buffer.alloc(MAX_REQUEST_BYTES + 1)], { type: 'image/png' }),
      'big.png',
    );
    const a = await call('/v2beta/stable-image/generate/ultra', { body: f });
    expect(a.status).toBe(413);
    expect(a.json()).toMatchObject({
      name: 'payload_too_large',
      errors: ['body: payloads cannot be larger than 10MiB in size'],
    });
  });

  it('401 without a key (v2beta shape) and on v1 (message shape)', async () => {
    const a = await call(CORE, { headers: { authorization: '' }, body: form({ prompt: 'a' }) });
    expect(a.status).toBe(401);
    expect(a.json()).toMatchObject({
      name: 'unauthorized',
      errors: [expect.any(String) as string],
    });
    const v1 = await call('/v1/user/balance', {
      method: 'GET',
      headers: { authorization: 'Bearer nope' },
    });
    expect(v1.status).toBe(401);
    expect(v1.json()).toMatchObject({
      name: 'unauthorized',
      message: 'authorization: invalid API key',
    });
  });

  it('404 for unknown paths and unknown results; 400 for an accept it does not offer', async () => {
    expect((await call('/v2beta/nothing-here', { body: form({ prompt: 'a' }) })).status).toBe(404);
    const missing = await call(`/v2beta/results/${'0'.repeat(64)}`, { method: 'GET' });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({
      name: 'generation_not_found',
      errors: ['id: the generation either does not exist or has expired.'],
    });
    const html = await call(CORE, {
      headers: { accept: 'text/html' },
      body: form({ prompt: 'a' }),
    });
    expect(html.status).toBe(400);
  });

  it('402 when the ledger cannot pay, and failed calls are not charged', async () => {
    const poor = await startSandbox({ faults: {}, startingCredits: 2 });
    try {
      const a = await call(CORE, { server: poor, body: form({ prompt: 'a' }) });
      expect(a.status).toBe(402);
      expect(a.json()).toMatchObject({ name: 'payment_required' });
      await call(CORE, { server: poor, body: form({}) });
      expect(poor.ledger.balance).toBe(2);
      expect(poor.ledger.entries).toEqual([]);
    } finally {
      await poor.close();
    }
  });

  it(`429 after ${RATE_LIMIT.requests} requests in ${RATE_LIMIT.windowMs / 1000} s, locked ${RATE_LIMIT.lockoutMs / 1000} s`, async () => {
    let clock = 0;
    const limited = await startSandbox({ faults: {}, now: () => clock });
    try {
      for (let i = 0; i < RATE_LIMIT.requests; i++) {
        clock += 1;
        const ok = await call('/v1/user/balance', { method: 'GET', server: limited });
        expect(ok.status).toBe(200);
      }
      const over = await call(CORE, { server: limited, body: form({ prompt: 'a' }) });
      expect(over.status).toBe(429);
      expect(over.json()).toMatchObject({ id: 'rate_limit_exceeded', name: 'rate_limit_exceeded' });
      expect(over.json().errors?.[0]).toMatch(/150 requests within a 10 second period.*60 seconds/);
      expect(over.headers['retry-after']).toBe('60');
      clock += RATE_LIMIT.lockoutMs - 1;
      expect((await call('/v1/user/balance', { method: 'GET', server: limited })).status).toBe(429);
      clock += 2;
      expect((await call('/v1/user/balance', { method: 'GET', server: limited })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('answers', () => {
  it('bytes with finish-reason, seed, x-request-id; JSON with type=; trigger words', async () => {
    const bytes = await call(CORE, {
      body: form({ prompt: 'a', seed: '11', output_format: 'webp' }),
    });
    expect(bytes.status).toBe(200);
    expect(bytes.headers['content-type']).toBe('image/webp');
    expect(bytes.headers['finish-reason']).toBe('SUCCESS');
    expect(bytes.headers.seed).toBe('11');
    expect(bytes.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const json = await call(CORE, {
      headers: { accept: 'application/json' },
      body: form({ prompt: 'a', seed: '11', output_format: 'webp' }),
    });
    expect(json.headers['content-type']).toBe('application/json; type=image/webp');
    expect(json.json()).toMatchObject({ finish_reason: 'SUCCESS', seed: 11 });
    expect(Buffer.from(json.json().image as string, 'base64').equals(bytes.body)).toBe(true);
    const filtered = await call(CORE, { body: form({ prompt: 'x sandbox-filter y', seed: '11' }) });
    expect(filtered.headers['finish-reason']).toBe('CONTENT_FILTERED');
    const moderated = await call(CORE, {
      body: form({ negative_prompt: 'sandbox-moderate', prompt: 'a' }),
    });
    expect(moderated.status).toBe(403);
    expect(moderated.json().name).toBe('content_moderation');
  });

  it('accepts the `none` part that official samples send to force multipart', async () => {
    const f = form({ prompt: 'a' });
    f.append('none', new Blob([]), '');
    expect((await call(CORE, { body: f })).status).toBe(200);
  });

  it('creative upscale: 200 {id}, then 202 twice, then 200 bytes on either results path', async () => {
    const start = await call('/v2beta/stable-image/upscale/creative', {
      body: form({ prompt: 'a' }, { image: fx.png64 }),
    });
    expect(start.status).toBe(200);
    const { id } = start.json();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const first = await call(`/v2beta/results/${id}`, { method: 'GET' });
    expect(first.status).toBe(202);
    expect(first.json()).toEqual({ id, status: 'in-progress' });
    const second = await call(`/v2beta/stable-image/upscale/creative/result/${id}`, {
      method: 'GET',
    });
    expect(second.status).toBe(202);
    const done = await call(`/v2beta/results/${id}`, { method: 'GET' });
    expect(done.status).toBe(200);
    expect(done.headers['content-type']).toBe('image/png');
    expect(done.headers['finish-reason']).toBe('SUCCESS');
  });

  it('upscale really resizes with Lanczos to the table size', async () => {
    const a = await call('/v2beta/stable-image/upscale/fast', {
      body: form({}, { image: fx.png96x64 }),
    });
    const ours = await sharp(a.body).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(ours.info).toMatchObject({ width: 384, height: 256 });
    const reference = await sharp(fx.png96x64)
      .resize(384, 256, { kernel: 'lanczos3', fit: 'fill' })
      .removeAlpha()
      .raw()
      .toBuffer();
    let same = 0;
    for (let i = 0; i < reference.length; i++) {
      if (Math.abs((reference[i] ?? 0) - (ours.data[i] ?? 0)) <= 1) same++;
    }
    expect(same / reference.length).toBeGreaterThan(0.9);
  });

  it('every picture carries the SANDBOX mark', async () => {
    const pictures = [
      (await call(CORE, { body: form({ prompt: 'mark me' }) })).body,
      (await call('/v2beta/stable-image/edit/erase', { body: form({}, { image: fx.png64 }) })).body,
    ];
    for (const picture of pictures) {
      const { data, info } = await sharp(picture)
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const place = markPlacement(info);
      const mark = markRaw(place.scale);
      let lit = 0;
      let total = 0;
      for (let y = 0; y < mark.height; y++) {
        for (let x = 0; x < mark.width; x++) {
          if (mark.data[(y * mark.width + x) * 4] !== 255) continue;
          total++;
          const i = ((place.top + y) * info.width + place.left + x) * 3;
          if ((data[i] ?? 0) > 200 && (data[i + 1] ?? 0) > 200 && (data[i + 2] ?? 0) > 200) lit++;
        }
      }
      expect(total).toBeGreaterThan(50);
      expect(lit / total).toBeGreaterThan(0.9);
    }
  });

  it('records what came in, with the key redacted', () => {
    const record = sandbox.requests.find((r) => r.path === CORE && r.status === 200);
    expect(record?.headers.authorization).toBe('Bearer [redacted]');
    expect(JSON.stringify(sandbox.requests)).not.toContain(SANDBOX_API_KEY);
  });
});

describe('faults', () => {
  it('parse from ATELIER_SANDBOX_FAULTS', () => {
    expect(
      parseFaults(
        'latency=200,error500=0.1, error503=0.05;reset=0.02 truncate=1,slow=20,seed=7,bogus=1,slow2=x',
      ),
    ).toEqual({
      faults: {
        latencyMs: 200,
        error500: 0.1,
        error503: 0.05,
        reset: 0.02,
        truncate: 1,
        slowChunkDelayMs: 20,
        seed: 7,
      },
      ignored: ['bogus=1', 'slow2=x'],
    });
    expect(
      parseFaults(
        'asyncFail=1,omitHeaders=0.5,resetOversize=1,error429=1,noRetryAfter=1,asyncMs=900',
      ).faults,
    ).toEqual({
      asyncFail: 1,
      omitHeaders: 0.5,
      resetOversize: 1,
      error429: 1,
      noRetryAfter: 1,
      asyncMs: 900,
    });
    expect(faultsFromEnv({ ATELIER_SANDBOX_FAULTS: 'error503=1' })).toEqual({ error503: 1 });
    expect(faultsFromEnv({})).toEqual({});
  });

  it('a started Sandbox reads them from the environment', async () => {
    const saved = process.env.ATELIER_SANDBOX_FAULTS;
    process.env.ATELIER_SANDBOX_FAULTS = 'error503=1';
    const faulty = await startSandbox();
    try {
      expect((await call('/v1/user/balance', { method: 'GET', server: faulty })).status).toBe(503);
      faulty.setFaults({});
      expect((await call('/v1/user/balance', { method: 'GET', server: faulty })).status).toBe(200);
    } finally {
      if (saved === undefined) delete process.env.ATELIER_SANDBOX_FAULTS;
      else process.env.ATELIER_SANDBOX_FAULTS = saved;
      await faulty.close();
    }
  });

  it('a fraction of 500s follows the seed', async () => {
    const flaky = await startSandbox({ faults: { error500: 0.5, seed: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        statuses.push((await call('/v1/user/balance', { method: 'GET', server: flaky })).status);
      }
      const fails = statuses.filter((s) => s === 500).length;
      expect(fails).toBeGreaterThan(8);
      expect(fails).toBeLessThan(32);
    } finally {
      await flaky.close();
    }
  });
});
