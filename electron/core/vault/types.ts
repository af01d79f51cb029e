/**
 * The vault holds the Stability API keys. The key never leaves the core: the renderer can learn
 * whether a key is set and its last four characters, set one, or forget it; only the core reads it.
 *
 * Every key is bound to the API address it was given for (see shared/api-address.ts): the vault
 * answers only for that address, so changing the address never sends a key somewhere new.
 */

/** Where the key in use comes from. */
export type KeySource = 'keychain' | 'env' | 'session';

export interface VaultStatus {
  /** The API address this status is for (canonical spelling). */
  address: string;
  hasKey: boolean;
  /** The last four characters of the key in use, or null when there is none. */
  last4: string | null;
  source: KeySource | null;
  /** Whether the system keychain answered when asked. */
  keychain: 'available' | 'unavailable';
  /** A plain sentence saying why the keychain is unusable (only when it is). Never holds the key. */
  keychainProblem?: string;
}

export interface SetKeyOptions {
  /**
   * Keep the key in memory for this run only. The person must ask for this explicitly (the
   * keychain is unusable and they chose "keep it for this session only").
   */
  sessionOnly?: boolean;
}

/**
 * Every method takes the API address the key is for. A key is answered only for the address it was
 * stored (or given in STABILITY_API_KEY) for; an address the policy refuses has no key at all.
 */
export interface Vault {
  status(address: string): Promise<VaultStatus>;
  /**
   * The key for this address, for the core's HTTP client talking to that address only. Never send
   * it to the renderer, a log, or any other address.
   */
  getKey(address: string): Promise<string | null>;
  /** Checks the format, then stores the trimmed key for this address. Throws VaultError. */
  setKey(address: string, key: string, options?: SetKeyOptions): Promise<void>;
  /** Removes this address's stored key (keychain and session). STABILITY_API_KEY stays for the run. */
  forgetKey(address: string): Promise<void>;
}

export type VaultErrorCode =
  'invalid_key_format' | 'keychain_unavailable' | 'env_key_read_only' | 'address_refused';

/** A failure meant for the person. Its message is a plain sentence and never contains the key. */
export class VaultError extends Error {
  readonly code: VaultErrorCode;
  constructor(code: VaultErrorCode, message: string) {
    super(message);
    this.name = 'VaultError';
    this.code = code;
  }
}

/**
 * A single place keys can be kept (keychain, environment, memory), one per API address (given in
 * canonical spelling). The composed vault decides which one is used.
 */
export interface KeyStore {
  readonly kind: KeySource;
  read(address: string): Promise<string | null>;
  write(address: string, key: string): Promise<void>;
  remove(address: string): Promise<void>;
}
