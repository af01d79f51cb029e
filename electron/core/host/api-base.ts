import {
  API_ADDRESS_RULE,
  canonicalApiAddress,
  DEFAULT_API_ADDRESS,
  type Settings,
} from '../../../shared/api';

/** Stability AI's hosted API. */
export const DEFAULT_API_BASE = DEFAULT_API_ADDRESS;

/**
 * The base URL requests go to, in canonical spelling (no trailing slash): the person's setting
 * (apiBaseUrl) first, then STABILITY_API_BASE, then https://api.stability.ai. An address the policy
 * refuses (not https, and not plain http on this computer) is never used: a refused
 * STABILITY_API_BASE is ignored (the host warns about it once at start).
 */
export function resolveApiBase(
  settings: Pick<Settings, 'apiBaseUrl'>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const fromSettings =
    settings.apiBaseUrl !== null ? canonicalApiAddress(settings.apiBaseUrl) : null;
  if (fromSettings !== null) return fromSettings;
  const fromEnv = canonicalApiAddress(env.STABILITY_API_BASE?.trim() ?? '');
  return fromEnv ?? DEFAULT_API_BASE;
}

/** The warning for a STABILITY_API_BASE the address policy refuses, or null when it is fine or unset. */
export function envApiBaseProblem(env: NodeJS.ProcessEnv): string | null {
  const fromEnv = env.STABILITY_API_BASE?.trim();
  if (fromEnv === undefined || fromEnv === '' || canonicalApiAddress(fromEnv) !== null) return null;
  return `STABILITY_API_BASE is refused: it ${API_ADDRESS_RULE}. Atelier uses ${DEFAULT_API_BASE} instead, and sends it no key from STABILITY_API_KEY (that key was given for the refused address). Fix or unset the variable, then restart.`;
}
