import { canonicalApiAddress, DEFAULT_API_ADDRESS } from '../../../shared/api-address';
import { VaultError, type KeyStore } from './types';
import { validateKeyFormat } from './format';

export const ENV_KEY_NAME = 'STABILITY_API_KEY';
export const ENV_BASE_NAME = 'STABILITY_API_BASE';

/**
 * The address STABILITY_API_KEY is bound to: STABILITY_API_BASE as given at launch, else Stability's
 * own address. Null when STABILITY_API_BASE is set but refused by the address policy (then the
 * environment's key goes nowhere).
 */
export function envKeyAddress(env: NodeJS.ProcessEnv = process.env): string | null {
  const base = env[ENV_BASE_NAME]?.trim() ?? '';
  return canonicalApiAddress(base.length > 0 ? base : DEFAULT_API_ADDRESS);
}

/**
 * The key from STABILITY_API_KEY, for one run and for the address it was given with only. Read
 * once, when the store is made; never written anywhere. An empty or whitespace-only variable counts
 * as no key.
 */
export function createEnvStore(env: NodeJS.ProcessEnv = process.env): KeyStore {
  const raw = env[ENV_KEY_NAME]?.trim() ?? '';
  const key = raw.length > 0 ? raw : null;
  const boundTo = envKeyAddress(env);
  const readOnly = (): Promise<never> =>
    Promise.reject(
      new VaultError(
        'env_key_read_only',
        `The key comes from the ${ENV_KEY_NAME} environment variable for this run, so Atelier cannot change it. Remove the variable and start Atelier again to use a stored key.`,
      ),
    );
  return {
    kind: 'env',
    read: (address) => Promise.resolve(boundTo !== null && address === boundTo ? key : null),
    write: readOnly,
    remove: readOnly,
  };
}

/** Whether the environment's key (if any) passes the format check; for a warning at start-up. */
export function envKeyProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = env[ENV_KEY_NAME]?.trim() ?? '';
  if (raw.length === 0) return null;
  const result = validateKeyFormat(raw);
  return result.ok ? null : `${ENV_KEY_NAME} is set, but: ${result.message}`;
}
