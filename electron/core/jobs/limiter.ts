/**
 * The client-side rate limiter: never more than `requests` request starts in any window of
 * `perMs` (+ `marginMs`), so Stability's 429 and its 60-second lockout never happen.
 *
 * A sliding log of the last `requests` start times: a start at time t is allowed only when the start
 * `requests` places before it is at least `perMs + marginMs` old. Waiters are served first come,
 * first served. It counts requests, not jobs: every HTTP request goes through `acquire`.
 */
import { systemClock, type Clock } from './clock';
import { RATE_LIMIT } from '../../../shared/endpoints';

export interface RateLimit {
  /** Most request starts in any window. */
  readonly requests: number;
  /** The window, in ms. */
  readonly perMs: number;
  /**
   * Added to the window: the server counts a request when it arrives, and arrival times jitter
   * (upload, network, event loop). Default 250 ms, 2.5% of the API's 10 s window.
   */
  readonly marginMs?: number;
}

/** The API's limit, from the endpoint table (150 requests per 10 s). */
export const API_RATE_LIMIT: RateLimit = {
  requests: RATE_LIMIT.requests,
  perMs: RATE_LIMIT.windowMs,
  marginMs: 250,
};

export interface RateLimiter {
  /** Resolves when a request may start (the start is counted then). Rejects if `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Takes a slot now if one is free (true), without waiting. */
  tryAcquire(): boolean;
  /** ms until a slot would be free (0: now). */
  waitMs(): number;
  /** No starts before `until` (e.g. the server said 429 with a wait). */
  holdUntil(until: number): void;
  /** Change the limit (takes effect for the next starts). */
  setLimit(limit: RateLimit): void;
  readonly limit: RateLimit;
  /** How many requests are waiting for a slot. */
  readonly pending: number;
  /** Rejects every waiter and stops the timer. */
  close(reason?: Error): void;
}

interface Waiter {
  resolve: () => void;
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
  /** The last `limit.requests` start times, oldest first. */
  let starts: number[] = [];
  let heldUntil = 0;
  const waiters: Waiter[] = [];
  let timer: unknown;
  let timerAt = Infinity;
  let closed: { reason: Error } | undefined;

  const window = (): number => limit.perMs + (limit.marginMs ?? 0);

  function waitMs(): number {
    const now = clock.now();
    let at = heldUntil;
    if (starts.length >= limit.requests) {
      const nth = starts[starts.length - limit.requests] ?? 0;
      at = Math.max(at, nth + window());
    }
    return Math.max(0, at - now);
  }

  function take(): void {
    starts.push(clock.now());
    if (starts.length > limit.requests) starts = starts.slice(starts.length - limit.requests);
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
    while (waiters.length > 0) {
      const wait = waitMs();
      if (wait > 0) {
        schedule(wait);
        return;
      }
      const waiter = waiters.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      take();
      waiter.resolve();
    }
  }

  return {
    acquire(signal) {
      if (closed) return Promise.reject(closed.reason);
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (waiters.length === 0 && waitMs() === 0) {
        take();
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
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
      if (closed || waiters.length > 0 || waitMs() > 0) return false;
      take();
      return true;
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
