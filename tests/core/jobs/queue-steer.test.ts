/**
 * Steering the queue (issue 16): reorder, pause and resume, cancel the waiting, clear the finished,
 * retry the failed that cost nothing. Each survives a restart where it should; none ever sends a job
 * that may have been charged.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { JobQueue, QueueEvent } from '../../../electron/core/jobs/queue';
import { JobFailure } from '../../../electron/core/jobs/classify';
import { QUEUE_FILE } from '../../../electron/core/jobs/store';
import type { Job, NewJob } from '../../../electron/core/jobs/types';
import { manualExecutor, queueHarness, settle } from './helpers';

const T2I: NewJob = { kind: 'text-to-image', endpoint: 'generate.core', params: { prompt: 'p' } };

const harness = queueHarness({ concurrency: 1 });
const makeQueue = (...args: Parameters<typeof harness.make>) => harness.make(...args);

async function onDisk(): Promise<{ paused?: boolean; jobs: Job[] }> {
  return JSON.parse(await readFile(path.join(harness.dir(), QUEUE_FILE), 'utf8')) as {
    paused?: boolean;
    jobs: Job[];
  };
}

/** Four jobs, one at a time: the first runs, b, c, d wait. */
async function fourJobs(q: JobQueue): Promise<[Job, Job, Job, Job]> {
  const made = await q.addMany([1, 2, 3, 4].map((n) => ({ ...T2I, params: { prompt: `${n}` } })));
  await settle();
  return made as [Job, Job, Job, Job];
}

describe('queue: reorder', () => {
  it('a moved job starts in its new place, and the order is on disk', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const [a, b, c, d] = await fourJobs(q);
    const orders: (readonly string[])[] = [];
    q.subscribe((event: QueueEvent) => {
      if (event.type === 'order') orders.push(event.ids);
    });

    expect(await q.move(d.id, { before: b.id })).toEqual([a.id, d.id, b.id, c.id]);
    expect(await q.move(b.id, { after: c.id })).toEqual([a.id, d.id, c.id, b.id]);
    expect(orders).toHaveLength(2);
    expect((await onDisk()).jobs.map((j) => j.id)).toEqual([a.id, d.id, c.id, b.id]);

    for (let i = 0; i < 4; i++) {
      ex.running()[0]?.resolve();
      await settle();
    }
    expect(ex.calls.map((call) => call.job.id)).toEqual([a.id, d.id, c.id, b.id]);
  });

  it('moves to a place among the waiting jobs: 0 is next, past the end is last', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const [a, b, c, d] = await fourJobs(q);
    expect(await q.move(c.id, { index: 0 })).toEqual([a.id, c.id, b.id, d.id]);
    expect(await q.move(c.id, { index: 99 })).toEqual([a.id, b.id, d.id, c.id]);
    expect(await q.move(d.id, { index: 1 })).toEqual([a.id, b.id, d.id, c.id]);
    // Next to itself: nothing changes.
    expect(await q.move(d.id, { before: d.id })).toEqual([a.id, b.id, d.id, c.id]);
  });

  it('the new order survives a restart', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { concurrency: 1 });
    await q.pause();
    const [a, b, c] = (await q.addMany([T2I, T2I, T2I])) as [Job, Job, Job];
    await q.move(c.id, { index: 0 });
    await q.close();
    const again = manualExecutor();
    const q2 = await makeQueue(again.executor);
    expect(q2.list().map((j) => j.id)).toEqual([c.id, a.id, b.id]);
    await q2.resume();
    await settle();
    expect(again.calls.map((call) => call.job.id)).toEqual([c.id]);
  });

  it('refuses what cannot move, in a sentence: a running job, an unknown one, a started target', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const [a, b] = await fourJobs(q);
    await expect(q.move(a.id, { index: 0 })).rejects.toMatchObject({ code: 'not_waiting' });
    await expect(q.move('nope', { index: 0 })).rejects.toMatchObject({ code: 'no_such_job' });
    await expect(q.move(b.id, { before: 'nope' })).rejects.toMatchObject({
      code: 'no_such_job',
    });
    await expect(q.move(b.id, { before: a.id })).rejects.toThrow(/started or finished/);
    ex.running()[0]?.resolve();
    await settle();
    // a is done now: still no moving next to it, nor moving it.
    await expect(q.move(a.id, { index: 3 })).rejects.toMatchObject({ code: 'not_waiting' });
  });
});

describe('queue: pause and resume', () => {
  it('paused: nothing new starts, the running job finishes; resume lets the rest go', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const statuses: boolean[] = [];
    q.subscribe((event) => {
      if (event.type === 'status') statuses.push(event.status.paused);
    });
    await fourJobs(q);
    expect((await q.pause()).paused).toBe(true);
    ex.running()[0]?.resolve();
    await settle();
    expect(ex.calls).toHaveLength(1);
    expect(q.list()[0]?.state).toBe('done');
    await q.add(T2I);
    harness.clock().advance(60_000);
    await settle();
    expect(ex.calls).toHaveLength(1);
    expect(q.status()).toMatchObject({ paused: true, running: 0, waiting: 4 });
    expect((await q.resume()).paused).toBe(false);
    await settle();
    expect(ex.calls).toHaveLength(2);
    expect(statuses).toEqual([true, false]);
  });

  it('the pause survives a restart', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    await q.pause();
    await q.addMany([T2I, T2I]);
    expect((await onDisk()).paused).toBe(true);
    await q.close();
    const again = manualExecutor();
    const q2 = await makeQueue(again.executor);
    await settle();
    expect(q2.status().paused).toBe(true);
    expect(again.calls).toHaveLength(0);
    await q2.resume();
    await settle();
    expect(again.calls).toHaveLength(1);
    expect((await onDisk()).paused).toBeUndefined();
  });
});

describe('queue: all at once', () => {
  it('cancel waiting: every waiting job is cancelled, nothing was sent; the running one goes on', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    const [a] = await fourJobs(q);
    expect(await q.cancelWaiting()).toBe(3);
    expect(q.list().map((j) => j.state)).toEqual([
      'preparing',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(q.list()[1]?.error?.message).toMatch(/nothing was sent/);
    expect(q.list()[1]?.mayHaveBeenCharged).toBe(false);
    ex.running()[0]?.resolve();
    await settle();
    expect(q.get(a.id)?.state).toBe('done');
    expect(ex.calls).toHaveLength(1);
    expect(await q.cancelWaiting()).toBe(0);
  });

  it('clear finished forgets done and cancelled jobs, keeps failed, needing attention and waiting', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { concurrency: 4 });
    const [a, b, c, d] = await fourJobs(q);
    await q.pause();
    const e = await q.add(T2I);
    ex.calls[0]?.resolve();
    ex.calls[1]?.reject(new JobFailure('bad', 'Bad request.', 'final'));
    await ex.calls[2]?.send();
    ex.calls[2]?.reject(new JobFailure('timeout', 'No answer.', 'may-have-been-charged'));
    await q.cancel(d.id);
    await settle();
    const removed: string[] = [];
    q.subscribe((event) => {
      if (event.type === 'removed') removed.push(event.id);
    });
    expect(await q.clearFinished()).toBe(2);
    expect(removed).toEqual([a.id, d.id]);
    expect(q.list().map((j) => [j.id, j.state])).toEqual([
      [b.id, 'failed'],
      [c.id, 'needs-attention'],
      [e.id, 'waiting'],
    ]);
    expect((await onDisk()).jobs).toHaveLength(3);
  });

  it('retry failed sends again only what cost nothing; a job that may have been charged waits for the person', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor, { concurrency: 4 });
    const [a, b, c, d] = await fourJobs(q);
    ex.calls[0]?.reject(new JobFailure('bad', 'Bad request.', 'final'));
    await ex.calls[1]?.send();
    ex.calls[1]?.reject(new JobFailure('timeout', 'No answer.', 'may-have-been-charged'));
    // Made at Stability, then gone: a Retry would pay again.
    await ex.calls[2]?.context.saveGeneration({
      id: 'g',
      startedAt: harness.clock().now(),
      gone: true,
    });
    ex.calls[2]?.reject(new JobFailure('gone', 'Stability lost it.', 'final'));
    ex.calls[3]?.resolve();
    await settle();
    expect([a, b, c, d].map((j) => q.get(j.id)?.state)).toEqual([
      'failed',
      'needs-attention',
      'failed',
      'done',
    ]);
    expect(await q.retryFailed()).toBe(1);
    await settle();
    expect(ex.calls.slice(4).map((call) => call.job.id)).toEqual([a.id]);
    expect(q.get(b.id)?.state).toBe('needs-attention');
    expect(q.get(c.id)?.state).toBe('failed');
  });

  it('after close, every steering call says the queue has stopped', async () => {
    const ex = manualExecutor();
    const q = await makeQueue(ex.executor);
    await q.close();
    for (const call of [
      () => q.pause(),
      () => q.resume(),
      () => q.cancelWaiting(),
      () => q.clearFinished(),
      () => q.retryFailed(),
      () => q.move('x', { index: 0 }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'queue_closed' });
    }
  });
});
