/**
 * The Queue panel's state: every job in the order the waiting ones start, the queue's own state
 * (paused, counts), and the person's steering (reorder, pause, the queue-wide actions). Followed
 * from the start, in every place, so the title bar's badge is always right.
 *
 * Money is real: "Retry failed" only sends what cost nothing (the core checks it too); a job that
 * may have been charged sits under "Needs your decision", and sending it again is its own click
 * that names the cost.
 */
import { create } from 'zustand';
import type { JobMove, JobView, QueueView } from '../../shared/api';
import type { RendererBridge } from '../transport';
import { getBridge } from './bridge';
import { messageOf } from './connection';

/** The panel's groups, in the order it shows them. */
export const QUEUE_GROUPS = ['running', 'waiting', 'decision', 'failed', 'finished'] as const;
export type QueueGroup = (typeof QUEUE_GROUPS)[number];

export const GROUP_TITLES: Readonly<Record<QueueGroup, string>> = {
  running: 'Running',
  waiting: 'Waiting',
  decision: 'Needs your decision',
  failed: 'Failed',
  finished: 'Finished',
};

const RUNNING: readonly string[] = ['preparing', 'sending', 'generating', 'saving'];

/** Which group a job belongs in. A job that may have been charged is the person's decision. */
export function groupOf(job: JobView): QueueGroup {
  if (RUNNING.includes(job.state)) return 'running';
  if (job.state === 'waiting') return 'waiting';
  if (job.state === 'needs-attention') return 'decision';
  if (job.state === 'failed') return job.retry?.kind === 'costs-again' ? 'decision' : 'failed';
  return 'finished';
}

export type Groups = Readonly<Record<QueueGroup, readonly JobView[]>>;

/** The jobs by group, each in queue order. */
export function groupsOf(jobs: readonly JobView[]): Groups {
  const groups: Record<QueueGroup, JobView[]> = {
    running: [],
    waiting: [],
    decision: [],
    failed: [],
    finished: [],
  };
  for (const job of jobs) groups[groupOf(job)].push(job);
  return groups;
}

/** The jobs in queue order (ids the order does not know yet go last, oldest first). */
export function orderedJobs(
  jobs: Readonly<Record<string, JobView>>,
  order: readonly string[],
): JobView[] {
  const known = new Set(order);
  const listed = order.flatMap((id) => {
    const job = jobs[id];
    return job ? [job] : [];
  });
  const rest = Object.values(jobs)
    .filter((job) => !known.has(job.id))
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return [...listed, ...rest];
}

/** How a waiting job moves by `delta` places among the waiting ones (null: it cannot). */
export function stepMove(
  waiting: readonly JobView[],
  id: string,
  delta: number,
): { index: number } | null {
  const at = waiting.findIndex((job) => job.id === id);
  const to = at + delta;
  if (at < 0 || to < 0 || to >= waiting.length) return null;
  return { index: to };
}

/** Progress of the jobs made together (one run of several, a folder). */
export interface BatchProgress {
  readonly batch: string;
  /** What the batch is, for people ("Fast upscale", "a lighthouse at dusk"). */
  readonly title: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly left: number;
  /** At the rate so far; null until one has finished, or when none is left. */
  readonly msLeft: number | null;
}

const DONE: readonly string[] = ['done', 'filtered'];

/** Per batch with jobs left or just finished: done / failed / left, and the time left. */
export function batchesOf(
  jobs: readonly JobView[],
  now: number,
  titleOf: (job: JobView) => string,
): BatchProgress[] {
  const byBatch = new Map<string, JobView[]>();
  for (const job of jobs) {
    if (job.batch === undefined) continue;
    const list = byBatch.get(job.batch) ?? [];
    list.push(job);
    byBatch.set(job.batch, list);
  }
  const out: BatchProgress[] = [];
  for (const [batch, list] of byBatch) {
    const done = list.filter((job) => DONE.includes(job.state)).length;
    const left = list.filter(
      (job) => job.state === 'waiting' || RUNNING.includes(job.state),
    ).length;
    const failed = list.length - done - left;
    const settled = done + failed;
    const started = Math.min(...list.map((job) => job.createdAt));
    // The clock may lag the last event a little: never before what the jobs themselves say.
    const elapsed = Math.max(now, ...list.map((job) => job.updatedAt)) - started;
    const msLeft =
      settled > 0 && left > 0 && elapsed > 0 ? Math.round((elapsed / settled) * left) : null;
    const first = list[0];
    out.push({
      batch,
      title: first ? titleOf(first) : 'Batch',
      total: list.length,
      done,
      failed,
      left,
      msLeft,
    });
  }
  return out;
}

/** "about 3 min left", "under a minute left", "about 1 h 20 min left". */
export function timeLeftText(ms: number | null): string | null {
  if (ms === null) return null;
  if (ms < 60_000) return 'under a minute left';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h left` : `about ${hours} h ${rest} min left`;
}

/** What the badge counts: jobs running or waiting (from the jobs themselves, always current). */
export function badgeCount(jobs: Readonly<Record<string, JobView>>): number {
  let count = 0;
  for (const job of Object.values(jobs)) {
    if (job.state === 'waiting' || RUNNING.includes(job.state)) count += 1;
  }
  return count;
}

type MoveTo = Omit<JobMove, 'id'>;

interface QueueState {
  jobs: Record<string, JobView>;
  /** Job ids in queue order, as the core last said. */
  order: string[];
  queue: QueueView | null;
  open: boolean;
  /** The last action's failure, as a sentence. */
  error: string | null;
  /** A sentence about the last queue-wide action ("3 waiting jobs cancelled."). */
  notice: string | null;

  load: () => Promise<void>;
  received: (job: JobView) => void;
  removed: (id: string) => void;
  setQueue: (queue: QueueView) => void;
  setOrder: (ids: readonly string[]) => void;
  setOpen: (open: boolean) => void;
  toggle: () => void;

  move: (id: string, to: MoveTo) => Promise<void>;
  /** Moves a waiting job one place up (-1) or down (+1) among the waiting ones. */
  step: (id: string, delta: -1 | 1) => Promise<void>;
  pause: () => Promise<void>;
  resume: () => Promise<void>;
  cancelWaiting: () => Promise<void>;
  clearFinished: () => Promise<void>;
  retryFailed: () => Promise<void>;
  cancel: (id: string) => Promise<void>;
  /** Sends one job again; `payAgain` when the person chose the button that names the cost. */
  retry: (id: string, payAgain?: boolean) => Promise<void>;
  remove: (id: string) => Promise<void>;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

export const useQueue = create<QueueState>()((set, get) => {
  /** Runs a call; a failure becomes the panel's sentence. */
  async function act(work: () => Promise<string | null | undefined>): Promise<void> {
    try {
      const notice = await work();
      set({ error: null, ...(notice !== undefined ? { notice } : {}) });
    } catch (error) {
      set({ error: messageOf(error), notice: null });
    }
  }

  return {
    jobs: {},
    order: [],
    queue: null,
    open: false,
    error: null,
    notice: null,

    load: async () => {
      try {
        const { jobs, queue } = await getBridge().invoke('jobs.list', {});
        set({
          jobs: Object.fromEntries(jobs.map((job) => [job.id, job])),
          order: jobs.map((job) => job.id),
          queue,
        });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
    received: (job) =>
      set((state) => ({
        jobs: { ...state.jobs, [job.id]: job },
        order: state.order.includes(job.id) ? state.order : [...state.order, job.id],
      })),
    removed: (id) =>
      set((state) => ({
        jobs: Object.fromEntries(Object.entries(state.jobs).filter(([key]) => key !== id)),
        order: state.order.filter((other) => other !== id),
      })),
    setQueue: (queue) => set({ queue }),
    setOrder: (ids) => set({ order: [...ids] }),
    setOpen: (open) => set(open ? { open } : { open, notice: null, error: null }),
    toggle: () => get().setOpen(!get().open),

    move: (id, to) =>
      act(async () => {
        const { ids } = await getBridge().invoke('jobs.move', { id, ...to });
        get().setOrder(ids);
        return null;
      }),
    step: async (id, delta) => {
      const { jobs, order } = get();
      const waiting = groupsOf(orderedJobs(jobs, order)).waiting;
      const to = stepMove(waiting, id, delta);
      if (to) await get().move(id, to);
    },
    pause: () =>
      act(async () => {
        // The panel says "Paused" for as long as it is.
        set({ queue: await getBridge().invoke('jobs.pause', {}) });
        return null;
      }),
    resume: () =>
      act(async () => {
        set({ queue: await getBridge().invoke('jobs.resume', {}) });
        return null;
      }),
    cancelWaiting: () =>
      act(async () => {
        const { count } = await getBridge().invoke('jobs.cancelWaiting', {});
        return `${plural(count, 'waiting job', 'waiting jobs')} cancelled; nothing of them was sent.`;
      }),
    clearFinished: () =>
      act(async () => {
        const { count } = await getBridge().invoke('jobs.clearFinished', {});
        return `${plural(count, 'finished job', 'finished jobs')} cleared; the pictures stay in the library.`;
      }),
    retryFailed: () =>
      act(async () => {
        const { count } = await getBridge().invoke('jobs.retryFailed', {});
        return `${plural(count, 'failed job', 'failed jobs')} sent again, at no extra cost.`;
      }),
    cancel: (id) =>
      act(async () => {
        get().received(await getBridge().invoke('jobs.cancel', { id }));
        return undefined;
      }),
    retry: (id, payAgain) =>
      act(async () => {
        const request = payAgain ? { id, payAgain: true } : { id };
        get().received(await getBridge().invoke('jobs.retry', request));
        return undefined;
      }),
    remove: (id) =>
      act(async () => {
        await getBridge().invoke('jobs.remove', { id });
        get().removed(id);
        return undefined;
      }),
  };
});

/** Follows the core's job events for the whole window; returns a function that stops. */
export function followQueue(bridge: RendererBridge): () => void {
  const store = useQueue.getState();
  const stops = [
    bridge.on('jobs.changed', (job) => store.received(job)),
    bridge.on('jobs.removed', ({ id }) => store.removed(id)),
    bridge.on('jobs.queue', (queue) => store.setQueue(queue)),
    bridge.on('jobs.order', ({ ids }) => store.setOrder(ids)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
