/**
 * Fault injection for the Sandbox: added latency, a fraction of 500/503 answers, connections reset
 * mid-body, truncated bodies, slow bodies, and the real API's rough edges the client must survive.
 * Set in code (`sandbox.setFaults`) or by environment:
 *
 *   ATELIER_SANDBOX_FAULTS="latency=200,error500=0.1,error503=0.05,reset=0.02,truncate=0.02,slow=20"
 *
 * latency   ms added before the request body is read (every request)
 * error500  fraction (0..1) of requests answered 500 internal_error
 * error503  fraction (0..1) of requests answered 503
 * reset     fraction of successful answers whose connection is destroyed halfway through the body
 * truncate  fraction of successful answers that promise the full length but end halfway
 * slow      ms of pause between 16 KiB chunks of every successful body
 * seed      seed of the random draws (default 1), so a run can be repeated
 *
 * The real API's rough edges:
 * asyncFail      fraction of async jobs (creative upscale, relight) that fail after they started:
 *                charged at the start, then every poll answers 500 internal_error
 * omitHeaders    fraction of image answers without the finish-reason and seed headers (and without
 *                finish_reason and seed in JSON answers)
 * resetOversize  1: an upload larger than the request limit has its connection reset halfway
 *                through, instead of a 413 answer (as a proxy in front of the API may do)
 * error429       fraction of requests answered 429 rate_limit_exceeded
 * noRetryAfter   1: 429 answers leave out the retry-after header
 * asyncMs        async results are done this many ms after the start (by the Sandbox's clock),
 *                however often they are polled, instead of after a number of polls
 */

export interface Faults {
  latencyMs?: number;
  error500?: number;
  error503?: number;
  reset?: number;
  truncate?: number;
  slowChunkDelayMs?: number;
  seed?: number;
  asyncFail?: number;
  omitHeaders?: number;
  resetOversize?: number;
  error429?: number;
  noRetryAfter?: number;
  asyncMs?: number;
}

const KEYS: Readonly<Record<string, keyof Faults>> = {
  latency: 'latencyMs',
  error500: 'error500',
  error503: 'error503',
  reset: 'reset',
  truncate: 'truncate',
  slow: 'slowChunkDelayMs',
  seed: 'seed',
  asyncFail: 'asyncFail',
  omitHeaders: 'omitHeaders',
  resetOversize: 'resetOversize',
  error429: 'error429',
  noRetryAfter: 'noRetryAfter',
  asyncMs: 'asyncMs',
};

/** Parses ATELIER_SANDBOX_FAULTS; unknown or bad entries are ignored (with a warning list). */
export function parseFaults(text: string | undefined): { faults: Faults; ignored: string[] } {
  const faults: Faults = {};
  const ignored: string[] = [];
  for (const entry of (text ?? '').split(/[,;\s]+/).filter(Boolean)) {
    const [key = '', raw = ''] = entry.split('=');
    const name = KEYS[key.trim()];
    const value = Number(raw);
    if (!name || !Number.isFinite(value) || value < 0) {
      ignored.push(entry);
      continue;
    }
    faults[name] = value;
  }
  return { faults, ignored };
}

export function faultsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Faults {
  return parseFaults(env.ATELIER_SANDBOX_FAULTS).faults;
}
