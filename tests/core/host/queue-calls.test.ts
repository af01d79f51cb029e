/**
 * The queue's steering calls through the real host's dispatch, as a page would send them: what a
 * hostile or confused page can ask for (ids not in the queue, a job that is not waiting, two places
 * at once, a huge index, extra fields) is refused with a plain sentence, and nothing is half-done.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult, JobView, QueueView } from '../../../shared/api';
import { createHost, type Host } from '../../../electron/core/host';
import { createMemoryVault } from '../../../electron/core/vault';

let root: string;
let host: Host;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'atelier-queue-calls-'));
  const folder = (name: string) => join(root, name);
  host = await createHost({
    shell: 'browser',
    version: 'queue-test',
    env: {},
    vault: createMemoryVault(),
    dataDir: folder('data'),
    libraryDir: folder('library'),
    libraryOptions: { watch: false },
    log: () => undefined,
  });
});
afterAll(async () => {
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

function value(result: CallResult): unknown {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function listed(): Promise<{ jobs: JobView[]; queue: QueueView }> {
  return value(await host.dispatch('jobs.list', {})) as { jobs: JobView[]; queue: QueueView };
}

const pausedIn = (result: CallResult) => (value(result) as QueueView).paused;

const refused = (result: CallResult, code: string) =>
  expect(result).toMatchObject({ ok: false, error: { code } });

async function order(): Promise<string[]> {
  return (await listed()).jobs.map((j) => j.id);
}

describe('jobs.* steering calls', () => {
  it('pause, add, reorder, cancel the waiting, clear: each answers what it did', async () => {
    expect(pausedIn(await host.dispatch('jobs.pause', {}))).toBe(true);
    const added = await host.dispatch('jobs.add', {
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'a quiet harbour' },
      count: 3,
    });
    const { jobs } = value(added) as { jobs: JobView[] };
    const [a, b, c] = jobs.map((j) => j.id) as [string, string, string];
    expect(value(await host.dispatch('jobs.move', { id: c, before: a }))).toEqual({
      ids: [c, a, b],
    });
    expect(value(await host.dispatch('jobs.move', { id: c, index: 2 }))).toEqual({
      ids: [a, b, c],
    });
    expect(await order()).toEqual([a, b, c]);
    expect((await listed()).queue.paused).toBe(true);

    // Attacker thinking: each refused in a sentence, the order untouched.
    refused(await host.dispatch('jobs.move', { id: 'not-a-job', index: 0 }), 'not_found');
    refused(await host.dispatch('jobs.move', { id: a, before: 'not-a-job' }), 'no_such_job');
    refused(await host.dispatch('jobs.move', { id: a, before: b, index: 1 }), 'invalid_request');
    refused(await host.dispatch('jobs.move', { id: a }), 'invalid_request');
    refused(await host.dispatch('jobs.move', { id: a, index: 1e12 }), 'invalid_request');
    refused(await host.dispatch('jobs.move', { id: a, index: -1 }), 'invalid_request');
    refused(
      await host.dispatch('jobs.move', { id: 'x'.repeat(10_000), index: 0 }),
      'invalid_request',
    );
    refused(await host.dispatch('jobs.pause', { all: true }), 'invalid_request');
    refused(await host.dispatch('jobs.retryFailed', { payAgain: true }), 'invalid_request');
    expect(await order()).toEqual([a, b, c]);

    await host.dispatch('jobs.cancel', { id: a });
    const moveDone = await host.dispatch('jobs.move', { id: a, index: 0 });
    refused(moveDone, 'not_waiting');
    expect(!moveDone.ok && moveDone.error.message).toMatch(/Only a waiting job can be moved/);
    refused(await host.dispatch('jobs.move', { id: b, after: a }), 'not_waiting');

    expect(value(await host.dispatch('jobs.cancelWaiting', {}))).toEqual({ count: 2 });
    expect(value(await host.dispatch('jobs.retryFailed', {}))).toEqual({ count: 0 });
    expect(value(await host.dispatch('jobs.clearFinished', {}))).toEqual({ count: 3 });
    expect(await order()).toEqual([]);
    expect(pausedIn(await host.dispatch('jobs.resume', {}))).toBe(false);
  });
});
