import type { Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EXTERNAL_HOSTS,
  contentSecurityPolicy,
  cspHeadersListener,
  hardenSession,
  hardenWebContents,
  isAllowedExternalUrl,
  isAppUrl,
} from '../../electron/shell/security';
import { FakeWebContents, resetFake } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

beforeEach(() => resetFake());

/** The directives of a CSP string as { name: [values] }. */
function directives(csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name] = values;
  }
  return out;
}

describe('contentSecurityPolicy (production)', () => {
  const csp = directives(contentSecurityPolicy());
  it('allows only the app itself for scripts: no inline, no eval, no remote', () => {
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
  });
  it('locks down objects, base, framing and forms', () => {
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['form-action']).toEqual(["'none'"]);
    expect(csp['frame-src']).toEqual(["'none'"]);
  });
  it('connects only to itself and shows images from itself, data:, blob: and app:', () => {
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:', 'app:', 'atelier-media:']);
  });
  it('names no remote origin and no unsafe script source anywhere', () => {
    const text = contentSecurityPolicy();
    expect(text).not.toMatch(/https?:|wss?:|\*/);
    expect(text).not.toContain('unsafe-eval');
    expect(csp['script-src']).not.toContain("'unsafe-inline'");
  });
});

describe('contentSecurityPolicy (development)', () => {
  it('adds the dev server (and its socket) only when asked', () => {
    const csp = directives(contentSecurityPolicy({ devOrigin: 'http://127.0.0.1:5173' }));
    expect(csp['script-src']).toContain('http://127.0.0.1:5173');
    expect(csp['connect-src']).toEqual(["'self'", 'http://127.0.0.1:5173', 'ws://127.0.0.1:5173']);
    expect(csp['object-src']).toEqual(["'none'"]);
  });
});

describe('isAppUrl', () => {
  it('accepts the app protocol on its host only', () => {
    expect(isAppUrl('app://atelier/index.html')).toBe(true);
    expect(isAppUrl('app://atelier/assets/x.js')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('app://user:pw@atelier/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
  it('accepts the dev server only when it is the dev origin', () => {
    expect(isAppUrl('http://127.0.0.1:5173/')).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', { devOrigin: 'http://127.0.0.1:5173' })).toBe(true);
    expect(isAppUrl('http://127.0.0.1:5174/', { devOrigin: 'http://127.0.0.1:5173' })).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows https links to the allowlisted hosts', () => {
    expect(EXTERNAL_HOSTS).toEqual(['platform.stability.ai', 'stability.ai', 'github.com']);
    for (const host of EXTERNAL_HOSTS) expect(isAllowedExternalUrl(`https://${host}/x`)).toBe(true);
  });
  it('refuses everything else', () => {
    for (const url of [
      'http://stability.ai/',
      'https://evil.com/',
      'https://stability.ai.evil.com/',
      'https://evilstability.ai/',
      'https://user@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://github.com/share',
      'garbage',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

describe('hardenWebContents', () => {
  function harden(policy = {}) {
    const contents = new FakeWebContents();
    const openExternal = vi.fn(() => Promise.resolve());
    hardenWebContents(contents as unknown as WebContents, policy, openExternal);
    return { contents, openExternal };
  }
  function fakeEvent() {
    return { preventDefault: vi.fn() };
  }

  it('denies every new window; allowlisted https links go to the system browser', () => {
    const { contents, openExternal } = harden();
    const handler = contents.windowOpenHandler;
    expect(handler).toBeDefined();
    expect(handler?.({ url: 'https://evil.com/' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(handler?.({ url: 'https://platform.stability.ai/account/keys' })).toEqual({
      action: 'deny',
    });
    expect(openExternal).toHaveBeenCalledWith('https://platform.stability.ai/account/keys');
    expect(handler?.({ url: 'app://atelier/index.html' })).toEqual({ action: 'deny' });
  });

  it('blocks navigation away from the app', () => {
    const { contents, openExternal } = harden();
    const away = fakeEvent();
    contents.emit('will-navigate', away, 'https://evil.com/');
    expect(away.preventDefault).toHaveBeenCalled();
    const file = fakeEvent();
    contents.emit('will-navigate', file, 'file:///etc/passwd');
    expect(file.preventDefault).toHaveBeenCalled();
    const own = fakeEvent();
    contents.emit('will-navigate', own, 'app://atelier/index.html');
    expect(own.preventDefault).not.toHaveBeenCalled();
    expect(openExternal).not.toHaveBeenCalled();
    const link = fakeEvent();
    contents.emit('will-navigate', link, 'https://github.com/atelier');
    expect(link.preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith('https://github.com/atelier');
  });

  it('blocks frame navigation and redirects away from the app', () => {
    const { contents } = harden();
    const frame = { url: 'https://evil.com/', preventDefault: vi.fn() };
    contents.emit('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    const redirect = fakeEvent();
    contents.emit('will-redirect', redirect, 'https://evil.com/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const ownRedirect = fakeEvent();
    contents.emit('will-redirect', ownRedirect, 'app://atelier/index.html');
    expect(ownRedirect.preventDefault).not.toHaveBeenCalled();
  });

  it('lets the dev server through only in development', () => {
    const prod = harden();
    const blocked = fakeEvent();
    prod.contents.emit('will-navigate', blocked, 'http://127.0.0.1:5173/');
    expect(blocked.preventDefault).toHaveBeenCalled();
    const dev = harden({ devOrigin: 'http://127.0.0.1:5173' });
    const allowed = fakeEvent();
    dev.contents.emit('will-navigate', allowed, 'http://127.0.0.1:5173/');
    expect(allowed.preventDefault).not.toHaveBeenCalled();
  });

  it('refuses to attach any <webview>', () => {
    const { contents } = harden();
    const attach = fakeEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
  });
});

describe('hardenSession', () => {
  function hardened() {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    };
    hardenSession(session as unknown as Session, {});
    return session;
  }

  it('denies every permission request and check', () => {
    const session = hardened();
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as (
      ...args: unknown[]
    ) => boolean;
    expect(check({}, 'media', 'app://atelier', {})).toBe(false);
    expect(check({}, 'clipboard-sanitized-write', 'app://atelier', {})).toBe(false);
  });

  it('puts our CSP on every response and drops any other policy', () => {
    const session = hardened();
    expect(session.webRequest.onHeadersReceived).toHaveBeenCalledTimes(1);
    const listener = cspHeadersListener({});
    const callback = vi.fn();
    listener(
      {
        url: 'app://atelier/index.html',
        responseHeaders: {
          'content-security-policy': ["default-src *; script-src 'unsafe-inline'"],
          'Content-Type': ['text/html'],
        },
      } as never,
      callback,
    );
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: {
        'Content-Type': ['text/html'],
        'Content-Security-Policy': [contentSecurityPolicy()],
      },
    });
    const devtools = vi.fn();
    listener({ url: 'devtools://devtools/bundled/x.html', responseHeaders: {} } as never, devtools);
    expect(devtools).toHaveBeenCalledWith({});
  });
});
