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
    const worker = async (): Promise<void> => {
      while (starts.length < 1000) {
        await limiter.acquire();
        if (starts.length >= 1000) return;
        starts.push(clock.now());
        // The request takes a while (0-300 ms) before the worker makes its next one.
        const hold = Math.floor(random() * 300);
        await new Promise<void>((resolve) => clock.setTimeout(resolve, hold));
      }
    };
    // Workers still asleep at the end are simply left behind (the clock stops).
    for (let i = 0; i < 20; i++) worker().catch(() => undefined);
    await drive(clock, () => starts.length >= 1000);
    expect(starts).toHaveLength(1000);
    expectEveryWindowWithin(starts, 150, 10_000);
    // And it is not needlessly slow: 1,000 requests need 6 full windows after the first.
    expect(starts[999]).toBeLessThanOrEqual(6 * 10_000 + 7 * 300);
    limiter.close();
  });

  it('never exceeds the rate over 1,000 requests arriving at random times', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter(LIMIT, clock);
    const random = seeded(42);
    const starts: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const arrival = Math.floor(random() * 40_000);
      clock.setTimeout(() => {
        void limiter.acquire().then(() => starts.push(clock.now()));
      }, arrival);
    }
    await drive(clock, () => starts.length >= 1000);
    expect(starts).toHaveLength(1000);
    expectEveryWindowWithin(starts, 150, 10_000);
  });

  it('lets a full burst go at once, then the next one a window later (plus the margin)', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter({ requests: 150, perMs: 10_000, marginMs: 250 }, clock);
    const starts: number[] = [];
    for (let i = 0; i < 1000; i++) void limiter.acquire().then(() => starts.push(clock.now()));
    await drive(clock, () => starts.length >= 1000);
    expect(starts.slice(0, 150).every((t) => t === 0)).toBe(true);
    expect(starts[150]).toBe(10_250);
    expect(starts[999]).toBe(6 * 10_250);
    expectEveryWindowWithin(starts, 150, 10_250);
  });

  it('serves waiters in order and drops one whose signal aborts', async () => {
    const clock = new ManualClock(0);
    const limiter = createRateLimiter({ requests: 2, perMs: 1_000, marginMs: 0 }, clock);
    const order: string[] = [];
    await limiter.acquire();
    await limiter.acquire();
    expect(limiter.tryAcquire()).toBe(false);
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
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.close(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    await expect(limiter.acquire()).rejects.toThrow('closed');
  });
});
