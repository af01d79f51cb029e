/**
 * Who may talk to the browser shell: the checks every HTTP request and WebSocket upgrade passes.
 *
 * - Host must be 127.0.0.1:PORT or localhost:PORT (DNS-rebinding defence).
 * - Origin, when present, must be http://127.0.0.1:PORT or http://localhost:PORT; the WebSocket
 *   upgrade requires it (browsers always send it there), so another site cannot open the socket.
 * - The token (32 random bytes, new per start) must come in ?token= or in the HttpOnly,
 *   SameSite=Strict cookie set when the page itself was loaded with it. Compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_BYTES = 32;

/** A new token: 32 random bytes, base64url (43 characters). */
export function createToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The cookie name carries the port: cookies are shared between ports of the same host. */
export function cookieName(port: number): string {
  return `atelier_token_${port}`;
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Headers sent with every HTTP answer. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export interface Refusal {
  status: 401 | 403;
  message: string;
}

export interface Gate {
  readonly token: string;
  readonly port: number;
  /** null when the request may pass; otherwise the answer to give. */
  check(req: IncomingMessage, options: { requireOrigin: boolean }): Refusal | null;
  /** True when the query string carries the right token (the page load that sets the cookie). */
  hasQueryToken(req: IncomingMessage): boolean;
  /** The Set-Cookie value that lets the page's own files load without ?token=. */
  cookie(): string;
}

export function createGate(token: string, port: number): Gate {
  const expected = digest(token);
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const name = cookieName(port);

  const matches = (candidate: string | null | undefined): boolean =>
    typeof candidate === 'string' && timingSafeEqual(digest(candidate), expected);

  const queryToken = (req: IncomingMessage): string | null => {
    const raw = req.url ?? '';
    const at = raw.indexOf('?');
    if (at < 0) return null;
    return new URLSearchParams(raw.slice(at + 1)).get('token');
  };

  return {
    token,
    port,
    check(req, { requireOrigin }) {
      const host = (req.headers.host ?? '').toLowerCase();
      if (!hosts.has(host)) {
        return {
          status: 403,
          message: `Atelier answers only at http://127.0.0.1:${port}/. Open the address Atelier printed when it started.`,
        };
      }
      const origin = req.headers.origin;
      if (origin === undefined ? requireOrigin : !origins.has(origin.toLowerCase())) {
        return {
          status: 403,
          message:
            'Atelier refused a request from another web site. Only Atelier’s own page may talk to it.',
        };
      }
      if (!matches(queryToken(req)) && !matches(readCookie(req, name))) {
        return {
          status: 401,
          message:
            'This address needs Atelier’s access code. Open the full address Atelier printed when it started (it ends with ?token=...).',
        };
      }
      return null;
    },
    hasQueryToken: (req) => matches(queryToken(req)),
    cookie: () => `${name}=${token}; Path=/; HttpOnly; SameSite=Strict`,
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
