/**
 * The job queue: runs jobs through an injected executor, several at once, under the API's rate
 * limit, and keeps the list on disk.
 *
 * Money is real, so the rules are:
 * - a job's first request is recorded on disk (`sending`) before it leaves the machine; a job found
 *   in flight at start (the app quit or crashed) becomes `needs-attention`, never sent again by
 *   itself;
 * - only errors where nothing can have been charged (no connection, 429, 503) are retried by the
 *   queue itself, with backoff; anything that may have reached Stability without an answer becomes
 *   `needs-attention` and waits for the person (`retry`);
 * - every HTTP request takes a slot from the rate limiter, so the 60-second lockout never happens.
 */
import { monotonicFactory } from 'ulid';
import { RATE_LIMIT } from '../../../shared/endpoints';
import { PlainError } from '../errors';
import {
  defaultClassify,
  defaultDescribe,
  isRateLimited,
  JobFailure,
  retryAfterOf,
} from './classify';
import { systemClock, type Clock } from './clock';
import {
  API_RATE_LIMIT,
  createRateLimiter,
  type RateLimit,
  type RateLimiter,
  type ReleaseSlot,
} from './limiter';
import { resumableGeneration, retryKindOf } from './generation';
import { loadQueue, saveQueue } from './store';
import {
  FINISHED_STATES,
  RETRYABLE_STATES,
  RUNNING_STATES,
  type Classify,
  type Describe,
  type ErrorClass,
  type Executor,
  type ExecutorContext,
  type ExecutorOutcome,
  type Job,
  type JobError,
  type JobState,
  type NewJob,
  type ProgressState,
} from './types';

export const DEFAULT_CONCURRENCY = 4;
/** More than the API's requests per window would only wait for the limiter. */
export const MAX_CONCURRENCY = RATE_LIMIT.requests;
export const OFFLINE_MESSAGE = 'Offline: jobs will go when the network is back.';

export interface RetryPolicy {
  /** Automatic retries of retry-safe errors in a row before the job fails (default 5). */
  readonly maxAutoRetries?: number;
  /** First wait (default 2 s), doubled each time up to `maxDelayMs` (default 60 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface JobQueueOptions {
  /** The queue's own folder (e.g. `<app data>/jobs`); holds queue.json. */
  readonly dataDir: string;
  /** Does the work of one job. */
  readonly executor: Executor;
  /** Jobs running at once (default 4). Change later with `setConcurrency`. */
  readonly concurrency?: number;
  /** Default: the API's limit from the endpoint table (150 requests / 10 s) plus a small margin. */
  readonly rateLimit?: RateLimit;
  /** Share a limiter with other callers (then `rateLimit` is ignored and `close` leaves it open). */
  readonly limiter?: RateLimiter;
  readonly classify?: Classify;
  readonly describe?: Describe;
  readonly retry?: RetryPolicy;
  readonly clock?: Clock;
  /** Whether the network is up at start (default true). Tell the queue later with `setOnline`. */
  readonly isOnline?: () => boolean;
  /** Network changes, if the host has a source of them: called once, returns how to stop. */
  readonly watchOnline?: (listener: (online: boolean) => void) => () => void;
  /**
   * How many done, filtered and cancelled jobs the list keeps (default 500); older ones are dropped
   * (their pictures are in the library). Failed and needs-attention jobs stay until the person acts.
   */
  readonly keepFinished?: number;
}

export interface QueueStatus {
  readonly online: boolean;
  /** The person paused the queue: no job starts until they resume it (running ones finish). */
  readonly paused: boolean;
  readonly concurrency: number;
  readonly running: number;
  readonly waiting: number;
  readonly needsAttention: number;
  /** The API said "too many requests": no request starts before this time (ms since epoch). */
  readonly holdUntil?: number;
  /** A sentence for the person when the queue is held back (offline). */
  readonly message?: string;
}

export type QueueEvent =
  /** A job was added or changed; `previous` is its state before (absent when added). */
  | { readonly type: 'job'; readonly job: Job; readonly previous?: JobState }
  | { readonly type: 'removed'; readonly id: string }
  /** The person reordered the jobs: every job's id, in the order the waiting ones start. */
  | { readonly type: 'order'; readonly ids: readonly string[] }
  | { readonly type: 'status'; readonly status: QueueStatus }
  /** Something the person should know about the queue itself (e.g. the list could not be saved). */
  | { readonly type: 'problem'; readonly message: string };

/** Where `move` puts a waiting job: before or after another waiting job, or at a place among them. */
export type MoveTarget =
  | { readonly before: string }
  | { readonly after: string }
  /** 0 starts next; past the last waiting job means last. */
  | { readonly index: number };

export interface JobQueue {
  /** Adds a job; resolves once it is on disk, with the job as added (later states come as events). */
  add(job: NewJob): Promise<Job>;
  /** Adds several jobs at once (e.g. "4 images"), in order, with one write. */
  addMany(jobs: readonly NewJob[]): Promise<Job[]>;
  get(id: string): Job | undefined;
  /** Every job, oldest first. */
  list(): Job[];
  /** Called for every change. Returns an unsubscribe function. */
  subscribe(listener: (event: QueueEvent) => void): () => void;
  /** Cancels a waiting or running job (a running one gets its signal aborted). */
  cancel(id: string): Promise<Job>;
  /** Sends a failed, needs-attention or cancelled job again. Only ever called by the person. */
  retry(id: string): Promise<Job>;
  /** Forgets a job that is not running. */
  remove(id: string): Promise<void>;
  /** Moves a waiting job; resolves with every job's id in the new order (the order they start). */
  move(id: string, to: MoveTarget): Promise<string[]>;
  /** Nothing new starts (running jobs finish), also after a restart, until `resume`. */
  pause(): Promise<QueueStatus>;
  resume(): Promise<QueueStatus>;
  /** Cancels every job that is waiting (nothing of them was sent); resolves with how many. */
  cancelWaiting(): Promise<number>;
  /** Forgets the done, filtered and cancelled jobs (their pictures stay in the library). */
  clearFinished(): Promise<number>;
  /**
   * Sends again every failed job nothing was charged for (a free retry); one that may have been
   * charged is left to the person's own `retry`. Resolves with how many.
   */
  retryFailed(): Promise<number>;
  setConcurrency(concurrency: number): void;
  /** Offline: no job starts; back online: waiting jobs go. */
  setOnline(online: boolean): void;
  status(): QueueStatus;
  /**
   * A slot under the same rate limit, for requests outside jobs (balance, key check). Call the
   * returned function when the answer has arrived.
   */
  acquireRequestSlot(signal?: AbortSignal): Promise<ReleaseSlot>;
  readonly limiter: RateLimiter;
  /** Set when the list on disk could not be read at start (a plain sentence). */
  readonly loadProblem: string | undefined;
  /** Resolves when every change so far is on disk. */
  flush(): Promise<void>;
  /**
   * Stops: no new job starts, running executors are aborted and their outcome ignored; the list on
   * disk keeps them in flight, so they come back as needs-attention (as after a crash).
   */
  close(): Promise<void>;
}

interface Run {
  readonly controller: AbortController;
  /** Request slots taken in this attempt. */
  requests: number;
  /** Slots not given back yet (given back when the attempt ends). */
  readonly slots: Set<ReleaseSlot>;
  /** The write that records the first request on disk (set by the first request). */
  recorded: Promise<void> | undefined;
  cancelled: boolean;
}

const SEND_STATES: readonly JobState[] = ['sending', 'generating', 'saving'];
/** Settled jobs that need nothing more from the person. */
const PRUNABLE_STATES: readonly JobState[] = ['done', 'filtered', 'cancelled'];

function checkConcurrency(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw new PlainError(
      'bad_concurrency',
      `The number of jobs at once must be a whole number from 1 to ${MAX_CONCURRENCY}.`,
    );
  }
  return n;
}

/** The sentence for a job that may have been charged without the person getting a picture. */
function chargedError(cause: JobError, state: JobState, resumable: boolean): JobError {
  if (state === 'saving' && resumable) {
    return {
      code: cause.code,
      message:
        `The picture was made but could not be saved: ${cause.message} ` +
        'Stability still has it: choose Retry to fetch it again (that costs nothing).',
    };
  }
  // An async job whose result can still be fetched: the executor's sentence says what Retry does.
  if (resumable) return cause;
  if (state === 'saving') {
    return {
      code: cause.code,
      message:
        `The picture was made (and charged) but could not be saved: ${cause.message} ` +
        'Choose Retry to make it again, or check the library folder first.',
    };
  }
  const what: Readonly<Record<string, string>> = {
    timeout: 'Stability took too long to answer',
    network: 'the connection broke before the answer arrived',
    server_error: 'Stability reported an error on its side',
    invalid_response: 'its answer could not be read',
    unknown_finish: 'Stability did not say whether the picture finished properly',
    cancelled: 'the request was stopped',
  };
  const reason = what[cause.code] ?? 'no usable answer came back';
  return {
    code: cause.code,
    message:
      `This job was sent, but ${reason}, so it may have been charged. ` +
      'Check your credits at platform.stability.ai, then choose Retry to send it again.',
  };
}

function interruptedError(charged: boolean): JobError {
  return charged
    ? {
        code: 'interrupted',
        message:
          'Atelier stopped while this job was being sent, so it may have been charged. ' +
          'Check your credits at platform.stability.ai, then choose Retry to send it again.',
      }
    : {
        code: 'interrupted',
        message:
          'Atelier stopped while it was preparing this job; nothing was sent. Choose Retry to run it.',
      };
}

function stoppedError(): PlainError {
  return new PlainError('queue_closed', 'The job queue has stopped; restart Atelier to go on.');
}

function abortError(message: string): DOMException {
  return new DOMException(message, 'AbortError');
}

export async function createJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  const clock = options.clock ?? systemClock;
  const executor = options.executor;
  const classify = options.classify ?? defaultClassify;
  const describe = options.describe ?? defaultDescribe;
  const maxAutoRetries = options.retry?.maxAutoRetries ?? 5;
  const baseDelayMs = options.retry?.baseDelayMs ?? 2_000;
  const maxDelayMs = options.retry?.maxDelayMs ?? 60_000;
  const keepFinished = options.keepFinished ?? 500;
  const ownLimiter = options.limiter === undefined;
  const limiter = options.limiter ?? createRateLimiter(options.rateLimit ?? API_RATE_LIMIT, clock);
  const newId = monotonicFactory();
  let concurrency = checkConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY);
  let online = options.isOnline ? options.isOnline() : true;
  let holdUntil = 0;
  let paused = false;
  let stopping = false;
  let closed = false;

  const jobs = new Map<string, Job>();
  const running = new Map<string, Run>();
  const listeners = new Set<(event: QueueEvent) => void>();

  // --- events --------------------------------------------------------------------------------

  function emit(event: QueueEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not stop the queue.
      }
    }
  }

  function status(): QueueStatus {
    let waiting = 0;
    let needsAttention = 0;
    for (const job of jobs.values()) {
      if (job.state === 'waiting') waiting += 1;
      else if (job.state === 'needs-attention') needsAttention += 1;
    }
    return {
      online,
      paused,
      concurrency,
      running: running.size,
      waiting,
      needsAttention,
      ...(holdUntil > clock.now() ? { holdUntil } : {}),
      ...(online ? {} : { message: OFFLINE_MESSAGE }),
    };
  }

  // --- persistence ---------------------------------------------------------------------------

  let version = 0;
  let savedVersion = 0;
  let writing: Promise<void> | undefined;
  const saveWaiters: { version: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let lastSaveProblem = '';

  function settleWaiters(upTo: number, error?: unknown): void {
    for (let i = saveWaiters.length - 1; i >= 0; i--) {
      const waiter = saveWaiters[i];
      if (waiter && waiter.version <= upTo) {
        saveWaiters.splice(i, 1);
        if (error === undefined) waiter.resolve();
        else waiter.reject(error);
      }
    }
  }

  function kick(): void {
    if (writing || closed) return;
    writing = (async () => {
      while (savedVersion < version) {
        const target = version;
        try {
          await saveQueue(options.dataDir, [...jobs.values()], { paused });
          savedVersion = target;
          lastSaveProblem = '';
          settleWaiters(target);
        } catch (error) {
          savedVersion = target;
          settleWaiters(target, error);
          const detail = (error as NodeJS.ErrnoException).code ?? 'write error';
          const message =
            `Atelier could not save the list of jobs to disk (${detail}), so it sends no new ` +
            'job until it can. Free some disk space, then retry the jobs that failed.';
          if (message !== lastSaveProblem) emit({ type: 'problem', message });
          lastSaveProblem = message;
        }
      }
    })().finally(() => {
      writing = undefined;
      if (savedVersion < version) kick();
    });
  }

  /** Marks the list changed; resolves when a write that includes this change is done. */
  function persist(): Promise<void> {
    if (closed) return Promise.reject(stoppedError());
    version += 1;
    const target = version;
    const done = new Promise<void>((resolve, reject) => {
      saveWaiters.push({ version: target, resolve, reject });
    });
    kick();
    return done;
  }

  /** Persist without waiting (a failure is reported once as a problem event). */
  function persistLater(): void {
    persist().catch(() => undefined);
  }

  function flush(): Promise<void> {
    if (savedVersion >= version) return writing ?? Promise.resolve();
    return persist().catch(() => undefined);
  }

  // --- state changes -------------------------------------------------------------------------

  function update(id: string, patch: Partial<Job>): Job {
    const before = jobs.get(id);
    if (!before) throw new PlainError('no_such_job', 'That job is no longer in the queue.');
    // A patch value of `undefined` removes the field (the file stays plain JSON).
    const job = Object.fromEntries(
      Object.entries({ ...before, ...patch, updatedAt: clock.now() }).filter(
        ([, value]) => value !== undefined,
      ),
    ) as unknown as Job;
    jobs.set(id, job);
    emit({ type: 'job', job, previous: before.state });
    return job;
  }

  function holdFor(ms: number): void {
    const until = clock.now() + ms;
    if (until <= holdUntil) return;
    holdUntil = until;
    limiter.holdUntil(until);
    emit({ type: 'status', status: status() });
  }

  // --- running ---------------------------------------------------------------------------------

  let wakeTimer: unknown;
  let wakeAt = Infinity;

  function wakeAtTime(at: number): void {
    if (wakeTimer !== undefined && wakeAt <= at) return;
    if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer);
    wakeAt = at;
    wakeTimer = clock.setTimeout(
      () => {
        wakeTimer = undefined;
        wakeAt = Infinity;
        pump();
      },
      Math.max(0, at - clock.now()),
    );
  }

  function pump(): void {
    if (stopping || !online || paused) return;
    const now = clock.now();
    let next = Infinity;
    for (const job of jobs.values()) {
      if (running.size >= concurrency) return;
      if (job.state !== 'waiting') continue;
      if (job.notBefore !== undefined && job.notBefore > now) {
        next = Math.min(next, job.notBefore);
        continue;
      }
      start(job);
    }
    if (next < Infinity) wakeAtTime(next);
  }

  /** Marks the job as sent (`sending`, may have been charged) and writes the list. */
  async function recordSending(id: string, run: Run): Promise<void> {
    const current = jobs.get(id);
    if (current && !run.cancelled && !stopping) {
      update(id, {
        ...(current.state === 'preparing' ? { state: 'sending' as const } : {}),
        mayHaveBeenCharged: true,
      });
    }
    try {
      await persist();
    } catch (error) {
      throw new JobFailure(
        'not_saved',
        'Atelier could not write its list of jobs to disk, so it did not send this job. ' +
          'Free some disk space, then try again.',
        'final',
        { cause: error },
      );
    }
  }

  function start(waiting: Job): void {
    const id = waiting.id;
    const run: Run = {
      controller: new AbortController(),
      requests: 0,
      slots: new Set(),
      recorded: undefined,
      cancelled: false,
    };
    running.set(id, run);
    const job = update(id, {
      state: 'preparing',
      attempts: waiting.attempts + 1,
      notBefore: undefined,
      mayHaveBeenCharged: false,
    });
    persistLater();
    const signal = run.controller.signal;
    const active = (): boolean => !run.cancelled && !stopping && running.get(id) === run;

    const context: ExecutorContext = {
      signal,
      attempt: job.attempts,
      async acquireRequestSlot() {
        if (signal.aborted) throw signal.reason;
        // Record on disk that this job may be charged BEFORE anything leaves the machine (every
        // request of the attempt waits for that one write, even ones started side by side).
        run.recorded ??= recordSending(id, run);
        await run.recorded;
        if (signal.aborted) throw signal.reason;
        const release = await limiter.acquire(signal);
        run.requests += 1;
        run.slots.add(release);
        return () => {
          run.slots.delete(release);
          release();
        };
      },
      async saveGeneration(generation) {
        if (!jobs.has(id) || closed) return;
        update(id, { generation });
        // Kept in memory even if the disk refuses (the failure is reported as a problem event).
        await persist().catch(() => undefined);
      },
      setState(state: ProgressState) {
        if (!SEND_STATES.includes(state) || !active()) return;
        const current = jobs.get(id);
        if (!current || current.state === state) return;
        update(id, { state });
        persistLater();
      },
    };

    void Promise.resolve()
      .then(() => executor(job, context))
      .then(
        (outcome) => {
          finish(id, run, outcome, undefined);
        },
        (error: unknown) => {
          finish(id, run, undefined, error);
        },
      );
  }

  /** Drops the oldest settled jobs beyond `keepFinished`. */
  function prune(): void {
    const settled = [...jobs.values()].filter((j) => PRUNABLE_STATES.includes(j.state));
    for (const job of settled.slice(0, Math.max(0, settled.length - keepFinished))) {
      jobs.delete(job.id);
      emit({ type: 'removed', id: job.id });
    }
  }

  /** The attempt is over: its requests are answered or abandoned. */
  function releaseSlots(run: Run): void {
    for (const release of run.slots) release();
    run.slots.clear();
  }

  function finish(
    id: string,
    run: Run,
    outcome: ExecutorOutcome | undefined,
    error: unknown,
  ): void {
    if (running.get(id) === run) running.delete(id);
    releaseSlots(run);
    if (stopping) return;
    const job = jobs.get(id);
    if (!job) {
      pump();
      return;
    }
    if (run.cancelled) {
      // Cancelled while running: keep what came back (it may already be in the library).
      if (outcome?.result !== undefined) {
        update(id, { result: outcome.result });
        persistLater();
      }
      pump();
      return;
    }

    if (outcome) {
      update(id, {
        state: outcome.state,
        result: outcome.result,
        error:
          outcome.state === 'filtered'
            ? {
                code: 'filtered',
                message:
                  outcome.message ??
                  "Stability's content filter blurred this picture, and it was charged. Change the prompt or the image; making it again costs again.",
              }
            : undefined,
        autoRetries: 0,
        mayHaveBeenCharged: false,
        // The result is in: a Retry (of a filtered picture) makes a new one, it does not fetch this one.
        generation: undefined,
      });
      prune();
      persistLater();
      pump();
      return;
    }

    let kind: ErrorClass = classify(error, { requests: run.requests, state: job.state });
    // The picture was made (and charged) but not kept: never make it again by itself.
    if (job.state === 'saving') kind = 'may-have-been-charged';
    // An earlier request of this attempt got through (e.g. an async start): resending would pay twice.
    if (kind === 'retry-safe' && run.requests > 1) kind = 'may-have-been-charged';
    const described = describe(error);

    if (kind === 'retry-safe' && job.autoRetries < maxAutoRetries) {
      const asked = retryAfterOf(error);
      const wait = asked ?? Math.min(maxDelayMs, baseDelayMs * 2 ** job.autoRetries);
      if (isRateLimited(error)) holdFor(wait);
      update(id, {
        state: 'waiting',
        notBefore: clock.now() + wait,
        autoRetries: job.autoRetries + 1,
        error: described,
        mayHaveBeenCharged: false,
      });
    } else if (kind === 'may-have-been-charged') {
      update(id, {
        state: 'needs-attention',
        error: chargedError(
          described,
          job.state,
          resumableGeneration(job, clock.now()) !== undefined,
        ),
        mayHaveBeenCharged: true,
      });
    } else {
      const tries = job.autoRetries + 1;
      update(id, {
        state: 'failed',
        error:
          kind === 'retry-safe'
            ? { code: described.code, message: `${described.message} (Tried ${tries} times.)` }
            : described,
        mayHaveBeenCharged: false,
      });
    }
    persistLater();
    pump();
  }

  /** A waiting job, cancelled: nothing of it was sent. */
  function cancelWaitingJob(id: string): Job {
    return update(id, {
      state: 'cancelled',
      notBefore: undefined,
      error: { code: 'cancelled', message: 'You cancelled this job; nothing was sent.' },
    });
  }

  /** A settled job, waiting to be sent again (only ever on the person's word). */
  function requeue(id: string): Job {
    return update(id, {
      state: 'waiting',
      error: undefined,
      notBefore: undefined,
      result: undefined,
      autoRetries: 0,
      mayHaveBeenCharged: false,
    });
  }

  function requireJob(id: string): Job {
    const job = jobs.get(id);
    if (!job) throw new PlainError('no_such_job', 'That job is no longer in the queue.');
    return job;
  }

  function isWaiting(job: Job): boolean {
    return job.state === 'waiting' && !running.has(job.id);
  }

  /** The list in a new order: the Map keeps insertion order, which is the order jobs start. */
  function reorder(ordered: readonly Job[]): string[] {
    jobs.clear();
    for (const job of ordered) jobs.set(job.id, job);
    const ids = ordered.map((job) => job.id);
    emit({ type: 'order', ids });
    return ids;
  }

  /** Where `to` puts a job in `rest` (the list without it). */
  function placeOf(rest: readonly Job[], to: MoveTarget): number {
    if ('index' in to) {
      const waiting = rest.filter(isWaiting);
      const at = waiting[Math.max(0, Math.floor(to.index))];
      if (at) return rest.indexOf(at);
      const last = waiting.at(-1);
      return last ? rest.indexOf(last) + 1 : rest.length;
    }
    const targetId = 'before' in to ? to.before : to.after;
    const target = jobs.get(targetId);
    if (!target) {
      throw new PlainError('no_such_job', 'The job to move it next to is no longer in the queue.');
    }
    if (!isWaiting(target)) {
      throw new PlainError(
        'not_waiting',
        'That job has started or finished, so a job cannot be moved next to it.',
      );
    }
    const at = rest.indexOf(target);
    return 'before' in to ? at : at + 1;
  }

  // --- start-up: load, and never resend what was in flight -----------------------------------

  const loaded = await loadQueue(options.dataDir, clock.now());
  let fixed = false;
  for (const job of loaded.jobs) {
    if (RUNNING_STATES.includes(job.state) && resumableGeneration(job, clock.now())) {
      // Stopped while fetching an async result: polling again is free, so it goes on by itself.
      jobs.set(job.id, { ...job, state: 'waiting', updatedAt: clock.now() });
      fixed = true;
    } else if (RUNNING_STATES.includes(job.state)) {
      const charged = job.mayHaveBeenCharged || job.state !== 'preparing';
      jobs.set(job.id, {
        ...job,
        state: 'needs-attention',
        error: interruptedError(charged),
        mayHaveBeenCharged: charged,
        updatedAt: clock.now(),
      });
      fixed = true;
    } else {
      jobs.set(job.id, job);
    }
  }
  paused = loaded.paused === true;
  if (fixed) await persist();

  function makeJob(spec: NewJob): Job {
    const now = clock.now();
    return {
      id: newId(now),
      kind: spec.kind,
      endpoint: spec.endpoint,
      params: spec.params ?? {},
      inputs: spec.inputs ?? [],
      ...(spec.batch !== undefined ? { batch: spec.batch } : {}),
      createdAt: now,
      updatedAt: now,
      state: 'waiting',
      attempts: 0,
      autoRetries: 0,
      mayHaveBeenCharged: false,
    };
  }

  const queue: JobQueue = {
    async add(spec) {
      const [job] = await queue.addMany([spec]);
      return job as Job;
    },
    async addMany(specs) {
      if (stopping) throw stoppedError();
      const made = specs.map(makeJob);
      for (const job of made) {
        jobs.set(job.id, job);
        emit({ type: 'job', job });
      }
      try {
        await persist();
      } catch (error) {
        // Not on disk: a job that could vanish at a crash is not added at all.
        for (const job of made) {
          jobs.delete(job.id);
          emit({ type: 'removed', id: job.id });
        }
        const code = (error as NodeJS.ErrnoException).code ?? 'write error';
        throw new PlainError(
          'not_saved',
          `Atelier could not save the list of jobs to disk (${code}), so nothing was added. ` +
            'Free some disk space, then try again.',
        );
      }
      pump();
      return made;
    },
    get(id) {
      return jobs.get(id);
    },
    list() {
      return [...jobs.values()];
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async cancel(id) {
      const job = jobs.get(id);
      if (!job) throw new PlainError('no_such_job', 'That job is no longer in the queue.');
      const run = running.get(id);
      if (job.state === 'waiting' && !run) {
        const cancelled = cancelWaitingJob(id);
        await persist();
        pump();
        return cancelled;
      }
      if (run && RUNNING_STATES.includes(job.state)) {
        run.cancelled = true;
        const sent = run.recorded !== undefined;
        run.controller.abort(abortError('The job was cancelled.'));
        // The aborted request will not be counted later than now.
        releaseSlots(run);
        const cancelled = update(id, {
          state: 'cancelled',
          error: {
            code: 'cancelled',
            message: sent
              ? 'You cancelled this job after it was sent; it may have been charged.'
              : 'You cancelled this job; nothing was sent.',
          },
          mayHaveBeenCharged: sent,
        });
        await persist();
        return cancelled;
      }
      throw new PlainError(
        'not_cancellable',
        'This job has already finished, so there is nothing to cancel.',
      );
    },
    async retry(id) {
      const job = jobs.get(id);
      if (!job) throw new PlainError('no_such_job', 'That job is no longer in the queue.');
      if (stopping) throw stoppedError();
      if (running.has(id)) {
        throw new PlainError('not_retryable', 'This job is still stopping; try again in a moment.');
      }
      if (!RETRYABLE_STATES.includes(job.state)) {
        throw new PlainError(
          'not_retryable',
          job.state === 'waiting'
            ? 'This job is waiting to run already.'
            : 'This job is done; make a new one to get another picture.',
        );
      }
      const again = requeue(id);
      await persist();
      pump();
      return jobs.get(id) ?? again;
    },
    async remove(id) {
      const job = jobs.get(id);
      if (!job) return;
      if (running.has(id) || !(job.state === 'waiting' || FINISHED_STATES.includes(job.state))) {
        throw new PlainError('job_running', 'This job is running; cancel it first.');
      }
      jobs.delete(id);
      emit({ type: 'removed', id });
      await persist();
    },
    async move(id, to) {
      if (stopping) throw stoppedError();
      const job = requireJob(id);
      if (!isWaiting(job)) {
        throw new PlainError(
          'not_waiting',
          'Only a waiting job can be moved; this one has started or finished already.',
        );
      }
      const targetId = 'before' in to ? to.before : 'after' in to ? to.after : undefined;
      if (targetId === id) return [...jobs.keys()];
      const rest = [...jobs.values()].filter((other) => other.id !== id);
      const at = placeOf(rest, to);
      const ids = reorder([...rest.slice(0, at), job, ...rest.slice(at)]);
      await persist();
      return ids;
    },
    async pause() {
      if (stopping) throw stoppedError();
      if (!paused) {
        paused = true;
        emit({ type: 'status', status: status() });
        // Held in memory at once; a failed write is reported as a problem event.
        await persist().catch(() => undefined);
      }
      return status();
    },
    async resume() {
      if (stopping) throw stoppedError();
      if (paused) {
        paused = false;
        emit({ type: 'status', status: status() });
        await persist().catch(() => undefined);
        pump();
      }
      return status();
    },
    async cancelWaiting() {
      if (stopping) throw stoppedError();
      const waiting = [...jobs.values()].filter(isWaiting);
      for (const job of waiting) cancelWaitingJob(job.id);
      if (waiting.length > 0) {
        emit({ type: 'status', status: status() });
        await persist();
      }
      return waiting.length;
    },
    async clearFinished() {
      if (stopping) throw stoppedError();
      const settled = [...jobs.values()].filter(
        (job) => PRUNABLE_STATES.includes(job.state) && !running.has(job.id),
      );
      for (const job of settled) {
        jobs.delete(job.id);
        emit({ type: 'removed', id: job.id });
      }
      if (settled.length > 0) await persist();
      return settled.length;
    },
    async retryFailed() {
      if (stopping) throw stoppedError();
      const now = clock.now();
      const free = [...jobs.values()].filter(
        (job) =>
          job.state === 'failed' && !running.has(job.id) && retryKindOf(job, now) !== 'costs-again',
      );
      for (const job of free) requeue(job.id);
      if (free.length > 0) {
        await persist();
        pump();
      }
      return free.length;
    },
    setConcurrency(n) {
      concurrency = checkConcurrency(n);
      emit({ type: 'status', status: status() });
      pump();
    },
    setOnline(next) {
      if (next === online) return;
      online = next;
      emit({ type: 'status', status: status() });
      pump();
    },
    status,
    acquireRequestSlot(signal) {
      return limiter.acquire(signal);
    },
    limiter,
    loadProblem: loaded.problem,
    flush,
    async close() {
      if (stopping) {
        await flush();
        return;
      }
      stopping = true;
      stopWatchingOnline?.();
      if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer);
      wakeTimer = undefined;
      for (const run of running.values()) run.controller.abort(abortError('Atelier is closing.'));
      if (ownLimiter) limiter.close(abortError('Atelier is closing.'));
      await flush();
      closed = true;
      listeners.clear();
    },
  };

  const stopWatchingOnline = options.watchOnline?.((next) => {
    queue.setOnline(next);
  });
  pump();
  return queue;
}
