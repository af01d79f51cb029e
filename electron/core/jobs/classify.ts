/**
 * The default error policy of the queue. It reads errors by their shape, not their class, so the
 * queue does not depend on the Stability client's internals:
 *
 * - the client's typed errors (`StabilityError`: `kind`, `status`, `mayHaveBeenCharged`,
 *   `retryAfterMs`, a plain `message`), mapped kind by kind below;
 * - Node / undici network errors with a `code` (ECONNREFUSED ...): those that fail before a
 *   connection exists are retry-safe;
 * - `JobFailure`, for executors that know better (e.g. the library could not save).
 *
 * Money is real: anything that is not known to be safe and has sent a request may have been charged.
 */
import { SERVER_ERRORS_NOT_PROCESSED } from '../../../shared/endpoints';
import type { ClassifyContext, ErrorClass, JobError } from './types';

/** An error an executor can throw to say exactly how the queue must treat it. */
export class JobFailure extends Error {
  readonly code: string;
  readonly errorClass: ErrorClass;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    errorClass: ErrorClass,
    options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JobFailure';
    this.code = code;
    this.errorClass = errorClass;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The fields of the Stability client's errors the queue reads. */
interface KindedError {
  kind: string;
  message: string;
  status?: number;
  mayHaveBeenCharged?: boolean;
  retryAfterMs?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asKinded(error: unknown): KindedError | undefined {
  if (!isRecord(error) || typeof error.kind !== 'string') return undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  return {
    kind: error.kind,
    message,
    ...(typeof error.status === 'number' ? { status: error.status } : {}),
    ...(typeof error.mayHaveBeenCharged === 'boolean'
      ? { mayHaveBeenCharged: error.mayHaveBeenCharged }
      : {}),
    ...(typeof error.retryAfterMs === 'number' ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}

/** Stability error kinds that no retry can fix: failed, with the client's sentence. */
const FINAL_KINDS: ReadonlySet<string> = new Set([
  'invalid_parameters',
  'bad_request',
  'unauthorized',
  'payment_required',
  'content_moderation',
  'not_found',
  'too_large',
  'validation',
]);

/** Error codes of a connection that never opened: nothing was sent. */
const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; isRecord(e) && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === 'string' && NOT_CONNECTED_CODES.has(e.code)) return e.code;
  }
  return undefined;
}

function isAbort(error: unknown): boolean {
  return isRecord(error) && error.name === 'AbortError';
}

/** When the server asked us to wait (429 `retry-after`), in ms. */
export function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof JobFailure) return error.retryAfterMs;
  return asKinded(error)?.retryAfterMs;
}

/** Whether the error says the API rate limit was hit (the queue then holds every request). */
export function isRateLimited(error: unknown): boolean {
  const kinded = asKinded(error);
  return kinded?.kind === 'rate_limited' || kinded?.status === 429;
}

export function defaultClassify(error: unknown, context: ClassifyContext): ErrorClass {
  if (error instanceof JobFailure) return error.errorClass;
  // Nothing left the machine: whatever went wrong, it cost nothing. A connection that never
  // opened is worth another go; anything else (a bug, a missing file) will not fix itself.
  if (context.requests === 0) return codeOf(error) ? 'retry-safe' : 'final';
  const kinded = asKinded(error);
  if (kinded) {
    const { kind } = kinded;
    if (FINAL_KINDS.has(kind)) return 'final';
    if (kind === 'rate_limited' || kinded.status === 429) return 'retry-safe';
    // 503: the service would not take the request; nothing was processed.
    // The client says whether Stability may have taken the request; its sentence says the same.
    if (kind === 'server_error') {
      const notTaken =
        kinded.mayHaveBeenCharged === false ||
        (kinded.status !== undefined && SERVER_ERRORS_NOT_PROCESSED.includes(kinded.status));
      return notTaken ? 'retry-safe' : 'may-have-been-charged';
    }
    if (kind === 'network' || kind === 'timeout') {
      if (codeOf(error)) return 'retry-safe';
      return kinded.mayHaveBeenCharged === false ? 'retry-safe' : 'may-have-been-charged';
    }
    if (kind === 'cancelled') return kinded.mayHaveBeenCharged ? 'may-have-been-charged' : 'final';
    // invalid_response and anything new: the request reached the server.
    return 'may-have-been-charged';
  }
  if (codeOf(error)) return 'retry-safe';
  if (isAbort(error)) return 'may-have-been-charged';
  return 'may-have-been-charged';
}

const GENERIC_MESSAGE =
  'Something went wrong while running this job. Try again; if it keeps happening, restart Atelier.';

/** A code and a plain sentence for the person. The client's sentences are used as they are. */
export function defaultDescribe(error: unknown): JobError {
  if (error instanceof JobFailure) return { code: error.code, message: error.message };
  const kinded = asKinded(error);
  if (kinded && kinded.message) return { code: kinded.kind, message: kinded.message };
  const code = codeOf(error);
  if (code) {
    return {
      code: 'offline',
      message: 'Atelier could not reach Stability. Check your internet connection, then try again.',
    };
  }
  return { code: 'error', message: GENERIC_MESSAGE };
}
