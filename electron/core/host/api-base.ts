import { BaseUrl, type Settings } from '../../../shared/api';

/** Stability AI's hosted API. */
export const DEFAULT_API_BASE = 'https://api.stability.ai';

/**
 * The base URL requests go to, without a trailing slash: the person's setting (apiBaseUrl) first,
 * then STABILITY_API_BASE, then https://api.stability.ai. An invalid STABILITY_API_BASE is ignored
 * (the host warns about it once at start).
 */
export function resolveApiBase(
  settings: Pick<Settings, 'apiBaseUrl'>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const fromSettings = settings.apiBaseUrl;
  if (fromSettings !== null && BaseUrl.safeParse(fromSettings).success) return trim(fromSettings);
  const fromEnv = env.STABILITY_API_BASE?.trim();
  if (fromEnv && BaseUrl.safeParse(fromEnv).success) return trim(fromEnv);
  return DEFAULT_API_BASE;
}

/** True when STABILITY_API_BASE is set but is not a usable http(s) base URL. */
export function isInvalidEnvApiBase(env: NodeJS.ProcessEnv): boolean {
  const fromEnv = env.STABILITY_API_BASE?.trim();
  return fromEnv !== undefined && fromEnv !== '' && !BaseUrl.safeParse(fromEnv).success;
}

function trim(url: string): string {
  return url.replace(/\/+$/, '');
}
