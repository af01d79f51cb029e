/**
 * The job model: every request the person makes is a job with a visible state. Plain JSON only, so a
 * job can be kept on disk and sent to the renderer as it is.
 */
import { FINISHED_JOB_STATES, JOB_VIEW_STATES } from '../../../shared/calls/create';

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What the job makes. Open-ended: the host may add kinds (e.g. `edit`), the queue does not care. */
export type JobKind = 'text-to-image' | 'image-to-image' | 'upscale' | (string & {});

/** The queue's states are the ones the renderer shows (one list, in the contract). */
export const JOB_STATES = JOB_VIEW_STATES;
export type JobState = (typeof JOB_STATES)[number];

/** States in which the executor is running. A job found in one of them at start was interrupted. */
export const RUNNING_STATES: readonly JobState[] = ['preparing', 'sending', 'generating', 'saving'];
/** States a job ends in (until the person retries it). */
export const FINISHED_STATES: readonly JobState[] = FINISHED_JOB_STATES;
/** States from which `retry` may send a job again (only when the person asks). */
export const RETRYABLE_STATES: readonly JobState[] = [
  'failed',
  'needs-attention',
  'cancelled',
  'filtered',
];

/** States an executor may report while it works (the queue sets `preparing` itself). */
export type ProgressState = 'sending' | 'generating' | 'saving';

/** An input file of a job: which request parameter it fills, and where the file is. */
export interface InputRef {
  /** The endpoint parameter, e.g. `image`. */
  readonly param: string;
  /** Where the prepared file is (a path the core can read). */
  readonly path: string;
  /** A name for people (the original file name). */
  readonly name?: string;
}

export interface JobError {
  /** A short stable code (e.g. `payment_required`, `interrupted`), for the UI and tests. */
  readonly code: string;
  /** A plain sentence: what happened and what to do. */
  readonly message: string;
}

/**
 * An async job at Stability (creative upscale, relight): its generation id, saved with the job before
 * the first poll, so a failed poll, a restart or the person's Retry fetches the result again instead
 * of paying for a new one.
 */
export interface Generation {
  /** The id Stability answered the start with. */
  readonly id: string;
  /** When Stability took the job (ms since the epoch); the result is kept for a day from then. */
  readonly startedAt: number;
  /**
   * Stability answered 404 once (expired, or asked with another key than the one that started it):
   * the next attempt asks once more (the person may have put the old key back), then gives up.
   */
  readonly missing?: boolean;
  /** Stability no longer has the result (404 twice), or the job failed there: a Retry sends again. */
  readonly gone?: boolean;
}

export interface Job {
  /** A ULID: sortable by creation time. */
  readonly id: string;
  readonly kind: JobKind;
  /** An endpoint id from the endpoint table (e.g. `generate.core`). */
  readonly endpoint: string;
  /** The request parameters, as plain JSON (files are in `inputs`). */
  readonly params: JsonObject;
  readonly inputs: readonly InputRef[];
  /** Jobs made together (e.g. "4 images of one prompt") share a batch id. */
  readonly batch?: string;
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly state: JobState;
  /** How many times the executor was started for this job. */
  readonly attempts: number;
  /** Automatic retries in a row since the last start by the person (reset by `retry`). */
  readonly autoRetries: number;
  /** A waiting job does not start before this time (backoff after a retry-safe failure). */
  readonly notBefore?: number;
  /** What the executor returned for a finished job (e.g. a library entry id). */
  readonly result?: JsonValue;
  readonly error?: JobError;
  /**
   * A request of this job may have reached Stability (and cost credits) without the person getting a
   * result. Such a job is never sent again unless the person asks.
   */
  readonly mayHaveBeenCharged: boolean;
  /** An async job's generation at Stability, once it started (see Generation). */
  readonly generation?: Generation;
}

/** What `add` needs; the queue fills in the rest. */
export interface NewJob {
  readonly kind: JobKind;
  readonly endpoint: string;
  readonly params?: JsonObject;
  readonly inputs?: readonly InputRef[];
  readonly batch?: string;
}

/** What a successful executor returns. */
export type ExecutorOutcome =
  | { readonly state: 'done'; readonly result?: JsonValue }
  /** The API blurred the output (content filter): charged, but no usable picture. */
  | { readonly state: 'filtered'; readonly result?: JsonValue; readonly message?: string };

export interface ExecutorContext {
  /** Aborted when the person cancels the job or the queue closes. Pass it to every request. */
  readonly signal: AbortSignal;
  /** 1 for the first run, then counts up (automatic and manual retries). */
  readonly attempt: number;
  /**
   * Call before EVERY HTTP request to Stability (uploads, polls, everything): waits for a slot under
   * the rate limit. The first call also records on disk that the job is `sending`, before anything
   * leaves the machine. Rejects when the signal aborts.
   *
   * Call the returned function as soon as that request's answer has arrived (or it failed): the slot
   * is counted until then. Slots not given back are given back when the executor returns.
   */
  acquireRequestSlot(): Promise<() => void>;
  /** Report progress: `generating` once the request is out, `saving` while the result is written. */
  setState(state: ProgressState): void;
  /**
   * Keeps an async job's generation with the job, on disk, before the first poll: from then on a
   * failed poll, a restart or a Retry polls again and never starts the job again (see Generation).
   */
  saveGeneration(generation: Generation): Promise<void>;
}

/** The work of one job. Throws on failure; the queue classifies the error. */
export type Executor = (job: Job, context: ExecutorContext) => Promise<ExecutorOutcome>;

/**
 * How the queue treats an error:
 * - `retry-safe`: nothing can have been charged (no connection, 429, 503): tried again by itself;
 * - `may-have-been-charged`: the request may have reached Stability: needs attention, never resent
 *   unless the person asks;
 * - `final`: the request cannot work as it is (bad request, key, credits, moderation): failed.
 */
export type ErrorClass = 'retry-safe' | 'may-have-been-charged' | 'final';

/** What the queue knows about the attempt when it asks `classify`. */
export interface ClassifyContext {
  /** Request slots taken during this attempt (0: nothing left the machine). */
  readonly requests: number;
  /** The job's state when the error came. */
  readonly state: JobState;
}

export type Classify = (error: unknown, context: ClassifyContext) => ErrorClass;
/** Turns an error into a code and a plain sentence for the person. */
export type Describe = (error: unknown) => JobError;
