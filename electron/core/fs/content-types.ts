/**
 * The Content-Type of a file served to the renderer, by its extension: the built page's files
 * (app:// in the desktop app, the browser shell's static files) and the library's pictures (the
 * atelier-media:// scheme and the browser shell's /media/). One table for both shells.
 */
import path from 'node:path';

const OCTET_STREAM = 'application/octet-stream';

/** What the library holds and serves: the formats the API returns. */
const PICTURE_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

const STATIC_TYPES: Readonly<Record<string, string>> = {
  ...PICTURE_TYPES,
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/** A file of the built page. */
export function staticContentType(file: string): string {
  return STATIC_TYPES[path.extname(file).toLowerCase()] ?? OCTET_STREAM;
}

/** A picture of the library. */
export function pictureContentType(file: string): string {
  return PICTURE_TYPES[path.extname(file).toLowerCase()] ?? OCTET_STREAM;
}
