/**
 * Serving the built renderer: only regular files inside the renderer folder. Paths with '.' or
 * '..' segments (also percent-encoded), backslashes, NUL, hidden names, or any symbolic link on the
 * way are refused.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { staticContentType } from '../core/fs/content-types';

export type Lookup =
  | { kind: 'file'; file: string; size: number; contentType: string }
  | { kind: 'refused' }
  | { kind: 'missing' };

/**
 * Finds the file for a request path (the part of the URL before '?', still percent-encoded).
 * `root` must be a real path (no symbolic links), as returned by fs.realpath.
 */
export async function lookupFile(root: string, rawPath: string): Promise<Lookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'refused' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    return { kind: 'refused' };
  }
  const segments = decoded.slice(1).split('/');
  if (decoded === '/') segments.splice(0, 1, 'index.html');
  for (const segment of segments) {
    if (segment === '' || segment.startsWith('.')) return { kind: 'refused' };
  }
  const full = path.join(root, ...segments);
  if (!full.startsWith(root + path.sep)) return { kind: 'refused' };
  let real: string;
  try {
    real = await realpath(full);
  } catch {
    return { kind: 'missing' };
  }
  // Any symbolic link on the way (even one pointing inside) is refused.
  if (real !== full) return { kind: 'refused' };
  const info = await stat(real).catch(() => null);
  if (info === null || !info.isFile()) return { kind: 'missing' };
  return { kind: 'file', file: real, size: info.size, contentType: staticContentType(real) };
}
