/**
 * Who may talk to the browser shell: the checks every HTTP request and WebSocket upgrade passes.
 *
 * - Host must be 127.0.0.1:PORT or localhost:PORT (DNS-rebinding defence).
 * - Origin, when present, must be http://127.0.0.1:PORT or http://localhost:PORT; the WebSocket
 *   upgrade and the code exchange require it, so another site cannot use them.
 * - The browser is opened at /#code=CODE. The code is single-use: the page swaps it (POST /session)
 *   for the session credential, so a code seen in the process list or the address bar is worthless
 *   once the page has loaded. The credential (32 random bytes, new per start) lives in the page's
 *   sessionStorage and rides in the WebSocket subprotocol list. There is no cookie: cookies ignore
 *   ports, so a cookie on 127.0.0.1 would be sent to every other server on this computer.
 * - The library's images are served under a per-run secret path (the media base, handed to the page
 *   over the authenticated socket), so no ambient credential is needed for <img> either.
 * Secrets are compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../shared/transport';

export const TOKEN_BYTES = 32;

/** A new secret: 32 random bytes, base64url (43 characters). */
export function createToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** A per-run media base: the secret path prefix the library's images are served under. */
export function createMediaBase(): string {
  return `/library-${createToken()}`;
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

export const OPEN_AGAIN =
  'Open the address Atelier printed when it started (each address opens Atelier once; restart Atelier for a new one).';

export interface Gate {
  readonly token: string;
  readonly port: number;
  /** Host and Origin: null when the request may pass; otherwise the answer to give. */
  checkPlace(req: IncomingMessage, options: { requireOrigin: boolean }): Refusal | null;
  /** The socket's credential: null when the subprotocol list carries the right one. */
  checkCredential(req: IncomingMessage): Refusal | null;
  /** A new one-time code for a launch address. */
  newCode(): string;
  /** Uses up a code: true once for each code newCode() gave, false ever after and for any other. */
  redeem(code: string): boolean;
}

export function createGate(token: string, port: number): Gate {
  const expected = digest(token);
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  /** Digests of the codes not used yet. */
  const codes = new Set<string>();

  const matches = (candidate: string | null | undefined): boolean =>
    typeof candidate === 'string' && timingSafeEqual(digest(candidate), expected);

  return {
    token,
    port,
    checkPlace(req, { requireOrigin }) {
      const host = (req.headers.host ?? '').toLowerCase();
      if (!hosts.has(host)) {
        return {
          status: 403,
          message: `Atelier answers only at http://127.0.0.1:${port}/. ${OPEN_AGAIN}`,
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
      return null;
    },
    checkCredential(req) {
      if (offeredTokens(req).some(matches)) return null;
      return { status: 401, message: `This page has not been let in to Atelier. ${OPEN_AGAIN}` };
    },
    newCode() {
      const code = createToken();
      codes.add(digest(code).toString('hex'));
      return code;
    },
    redeem(code) {
      return codes.delete(digest(code).toString('hex'));
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The credentials offered as `atelier.token.<token>` subprotocols. */
function offeredTokens(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(WS_TOKEN_PROTOCOL_PREFIX))
    .map((part) => part.slice(WS_TOKEN_PROTOCOL_PREFIX.length));
}
