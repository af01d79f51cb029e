/**
 * The vault holds the Stability API key. The key never leaves the core: the renderer can learn
 * whether a key is set and its last four characters, set one, or forget it; only the core reads it.
 */

/** Where the key in use comes from. */
export type KeySource = 'keychain' | 'env' | 'session';

export interface VaultStatus {
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

export interface Vault {
  status(): Promise<VaultStatus>;
  /** The key in use, for the core's HTTP client only. Never send it to the renderer or a log. */
  getKey(): Promise<string | null>;
  /** Checks the format, then stores the trimmed key. Throws VaultError with a plain sentence. */
  setKey(key: string, options?: SetKeyOptions): Promise<void>;
  /** Removes the stored key (keychain and session). A key from STABILITY_API_KEY stays for the run. */
  forgetKey(): Promise<void>;
}

export type VaultErrorCode = 'invalid_key_format' | 'keychain_unavailable' | 'env_key_read_only';

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
 * A single place a key can be kept (keychain, environment, memory). The composed vault decides
 * which one is used.
 */
export interface KeyStore {
  readonly kind: KeySource;
  read(): Promise<string | null>;
  write(key: string): Promise<void>;
  remove(): Promise<void>;
}
