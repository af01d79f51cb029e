import { VaultError, type KeyStore } from './types';
import { validateKeyFormat } from './format';

export const ENV_KEY_NAME = 'STABILITY_API_KEY';

/**
 * The key from STABILITY_API_KEY, for one run. Read once, when the store is made; never written
 * anywhere. An empty or whitespace-only variable counts as no key.
 */
export function createEnvStore(env: NodeJS.ProcessEnv = process.env): KeyStore {
  const raw = env[ENV_KEY_NAME]?.trim() ?? '';
  const key = raw.length > 0 ? raw : null;
  const readOnly = (): Promise<never> =>
    Promise.reject(
      new VaultError(
        'env_key_read_only',
        `The key comes from the ${ENV_KEY_NAME} environment variable for this run, so Atelier cannot change it. Remove the variable and start Atelier again to use a stored key.`,
      ),
    );
  return {
    kind: 'env',
    read: () => Promise.resolve(key),
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
