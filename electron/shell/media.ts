/**
 * The atelier-media:// protocol: how the Electron renderer loads the library's images and
 * thumbnails. Registered standard and secure (like app://); it answers only two shapes of address,
 * both resolved by the core's library (electron/core/library/media.ts), never by joining paths here:
 *
 *   atelier-media://library/media/<path inside the library>   the image itself
 *   atelier-media://library/thumb/<id>/<size>                 its cached WebP thumbnail
 *
 * Traversal, encoded dots, symlinks out of the folder, hidden files, sidecars: all 404.
 */
import { readFile } from 'node:fs/promises';
import { pictureContentType } from '../core/fs/content-types';
import { lookupMedia, MEDIA_HOST, MEDIA_SCHEME, type MediaSource } from '../core/library/media';
import { ownScheme } from './protocol';

/** Pictures, streamed; no code. Registered before the app is ready, with app://. */
export const MEDIA_SCHEME_PRIVILEGES = ownScheme(MEDIA_SCHEME, { stream: true, codeCache: false });

export type MediaHandler = (request: Request) => Promise<Response>;

/** The handler for protocol.handle('atelier-media', ...). */
export function createMediaProtocolHandler(media: MediaSource): MediaHandler {
  const common = {
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-cache',
  };
  const answer = (status: number, text: string) =>
    new Response(text, {
      status,
      headers: { ...common, 'Content-Type': 'text/plain; charset=utf-8' },
    });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return answer(405, 'Method not allowed');
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return answer(404, 'Not found');
    }
    if (
      url.protocol !== `${MEDIA_SCHEME}:` ||
      url.host !== MEDIA_HOST ||
      url.username !== '' ||
      url.password !== ''
    ) {
      return answer(404, 'Not found');
    }
    const found = await lookupMedia(media, url.pathname);
    if (!found.ok) return answer(404, 'Not found');
    const file = found.path;
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return answer(404, 'Not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        ...common,
        'Content-Type': pictureContentType(file),
        'Content-Length': String(body.byteLength),
      },
    });
  };
}
