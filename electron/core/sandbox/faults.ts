/**
 * Fault injection for the Sandbox: added latency, a fraction of 500/503 answers, connections reset
 * mid-body, truncated bodies, slow bodies. Set in code (`sandbox.setFaults`) or by environment:
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
 */

export interface Faults {
  latencyMs?: number;
  error500?: number;
  error503?: number;
  reset?: number;
  truncate?: number;
  slowChunkDelayMs?: number;
  seed?: number;
}

const KEYS: Readonly<Record<string, keyof Faults>> = {
  latency: 'latencyMs',
  error500: 'error500',
  error503: 'error503',
  reset: 'reset',
  truncate: 'truncate',
  slow: 'slowChunkDelayMs',
  seed: 'seed',
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
