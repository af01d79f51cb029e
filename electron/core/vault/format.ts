/**
 * Checks that a pasted string looks like a Stability API key, before it is stored or sent.
 * Stability keys look like "sk-" followed by about 48 letters and digits. The messages are plain
 * sentences and never repeat the key.
 */

export const KEY_PREFIX = 'sk-';
/** Shortest and longest whole key accepted (prefix included). Real keys are about 51 characters. */
export const KEY_MIN_LENGTH = 32;
export const KEY_MAX_LENGTH = 256;
const KEY_CHARSET = /^[A-Za-z0-9_-]+$/;

export type KeyFormatResult = { ok: true; key: string } | { ok: false; message: string };

const WHERE = 'Copy it again from the API keys page of your Stability account.';

/** Trims the key and checks its prefix, length and characters. */
export function validateKeyFormat(input: string): KeyFormatResult {
  const key = input.trim();
  if (key.length === 0) {
    return { ok: false, message: 'Paste your Stability API key first.' };
  }
  if (/\s/.test(key)) {
    return {
      ok: false,
      message: `The key has a space or a line break in the middle. ${WHERE}`,
    };
  }
  if (!key.startsWith(KEY_PREFIX)) {
    return {
      ok: false,
      message: `A Stability API key starts with "${KEY_PREFIX}", and this one does not. ${WHERE}`,
    };
  }
  if (!KEY_CHARSET.test(key)) {
    return {
      ok: false,
      message: `A Stability API key has only letters, digits, "-" and "_", and this one has other characters. ${WHERE}`,
    };
  }
  if (key.length < KEY_MIN_LENGTH) {
    return {
      ok: false,
      message: `This is too short to be a Stability API key (they are about 50 characters long). Check that you copied all of it. ${WHERE}`,
    };
  }
  if (key.length > KEY_MAX_LENGTH) {
    return {
      ok: false,
      message: `This is too long to be a Stability API key (they are about 50 characters long). Check that you copied only the key. ${WHERE}`,
    };
  }
  return { ok: true, key };
}

/** The last four characters, for showing which key is set. */
export function last4(key: string): string {
  return key.slice(-4);
}

/**
 * Removes a secret from a text meant for a person or a log: the given key wherever it appears,
 * and anything else that looks like a Stability key.
 */
export function scrubSecrets(text: string, ...keys: (string | null | undefined)[]): string {
  let out = text;
  for (const key of keys) {
    if (key && key.length > 0) out = out.split(key).join('[hidden]');
  }
  return out.replace(/sk-[A-Za-z0-9_-]{6,}/g, 'sk-[hidden]');
}
