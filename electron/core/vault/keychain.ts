/**
 * The OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential Manager, and on
 * Linux the Secret Service (GNOME Keyring, KWallet), pinned there so the key never lands in the
 * kernel keyring by a silent fallback.
 */
import { AsyncEntry } from '@napi-rs/keyring';
import { DEFAULT_API_ADDRESS } from '../../../shared/api-address';
import { scrubSecrets } from './format';
import type { KeyStore } from './types';

export const KEYCHAIN_SERVICE = 'Atelier';
export const KEYCHAIN_ACCOUNT = 'stability-api-key';
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The keychain account of the key for one API address: Stability's own address keeps the account
 * every earlier Atelier used; any other address has its own ("stability-api-key for <address>").
 */
export function keychainAccountFor(address: string, account: string = KEYCHAIN_ACCOUNT): string {
  return address === DEFAULT_API_ADDRESS ? account : `${account} for ${address}`;
}

/** The part of @napi-rs/keyring's AsyncEntry the store uses (a seam for tests). */
export interface KeyringEntry {
  getPassword(signal?: AbortSignal | null): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal | null): Promise<void>;
  deleteCredential(signal?: AbortSignal | null): Promise<boolean>;
}

export interface KeychainStoreOptions {
  service?: string;
  account?: string;
  /** How long to wait for the keychain (it may be showing an unlock prompt). */
  timeoutMs?: number;
  /** Makes the entry; defaults to @napi-rs/keyring's AsyncEntry pinned to the Secret Service. */
  createEntry?: (service: string, account: string) => KeyringEntry;
}

/**
 * The keychain could not be used. `reason` is a short plain phrase ("no Secret Service is
 * running"), scrubbed of any key; the keyring library's own error is not kept.
 */
export class KeychainUnavailableError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`The system keychain cannot be used: ${reason}.`);
    this.name = 'KeychainUnavailableError';
    this.reason = reason;
  }
}

function defaultEntry(service: string, account: string): KeyringEntry {
  // The option is accepted everywhere and used only on Linux.
  return new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
}

/** Turns a keyring library failure into a short plain phrase, without the key in it. */
export function describeKeychainFailure(error: unknown, ...secrets: (string | null)[]): string {
  const raw =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
  const text = scrubSecrets(raw, ...secrets);
  if (error instanceof Error && error.name === 'AbortError') return 'it did not answer in time';
  if (/timed? ?out|aborted/i.test(text)) return 'it did not answer in time';
  if (/DBUS_SESSION_BUS_ADDRESS|failed to connect to socket|dbus error|no such file/i.test(text)) {
    return 'no Secret Service (such as GNOME Keyring or KWallet) is running in this session';
  }
  if (/org\.freedesktop\.secrets|not provided by any|service unknown/i.test(text)) {
    return 'no Secret Service (such as GNOME Keyring or KWallet) is installed';
  }
  if (/locked|prompt was dismissed|dismissed|no result found/i.test(text)) {
    return 'the keychain is locked and was not unlocked';
  }
  if (/denied|not permitted|permission/i.test(text)) return 'access to it was denied';
  if (/ambiguous/i.test(text)) {
    return 'it holds more than one Atelier key; remove the extra ones in your keychain app';
  }
  const short = text.replace(/\s+/g, ' ').trim().slice(0, 160);
  return `it answered with an error ("${short}")`;
}

/** Keys in the OS keychain, under service "Atelier", one account per API address. */
export function createKeychainStore(options: KeychainStoreOptions = {}): KeyStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const account = options.account ?? KEYCHAIN_ACCOUNT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const make = options.createEntry ?? defaultEntry;

  async function withEntry<T>(
    address: string,
    secret: string | null,
    use: (entry: KeyringEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    try {
      // The constructor itself throws when, on Linux, there is no session bus.
      const entry = make(service, keychainAccountFor(address, account));
      return await use(entry, AbortSignal.timeout(timeoutMs));
    } catch (error) {
      throw new KeychainUnavailableError(describeKeychainFailure(error, secret));
    }
  }

  return {
    kind: 'keychain',
    read: (address) =>
      withEntry(address, null, async (entry, signal) => {
        const value = await entry.getPassword(signal);
        return value !== null && value.length > 0 ? value : null;
      }),
    write: (address, key) =>
      withEntry(address, key, (entry, signal) => entry.setPassword(key, signal)),
    remove: (address) =>
      withEntry(address, null, async (entry, signal) => {
        await entry.deleteCredential(signal);
      }),
  };
}
