import { describe, expect, it } from 'vitest';
import {
  KEY_MAX_LENGTH,
  last4,
  scrubSecrets,
  validateKeyFormat,
} from '../../../electron/core/vault';

const GOOD = 'sk-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4';

describe('validateKeyFormat', () => {
  it('accepts a key shaped like a Stability key and trims it', () => {
    expect(validateKeyFormat(GOOD)).toEqual({ ok: true, key: GOOD });
    expect(validateKeyFormat(`  \n${GOOD}\t \n`)).toEqual({ ok: true, key: GOOD });
    expect(validateKeyFormat('sk-sandbox-test-key_0123456789abcdef')).toMatchObject({ ok: true });
  });

  const bad: [string, string, RegExp][] = [
    ['empty', '', /^Paste your Stability API key first\.$/],
    ['only spaces', '   \n ', /^Paste your Stability API key first\.$/],
    ['no sk- prefix', GOOD.slice(3), /starts with "sk-"/],
    ['Bearer prefix', `Bearer ${GOOD}`, /space or a line break/],
    ['space inside', `${GOOD.slice(0, 20)} ${GOOD.slice(20)}`, /space or a line break/],
    ['line break inside', `${GOOD.slice(0, 20)}\n${GOOD.slice(20)}`, /space or a line break/],
    ['quotes', `"${GOOD}"`, /starts with "sk-"/],
    ['odd characters', `${GOOD}!`, /only letters, digits/],
    ['non-ASCII', `${GOOD}é`, /only letters, digits/],
    ['too short', 'sk-abc123', /too short/],
    ['too long', 'sk-' + 'a'.repeat(KEY_MAX_LENGTH), /too long/],
  ];
  it.each(bad)('refuses %s with a plain sentence that does not repeat the key', (_n, key, re) => {
    const result = validateKeyFormat(key);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(re);
    expect(result.message).toMatch(/\.$/);
    const trimmed = key.trim();
    if (trimmed.length > 4) expect(result.message).not.toContain(trimmed);
    expect(result.message).not.toContain(GOOD.slice(3, 20));
  });
});

describe('last4 and scrubSecrets', () => {
  it('shows only the last four characters', () => {
    expect(last4(GOOD)).toBe('W3x4');
  });
  it('removes the given key and anything shaped like a key', () => {
    const text = `failed for ${GOOD} and sk-otherSecret99 and plainsecret`;
    const out = scrubSecrets(text, 'plainsecret');
    expect(out).not.toContain(GOOD);
    expect(out).not.toContain('otherSecret99');
    expect(out).not.toContain('plainsecret');
    expect(out).toContain('failed for');
  });
});
