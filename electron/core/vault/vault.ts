/**
 * The vault the core uses, per API address: a key from STABILITY_API_KEY wins for the run (at the
 * address it was given with); otherwise a key kept for this session only (when the person asked
 * for that); otherwise the OS keychain. When the keychain cannot be used, the vault says so in a
 * plain sentence and offers the session-only fallback. An address the policy refuses
 * (shared/api-address.ts) has no key, and none can be stored for it.
 */
import {
  API_ADDRESS_RULE,
  canonicalApiAddress,
  DEFAULT_API_ADDRESS,
} from '../../../shared/api-address';
import { last4, validateKeyFormat } from './format';
import { createEnvStore, ENV_BASE_NAME, ENV_KEY_NAME } from './env';
import {
  createKeychainStore,
  KeychainUnavailableError,
  type KeychainStoreOptions,
} from './keychain';
import { createMemoryStore } from './memory';
import {
  VaultError,
  type KeyStore,
  type SetKeyOptions,
  type Vault,
  type VaultStatus,
} from './types';

export interface VaultParts {
  /** The environment's key (read-only); null for none. */
  env?: KeyStore | null;
  /** The persistent store; null when this system has no keychain at all. */
  keychain: KeyStore | null;
  /** Where a session-only key lives; a fresh memory store by default. */
  session?: KeyStore;
}

const NO_KEYCHAIN = 'this system has no keychain Atelier can use';

/** The sentence shown when the keychain cannot be used. */
export function keychainProblemSentence(reason: string): string {
  return `Atelier can't reach your system keychain (${reason}). You can keep the key for this session only; you'll need to paste it again next time.`;
}

function reasonOf(error: unknown): string | null {
  return error instanceof KeychainUnavailableError ? error.reason : null;
}

export function composeVault(parts: VaultParts): Vault {
  const env = parts.env ?? null;
  const keychain = parts.keychain;
  const session = parts.session ?? createMemoryStore(new Map(), 'session');

  /** Reads the keychain; a keychain failure becomes { problem } and anything else is rethrown. */
  async function readKeychain(
    address: string,
  ): Promise<{ key: string | null; problem: string | null }> {
    if (!keychain) return { key: null, problem: NO_KEYCHAIN };
    try {
      return { key: await keychain.read(address), problem: null };
    } catch (error) {
      const reason = reasonOf(error);
      if (reason === null) throw error;
      return { key: null, problem: reason };
    }
  }

  function unavailable(reason: string): VaultError {
    return new VaultError('keychain_unavailable', keychainProblemSentence(reason));
  }

  /** The canonical spelling of an allowed address; throws for one the policy refuses. */
  function allowed(address: string): string {
    const canonical = canonicalApiAddress(address);
    if (canonical === null) {
      throw new VaultError(
        'address_refused',
        `Atelier keeps no key for this API address: it ${API_ADDRESS_RULE}. Change the API address in Settings.`,
      );
    }
    return canonical;
  }

  return {
    async status(given: string): Promise<VaultStatus> {
      const address = canonicalApiAddress(given);
      if (address === null) {
        return { address: given, hasKey: false, last4: null, source: null, keychain: 'available' };
      }
      const envKey = env ? await env.read(address) : null;
      const sessionKey = await session.read(address);
      const { key: keychainKey, problem } = await readKeychain(address);
      const [key, source] =
        envKey !== null
          ? [envKey, 'env' as const]
          : sessionKey !== null
            ? [sessionKey, 'session' as const]
            : keychainKey !== null
              ? [keychainKey, 'keychain' as const]
              : [null, null];
      const status: VaultStatus = {
        address,
        hasKey: key !== null,
        last4: key !== null ? last4(key) : null,
        source,
        keychain: problem === null ? 'available' : 'unavailable',
      };
      if (problem !== null) status.keychainProblem = keychainProblemSentence(problem);
      return status;
    },

    async getKey(given: string): Promise<string | null> {
      const address = canonicalApiAddress(given);
      if (address === null) return null;
      const envKey = env ? await env.read(address) : null;
      if (envKey !== null) return envKey;
      const sessionKey = await session.read(address);
      if (sessionKey !== null) return sessionKey;
      const { key, problem } = await readKeychain(address);
      if (problem !== null && problem !== NO_KEYCHAIN) throw unavailable(problem);
      return key;
    },

    async setKey(given: string, input: string, options: SetKeyOptions = {}): Promise<void> {
      const address = allowed(given);
      const checked = validateKeyFormat(input);
      if (!checked.ok) throw new VaultError('invalid_key_format', checked.message);
      if (options.sessionOnly) {
        await session.write(address, checked.key);
        return;
      }
      if (!keychain) throw unavailable(NO_KEYCHAIN);
      try {
        await keychain.write(address, checked.key);
      } catch (error) {
        const reason = reasonOf(error);
        if (reason === null) throw error;
        throw unavailable(reason);
      }
      // The stored key replaces any key kept for this session only.
      await session.remove(address);
    },

    async forgetKey(given: string): Promise<void> {
      const address = canonicalApiAddress(given);
      if (address === null) return;
      const hadSessionKey = (await session.read(address)) !== null;
      await session.remove(address);
      if (!keychain) return;
      try {
        await keychain.remove(address);
      } catch (error) {
        const reason = reasonOf(error);
        if (reason === null) throw error;
        // In session-only mode the keychain was never usable: forgetting the session key is enough.
        if (hadSessionKey) return;
        throw new VaultError(
          'keychain_unavailable',
          `Atelier can't reach your system keychain (${reason}), so it could not remove the key stored there. Unlock your keychain, then try again.`,
        );
      }
    },
  };
}

export interface CreateVaultOptions {
  /** Where STABILITY_API_KEY is read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Keychain service/account (tests use their own); false for no keychain. */
  keychain?: KeychainStoreOptions | false;
}

/** The real vault: environment, then session-only, then the OS keychain. */
export function createVault(options: CreateVaultOptions = {}): Vault {
  return composeVault({
    env: createEnvStore(options.env ?? process.env),
    keychain: options.keychain === false ? null : createKeychainStore(options.keychain ?? {}),
  });
}

export interface MemoryVaultOptions {
  /** A key already stored, for Stability's own address (or `keyAddress`). */
  key?: string | null;
  /** The address `key` was stored for; Stability's own address by default. */
  keyAddress?: string;
  /** 'working' (default) behaves like a keychain that answers; 'broken' like one that cannot be reached. */
  keychain?: 'working' | 'broken';
  /** Simulated STABILITY_API_KEY. */
  envKey?: string | null;
  /** Simulated STABILITY_API_BASE (what envKey is bound to). */
  envBase?: string;
}

/** A vault that keeps everything in memory, for tests and for the Sandbox-only browser shell. */
export function createMemoryVault(options: MemoryVaultOptions = {}): Vault {
  const broken: KeyStore = {
    kind: 'keychain',
    read: () => Promise.reject(new KeychainUnavailableError('the keychain is simulated as broken')),
    write: () =>
      Promise.reject(new KeychainUnavailableError('the keychain is simulated as broken')),
    remove: () =>
      Promise.reject(new KeychainUnavailableError('the keychain is simulated as broken')),
  };
  const envKey = options.envKey ?? null;
  const stored = new Map<string, string>();
  const keyAddress = canonicalApiAddress(options.keyAddress ?? DEFAULT_API_ADDRESS);
  if (options.key != null && keyAddress !== null) stored.set(keyAddress, options.key);
  return composeVault({
    env:
      envKey !== null
        ? createEnvStore({
            [ENV_KEY_NAME]: envKey,
            ...(options.envBase !== undefined ? { [ENV_BASE_NAME]: options.envBase } : {}),
          })
        : null,
    keychain: options.keychain === 'broken' ? broken : createMemoryStore(stored, 'keychain'),
  });
}
