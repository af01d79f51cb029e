/**
 * The executor of Create's jobs with the real queue, over real HTTP against the Sandbox and real
 * files: nothing paid for is paid twice. An async job's generation id is on disk before the first
 * poll, so a restart, failed polls or a Retry fetch the result again instead of starting (and
 * paying for) the job again; the Sandbox's rough edges (a job that fails after it started, results
 * that finish after a time, a 429 without retry-after, no finish reason) each end in a sentence.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RATE_LIMIT, RESULT_RETENTION_MS } from '../../../shared/endpoints';
import {
  createJobExecutor,
  createJobQueue,
  loadQueue,
  retryKindOf,
  type Job,
  type JobExecutor,
  type JobQueue,
  type NewJob,
} from '../../../electron/core/jobs';
import type { Sandbox } from '../../../electron/core/sandbox';
import type { StabilityClient } from '../../../electron/core/stability';
import { useSandbox } from '../sandbox/harness';

/** The Sandbox's clock: moved by hand to finish async results, or to let them expire. */
let sandboxTime = Date.UTC(2026, 0, 1);
const live = useSandbox({ startingCredits: 100_000, now: () => sandboxTime });
let sandbox: Sandbox;
let client: StabilityClient;
let root: string;
let inputPath: string;
const open: { queue: JobQueue; executor: JobExecutor }[] = [];

beforeEach(async () => {
  ({ sandbox, client } = live);
  sandbox.setFaults({});
  postsAtStart = new Map(
    ['/upscale/creative', '/generate/core'].map((suffix) => [suffix, allPosts(suffix)]),
  );
  root = mkdtempSync(path.join(tmpdir(), 'atelier-executor-'));
  inputPath = path.join(root, 'input.png');
  writeFileSync(
    inputPath,
    await sharp({
      create: { width: 256, height: 192, channels: 3, background: { r: 90, g: 140, b: 200 } },
    })
      .png()
      .toBuffer(),
  );
});

afterEach(async () => {
  for (const { queue, executor } of open.splice(0)) {
    await queue.close();
    executor.close();
  }
  rmSync(root, { recursive: true, force: true });
});

const dataDir = () => path.join(root, 'jobs');
const libraryDir = () => path.join(root, 'library');

async function openQueue(poll = { intervalMs: 5, deadlineMs: 60_000 }) {
  const executor = createJobExecutor({
    client: () => Promise.resolve({ client, sandbox: true }),
    libraryDir,
    poll,
  });
  const queue = await createJobQueue({
    dataDir: dataDir(),
    executor: executor.execute,
    retry: { baseDelayMs: 5 },
  });
  open.push({ queue, executor });
  return queue;
}

async function closeQueue(queue: JobQueue): Promise<void> {
  const index = open.findIndex((o) => o.queue === queue);
  const [entry] = open.splice(index, 1);
  await queue.close();
  entry?.executor.close();
}

/** Resolves with the job once it passes `test` (checked now and at every change). */
function until(queue: JobQueue, id: string, test: (job: Job) => boolean): Promise<Job> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const job = queue.get(id);
      if (job && test(job)) {
        stop();
        resolve(job);
        return true;
      }
      return false;
    };
    const stop = queue.subscribe(() => void check());
    check();
  });
}

const FINISHED = ['done', 'filtered', 'failed', 'needs-attention', 'cancelled'];
const settled = (queue: JobQueue, id: string) =>
  until(queue, id, (job) => FINISHED.includes(job.state));

const creative = (): NewJob => ({
  kind: 'upscale',
  endpoint: 'upscale.creative',
  params: { prompt: 'a lighthouse at dusk' },
  inputs: [{ param: 'image', path: inputPath, name: 'input.png' }],
});

/** POSTs the Sandbox saw at this path since the test began. */
let postsAtStart = new Map<string, number>();
const allPosts = (suffix: string) =>
  sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).length;
const posts = (suffix: string) => allPosts(suffix) - (postsAtStart.get(suffix) ?? 0);
const polls = () =>
  sandbox.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v2beta/results/'));

/** Waits until the Sandbox has seen `n` more polls than `from`. */
async function morePolls(from: number, n: number): Promise<void> {
  while (polls().length < from + n) await new Promise((r) => setTimeout(r, 5));
}

describe('an async job is paid for once', () => {
  it('restarting the queue mid-poll resumes the poll over the same store: 1 POST', async () => {
    sandbox.setFaults({ asyncMs: 60_000 });
    const charged = sandbox.ledger.entries.length;
    const first = await openQueue();
    const job = await first.add(creative());
    const polling = await until(first, job.id, (j) => j.generation !== undefined);
    const before = polls().length;
    await morePolls(before, 2);
    // The generation id is on disk before the first poll answered.
    const onDisk = (await loadQueue(dataDir())).jobs.find((j) => j.id === job.id);
    expect(onDisk?.generation?.id).toBe(polling.generation?.id);
    expect(onDisk?.generation?.id).toHaveLength(64);
    await closeQueue(first);

    // Atelier starts again, and the staged input has been cleaned up meanwhile: the picture is
    // paid for, so the poll goes on without it. The result is done a minute later.
    rmSync(inputPath);
    sandboxTime += 61_000;
    const second = await openQueue();
    expect(second.get(job.id)?.state).not.toBe('needs-attention');
    const done = await settled(second, job.id);
    expect(done.state).toBe('done');
    expect(done.generation).toBeUndefined();
    expect(posts('/upscale/creative')).toBe(1);
    expect(sandbox.ledger.entries.length - charged).toBe(1);
    const saved = done.result as { path?: unknown } | undefined;
    expect(typeof saved?.path).toBe('string');
    expect(existsSync(path.join(libraryDir(), String(saved?.path)))).toBe(true);
  });

  it('rides out failed polls (500s) and still gets the result: 1 POST', async () => {
    sandbox.setFaults({ asyncMs: 60_000 });
    const queue = await openQueue();
    const job = await queue.add(creative());
    await until(queue, job.id, (j) => j.generation !== undefined);
    sandbox.setFaults({ asyncMs: 60_000, error500: 1 });
    const before = sandbox.requests.filter((r) => r.status === 500).length;
    while (sandbox.requests.filter((r) => r.status === 500).length < before + 3) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(queue.get(job.id)?.state).toBe('generating');
    sandbox.setFaults({});
    sandboxTime += 61_000;
    expect((await settled(queue, job.id)).state).toBe('done');
    expect(posts('/upscale/creative')).toBe(1);
  });

  it('a job that fails after it started waits for the person; Retry polls again, never POSTs', async () => {
    sandbox.setFaults({ asyncFail: 1 });
    const queue = await openQueue({ intervalMs: 5, deadlineMs: 150 });
    const job = await queue.add(creative());
    const stuck = await settled(queue, job.id);
    expect(stuck.state).toBe('needs-attention');
    expect(stuck.error?.code).toBe('still_generating');
    expect(stuck.error?.message).toMatch(/paid for.*Retry to ask again\. That costs nothing/s);
    expect(stuck.error?.message).toMatch(/asking again costs nothing/);
    expect(retryKindOf(stuck, Date.now())).toBe('resume');
    const before = polls().length;
    await queue.retry(job.id);
    const again = await until(queue, job.id, (j) => j.attempts === 2 && FINISHED.includes(j.state));
    expect(again.state).toBe('needs-attention');
    expect(polls().length).toBeGreaterThan(before);
    expect(posts('/upscale/creative')).toBe(1);
  });

  it('a result Stability no longer has: asked once more for free, then Retry sends again (and says it costs again)', async () => {
    sandbox.setFaults({ asyncMs: 60_000 });
    const queue = await openQueue();
    const job = await queue.add(creative());
    await until(queue, job.id, (j) => j.generation !== undefined);
    sandboxTime += RESULT_RETENTION_MS + 1;
    // The first 404 may be a changed key: the person can put the old one back and ask again, free.
    const missing = await settled(queue, job.id);
    expect(missing.state).toBe('needs-attention');
    expect(missing.error?.code).toBe('result_missing');
    expect(missing.error?.message).toMatch(/put the old one back.*costs nothing/s);
    expect(retryKindOf(missing, Date.now())).toBe('resume');
    await queue.retry(job.id);
    const gone = await until(queue, job.id, (j) => j.attempts === 2 && FINISHED.includes(j.state));
    expect(posts('/upscale/creative')).toBe(1);
    expect(gone.state).toBe('failed');
    expect(gone.error?.code).toBe('result_gone');
    expect(gone.error?.message).toMatch(/kept 24 hours.*costs 60 credits again/s);
    expect(gone.generation?.gone).toBe(true);
    expect(retryKindOf(gone, Date.now())).toBe('costs-again');
    sandbox.setFaults({});
    await queue.retry(job.id);
    expect((await until(queue, job.id, (j) => j.state === 'done')).state).toBe('done');
    expect(posts('/upscale/creative')).toBe(2);
  });
});

describe('the rough edges of the real API, through the queue', () => {
  it('a picture without a finish reason is not saved as a success', async () => {
    sandbox.setFaults({ omitHeaders: 1 });
    const queue = await openQueue();
    const job = await queue.add({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'no headers' },
    });
    const ended = await settled(queue, job.id);
    expect(ended.state).toBe('needs-attention');
    expect(ended.error?.code).toBe('unknown_finish');
    expect(ended.error?.message).toMatch(/did not say whether the picture finished properly/);
    expect(ended.result).toBeUndefined();
    expect(() => readdirSync(libraryDir())).toThrow();
    expect(retryKindOf(ended, Date.now())).toBe('costs-again');
  });

  it('a 429 without retry-after holds the job for the documented lockout, and sends once', async () => {
    sandbox.setFaults({ error429: 1, noRetryAfter: 1 });
    const queue = await openQueue();
    const job = await queue.add({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'too fast' },
    });
    const held = await until(queue, job.id, (j) => j.state === 'waiting' && j.autoRetries === 1);
    expect(held.error?.code).toBe('rate_limited');
    expect(held.error?.message).toMatch(/Wait 60 seconds/);
    expect(held.mayHaveBeenCharged).toBe(false);
    expect((held.notBefore ?? 0) - Date.now()).toBeGreaterThan(RATE_LIMIT.lockoutMs - 5_000);
    expect(queue.status().holdUntil).toBeGreaterThan(Date.now() + 50_000);
    expect(posts('/generate/core')).toBe(1);
  });
});
