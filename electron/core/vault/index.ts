export type {
  KeySource,
  KeyStore,
  SetKeyOptions,
  Vault,
  VaultErrorCode,
  VaultStatus,
} from './types';
export { VaultError } from './types';
export {
  KEY_MAX_LENGTH,
  KEY_MIN_LENGTH,
  KEY_PREFIX,
  last4,
  scrubSecrets,
  validateKeyFormat,
  type KeyFormatResult,
} from './format';
export { createEnvStore, ENV_BASE_NAME, ENV_KEY_NAME, envKeyAddress, envKeyProblem } from './env';
export { createMemoryStore } from './memory';
export {
  createKeychainStore,
  describeKeychainFailure,
  KEYCHAIN_ACCOUNT,
  keychainAccountFor,
  KEYCHAIN_SERVICE,
  KeychainUnavailableError,
  type KeychainStoreOptions,
  type KeyringEntry,
} from './keychain';
export {
  composeVault,
  createMemoryVault,
  createVault,
  keychainProblemSentence,
  type CreateVaultOptions,
  type MemoryVaultOptions,
  type VaultParts,
} from './vault';
