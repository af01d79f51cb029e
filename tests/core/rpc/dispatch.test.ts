import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type CallResult } from '../../../shared/api';
import { createDispatch, type Handlers } from '../../../electron/core/rpc/dispatch';
import { fieldsFromIssues, PlainError } from '../../../electron/core/errors';
import { createEventHub } from '../../../electron/core/rpc/events';

/** The calls these tests use; the rest of the Api is never called here. */
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const used: Partial<Handlers> = {
    'app.info': () =>
      Promise.resolve({
        name: 'Atelier',
        version: '0.0.0',
        shell: 'browser',
        platform: 'linux',
        dataDir: '/d',
      }),
    'app.ping': ({ message }) => Promise.resolve({ message, receivedAt: 1 }),
    'settings.get': () => Promise.resolve(DEFAULT_SETTINGS),
    'settings.set': (patch) => Promise.resolve({ ...DEFAULT_SETTINGS, ...patch }),
  };
  return { ...used, ...overrides } as Handlers;
}

function errorOf(result: CallResult) {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('createDispatch', () => {
  it('runs a valid call and wraps its value', async () => {
    const dispatch = createDispatch(handlers());
    expect(await dispatch('app.ping', { message: 'hi' })).toEqual({
      ok: true,
      value: { message: 'hi', receivedAt: 1 },
    });
  });

  it('treats a missing request as an empty one', async () => {
    const dispatch = createDispatch(handlers());
    expect((await dispatch('settings.get', undefined)).ok).toBe(true);
    expect((await dispatch('settings.get', null)).ok).toBe(true);
  });

  it('hides the message of an unexpected error and reports it to onInternalError', async () => {
    const onInternalError = vi.fn();
    const dispatch = createDispatch(
      handlers({
        'settings.get': () => Promise.reject(new Error('ENOENT /home/ada/secret/path sk-abc')),
      }),
      { onInternalError },
    );
    const error = errorOf(await dispatch('settings.get', {}));
    expect(error.code).toBe('internal');
    expect(error.message).toBe(
      'Something went wrong inside Atelier. Try again; if it keeps happening, restart the app.',
    );
    expect(JSON.stringify(error)).not.toContain('secret');
    expect(error.fields).toBeUndefined();
    expect(onInternalError).toHaveBeenCalledWith('settings.get', expect.any(Error));
  });

  it('treats a handler that throws synchronously or returns a wrong shape as internal', async () => {
    const dispatch = createDispatch(
      handlers({
        'app.ping': () => {
          throw new TypeError('boom');
        },
        'settings.get': () => Promise.resolve({ theme: 'neon' } as never),
      }),
    );
    expect(errorOf(await dispatch('app.ping', { message: 'x' })).code).toBe('internal');
    expect(errorOf(await dispatch('settings.get', {})).code).toBe('internal');
  });

  it('passes a PlainError through as is, with its fields', async () => {
    const dispatch = createDispatch(
      handlers({
        'settings.set': () =>
          Promise.reject(
            new PlainError('io_error', 'Atelier could not save. Try again.', { theme: 'x' }),
          ),
      }),
    );
    expect(errorOf(await dispatch('settings.set', { theme: 'dark' }))).toEqual({
      code: 'io_error',
      message: 'Atelier could not save. Try again.',
      fields: { theme: 'x' },
    });
  });

  it('refuses an unknown call without running anything', async () => {
    const dispatch = createDispatch(handlers());
    const error = errorOf(await dispatch('hasOwnProperty', {}));
    expect(error.code).toBe('unknown_call');
  });

  it('refuses an invalid request with a sentence and field messages', async () => {
    const run = vi.fn(() => Promise.resolve({ message: 'x', receivedAt: 1 }));
    const dispatch = createDispatch(handlers({ 'app.ping': run }));
    const error = errorOf(await dispatch('app.ping', { message: 1, other: true }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/^Atelier could not do "app.ping": /);
    expect(error.fields).toHaveProperty('message');
    expect(run).not.toHaveBeenCalled();
  });

  it('names a whole-request problem "(request)"', () => {
    expect(
      fieldsFromIssues([{ code: 'custom', path: [], message: 'bad', input: 1 }] as never),
    ).toEqual({ '(request)': 'bad' });
  });
});

describe('createEventHub', () => {
  it('delivers valid events and refuses payloads the contract does not allow', () => {
    const hub = createEventHub();
    const listener = vi.fn();
    const stop = hub.subscribe(listener);
    hub.emit('settings.changed', DEFAULT_SETTINGS);
    expect(listener).toHaveBeenCalledWith('settings.changed', DEFAULT_SETTINGS);
    expect(() => hub.emit('settings.changed', { theme: 'neon' } as never)).toThrow();
    stop();
    hub.emit('settings.changed', DEFAULT_SETTINGS);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
