/** Test helpers for the job queue: a clock moved by hand, and an executor driven by the test. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Clock } from '../../../electron/core/jobs/clock';
import {
  createJobQueue,
  type JobQueue,
  type JobQueueOptions,
} from '../../../electron/core/jobs/queue';
import type {
  ExecutorContext,
  ExecutorOutcome,
  Job,
  ProgressState,
} from '../../../electron/core/jobs/types';

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

/** A clock that only moves when the test says so; timers fire in time order. */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers = new Map<number, Timer>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.time + Math.max(0, ms), seq, callback });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward, firing every timer that falls due (including ones they set). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.values()]
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers.delete(due.seq);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }

  /** When the next timer falls due (undefined: none). */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers.values()) if (next === undefined || t.at < next) next = t.at;
    return next;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}

export interface Call {
  job: Job;
  context: ExecutorContext;
  resolve(outcome?: ExecutorOutcome): void;
  reject(error: unknown): void;
  /** Takes a request slot (as the real executor does before each request). */
  send(): Promise<() => void>;
  progress(state: ProgressState): void;
  settled: boolean;
}

/** An executor whose calls the test finishes by hand. */
export function manualExecutor(): {
  executor: (job: Job, context: ExecutorContext) => Promise<ExecutorOutcome>;
  calls: Call[];
  running: () => Call[];
  maxRunning: () => number;
} {
  const calls: Call[] = [];
  let max = 0;
  const running = (): Call[] => calls.filter((c) => !c.settled);
  return {
    calls,
    running,
    maxRunning: () => max,
    executor: (job, context) =>
      new Promise<ExecutorOutcome>((resolve, reject) => {
        const call: Call = {
          job,
          context,
          settled: false,
          resolve: (outcome = { state: 'done', result: { entry: job.id } }) => {
            call.settled = true;
            resolve(outcome);
          },
          reject: (error) => {
            call.settled = true;
            reject(error instanceof Error ? error : new Error(String(error)));
          },
          send: () => context.acquireRequestSlot(),
          progress: (state) => {
            context.setState(state);
          },
        };
        context.signal.addEventListener('abort', () => {
          if (!call.settled) call.reject(context.signal.reason);
        });
        calls.push(call);
        max = Math.max(max, running().length);
      }),
  };
}

/** An error shaped like the Stability client's (kind, status, mayHaveBeenCharged ...). */
export function stabilityError(
  kind: string,
  fields: { status?: number; mayHaveBeenCharged?: boolean; retryAfterMs?: number } = {},
  message = `A ${kind} happened. Do something about it.`,
): Error {
  return Object.assign(new Error(message), { name: 'StabilityError', kind, ...fields });
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'atelier-jobs-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A small deterministic random source (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lets pending promise callbacks and file writes run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A temporary queue folder and a hand-moved clock per test, and queues made on them that are closed
 * after each test (registers beforeEach / afterEach).
 */
export function queueHarness(defaults: Partial<JobQueueOptions> = {}): {
  readonly dir: () => string;
  readonly clock: () => ManualClock;
  make(executor: JobQueueOptions['executor'], extra?: Partial<JobQueueOptions>): Promise<JobQueue>;
} {
  let dir = '';
  let cleanup: () => Promise<void> = () => Promise.resolve();
  let clock = new ManualClock();
  const open: JobQueue[] = [];
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    clock = new ManualClock();
  });
  afterEach(async () => {
    for (const q of open.splice(0)) await q.close();
    await cleanup();
  });
  return {
    dir: () => dir,
    clock: () => clock,
    async make(executor, extra = {}) {
      const q = await createJobQueue({ dataDir: dir, executor, clock, ...defaults, ...extra });
      open.push(q);
      return q;
    },
  };
}
