/**
 * The browser shell's credential in the page: the one-time code leaves the address bar at once, is
 * swapped for the credential once, and the credential is kept in this tab's sessionStorage only.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  launchCode,
  SESSION_STORAGE_KEY,
  takeSessionCredential,
  type SessionPlace,
} from '../../../renderer/transport/session';

function place(hash: string, answer: () => Promise<Response>) {
  const store = new Map<string, string>();
  const replaceState = vi.fn();
  const fetch = vi.fn((_input: string, _init: RequestInit) => answer());
  const where: SessionPlace = {
    location: { hash, pathname: '/', search: '' },
    history: { replaceState },
    sessionStorage: {
      getItem: (key) => store.get(key) ?? null,
      setItem: (key, value) => void store.set(key, value),
    },
    fetch,
  };
  return { where, store, replaceState, fetch };
}

const json = (value: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(value), { status }));

describe('the launch code', () => {
  it('is read from the fragment only', () => {
    expect(launchCode('#code=abc')).toBe('abc');
    expect(launchCode('')).toBeNull();
    expect(launchCode('#code=')).toBeNull();
  });

  it('leaves the address bar, is swapped once for the credential, which stays in this tab', async () => {
    const { where, store, replaceState, fetch } = place('#code=one-time', () =>
      json({ token: 'T' }),
    );
    expect(await takeSessionCredential(where)).toBe('T');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/');
    expect(fetch).toHaveBeenCalledOnce();
    const [path, init] = fetch.mock.calls[0] ?? [];
    expect(path).toBe('/session');
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit' });
    expect(init?.body).toBe(JSON.stringify({ code: 'one-time' }));
    expect(store.get(SESSION_STORAGE_KEY)).toBe('T');
  });

  it('a reload (no code) uses the credential kept in this tab; a used code falls back to it too', async () => {
    const reload = place('', () => json({}));
    reload.store.set(SESSION_STORAGE_KEY, 'kept');
    expect(await takeSessionCredential(reload.where)).toBe('kept');
    expect(reload.fetch).not.toHaveBeenCalled();

    const used = place('#code=used', () => json({}, 401));
    used.store.set(SESSION_STORAGE_KEY, 'kept');
    expect(await takeSessionCredential(used.where)).toBe('kept');
    expect(used.replaceState).toHaveBeenCalled();
  });

  it('is null with no code and nothing kept, or when the server is gone', async () => {
    expect(await takeSessionCredential(place('', () => json({})).where)).toBeNull();
    const gone = place('#code=x', () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await takeSessionCredential(gone.where)).toBeNull();
  });
});
