/**
 * The client-side rate limiter: Stability counts at most `requests` requests in any window of
 * `perMs`, then answers 429 and locks the key for 60 seconds. This limiter makes sure that never
 * happens, whatever moment the server counts a request at.
 *
 * The server counts a request somewhere between the moment we start it and the moment its answer
 * reaches us; we cannot see when. So a request holds its slot from its start until `perMs` after
 * its answer came back (`release`). A new request starts only while fewer than `requests` slots are
 * held. That is a sliding window on the safe side of every possible server clock: never more than
 * `requests` starts in any window (the tests check every window of 1,000 requests), and never more
 * than `requests` server-side counts either, however late or early the server counts.
 *
 * Waiters are served first come, first served. It counts requests, not jobs: every HTTP request
 * takes a slot (a job that polls takes one per poll).
 */
import { systemClock, type Clock } from './clock';
import { RATE_LIMIT } from '../../../shared/endpoints';

export interface RateLimit {
  /** Most requests in any window. */
  readonly requests: number;
  /** The window, in ms. */
  readonly perMs: number;
  /** Added to the window, for rounding and clock drift (default 100 ms). */
  readonly marginMs?: number;
}

/** The API's limit, from the endpoint table (150 requests per 10 s). */
export const API_RATE_LIMIT: RateLimit = {
  requests: RATE_LIMIT.requests,
  perMs: RATE_LIMIT.windowMs,
  marginMs: 100,
};

/** Tells the limiter that the answer of a request arrived (or that it failed). Idempotent. */
export type ReleaseSlot = () => void;

export interface RateLimiter {
  /**
   * Resolves when a request may start; call the returned function when its answer has arrived or
   * it failed. Rejects if `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot>;
  /** Takes a slot now if one is free, without waiting. */
  tryAcquire(): ReleaseSlot | undefined;
  /** ms until a slot would be free (0: now; Infinity: when a request in flight answers). */
  waitMs(): number;
  /** No starts before `until` (e.g. the server said 429 with a wait). */
  holdUntil(until: number): void;
  /** Change the limit (takes effect for the next starts). */
  setLimit(limit: RateLimit): void;
  readonly limit: RateLimit;
  /** Requests waiting for a slot. */
  readonly pending: number;
  /** Requests started and not yet answered. */
  readonly inFlight: number;
  /** Rejects every waiter and stops the timer. */
  close(reason?: Error): void;
}

interface Slot {
  readonly start: number;
  /** When the answer arrived; undefined while the request is in flight. */
  end: number | undefined;
}

interface Waiter {
  resolve: (release: ReleaseSlot) => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

function checkLimit(limit: RateLimit): RateLimit {
  if (!Number.isInteger(limit.requests) || limit.requests < 1) {
    throw new RangeError('The rate limit needs a whole number of requests, at least 1.');
  }
  if (!(limit.perMs > 0)) throw new RangeError('The rate limit window must be longer than 0 ms.');
  if (limit.marginMs !== undefined && !(limit.marginMs >= 0)) {
    throw new RangeError('The rate limit margin cannot be negative.');
  }
  return limit;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('The request was cancelled.', 'AbortError');
}

export function createRateLimiter(
  initial: RateLimit = API_RATE_LIMIT,
  clock: Clock = systemClock,
): RateLimiter {
  let limit = checkLimit(initial);
  /** Slots that may still count: in flight, or answered less than a window ago. */
  let slots: Slot[] = [];
  let heldUntil = 0;
  const waiters: Waiter[] = [];
  let timer: unknown;
  let timerAt = Infinity;
  let closed: { reason: Error } | undefined;

  const window = (): number => limit.perMs + (limit.marginMs ?? 0);

  function waitMs(): number {
    const now = clock.now();
    slots = slots.filter((s) => s.end === undefined || s.end + window() > now);
    let at = heldUntil;
    const over = slots.length - limit.requests + 1;
    if (over > 0) {
      // `over` slots must expire first; only answered ones expire, oldest answer first.
      const ends = slots
        .map((s) => s.end)
        .filter((end): end is number => end !== undefined)
        .sort((a, b) => a - b);
      const end = ends[over - 1];
      if (end === undefined) return Infinity;
      at = Math.max(at, end + window());
    }
    return Math.max(0, at - now);
  }

  function take(): ReleaseSlot {
    const slot: Slot = { start: clock.now(), end: undefined };
    slots.push(slot);
    return () => {
      if (slot.end !== undefined) return;
      slot.end = Math.max(slot.start, clock.now());
      pump();
    };
  }

  function schedule(ms: number): void {
    const at = clock.now() + ms;
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timerAt = at;
    timer = clock.setTimeout(() => {
      timer = undefined;
      timerAt = Infinity;
      pump();
    }, ms);
  }

  function pump(): void {
    if (closed) return;
    while (waiters.length > 0) {
      const wait = waitMs();
      if (wait > 0) {
        // Infinity: a release will call pump again.
        if (wait < Infinity) schedule(wait);
        return;
      }
      const waiter = waiters.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(take());
    }
  }

  return {
    acquire(signal) {
      if (closed) return Promise.reject(closed.reason);
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (waiters.length === 0 && waitMs() === 0) return Promise.resolve(take());
      return new Promise<ReleaseSlot>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
        if (signal) {
          waiter.onAbort = () => {
            const at = waiters.indexOf(waiter);
            if (at >= 0) waiters.splice(at, 1);
            reject(abortReason(signal));
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        waiters.push(waiter);
        pump();
      });
    },
    tryAcquire() {
      if (closed || waiters.length > 0 || waitMs() > 0) return undefined;
      return take();
    },
    waitMs,
    holdUntil(until) {
      heldUntil = Math.max(heldUntil, until);
      pump();
    },
    setLimit(next) {
      limit = checkLimit(next);
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      timerAt = Infinity;
      pump();
    },
    get limit() {
      return limit;
    },
    get pending() {
      return waiters.length;
    },
    get inFlight() {
      return slots.filter((s) => s.end === undefined).length;
    },
    close(reason = new Error('The job queue was closed.')) {
      closed = { reason };
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      for (const waiter of waiters.splice(0)) {
        if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
        waiter.reject(reason);
      }
    },
  };
}
