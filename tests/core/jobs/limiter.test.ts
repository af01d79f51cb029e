import { describe, expect, it } from 'vitest';
import { API_RATE_LIMIT, createRateLimiter } from '../../../electron/core/jobs/limiter';
import { RATE_LIMIT } from '../../../shared/endpoints';
import { ManualClock, seeded } from './helpers';

const LIMIT = { requests: 150, perMs: 10_000, marginMs: 0 };

/** Lets promise callbacks run (no file I/O involved here). */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Runs the clock until `done()` or no timer is left. */
async function drive(clock: ManualClock, done: () => boolean): Promise<void> {
  await microtasks();
  while (!done()) {
    const next = clock.nextTimerAt();
    if (next === undefined) break;
    clock.advance(next - clock.now());
    await microtasks();
  }
}

/** The most starts found in any window of `windowMs` (a window (t - windowMs, t], as the API counts). */
function busiestWindow(starts: readonly number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < starts.length; last++) {
    while ((starts[first] as number) <= (starts[last] as number) - windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

function expectEveryWindowWithin(starts: readonly number[], requests: number, windowMs: number) {
  for (let i = 1; i < starts.length; i++) {
    expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1] as number);
  }
  // Every window of the sequence: the start `requests` places later is a full window away.
  for (let i = 0; i + requests < starts.length; i++) {
    const gap = (starts[i + requests] as number) - (starts[i] as number);
    if (gap < windowMs) {
      throw new Error(`starts ${i} and ${i + requests} are only ${gap} ms apart`);
    }
  }
  expect(busiestWindow(starts, windowMs)).toBeLessThanOrEqual(requests);
}

interface Request {
  start: number;
  end: number;
}

/**
 * Wherever in [start, end] the server counts each request, no window of `windowMs` holds more than
 * `requests`: for each request x, the requests started before it whose answer came less than a
 * window before x started are fewer than `requests`.
 */
function expectServerNeverOver(log: readonly Request[], requests: number, windowMs: number) {
  const byStart = [...log].sort((a, b) => a.start - b.start);
  byStart.forEach((x, i) => {
    let overlapping = 0;
    for (let j = 0; j < i; j++) {
      if ((byStart[j] as Request).end + windowMs > x.start) overlapping += 1;
    }
    if (overlapping >= requests) {
      throw new Error(`request ${i} started with ${overlapping} others in its window`);
    }
  });
}

describe('rate limiter', () => {
  it('takes its default numbers from the endpoint table', () => {
    expect(API_RATE_LIMIT.requests).toBe(RATE_LIMIT.requests);
    expect(API_RATE_LIMIT.perMs).toBe(RATE_LIMIT.windowMs);
  });

  it('never exceeds the rate over 1,000 requests from 20 busy workers', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter(LIMIT, clock);
    const random = seeded(7);
    const starts: number[] = [];
    const log: Request[] = [];
    const worker = async (): Promise<void> => {
      while (starts.length < 1000) {
        const release = await limiter.acquire();
        if (starts.length >= 1000) return;
        const start = clock.now();
        starts.push(start);
        // The answer takes 0-300 ms; then the worker makes its next request.
        const hold = Math.floor(random() * 300);
        await new Promise<void>((resolve) => clock.setTimeout(resolve, hold));
        release();
        log.push({ start, end: clock.now() });
      }
    };
    // Workers still asleep at the end are simply left behind (the clock stops).
    for (let i = 0; i < 20; i++) worker().catch(() => undefined);
    await drive(clock, () => starts.length >= 1000);
    expect(starts).toHaveLength(1000);
    expectEveryWindowWithin(starts, 150, 10_000);
    expectServerNeverOver(log, 150, 10_000);
    // And it is not needlessly slow: 1,000 requests need 6 full windows (each after an answer).
    expect(starts[999]).toBeLessThanOrEqual(6 * (10_000 + 300));
    limiter.close();
  });

  it('never exceeds the rate over 1,000 requests arriving at random times', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter(LIMIT, clock);
    const random = seeded(42);
    const starts: number[] = [];
    const log: Request[] = [];
    for (let i = 0; i < 1000; i++) {
      const arrival = Math.floor(random() * 40_000);
      const answerMs = Math.floor(random() * 2_000);
      clock.setTimeout(() => {
        void limiter.acquire().then((release) => {
          const start = clock.now();
          starts.push(start);
          clock.setTimeout(() => {
            release();
            log.push({ start, end: clock.now() });
          }, answerMs);
        });
      }, arrival);
    }
    await drive(clock, () => log.length >= 1000);
    expect(starts).toHaveLength(1000);
    expectEveryWindowWithin(starts, 150, 10_000);
    expectServerNeverOver(log, 150, 10_000);
  });

  it('lets a full burst go at once, then the next one a window after the answers', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter({ requests: 150, perMs: 10_000, marginMs: 100 }, clock);
    const starts: number[] = [];
    for (let i = 0; i < 1000; i++) {
      void limiter.acquire().then((release) => {
        starts.push(clock.now());
        // every answer takes 200 ms
        clock.setTimeout(release, 200);
      });
    }
    await drive(clock, () => starts.length >= 1000);
    expect(starts.slice(0, 150).every((t) => t === 0)).toBe(true);
    expect(starts[150]).toBe(200 + 10_100);
    expect(starts[999]).toBe(6 * 10_300);
    expectEveryWindowWithin(starts, 150, 10_300);
  });

  it('holds a slot while its request is in flight, however long', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter({ requests: 2, perMs: 1_000, marginMs: 0 }, clock);
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    expect(limiter.inFlight).toBe(2);
    let third = -1;
    void limiter.acquire().then(() => (third = clock.now()));
    clock.advance(60_000);
    await microtasks();
    expect(third).toBe(-1);
    expect(limiter.waitMs()).toBe(Infinity);
    first();
    first(); // twice is harmless
    second();
    await drive(clock, () => third >= 0);
    expect(third).toBe(61_000);
  });

  it('serves waiters in order and drops one whose signal aborts', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter({ requests: 2, perMs: 1_000, marginMs: 0 }, clock);
    const order: string[] = [];
    (await limiter.acquire())();
    (await limiter.acquire())();
    expect(limiter.tryAcquire()).toBeUndefined();
    const controller = new AbortController();
    const a = limiter.acquire().then(() => order.push('a'));
    const b = limiter.acquire(controller.signal).then(
      () => order.push('b'),
      (error: unknown) => order.push(`b aborted: ${(error as Error).name}`),
    );
    const c = limiter.acquire().then(() => order.push('c'));
    expect(limiter.pending).toBe(3);
    controller.abort();
    await b;
    expect(limiter.pending).toBe(2);
    await drive(clock, () => order.length >= 3);
    await Promise.all([a, c]);
    expect(order).toEqual(['b aborted: AbortError', 'a', 'c']);
    expect(clock.now()).toBe(1_000);
  });

  it('holds every start until the time the server asked for', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter(LIMIT, clock);
    limiter.holdUntil(60_000);
    expect(limiter.waitMs()).toBe(60_000);
    let at = -1;
    void limiter.acquire().then(() => (at = clock.now()));
    await drive(clock, () => at >= 0);
    expect(at).toBe(60_000);
  });

  it('rejects waiters when closed', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter({ requests: 1, perMs: 1_000 }, clock);
    (await limiter.acquire())();
    const waiting = limiter.acquire();
    limiter.close(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    await expect(limiter.acquire()).rejects.toThrow('closed');
  });
});
