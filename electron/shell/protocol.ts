/**
 * The app:// protocol: how the Electron shell serves the built renderer (dist/renderer) in
 * production, instead of file://. It is registered as standard and secure (so the page has a real
 * origin, app://atelier, and counts as a secure context) and serves only regular files inside the
 * renderer folder: anything else, including traversal, encoded dots and symlinks that lead out of
 * the folder, is a 404.
 */
import { lstat, readFile, realpath } from 'node:fs';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import type { CustomScheme } from 'electron';
import { staticContentType } from '../core/fs/content-types';

export const APP_SCHEME = 'app';
export const APP_HOST = 'atelier';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window opens in production. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * One of Atelier's own schemes (app://, atelier-media://): standard and secure, so the page has a
 * real origin and a secure context; never past the CSP, no service workers, no CORS from foreign
 * origins. Registered before the app is ready (Electron requires that).
 */
export function ownScheme(
  scheme: string,
  serving: { stream: boolean; codeCache: boolean },
): CustomScheme {
  return {
    scheme,
    privileges: {
      standard: true,
      secure: true,
      supportFetchAPI: true,
      bypassCSP: false,
      allowServiceWorkers: false,
      corsEnabled: false,
      ...serving,
    },
  };
}

/** The built renderer: small files, cached code. */
export const APP_SCHEME_PRIVILEGES = ownScheme(APP_SCHEME, { stream: false, codeCache: true });

// The callback forms: Electron patches these to read inside app.asar.
const realpathAsync = promisify(realpath);
const lstatAsync = promisify(lstat);
const readFileAsync = promisify(readFile);

/**
 * The relative path segments an app:// URL asks for, or null when it must be refused: another
 * host, credentials, an undecodable or dangerous segment ('.', '..', a slash, a backslash or NUL
 * once decoded). '/' means index.html.
 */
export function requestedSegments(url: string): string[] | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  const raw = parsed.pathname.split('/').slice(1);
  if (raw.length === 0 || (raw.length === 1 && raw[0] === '')) return ['index.html'];
  const segments: string[] = [];
  for (const [index, part] of raw.entries()) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (segment === '' && index === raw.length - 1) {
      segments.push('index.html');
      continue;
    }
    if (
      segment === '' ||
      segment === '.' ||
      segment === '..' ||
      segment.includes('/') ||
      segment.includes('\\') ||
      segment.includes('\0') ||
      /^[a-zA-Z]:/.test(segment)
    ) {
      return null;
    }
    segments.push(segment);
  }
  return segments;
}

/**
 * The real path of the file an app:// URL names inside root, or null when there is none or it is
 * refused. Symlinks are followed, and the target must still be a regular file inside root.
 */
export async function resolveAppFile(root: string, url: string): Promise<string | null> {
  const segments = requestedSegments(url);
  if (!segments) return null;
  try {
    const realRoot = await realpathAsync(root);
    const real = await realpathAsync(join(realRoot, ...segments));
    if (!real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return null;
    const stats = await lstatAsync(real);
    return stats.isFile() ? real : null;
  } catch {
    return null;
  }
}

export type ProtocolHandler = (request: Request) => Promise<Response>;

/**
 * The handler for protocol.handle('app', ...): GET/HEAD of a file inside root, with its content
 * type and the renderer's Content-Security-Policy; 404 for everything else.
 */
export function createAppProtocolHandler(root: string, csp: string): ProtocolHandler {
  const common = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
  const notFound = () =>
    new Response('Not found', {
      status: 404,
      headers: { ...common, 'Content-Type': 'text/plain; charset=utf-8' },
    });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', {
        status: 405,
        headers: { ...common, 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' },
      });
    }
    const file = await resolveAppFile(root, request.url);
    if (!file) return notFound();
    let body: Buffer;
    try {
      body = await readFileAsync(file);
    } catch {
      return notFound();
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        ...common,
        'Content-Type': staticContentType(file),
        'Content-Length': String(body.byteLength),
      },
    });
  };
}
