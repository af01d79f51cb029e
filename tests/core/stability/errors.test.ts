/**
 * Every error kind, over real HTTP against the Sandbox (plus a closed port and a tiny odd server),
 * cancellation mid-upload and mid-poll, and the key never appearing anywhere.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_BAD_KEY,
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../../electron/core/sandbox';
import {
  StabilityError,
  createStabilityClient,
  redact,
  type StabilityClient,
  type StabilityClientOptions,
} from '../../../electron/core/stability';
import { makeFixtures, type Fixtures } from './fixtures';

/** A key the Sandbox accepts, used to prove it never leaks. */
const SECRET = 'sk-secretSECRETsecret0123456789abcdefXYZ';
const FAST_POLL = { firstDelayMs: 1, intervalMs: 5, maxIntervalMs: 20, deadlineMs: 20_000 };

let fx: Fixtures;
const opened: { close(): Promise<void> }[] = [];
const seen: unknown[] = [];
const logLines: string[] = [];

async function setup(
  sandboxOptions: SandboxOptions = {},
  clientOptions: Partial<StabilityClientOptions> = {},
): Promise<{ sandbox: Sandbox; client: StabilityClient }> {
  const sandbox = await startSandbox({ faults: {}, ...sandboxOptions });
  const client = createStabilityClient({
    baseUrl: sandbox.url,
    apiKey: SECRET,
    poll: FAST_POLL,
    log: (line) => logLines.push(line),
    ...clientOptions,
  });
  opened.push(client, sandbox);
  return { sandbox, client };
}

/** Runs a call that must fail; keeps the error for the leak check. */
async function failure(promise: Promise<unknown>): Promise<StabilityError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  seen.push(error);
  expect(error).toBeInstanceOf(StabilityError);
  return error as StabilityError;
}

beforeAll(async () => {
  fx = await makeFixtures();
});

afterAll(async () => {
  for (const thing of opened.reverse()) await thing.close();
  fx.cleanup();
});

describe('HTTP error kinds', () => {
  it('400 from the server keeps the API field messages (local check off)', async () => {
    const { client } = await setup({}, { checkBeforeSending: false });
    const e = await failure(client.send('generate.core', { aspect_ratio: '4:3' }));
    expect(e.kind).toBe('bad_request');
    expect(e.status).toBe(400);
    expect(e.apiName).toBe('bad_request');
    expect(e.fields.prompt).toBe('Required.');
    expect(e.fields.aspect_ratio).toMatch(/one of/);
    expect(e.message).toMatch(/Check the settings and try again/);
    expect(e.toApiError()).toMatchObject({ code: 'bad_request', fields: { prompt: 'Required.' } });
  });

  it('401 for a refused key, with a sentence that says what to do', async () => {
    const { client } = await setup({ badKeys: [SECRET] });
    const e = await failure(client.send('generate.core', { prompt: 'a' }));
    expect(e).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(e.message).toMatch(/platform\.stability\.ai/);
    const balance = await failure(client.balance());
    expect(balance.kind).toBe('unauthorized');
  });

  it('401 for keys that do not look like keys', async () => {
    const { sandbox } = await setup();
    for (const key of ['', 'abc', 'sk-short', SANDBOX_BAD_KEY]) {
      const client = createStabilityClient({ baseUrl: sandbox.url, apiKey: key });
      opened.push(client);
      expect((await failure(client.balance())).kind).toBe('unauthorized');
    }
  });

  it('402 when the ledger cannot pay; nothing is charged', async () => {
    const { client, sandbox } = await setup({ startingCredits: 7 });
    const e = await failure(client.send('generate.ultra', { prompt: 'a' }));
    expect(e.kind).toBe('payment_required');
    expect(e.message).toBe(
      'Your Stability account is out of credits. Add credits at platform.stability.ai, then try again.',
    );
    expect(sandbox.ledger.balance).toBe(7);
    await client.send('generate.core', { prompt: 'a', output_format: 'jpeg' });
    expect(sandbox.ledger.balance).toBe(4);
  });

  it('403 content moderation (not charged) and 200 CONTENT_FILTERED (its own outcome)', async () => {
    const { client, sandbox } = await setup({
      triggers: { moderation: ['forbidden'], filtered: ['blurme'] },
    });
    const before = sandbox.ledger.balance;
    const e = await failure(client.send('generate.core', { prompt: 'a FORBIDDEN thing' }));
    expect(e).toMatchObject({ kind: 'content_moderation', status: 403 });
    expect(sandbox.ledger.balance).toBe(before);
    for (const accept of ['image/*', 'application/json'] as const) {
      const r = await client.send(
        'generate.sd3',
        { prompt: 'please blurme', model: 'sd3.5-flash', output_format: 'jpeg' },
        { accept },
      );
      expect(r.outcome).toBe('filtered');
      expect(r.finishReason).toBe('CONTENT_FILTERED');
      expect(r.message).toMatch(/content filter/);
    }
  });

  it('422 public figure and language are validation errors', async () => {
    const { client } = await setup();
    const figure = await failure(client.send('generate.core', { prompt: 'sandbox-public-figure' }));
    expect(figure).toMatchObject({ kind: 'validation', status: 422, apiName: 'public_figure' });
    const language = await failure(client.send('generate.core', { prompt: 'sandbox-language' }));
    expect(language.apiName).toBe('invalid_language');
    expect(language.action).toMatch(/English/);
  });

  it('404 for an unknown, expired or other-key result', async () => {
    let clock = 1_000_000;
    const { client, sandbox } = await setup({ now: () => clock, pollsBeforeDone: 0 });
    expect((await failure(client.result('a'.repeat(64)))).kind).toBe('not_found');
    const job = await client.start('upscale.creative', { image: { path: fx.png64 }, prompt: 'a' });
    const other = createStabilityClient({
      baseUrl: sandbox.url,
      apiKey: 'sk-another-key-0000000000000000',
    });
    opened.push(other);
    expect((await failure(other.result(job.id))).kind).toBe('not_found');
    clock += 24 * 60 * 60 * 1000 + 1;
    const expired = await failure(client.result(job.id));
    expect(expired.kind).toBe('not_found');
    expect(expired.message).toMatch(/24 hours/);
  });

  it('413 when the body is over the limit', async () => {
    const { client } = await setup({ maxRequestBytes: 500 });
    const e = await failure(client.send('upscale.fast', { image: { path: fx.png64 } }));
    expect(e).toMatchObject({ kind: 'too_large', status: 413, apiName: 'payload_too_large' });
  });

  it('429 after the limit, with the wait; the lockout ends', async () => {
    let clock = 5_000_000;
    const { client } = await setup({
      now: () => clock,
      rateLimit: { requests: 3, windowMs: 10_000, lockoutMs: 60_000 },
    });
    for (let i = 0; i < 3; i++) await client.balance();
    const e = await failure(client.balance());
    expect(e).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 60_000 });
    expect(e.message).toMatch(/60 seconds/);
    clock += 30_000;
    expect((await failure(client.balance())).retryAfterMs).toBe(30_000);
    clock += 30_001;
    await expect(client.balance()).resolves.toHaveProperty('credits');
  });

  it('500 and 503 are server errors', async () => {
    const { client, sandbox } = await setup({ faults: { error500: 1 } });
    expect(await failure(client.send('generate.core', { prompt: 'a' }))).toMatchObject({
      kind: 'server_error',
      status: 500,
    });
    sandbox.setFaults({ error503: 1 });
    const e = await failure(client.balance());
    expect(e).toMatchObject({ kind: 'server_error', status: 503 });
    expect(e.message).toMatch(/Try again in a few minutes/);
  });
});

describe('transport failures', () => {
  it('network: nothing listening', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = createStabilityClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: SECRET });
    opened.push(client);
    const e = await failure(client.send('generate.core', { prompt: 'a' }));
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/could not reach/);
    // The connection never opened: nothing reached Stability, so nothing can have been charged.
    expect(e.mayHaveBeenCharged).toBe(false);
  });

  it('network: reset mid-body and truncated bodies', async () => {
    const { client, sandbox } = await setup({ faults: { reset: 1 } });
    const reset = await failure(client.send('generate.core', { prompt: 'a' }));
    expect(reset.kind).toBe('network');
    expect(reset.mayHaveBeenCharged).toBe(true);
    sandbox.setFaults({ truncate: 1 });
    const truncated = await failure(client.send('generate.core', { prompt: 'a' }));
    expect(truncated.kind).toBe('network');
    expect(truncated.message).toMatch(/broke before the whole answer/);
  });

  it('timeout: latency and slow bodies beyond the overall time', async () => {
    const { client, sandbox } = await setup(
      { faults: { latencyMs: 400 } },
      { requestTimeoutMs: 100 },
    );
    expect((await failure(client.balance())).kind).toBe('timeout');
    sandbox.setFaults({ slowChunkDelayMs: 60 });
    const slow = await failure(client.send('generate.core', { prompt: 'a' }));
    expect(slow.kind).toBe('timeout');
    expect(slow.message).toMatch(/took too long/);
  });

  it('invalid response: a 200 that is not an image', async () => {
    const server: Server = createServer((_req, res) => {
      _req.resume();
      _req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>hello</html>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
    const client = createStabilityClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: SECRET,
    });
    opened.push(client);
    const e = await failure(client.send('generate.core', { prompt: 'a' }));
    expect(e.kind).toBe('invalid_response');
    expect(e.mayHaveBeenCharged).toBe(true);
  });
});

describe('cancellation', () => {
  it('before sending', async () => {
    const { client } = await setup();
    const e = await failure(
      client.send('generate.core', { prompt: 'a' }, { signal: AbortSignal.abort() }),
    );
    expect(e.kind).toBe('cancelled');
  });

  it('mid-upload: the Sandbox sees the upload stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-big-'));
    try {
      const big = join(dir, 'big.png');
      const noise = Buffer.alloc(1400 * 1400 * 3);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
      await sharp(noise, { raw: { width: 1400, height: 1400, channels: 3 } })
        .png({ compressionLevel: 0 })
        .toFile(big);
      const { client, sandbox } = await setup({ faults: { latencyMs: 300 } });
      const controller = new AbortController();
      const off = sandbox.onRequest(() => setTimeout(() => controller.abort(), 50));
      const e = await failure(
        client.send(
          'generate.sd3',
          { prompt: 'a', mode: 'image-to-image', image: { path: big }, strength: 0.5 },
          { signal: controller.signal },
        ),
      );
      off();
      expect(e.kind).toBe('cancelled');
      expect(e.mayHaveBeenCharged).toBe(false);
      const record = sandbox.requests[sandbox.requests.length - 1];
      for (let i = 0; i < 100 && !record?.aborted; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(record?.aborted).toBe(true);
      expect(record?.status).toBe(0);
      expect(record?.bytesReceived).toBeLessThan(statSync(big).size);
      expect(sandbox.ledger.entries).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mid-poll, and the poll deadline', async () => {
    const { client } = await setup({ pollsBeforeDone: 1_000_000 });
    const controller = new AbortController();
    const e = await failure(
      client.run(
        'upscale.creative',
        { image: { path: fx.png64 }, prompt: 'a' },
        {
          signal: controller.signal,
          onPoll: (n) => {
            if (n === 3) controller.abort();
          },
        },
      ),
    );
    expect(e.kind).toBe('cancelled');
    expect(e.mayHaveBeenCharged).toBe(true);
    const job = await client.start('upscale.creative', { image: { path: fx.png64 }, prompt: 'a' });
    const late = await failure(client.waitFor(job.id, { deadlineMs: 150 }));
    expect(late.kind).toBe('timeout');
  });

  it('polling rides out a transient 503', async () => {
    const { client, sandbox } = await setup({ pollsBeforeDone: 1 });
    const job = await client.start('upscale.creative', { image: { path: fx.png64 }, prompt: 'a' });
    sandbox.setFaults({ error503: 1 });
    let calls = 0;
    const off = sandbox.onRequest(() => {
      if (++calls === 2) sandbox.setFaults({});
    });
    const r = await client.waitFor(job.id);
    off();
    expect(r.outcome).toBe('image');
    expect(sandbox.requests.filter((q) => q.status === 503)).toHaveLength(1);
  });
});

describe('the key never leaks', () => {
  it('appears in no error, no message, no stack, no log line', () => {
    expect(seen.length).toBeGreaterThan(15);
    for (const error of seen) {
      const texts = [
        String(error),
        (error as Error).stack ?? '',
        JSON.stringify(error),
        inspect(error, { depth: 5, showHidden: true }),
      ];
      for (const text of texts) {
        expect(text).not.toContain(SECRET);
        expect(text.toLowerCase()).not.toContain('bearer');
      }
    }
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) expect(line).not.toContain(SECRET);
  });

  it('redact scrubs keys and authorization headers out of outside text', () => {
    expect(redact(`echo ${SECRET}`, [SECRET])).toBe('echo [redacted]');
    expect(redact('authorization: Bearer sk-abcdef123456')).not.toMatch(/abcdef123456/);
    expect(redact('key sk-abcdef123456 here')).toBe('key sk-[redacted] here');
  });
});
