/**
 * The real API's rough edges, as Sandbox fault modes, against the client over real HTTP: answers
 * without finish reason or seed, an unknown finish reason, a 429 without retry-after, a connection
 * reset halfway through an upload that is too large, 5xx sentences that agree with what the queue
 * does, an async job that fails after it started, and async results that finish after a time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, RATE_LIMIT } from '../../../shared/endpoints';
import { defaultClassify } from '../../../electron/core/jobs';
import { SANDBOX_API_KEY, type Sandbox } from '../../../electron/core/sandbox';
import {
  StabilityError,
  createStabilityClient,
  fromStatus,
  type StabilityClient,
} from '../../../electron/core/stability';
import { useSandbox } from '../sandbox/harness';

let sandboxTime = Date.UTC(2026, 0, 1);
const live = useSandbox({ now: () => sandboxTime });
let sandbox: Sandbox;
let client: StabilityClient;
let png: Buffer;

beforeAll(async () => {
  png = await sharp({
    create: { width: 128, height: 128, channels: 3, background: { r: 10, g: 120, b: 60 } },
  })
    .png()
    .toBuffer();
});

beforeEach(() => {
  ({ sandbox, client } = live);
  sandbox.setFaults({});
});

async function failure(promise: Promise<unknown>): Promise<StabilityError> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StabilityError);
  return error as StabilityError;
}

describe('finish reasons', () => {
  it('a picture without finish-reason and seed is an error with a sentence, as bytes and as JSON', async () => {
    sandbox.setFaults({ omitHeaders: 1 });
    for (const accept of ['image/*', 'application/json'] as const) {
      const error = await failure(
        client.send('generate.core', { prompt: 'a quiet harbour' }, { accept }),
      );
      expect(error.kind).toBe('unknown_finish');
      expect(error.mayHaveBeenCharged).toBe(true);
      expect(error.message).toMatch(/without saying whether it finished properly.*credits/s);
      expect(defaultClassify(error, { requests: 1, state: 'generating' })).toBe(
        'may-have-been-charged',
      );
    }
    // Left as it is, the same request works.
    sandbox.setFaults({});
    const ok = await client.send('generate.core', { prompt: 'a quiet harbour' });
    expect(ok.finishReason).toBe('SUCCESS');
    expect(typeof ok.seed).toBe('number');
  });

  it('an unknown finish reason is an error that names it', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'finish-reason': 'ERROR', seed: '7' });
      res.end(png);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const odd = createStabilityClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: SANDBOX_API_KEY,
    });
    try {
      const error = await failure(odd.send('generate.core', { prompt: 'x' }));
      expect(error.kind).toBe('unknown_finish');
      expect(error.message).toMatch(/finished as "ERROR", which Atelier does not know/);
    } finally {
      await odd.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('429 without retry-after', () => {
  it('waits the documented lockout', async () => {
    sandbox.setFaults({ error429: 1, noRetryAfter: 1 });
    const error = await failure(client.send('generate.core', { prompt: 'hurry' }));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(RATE_LIMIT.lockoutMs);
    expect(error.message).toMatch(/Wait 60 seconds/);
    expect(defaultClassify(error, { requests: 1, state: 'sending' })).toBe('retry-safe');
  });
});

describe('an upload that is too large', () => {
  const oversize = () => ({
    bytes: Buffer.concat([png, Buffer.alloc(MAX_REQUEST_BYTES + 1024)]),
    type: 'image/png',
  });

  it('is refused before sending when the table is checked (nothing reaches the API)', async () => {
    const before = sandbox.requests.length;
    const error = await failure(
      client.send('upscale.fast', { image: oversize() }, { accept: 'image/*' }),
    );
    expect(error.kind).toBe('invalid_parameters');
    expect(error.message).toMatch(/nothing was sent/);
    expect(sandbox.requests.length).toBe(before);
  });

  it('a connection reset halfway through it is a network error that was not charged', async () => {
    sandbox.setFaults({ resetOversize: 1 });
    const unchecked = createStabilityClient({
      baseUrl: sandbox.url,
      apiKey: SANDBOX_API_KEY,
      checkBeforeSending: false,
    });
    const charges = sandbox.ledger.entries.length;
    try {
      const error = await failure(unchecked.send('upscale.fast', { image: oversize() }));
      expect(error.kind).toBe('network');
      expect(error.mayHaveBeenCharged).toBe(false);
      expect(error.message).toMatch(/connection|reach/);
      const seen = sandbox.requests.at(-1);
      expect(seen?.aborted).toBe(true);
      expect(seen?.bytesReceived).toBeLessThan(MAX_REQUEST_BYTES);
      expect(sandbox.ledger.entries.length).toBe(charges);
    } finally {
      await unchecked.close();
    }
  });
});

describe('5xx sentences agree with the queue', () => {
  it.each([500, 502, 503, 504])('POST answered %i', (status) => {
    const error = fromStatus({ status, method: 'POST', messages: [] }, RATE_LIMIT.lockoutMs);
    const kind = defaultClassify(error, { requests: 1, state: 'generating' });
    if (kind === 'retry-safe') {
      expect(error.message).toMatch(/nothing was charged/);
      expect(error.message).not.toMatch(/may have been charged/);
    } else {
      expect(kind).toBe('may-have-been-charged');
      expect(error.message).toMatch(/may have been charged/);
      expect(error.message).not.toMatch(/not charged|nothing was charged/);
    }
  });

  it('over the wire: a 500 on a POST may have been charged, a 503 was not', async () => {
    sandbox.setFaults({ error500: 1 });
    const e500 = await failure(client.send('generate.core', { prompt: 'a' }));
    expect(e500).toMatchObject({ kind: 'server_error', status: 500, mayHaveBeenCharged: true });
    sandbox.setFaults({ error503: 1 });
    const e503 = await failure(client.send('generate.core', { prompt: 'a' }));
    expect(e503).toMatchObject({ kind: 'server_error', status: 503, mayHaveBeenCharged: false });
  });
});

describe('async jobs', () => {
  const upscale = () => ({ image: { bytes: png, type: 'image/png' }, prompt: 'crisp' });

  it('a job that fails after it started: charged once, then every poll is a 5xx that costs nothing', async () => {
    sandbox.setFaults({ asyncFail: 1 });
    const charges = sandbox.ledger.entries.length;
    const { id } = await client.start('upscale.creative', upscale());
    expect(sandbox.ledger.entries.length).toBe(charges + 1);
    for (let i = 0; i < 3; i++) {
      const error = await failure(client.result(id));
      expect(error).toMatchObject({ kind: 'server_error', mayHaveBeenCharged: false });
      expect(error.message).toMatch(/asking again costs nothing/);
    }
  });

  it('results finish after a time, however often they are polled', async () => {
    sandbox.setFaults({ asyncMs: 30_000 });
    const { id } = await client.start('upscale.creative', upscale());
    for (let i = 0; i < 6; i++) expect((await client.result(id)).status).toBe('in-progress');
    sandboxTime += 29_000;
    expect((await client.result(id)).status).toBe('in-progress');
    sandboxTime += 1_000;
    const done = await client.result(id);
    expect(done.status).toBe('done');
  });
});
