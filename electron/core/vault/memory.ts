import type { KeySource, KeyStore } from './types';

/**
 * Keeps the key in this process's memory only: for "this session only", and in tests (where
 * `kind: 'keychain'` stands in for a working keychain).
 */
export function createMemoryStore(
  initial: string | null = null,
  kind: KeySource = 'session',
): KeyStore {
  let key = initial;
  return {
    kind,
    read: () => Promise.resolve(key),
    write: (next) => {
      key = next;
      return Promise.resolve();
    },
    remove: () => {
      key = null;
      return Promise.resolve();
    },
  };
}
