/**
 * Serving the built renderer: only regular files inside the renderer folder. Paths with '.' or
 * '..' segments (also percent-encoded), backslashes, NUL, hidden names, or any symbolic link on the
 * way are refused.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

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
  return { kind: 'file', file: real, size: info.size, contentType: contentTypeOf(real) };
}
