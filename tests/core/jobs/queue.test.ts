import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  OFFLINE_MESSAGE,
  type JobQueue,
  type JobQueueOptions,
} from '../../../electron/core/jobs/queue';
import { JobFailure } from '../../../electron/core/jobs/classify';
import { QUEUE_FILE } from '../../../electron/core/jobs/store';
import type { Job, JobState, NewJob } from '../../../electron/core/jobs/types';
import { manualExecutor, queueHarness, settle, stabilityError, type ManualClock } from './helpers';

const T2I: NewJob = {
  kind: 'text-to-image',
  endpoint: 'generate.core',
  params: { prompt: 'a lighthouse at dusk', aspect_ratio: '16:9' },
};

const harness = queueHarness();
let dir: string;
let clock: ManualClock;
beforeEach(() => {
  dir = harness.dir();
  clock = harness.clock();
});
const makeQueue = (
  executor: JobQueueOptions['executor'],
  extra: Partial<JobQueueOptions> = {},
): Promise<JobQueue> => harness.make(executor, extra);

function stateOf(q: JobQueue, id: string): JobState | undefined {
  return q.get(id)?.state;
}

async function onDisk(): Promise<Job[]> {
  const text = await readFile(path.join(dir, QUEUE_FILE), 'utf8');
  return (JSON.parse(text) as { jobs: Job[] }).jobs;
}

describe('job queue: running', () => {
  it('runs at most `concurrency` jobs at once, and follows a change at run time', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { concurrency: 3 });
    const jobs = await q.addMany(Array.from({ length: 10 }, () => T2I));
    await settle();
    expect(ex.running()).toHaveLength(3);
    expect(ex.calls.map((c) => c.job.id)).toEqual(jobs.slice(0, 3).map((j) => j.id));
    ex.calls[0]?.resolve();
    await settle();
    expect(ex.running()).toHaveLength(3);
    expect(ex.calls).toHaveLength(4);
    q.setConcurrency(5);
    await settle();
    expect(ex.running()).toHaveLength(5);
    q.setConcurrency(1);
    for (const call of ex.running()) call.resolve();
    await settle();
    expect(ex.running()).toHaveLength(1);
    while (ex.running().length > 0) {
      for (const call of ex.running()) call.resolve();
      await settle();
    }
    expect(ex.calls).toHaveLength(10);
    expect(ex.maxRunning()).toBe(5);
    expect(q.list().every((j) => j.state === 'done')).toBe(true);
    expect(() => {
      q.setConcurrency(0);
    }).toThrow(/whole number from 1/);
  });

  it('defaults to 4 at once', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    await q.addMany(Array.from({ length: 9 }, () => T2I));
    await settle();
    expect(ex.running()).toHaveLength(4);
    expect(q.status().concurrency).toBe(4);
  });

  it('emits an event for every state change, in order', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const seen: string[] = [];
    q.subscribe((event) => {
      if (event.type === 'job') seen.push(`${event.previous ?? 'new'}->${event.job.state}`);
    });
    await q.add(T2I);
    await settle();
    const call = ex.calls[0];
    await call?.send();
    call?.progress('generating');
    call?.progress('saving');
    call?.resolve({ state: 'done', result: { entry: 'e1' } });
    await settle();
    expect(seen).toEqual([
      'new->waiting',
      'waiting->preparing',
      'preparing->sending',
      'sending->generating',
      'generating->saving',
      'saving->done',
    ]);
    expect(q.list()[0]).toMatchObject({ state: 'done', result: { entry: 'e1' }, attempts: 1 });
  });

  it('records `sending` on disk before the first request may leave', async () => {
    let stateAtSend: JobState | undefined;
    const q = await makeQueue(async (job, ctx) => {
      // Two requests side by side: neither may go before the record is on disk.
      await Promise.race([ctx.acquireRequestSlot(), ctx.acquireRequestSlot()]);
      stateAtSend = (await onDisk()).find((j) => j.id === job.id)?.state;
      return { state: 'done' };
    });
    await q.add(T2I);
    await vi.waitFor(() => {
      expect(q.list()[0]?.state).toBe('done');
    });
    expect(stateAtSend).toBe('sending');
  });

  it('marks a filtered result with a sentence', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const job = await q.add(T2I);
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.resolve({ state: 'filtered', result: { entry: 'blurred' } });
    await settle();
    expect(q.get(job.id)).toMatchObject({ state: 'filtered', error: { code: 'filtered' } });
    expect(q.get(job.id)?.error?.message).toMatch(/content filter/);
  });
});

describe('job queue: rate limit', () => {
  it('counts every request of a job, and frees a slot a window after its answer', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, {
      rateLimit: { requests: 2, perMs: 10_000, marginMs: 0 },
    });
    await q.addMany([{ kind: 'upscale', endpoint: 'upscale.creative' }, T2I]);
    await settle();
    const [creative, core] = ex.calls;
    const startAnswered = await creative?.send(); // the async start
    clock.advance(200);
    startAnswered?.();
    await core?.send(); // the second slot: not given back (the job ends without calling it)
    let pollAt = -1;
    void creative?.send().then(() => (pollAt = clock.now()));
    await settle();
    expect(pollAt).toBe(-1);
    clock.advance(10_000 - 1);
    await settle();
    expect(pollAt).toBe(-1);
    clock.advance(1);
    await settle();
    // 10 s after the start's answer came back, not 10 s after it left.
    expect(pollAt).toBe(clock.now());
    expect(q.limiter.inFlight).toBe(2);
    core?.resolve();
    creative?.resolve();
    await settle();
    // Slots the executor did not give back are given back when it returns.
    expect(q.limiter.inFlight).toBe(0);
  });

  it('shares the limit with requests outside jobs', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, {
      rateLimit: { requests: 1, perMs: 10_000, marginMs: 0 },
    });
    const release = await q.acquireRequestSlot();
    await q.add(T2I);
    await settle();
    let sent = false;
    ex.calls[0]
      ?.send()
      .then(() => (sent = true))
      .catch(() => undefined);
    await vi.waitFor(() => {
      expect(q.limiter.pending).toBe(1);
    });
    expect(sent).toBe(false);
    release();
    clock.advance(10_000);
    await vi.waitFor(() => {
      expect(sent).toBe(true);
    });
  });
});

describe('job queue: cancel', () => {
  it('cancels a waiting job: it never runs', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { concurrency: 1 });
    const [first, second] = await q.addMany([T2I, T2I]);
    await settle();
    const cancelled = await q.cancel(second?.id ?? '');
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.mayHaveBeenCharged).toBe(false);
    ex.calls[0]?.resolve();
    await settle();
    expect(ex.calls.map((c) => c.job.id)).toEqual([first?.id]);
    expect(stateOf(q, second?.id ?? '')).toBe('cancelled');
  });

  it('cancels a running job: its signal aborts, the next job starts', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { concurrency: 1 });
    const [first, second] = await q.addMany([T2I, T2I]);
    await settle();
    const running = ex.calls[0];
    await running?.send();
    running?.progress('generating');
    const cancelled = await q.cancel(first?.id ?? '');
    expect(running?.context.signal.aborted).toBe(true);
    expect(cancelled).toMatchObject({ state: 'cancelled', mayHaveBeenCharged: true });
    expect(cancelled.error?.message).toMatch(/may have been charged/);
    await settle();
    expect(stateOf(q, first?.id ?? '')).toBe('cancelled');
    expect(ex.calls[1]?.job.id).toBe(second?.id);
    await expect(q.cancel(first?.id ?? '')).rejects.toThrow(/already finished/);
    expect((await onDisk()).find((j) => j.id === first?.id)?.state).toBe('cancelled');
  });

  it('a job cancelled while waiting for a request slot sends nothing', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, {
      rateLimit: { requests: 1, perMs: 10_000, marginMs: 0 },
    });
    await q.addMany([T2I, T2I]);
    await settle();
    const [a, b] = ex.calls;
    await a?.send();
    let bGot = 'pending';
    b?.send().then(
      () => (bGot = 'slot'),
      () => (bGot = 'rejected'),
    );
    await settle();
    expect(bGot).toBe('pending');
    await q.cancel(b?.job.id ?? '');
    await vi.waitFor(() => {
      expect(bGot).toBe('rejected');
    });
    expect(q.limiter.pending).toBe(0);
  });
});

describe('job queue: errors and retries', () => {
  it('fails on a final error with the plain sentence, and runs again only when asked', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const job = await q.add(T2I);
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.reject(
      stabilityError(
        'payment_required',
        { status: 402 },
        'Your Stability account is out of credits. Add credits at platform.stability.ai, then try again.',
      ),
    );
    await settle();
    expect(q.get(job.id)).toMatchObject({
      state: 'failed',
      mayHaveBeenCharged: false,
      error: {
        code: 'payment_required',
        message:
          'Your Stability account is out of credits. Add credits at platform.stability.ai, then try again.',
      },
    });
    clock.advance(24 * 3600_000);
    await settle();
    expect(ex.calls).toHaveLength(1);

    const again = await q.retry(job.id);
    expect(again.state).not.toBe('failed');
    await settle();
    expect(ex.calls).toHaveLength(2);
    expect(ex.calls[1]?.context.attempt).toBe(2);
    ex.calls[1]?.resolve();
    await settle();
    expect(q.get(job.id)).toMatchObject({ state: 'done', attempts: 2 });
    expect(q.get(job.id)?.error).toBeUndefined();
    await expect(q.retry(job.id)).rejects.toThrow(/done/);
  });

  it.each([
    ['400 bad request', stabilityError('bad_request', { status: 400 })],
    ['401 unauthorized', stabilityError('unauthorized', { status: 401 })],
    ['403 moderation', stabilityError('content_moderation', { status: 403 })],
    ['422 public figure', stabilityError('validation', { status: 422 })],
    ['413 too large', stabilityError('too_large', { status: 413 })],
  ])('%s fails without a retry', async (_name, error) => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const job = await q.add(T2I);
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.reject(error);
    await settle();
    clock.advance(3600_000);
    await settle();
    expect(q.get(job.id)?.state).toBe('failed');
    expect(ex.calls).toHaveLength(1);
  });

  it.each([
    ['503 service unavailable', stabilityError('server_error', { status: 503 })],
    [
      'connection refused before sending',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a network error the client marks as not charged',
      stabilityError('network', { mayHaveBeenCharged: false }),
    ],
  ])('%s is retried by itself, with backoff', async (_name, error) => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { retry: { baseDelayMs: 1_000 } });
    const job = await q.add(T2I);
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.reject(error);
    await settle();
    expect(q.get(job.id)).toMatchObject({ state: 'waiting', autoRetries: 1 });
    expect(q.get(job.id)?.notBefore).toBe(clock.now() + 1_000);
    clock.advance(999);
    await settle();
    expect(ex.calls).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(ex.calls).toHaveLength(2);
    // second failure: the wait doubles
    await ex.calls[1]?.send();
    ex.calls[1]?.reject(error);
    await settle();
    expect(q.get(job.id)?.notBefore).toBe(clock.now() + 2_000);
    clock.advance(2_000);
    await settle();
    ex.calls[2]?.resolve();
    await settle();
    expect(q.get(job.id)).toMatchObject({ state: 'done', attempts: 3, autoRetries: 0 });
  });

  it('429 holds every request for the time the API asked, then retries', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const job = await q.add(T2I);
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.reject(stabilityError('rate_limited', { status: 429, retryAfterMs: 60_000 }));
    await settle();
    expect(q.get(job.id)?.state).toBe('waiting');
    expect(q.status().holdUntil).toBe(clock.now() + 60_000);
    expect(q.limiter.waitMs()).toBe(60_000);
    clock.advance(60_000);
    await settle();
    expect(ex.calls).toHaveLength(2);
  });

  it('gives up after the automatic retries and says how often it tried', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { retry: { maxAutoRetries: 2, baseDelayMs: 10 } });
    const job = await q.add(T2I);
    for (let i = 0; i < 3; i++) {
      await settle();
      await ex.calls[i]?.send();
      ex.calls[i]?.reject(stabilityError('server_error', { status: 503 }));
      await settle();
      clock.advance(1_000);
    }
    await settle();
    expect(ex.calls).toHaveLength(3);
    expect(q.get(job.id)?.state).toBe('failed');
    expect(q.get(job.id)?.error?.message).toMatch(/Tried 3 times/);
  });

  it.each([
    ['a timeout after sending', stabilityError('timeout', { mayHaveBeenCharged: true })],
    ['a connection reset mid-answer', stabilityError('network', { mayHaveBeenCharged: true })],
    ['500 after the upload', stabilityError('server_error', { status: 500 })],
    ['an unreadable answer', stabilityError('invalid_response', { mayHaveBeenCharged: true })],
    ['an unknown error after sending', new Error('socket hang up')],
  ])('%s needs attention and is never sent again by itself', async (_name, error) => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const job = await q.add(T2I);
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.reject(error);
    await settle();
    const after = q.get(job.id);
    expect(after).toMatchObject({ state: 'needs-attention', mayHaveBeenCharged: true });
    expect(after?.error?.message).toMatch(/may have been charged/);
    expect(q.status().needsAttention).toBe(1);
    clock.advance(7 * 24 * 3600_000);
    q.setOnline(false);
    q.setOnline(true);
    await settle();
    expect(ex.calls).toHaveLength(1);
    // The person says so: it goes again.
    await q.retry(job.id);
    await settle();
    expect(ex.calls).toHaveLength(2);
  });

  it('a retry-safe error after an earlier request of the same attempt is not retried', async () => {
    // e.g. creative upscale: the start was accepted (charged), then a poll got 503.
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const job = await q.add({ kind: 'upscale', endpoint: 'upscale.creative' });
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.progress('generating');
    await ex.calls[0]?.send();
    ex.calls[0]?.reject(stabilityError('server_error', { status: 503 }));
    await settle();
    clock.advance(3600_000);
    await settle();
    expect(q.get(job.id)).toMatchObject({ state: 'needs-attention', mayHaveBeenCharged: true });
    expect(ex.calls).toHaveLength(1);
  });

  it('a picture that could not be saved needs attention (it was made and charged)', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const job = await q.add(T2I);
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.progress('saving');
    ex.calls[0]?.reject(new JobFailure('disk_full', 'The disk is full. Free some space.', 'final'));
    await settle();
    expect(q.get(job.id)).toMatchObject({ state: 'needs-attention', mayHaveBeenCharged: true });
    expect(q.get(job.id)?.error?.message).toMatch(/made \(and charged\) but could not be saved/);
  });

  it('an error before anything was sent fails plainly (nothing charged)', async () => {
    const q = await makeQueue(() => Promise.reject(new Error('ENOENT: no such file')));
    const job = await q.add({ kind: 'upscale', endpoint: 'upscale.fast' });
    await vi.waitFor(() => {
      expect(q.get(job.id)?.state).toBe('failed');
    });
    expect(q.get(job.id)?.mayHaveBeenCharged).toBe(false);
    expect(q.get(job.id)?.error?.message).not.toMatch(/ENOENT/);
  });

  it('only failed, needs-attention and cancelled jobs can be retried', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { concurrency: 1 });
    const [a, b] = await q.addMany([T2I, T2I]);
    await settle();
    await expect(q.retry(a?.id ?? '')).rejects.toThrow();
    await expect(q.retry(b?.id ?? '')).rejects.toThrow(/waiting/);
    await expect(q.retry('nope')).rejects.toThrow(/no longer in the queue/);
  });
});

describe('job queue: offline', () => {
  it('waits while offline, says so, and goes when the network is back', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { isOnline: () => false });
    const statuses: (string | undefined)[] = [];
    q.subscribe((event) => {
      if (event.type === 'status') statuses.push(event.status.message);
    });
    await q.addMany([T2I, T2I]);
    await settle();
    expect(ex.calls).toHaveLength(0);
    expect(q.status()).toMatchObject({ online: false, waiting: 2, message: OFFLINE_MESSAGE });
    q.setOnline(true);
    await settle();
    expect(ex.calls).toHaveLength(2);
    expect(q.status().message).toBeUndefined();
    expect(statuses).toEqual([undefined]);
    q.setOnline(false);
    expect(statuses).toEqual([undefined, OFFLINE_MESSAGE]);
  });
  it("follows the host's network events, and stops listening when closed", async () => {
    const ex = manualExecutor();
    let listener: ((online: boolean) => void) | undefined;
    let stopped = false;
    const q = await makeQueue(ex.executor, {
      isOnline: () => false,
      watchOnline: (l) => {
        listener = l;
        return () => {
          stopped = true;
        };
      },
    });
    await q.add(T2I);
    await settle();
    expect(ex.calls).toHaveLength(0);
    listener?.(true);
    await settle();
    expect(ex.calls).toHaveLength(1);
    expect(q.status().online).toBe(true);
    await q.close();
    expect(stopped).toBe(true);
  });
});

describe('job queue: on disk', () => {
  it('keeps waiting jobs across a restart, and they run', async () => {
    const first = await makeQueue(manualExecutor().executor, { isOnline: () => false });
    const added = await first.addMany([
      T2I,
      { ...T2I, params: { prompt: 'two' }, inputs: [{ param: 'image', path: '/tmp/x.png' }] },
    ]);
    await first.close();

    const ex = manualExecutor();
    const second = await makeQueue(ex.executor, { isOnline: () => false });
    expect(second.list()).toEqual(added);
    second.setOnline(true);
    await settle();
    expect(ex.calls.map((c) => c.job.id)).toEqual(added.map((j) => j.id));
    expect(ex.calls[1]?.job.inputs).toEqual([{ param: 'image', path: '/tmp/x.png' }]);
  });

  it('jobs in flight at quit come back as needs-attention and are not sent again', async () => {
    const ex1 = manualExecutor();
    const first = await makeQueue(ex1.executor, { concurrency: 4 });
    const [preparing, sending, generating, saving, waiting, alsoWaiting] = await first.addMany(
      Array.from({ length: 6 }, () => T2I),
    );
    await settle();
    // The first call stays in `preparing`: it takes no request slot.
    const [, c1, c2, c3] = ex1.calls;
    await c1?.send();
    await c2?.send();
    c2?.progress('generating');
    await c3?.send();
    c3?.progress('saving');
    await first.flush();
    await first.close(); // as if the app quit; a crash is tested in kill.test.ts

    const onDiskStates = (await onDisk()).map((j) => j.state);
    expect(onDiskStates).toEqual([
      'preparing',
      'sending',
      'generating',
      'saving',
      'waiting',
      'waiting',
    ]);

    const ex2 = manualExecutor();
    const second = await makeQueue(ex2.executor);
    const get = (j: Job | undefined) => second.get(j?.id ?? '');
    expect(get(preparing)).toMatchObject({
      state: 'needs-attention',
      mayHaveBeenCharged: false,
      error: { code: 'interrupted' },
    });
    expect(get(preparing)?.error?.message).toMatch(/nothing was sent/);
    for (const j of [sending, generating, saving]) {
      expect(get(j)).toMatchObject({ state: 'needs-attention', mayHaveBeenCharged: true });
      expect(get(j)?.error?.message).toMatch(/may have been charged/);
    }
    await settle();
    // Only the two that never started run.
    expect(ex2.calls.map((c) => c.job.id).sort()).toEqual([waiting?.id, alsoWaiting?.id].sort());
    // And the fix-up is on disk already.
    expect((await onDisk()).filter((j) => j.state === 'needs-attention')).toHaveLength(4);
  });

  it('moves an unreadable file aside, says so plainly, and starts empty', async () => {
    const { writeFile, readdir } = await import('node:fs/promises');
    await writeFile(path.join(dir, QUEUE_FILE), '{"format":1,"jobs":[{"id":');
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    expect(q.list()).toEqual([]);
    expect(q.loadProblem).toMatch(/could not be read \(it is damaged\), so the queue starts empty/);
    const files = await readdir(dir);
    const aside = files.find((f) => f.startsWith(`${QUEUE_FILE}.unreadable-`));
    expect(aside).toBeDefined();
    expect(q.loadProblem).toContain(aside);
    expect(await readFile(path.join(dir, aside ?? ''), 'utf8')).toBe('{"format":1,"jobs":[{"id":');
    // The queue works from there.
    await q.add(T2I);
    expect(await onDisk()).toHaveLength(1);
  });

  it('treats a file of the wrong shape the same way', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      path.join(dir, QUEUE_FILE),
      JSON.stringify({ format: 1, jobs: [{ id: 'x', state: 'exploded' }] }),
    );
    const q = await makeQueue(manualExecutor().executor);
    expect(q.list()).toEqual([]);
    expect(q.loadProblem).toMatch(/not a job list/);
  });

  it('round-trips every field', async () => {
    const ex = manualExecutor();
    const first = await makeQueue(ex.executor);
    const job = await first.add({
      kind: 'image-to-image',
      endpoint: 'generate.sd3',
      params: { prompt: 'p', strength: 0.6, nested: { a: [1, 'b', null, true] } },
      inputs: [{ param: 'image', path: '/photos/été.png', name: 'été.png' }],
      batch: 'b1',
    });
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.reject(stabilityError('timeout', { mayHaveBeenCharged: true }));
    await settle();
    const before = first.get(job.id);
    await first.close();
    const second = await makeQueue(manualExecutor().executor);
    expect(second.get(job.id)).toEqual(before);
  });

  it('sends nothing and adds nothing while the list cannot be saved', async () => {
    const { mkdir, rm: remove } = await import('node:fs/promises');
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const problems: string[] = [];
    q.subscribe((event) => {
      if (event.type === 'problem') problems.push(event.message);
    });
    const job = await q.add(T2I);
    await settle();
    // The file's place is taken by a folder: every write fails from now on.
    await remove(path.join(dir, QUEUE_FILE));
    await mkdir(path.join(dir, QUEUE_FILE));
    const call = ex.calls[0];
    const refused = await call?.send().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(JobFailure);
    expect(String(refused)).toMatch(/did not send this job/);
    call?.reject(refused);
    await settle();
    expect(q.get(job.id)).toMatchObject({
      state: 'failed',
      mayHaveBeenCharged: false,
      error: { code: 'not_saved' },
    });
    expect(problems[0]).toMatch(/could not save the list of jobs to disk/);
    await expect(q.add(T2I)).rejects.toThrow(/so nothing was added/);
    expect(q.list()).toHaveLength(1);
  });

  it('keeps only the newest finished jobs, and every job that needs the person', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { keepFinished: 2 });
    const [a, b, c, d] = await q.addMany([T2I, T2I, T2I, T2I]);
    await settle();
    await ex.calls[0]?.send();
    ex.calls[0]?.reject(stabilityError('timeout', { mayHaveBeenCharged: true }));
    for (const call of ex.calls.slice(1)) call.resolve();
    await settle();
    expect(q.list().map((j) => j.id)).toEqual([a?.id, c?.id, d?.id]);
    expect(q.get(b?.id ?? '')).toBeUndefined();
    expect(q.get(a?.id ?? '')?.state).toBe('needs-attention');
  });

  it('removes a finished job, refuses to remove a running one', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { concurrency: 1 });
    const [a, b] = await q.addMany([T2I, T2I]);
    await settle();
    await expect(q.remove(a?.id ?? '')).rejects.toThrow(/cancel it first/);
    ex.calls[0]?.resolve();
    await settle();
    await q.remove(a?.id ?? '');
    expect(q.get(a?.id ?? '')).toBeUndefined();
    expect((await onDisk()).map((j) => j.id)).toEqual([b?.id]);
  });
});
