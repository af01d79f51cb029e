/**
 * Keeps secrets out of logs: every known secret (the API key of this run) and anything shaped like
 * a Stability key (sk-...) or a bearer token is replaced by [redacted].
 */
const KEY_SHAPED = /\bsk-[A-Za-z0-9_-]{8,}/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

export function redact(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length >= 4)
      out = out.split(secret).join('[redacted]');
  }
  return out.replace(KEY_SHAPED, '[redacted]').replace(BEARER, '$1[redacted]');
}

/** A one-line description of an unexpected error, for stderr (stack included, secrets removed). */
export function describeError(
  error: unknown,
  secrets: readonly (string | null | undefined)[] = [],
): string {
  const text =
    error instanceof Error
      ? (error.stack ?? `${error.name}: ${error.message}`)
      : typeof error === 'string'
        ? error
        : safeJson(error);
  return redact(text, secrets);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
