/**
 * The size and depth limits at the boundary (electron/core/rpc/bounds.ts), and dispatch refusing a
 * request beyond them before the schema looks at it; with the wording of refusals that come from
 * the payload itself (missing and unknown fields, field names) kept short and plain.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { calls, UPLOAD_CHUNK_CHARS, type CallResult } from '../../../shared/api';
import { REQUEST_BOUNDS, requestOutOfBounds } from '../../../electron/core/rpc/bounds';
import { createDispatch, type Handlers } from '../../../electron/core/rpc/dispatch';

function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

function refusal(result: CallResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

const run = vi.fn(() => Promise.resolve({ message: 'x', receivedAt: 1 }));
const dispatch = createDispatch({ 'app.ping': run } as unknown as Handlers);

afterEach(() => vi.restoreAllMocks());

describe('requestOutOfBounds', () => {
  it('lets the largest real requests through', () => {
    const chunk = { id: 'upload-1', offset: 0, data: 'A'.repeat(UPLOAD_CHUNK_CHARS) };
    expect(requestOutOfBounds(chunk)).toBeNull();
    const ids = Array.from({ length: 10_000 }, (_, i) => `01HZ${String(i).padStart(22, '0')}`);
    expect(requestOutOfBounds({ ids })).toBeNull();
    expect(requestOutOfBounds(nested(REQUEST_BOUNDS.maxDepth))).toBeNull();
    expect(requestOutOfBounds(undefined)).toBeNull();
    expect(requestOutOfBounds(null)).toBeNull();
  });

  it('refuses depth, count, text and key length beyond the bounds, each with its reason', () => {
    expect(requestOutOfBounds(nested(REQUEST_BOUNDS.maxDepth + 1))).toBe(
      'it is nested more than 32 levels deep',
    );
    let list: unknown = [];
    for (let i = 0; i < 100_000; i += 1) list = [list];
    expect(requestOutOfBounds(list)).toMatch(/nested more than 32 levels/);
    expect(requestOutOfBounds({ ids: new Array(1_000_000).fill('x') })).toBe(
      'it holds more than 50,000 values',
    );
    const wide = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i]));
    expect(requestOutOfBounds(wide)).toBe('it holds more than 50,000 values');
    expect(requestOutOfBounds({ a: 'x'.repeat(1024 * 1024), b: 'y'.repeat(1024 * 1024 + 1) })).toBe(
      'it holds more than 2 MiB of text',
    );
    expect(requestOutOfBounds(new Uint8Array(3 * 1024 * 1024))).toBe(
      'it holds more than 2 MiB of text',
    );
    expect(requestOutOfBounds(new DataView(new ArrayBuffer(3 * 1024 * 1024)))).toMatch(/2 MiB/);
    expect(requestOutOfBounds({ ['k'.repeat(1025)]: 1 })).toBe(
      'it has a field name longer than 1,024 characters',
    );
  });
});

it('never throws on an object that only pretends to be binary data', () => {
  // Found by the fuzz test (seed 7): `instanceof ArrayBuffer` is true for these, and reading their
  // byteLength throws.
  const fake: unknown = Object.create(ArrayBuffer.prototype);
  const withFakeProto: Record<string, unknown> = {};
  Object.setPrototypeOf(withFakeProto, new ArrayBuffer(8));
  expect(requestOutOfBounds(fake)).toBeNull();
  expect(requestOutOfBounds({ a: withFakeProto, b: [fake] })).toBeNull();
});

describe('dispatch at the boundary', () => {
  it('refuses a request beyond the bounds before the schema parses it, in one sentence', async () => {
    const parse = vi.spyOn(calls['app.ping'].request, 'safeParse');
    for (const request of [
      { message: nested(1_000) },
      { message: 'x'.repeat(3 * 1024 * 1024) },
      { message: new Array(200_000).fill(0) },
    ]) {
      const error = refusal(await dispatch('app.ping', request));
      expect(error.code).toBe('too_large');
      expect(error.message).toMatch(
        /^Atelier could not do "app\.ping" because the request is too large: it .*\.$/,
      );
    }
    expect(parse).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
    // Within the bounds, the schema decides as before.
    expect((await dispatch('app.ping', { message: 'hi' })).ok).toBe(true);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('answers a call name that is not text, even one whose toString is not a function', async () => {
    for (const call of [{ toString: 'app.ping' }, Object.create(null), ['app.ping'], 42, null]) {
      const error = refusal(await dispatch(call, {}));
      expect(error).toEqual({
        code: 'unknown_call',
        message: 'Atelier does not know that request. Update the app, then try again.',
      });
    }
    const long = refusal(await dispatch(`x${'y'.repeat(100_000)}`, {}));
    expect(long.message.length).toBeLessThan(150);
  });

  it('says a missing field is required, and names unknown fields shortly, at most three', async () => {
    const missing = refusal(await dispatch('app.ping', {}));
    expect(missing.fields).toEqual({ message: 'Required' });
    expect(missing.message).toBe('Atelier could not do "app.ping": message: Required.');

    const wrong = refusal(await dispatch('app.ping', { message: { constructor: {} } }));
    expect(wrong.fields).toEqual({ message: 'Expected string, not an object' });
    expect(refusal(await dispatch('app.ping', { message: NaN })).fields).toEqual({
      message: 'Expected string, not NaN',
    });

    const extra: Record<string, unknown> = { message: 'hi' };
    for (let i = 0; i < 5; i += 1) extra[`${'k'.repeat(1000)}${i}`] = 1;
    const unknown = refusal(await dispatch('app.ping', extra));
    expect(unknown.message).toBe(
      `Atelier could not do "app.ping": Unknown fields "${'k'.repeat(40)}…", "${'k'.repeat(40)}…", "${'k'.repeat(40)}…" and 2 more.`,
    );
    expect(JSON.stringify(unknown).length).toBeLessThan(1000);
  });

  it('keeps a field named __proto__ or constructor as a field, and names at most ten', async () => {
    const error = refusal(
      await dispatch('app.ping', JSON.parse('{"message":{"__proto__":1}}') as unknown),
    );
    expect(error.fields).toEqual({ message: 'Expected string, not an object' });
    const many = createDispatch({} as Handlers);
    const manyFields = refusal(
      await many('jobs.add', {
        kind: 1,
        endpoint: 1,
        count: 'x',
        params: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, {}])),
      }),
    );
    expect(Object.keys(manyFields.fields ?? {})).toHaveLength(10);
  });
});
