/**
 * The queue's default policy against the Stability client's real error objects: each kind lands
 * where the money rules say (retry-safe, may-have-been-charged, final).
 */
import { describe, expect, it } from 'vitest';
import {
  defaultClassify,
  defaultDescribe,
  isRateLimited,
  JobFailure,
  retryAfterOf,
} from '../../../electron/core/jobs/classify';
import type { ErrorClass } from '../../../electron/core/jobs/types';
import {
  cancelledError,
  fromStatus,
  invalidParameters,
  invalidResponse,
  networkError,
  timeoutError,
} from '../../../electron/core/stability';

const sent = { requests: 1, state: 'sending' } as const;
const status = (code: number, apiName?: string) =>
  fromStatus(
    { status: code, messages: ['something: went wrong'], ...(apiName ? { apiName } : {}) },
    60_000,
  );

describe('default classify, with the Stability client errors', () => {
  const cases: [string, unknown, ErrorClass][] = [
    ['our own parameter check', invalidParameters({ seed: 'too big' }, 'Core'), 'final'],
    ['400 bad request', status(400, 'bad_request'), 'final'],
    ['401 unauthorized', status(401), 'final'],
    ['402 out of credits', status(402), 'final'],
    ['403 content moderation', status(403, 'content_moderation'), 'final'],
    ['404 result not found', status(404, 'generation_not_found'), 'final'],
    ['413 too large', status(413, 'payload_too_large'), 'final'],
    ['422 public figure', status(422, 'public_figure'), 'final'],
    ['429 rate limited', status(429, 'rate_limit_exceeded'), 'retry-safe'],
    ['503 unavailable', status(503, 'service_unavailable'), 'retry-safe'],
    ['500 after the upload', status(500, 'internal_error'), 'may-have-been-charged'],
    ['502 from a gateway', status(502), 'may-have-been-charged'],
    [
      'could not connect (nothing sent)',
      networkError('api.stability.ai', false, false),
      'retry-safe',
    ],
    [
      'connection broke mid-answer',
      networkError('api.stability.ai', true, true),
      'may-have-been-charged',
    ],
    ['timeout before the request went out', timeoutError(30_000, false), 'retry-safe'],
    ['timeout after sending', timeoutError(30_000, true), 'may-have-been-charged'],
    ['answer not readable', invalidResponse('no image', true), 'may-have-been-charged'],
    ['cancelled after sending', cancelledError(true), 'may-have-been-charged'],
    ['cancelled before sending', cancelledError(false), 'final'],
  ];
  it.each(cases)('%s -> %s', (_name, error, expected) => {
    expect(defaultClassify(error, sent)).toBe(expected);
  });

  it('keeps the client sentences for the person', () => {
    const described = defaultDescribe(status(402));
    expect(described.code).toBe('payment_required');
    expect(described.message).toMatch(/out of credits/);
  });

  it('reads the wait of a 429', () => {
    const error = fromStatus({ status: 429, messages: [], retryAfterMs: 5_000 }, 60_000);
    expect(isRateLimited(error)).toBe(true);
    expect(retryAfterOf(error)).toBe(5_000);
  });
});

describe('default classify, other errors', () => {
  it('nothing sent: a connection that never opened is retry-safe, anything else final', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const nested = new Error('fetch failed', { cause: refused });
    const none = { requests: 0, state: 'preparing' } as const;
    expect(defaultClassify(refused, none)).toBe('retry-safe');
    expect(defaultClassify(nested, none)).toBe('retry-safe');
    expect(defaultClassify(new Error('ENOENT'), none)).toBe('final');
    expect(defaultDescribe(nested)).toMatchObject({ code: 'offline' });
  });

  it('something sent and an unknown error: may have been charged', () => {
    expect(defaultClassify(new Error('socket hang up'), sent)).toBe('may-have-been-charged');
  });

  it('JobFailure says for itself', () => {
    const failure = new JobFailure('disk_full', 'The disk is full.', 'final');
    expect(defaultClassify(failure, sent)).toBe('final');
    expect(defaultDescribe(failure)).toEqual({ code: 'disk_full', message: 'The disk is full.' });
  });

  it('a bare error never shows its internals to the person', () => {
    expect(defaultDescribe(new Error('EACCES /secret/path')).message).not.toMatch(/EACCES|secret/);
  });
});
