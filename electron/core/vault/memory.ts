import type { KeySource, KeyStore } from './types';

/**
 * Keeps keys (one per API address) in this process's memory only: for "this session only", and in
 * tests (where `kind: 'keychain'` stands in for a working keychain).
 */
export function createMemoryStore(
  initial: ReadonlyMap<string, string> = new Map(),
  kind: KeySource = 'session',
): KeyStore {
  const keys = new Map(initial);
  return {
    kind,
    read: (address) => Promise.resolve(keys.get(address) ?? null),
    write: (address, key) => {
      keys.set(address, key);
      return Promise.resolve();
    },
    remove: (address) => {
      keys.delete(address);
      return Promise.resolve();
    },
  };
}
