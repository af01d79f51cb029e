/**
 * The media resolver behind `atelier-media://`: turns a request path into a real file path, but
 * only for a regular image file inside the library, within the library's size limit for images.
 * Everything else is refused; in `.atelier/` (the thumbnails) not even a link that stays inside.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { LIBRARY_LIMITS } from './files';
import { CACHE_DIR, formatOfExtension } from './format';

export type ResolveResult =
  | { ok: true; path: string }
  | { ok: false; reason: 'bad-path' | 'outside' | 'not-found' | 'not-media' };

const ENCODED_DANGER = /%(2e|2f|5c|00)/i;

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

/** Checks the request path's shape; returns the decoded segments, or null if refused. */
export function requestSegments(requestPath: string): string[] | null {
  if (typeof requestPath !== 'string' || requestPath.length === 0 || requestPath.length > 4096)
    return null;
  if (requestPath.includes('\0') || requestPath.includes('\\')) return null;
  // Encoded dots, slashes, backslashes and NULs have no business in a library path.
  if (ENCODED_DANGER.test(requestPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.includes('%')) return null;
  // A URL path starts with one '/'; anything more (or a drive letter) is an absolute path.
  const rel = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel) || rel.startsWith('~')) return null;
  const segments = rel.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return null;
    if (hasControlCharacter(segment)) return null;
  }
  // Hidden files and folders are off limits, except the thumbnail cache.
  const hiddenIndex = segments.findIndex((s) => s.startsWith('.'));
  if (hiddenIndex >= 0) {
    const isThumb =
      hiddenIndex === 0 &&
      segments[0] === CACHE_DIR &&
      segments[1] === 'thumbs' &&
      segments.length === 3 &&
      !segments[2]?.startsWith('.');
    if (!isThumb) return null;
  }
  return segments;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export async function resolveLibraryFile(
  libraryDir: string,
  requestPath: string,
): Promise<ResolveResult> {
  const segments = requestSegments(requestPath);
  if (!segments) return { ok: false, reason: 'bad-path' };
  const last = segments[segments.length - 1] ?? '';
  if (!formatOfExtension(last)) return { ok: false, reason: 'not-media' };
  let root: string;
  try {
    root = await realpath(libraryDir);
  } catch {
    return { ok: false, reason: 'not-found' };
  }
  const joined = path.resolve(root, ...segments);
  if (!isInside(root, joined)) return { ok: false, reason: 'outside' };
  let real: string;
  try {
    real = await realpath(joined);
  } catch {
    return { ok: false, reason: 'not-found' };
  }
  // Symlinks (of the file or of any folder on the way) must not lead out of the library.
  if (!isInside(root, real)) return { ok: false, reason: 'outside' };
  // The cache is Atelier's own: a link planted anywhere in `.atelier/` is never followed.
  if (segments[0] === CACHE_DIR && real !== joined) return { ok: false, reason: 'outside' };
  const st = await stat(real).catch(() => null);
  if (!st?.isFile() || st.size > LIBRARY_LIMITS.imageBytes)
    return { ok: false, reason: 'not-found' };
  return { ok: true, path: real };
}
