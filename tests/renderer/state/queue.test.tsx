/**
 * The Queue panel's store and its pure parts: groups (a job that may have been charged is the
 * person's decision), order from the core's events, keyboard moves as indexes, progress per batch
 * with the time left at the current rate, and the panel's money words.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobView, QueueView } from '../../../shared/api';
import { setBridge } from '../../../renderer/state/bridge';
import {
  badgeCount,
  batchesOf,
  followQueue,
  groupOf,
  groupsOf,
  orderedJobs,
  stepMove,
  timeLeftText,
  useQueue,
} from '../../../renderer/state/queue';
import { QueuePanel } from '../../../renderer/features/queue/QueuePanel';
import { FakeCore, WAITING_JOB } from '../fakes';

const QUEUE: QueueView = { online: true, paused: false, running: 0, waiting: 0, needsAttention: 0 };

function job(id: string, patch: Partial<JobView> = {}): JobView {
  return { ...WAITING_JOB, id, params: { prompt: `job ${id}` }, ...patch };
}

const charged = (id: string, patch: Partial<JobView> = {}) =>
  job(id, {
    state: 'needs-attention',
    mayHaveBeenCharged: true,
    retry: { kind: 'costs-again', credits: 8 },
    error: { code: 'timeout', message: 'This job was sent, so it may have been charged.' },
    ...patch,
  });

let core: FakeCore;

beforeEach(() => {
  core = new FakeCore();
  setBridge(core);
  useQueue.setState({ jobs: {}, order: [], queue: QUEUE, open: false, error: null, notice: null });
});

afterEach(() => {
  cleanup();
  setBridge(null);
});

describe('queue: pure parts', () => {
  it('groups: running, waiting, needs your decision, failed, finished', () => {
    expect(groupOf(job('a', { state: 'generating' }))).toBe('running');
    expect(groupOf(job('a'))).toBe('waiting');
    expect(groupOf(charged('a'))).toBe('decision');
    // A failed job whose Retry costs again (e.g. its result was lost) is a decision too.
    expect(groupOf(job('a', { state: 'failed', retry: { kind: 'costs-again', credits: 3 } }))).toBe(
      'decision',
    );
    expect(groupOf(job('a', { state: 'failed', retry: { kind: 'free', credits: 3 } }))).toBe(
      'failed',
    );
    for (const state of ['done', 'filtered', 'cancelled'] as const) {
      expect(groupOf(job('a', { state }))).toBe('finished');
    }
    const groups = groupsOf([job('w1'), job('r', { state: 'sending' }), job('w2')]);
    expect(groups.waiting.map((j) => j.id)).toEqual(['w1', 'w2']);
    expect(groups.running.map((j) => j.id)).toEqual(['r']);
  });

  it('orders jobs as the core said; unknown ones go last, oldest first', () => {
    const jobs = { a: job('a'), b: job('b'), c: job('c', { createdAt: 5 }), d: job('d') };
    expect(orderedJobs(jobs, ['b', 'gone', 'a']).map((j) => j.id)).toEqual(['b', 'a', 'd', 'c']);
  });

  it('a keyboard step is an index among the waiting jobs, none past either end', () => {
    const waiting = [job('a'), job('b'), job('c')];
    expect(stepMove(waiting, 'b', -1)).toEqual({ index: 0 });
    expect(stepMove(waiting, 'b', 1)).toEqual({ index: 2 });
    expect(stepMove(waiting, 'a', -1)).toBeNull();
    expect(stepMove(waiting, 'c', 1)).toBeNull();
    expect(stepMove(waiting, 'x', 1)).toBeNull();
  });

  it('progress per batch: done / failed / left, and the time left at the rate so far', () => {
    const minute = 60_000;
    const jobs = [
      job('1', { batch: 'b', createdAt: 0, state: 'done' }),
      job('2', { batch: 'b', createdAt: 0, state: 'done' }),
      job('3', { batch: 'b', createdAt: 0, state: 'failed' }),
      job('4', { batch: 'b', createdAt: 0, state: 'generating' }),
      job('5', { batch: 'b', createdAt: 0 }),
      job('6', { batch: 'b', createdAt: 0 }),
      job('alone'),
    ];
    // 3 settled in 3 minutes: 3 left take about 3 more.
    const [batch] = batchesOf(jobs, 3 * minute, (j) => String(j.params.prompt));
    expect(batch).toMatchObject({ batch: 'b', total: 6, done: 2, failed: 1, left: 3 });
    expect(batch?.msLeft).toBe(3 * minute);
    expect(batchesOf(jobs, 3 * minute, () => '')).toHaveLength(1);
    const [fresh] = batchesOf([job('1', { batch: 'c', createdAt: 0 })], minute, () => '');
    expect(fresh?.msLeft).toBeNull();
    expect(timeLeftText(null)).toBeNull();
    expect(timeLeftText(20_000)).toBe('under a minute left');
    expect(timeLeftText(3 * minute)).toBe('about 3 min left');
    expect(timeLeftText(80 * minute)).toBe('about 1 h 20 min left');
    expect(timeLeftText(120 * minute)).toBe('about 2 h left');
  });

  it('the badge counts running and waiting jobs only', () => {
    expect(
      badgeCount({
        a: job('a'),
        b: job('b', { state: 'saving' }),
        c: charged('c'),
        d: job('d', { state: 'done' }),
      }),
    ).toBe(2);
  });
});

describe('queue: the store', () => {
  it('follows the core: list, changes, removals, the order and the pause', async () => {
    core.handle('jobs.list', () => ({ jobs: [job('a'), job('b')], queue: QUEUE }));
    const stop = followQueue(core);
    await useQueue.getState().load();
    expect(useQueue.getState().order).toEqual(['a', 'b']);
    core.emit('jobs.changed', job('c'));
    expect(useQueue.getState().order).toEqual(['a', 'b', 'c']);
    core.emit('jobs.order', { ids: ['c', 'a', 'b'] });
    expect(useQueue.getState().order).toEqual(['c', 'a', 'b']);
    core.emit('jobs.removed', { id: 'a' });
    expect(useQueue.getState().order).toEqual(['c', 'b']);
    expect(Object.keys(useQueue.getState().jobs).sort()).toEqual(['b', 'c']);
    core.emit('jobs.queue', { ...QUEUE, paused: true });
    expect(useQueue.getState().queue?.paused).toBe(true);
    stop();
    core.emit('jobs.changed', job('z'));
    expect(useQueue.getState().jobs.z).toBeUndefined();
  });

  it('a step up asks the core for the new index and takes the order it answers', async () => {
    useQueue.setState({
      jobs: { r: job('r', { state: 'sending' }), a: job('a'), b: job('b') },
      order: ['r', 'a', 'b'],
    });
    core.handle('jobs.move', () => ({ ids: ['r', 'b', 'a'] }));
    await useQueue.getState().step('b', -1);
    expect(core.calls.at(-1)).toEqual({ call: 'jobs.move', request: { id: 'b', index: 0 } });
    expect(useQueue.getState().order).toEqual(['r', 'b', 'a']);
    // The first cannot go up: no call at all.
    const calls = core.calls.length;
    await useQueue.getState().step('b', -1);
    await useQueue.getState().step('a', 1);
    expect(core.calls).toHaveLength(calls);
  });

  it('says what a queue-wide action did, and a refusal as the core put it', async () => {
    core.handle('jobs.cancelWaiting', () => ({ count: 3 }));
    await useQueue.getState().cancelWaiting();
    expect(useQueue.getState().notice).toBe('3 waiting jobs cancelled; nothing of them was sent.');
    core.handle('jobs.retryFailed', () => ({ count: 1 }));
    await useQueue.getState().retryFailed();
    expect(useQueue.getState().notice).toBe('1 failed job sent again, at no extra cost.');
    core.handle('jobs.move', () => {
      throw new Error('Only a waiting job can be moved; this one has started or finished already.');
    });
    await useQueue.getState().move('a', { index: 0 });
    expect(useQueue.getState().error).toMatch(/Only a waiting job can be moved/);
  });
});

describe('queue: the panel', () => {
  it('"Send again" names the cost and sends payAgain; Retry failed leaves the charged job alone', () => {
    core.handle('jobs.retry', ({ id }) => job(id));
    useQueue.setState({
      open: true,
      jobs: {
        c: charged('c'),
        f: job('f', { state: 'failed', retry: { kind: 'free', credits: 3 } }),
      },
      order: ['c', 'f'],
    });
    render(<QueuePanel />);
    const decision = screen.getByRole('region', { name: /^Needs your decision/ });
    expect(within(decision).getByText(/This job was sent/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry failed (1)' })).toBeTruthy();
    fireEvent.click(within(decision).getByRole('button', { name: 'Send again — 8 credits' }));
    expect(core.calls.at(-1)).toEqual({
      call: 'jobs.retry',
      request: { id: 'c', payAgain: true },
    });
  });

  it('Alt+Down on a focused waiting job moves it; Move up on the first is disabled', () => {
    core.handle('jobs.move', () => ({ ids: ['b', 'a'] }));
    useQueue.setState({ open: true, jobs: { a: job('a'), b: job('b') }, order: ['a', 'b'] });
    render(<QueuePanel />);
    expect(
      screen.getByRole<HTMLButtonElement>('button', { name: 'Move up: 1. job a' }).disabled,
    ).toBe(true);
    const row = screen.getByRole('listitem', { name: '1. job a' });
    row.focus();
    fireEvent.keyDown(row, { key: 'ArrowDown', altKey: true });
    expect(core.calls.at(-1)).toEqual({ call: 'jobs.move', request: { id: 'a', index: 1 } });
  });
});
