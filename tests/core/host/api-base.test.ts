import { describe, expect, it } from 'vitest';
import { DEFAULT_API_BASE, redact, resolveApiBase } from '../../../electron/core/host';

describe('resolveApiBase', () => {
  it('defaults to the hosted API', () => {
    expect(DEFAULT_API_BASE).toBe('https://api.stability.ai');
    expect(resolveApiBase({ apiBaseUrl: null }, {})).toBe('https://api.stability.ai');
  });

  it('uses STABILITY_API_BASE when the setting is empty', () => {
    expect(
      resolveApiBase({ apiBaseUrl: null }, { STABILITY_API_BASE: ' https://p.example/v/ ' }),
    ).toBe('https://p.example/v');
  });

  it('lets the setting override STABILITY_API_BASE', () => {
    expect(
      resolveApiBase(
        { apiBaseUrl: 'https://mine.example' },
        { STABILITY_API_BASE: 'https://p.example' },
      ),
    ).toBe('https://mine.example');
  });

  it('ignores an invalid STABILITY_API_BASE', () => {
    for (const bad of [
      'ftp://x',
      'not a url',
      'https://u:p@x.example',
      'https://x.example/?a=1',
      '',
    ]) {
      expect(resolveApiBase({ apiBaseUrl: null }, { STABILITY_API_BASE: bad })).toBe(
        DEFAULT_API_BASE,
      );
    }
  });
});

describe('redact', () => {
  it('removes known secrets, key-shaped strings and bearer tokens', () => {
    const out = redact('key=abcd1234zz sk-AAAAAAAAAAAAAAAA Authorization: Bearer xyz.abc.def-123', [
      'abcd1234zz',
    ]);
    expect(out).toBe('key=[redacted] [redacted] Authorization: Bearer [redacted]');
  });
});
