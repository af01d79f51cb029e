/**
 * Media: the library's files as both shells serve them, atelier-media:// in Electron
 * (electron/shell/media.ts) and /media/ and /thumb/ in the browser shell (electron/web/server.ts).
 * Two shapes of address only, resolved by the library, never by joining paths:
 *
 *   /media/<path inside the library>   the image itself
 *   /thumb/<id>/<size>                 its cached WebP thumbnail
 */
import type { Library } from './library';
import type { ResolveResult } from './resolve';
import { THUMB_SIZES, type ThumbSize } from './thumbs';

/** The Electron shell's media protocol: atelier-media://library/media/... */
export const MEDIA_SCHEME = 'atelier-media';
export const MEDIA_HOST = 'library';
/** The URL prefix of media in the Electron shell (the browser shell's is its own origin: ''). */
export const ELECTRON_MEDIA_BASE = `${MEDIA_SCHEME}://${MEDIA_HOST}`;

/** What the shells need to serve media: files of the library only. */
export interface MediaSource {
  /** A request path below /media/ resolved to a real file of the library, or refused. */
  resolve(requestPath: string): Promise<ResolveResult>;
  /** The absolute path of the thumbnail of an entry, or null when there is no such entry. */
  thumbnail(id: string, size: number): Promise<string | null>;
}

/** What a media address names: a file of the library, or why there is none. */
export type MediaLookup =
  { ok: true; path: string } | { ok: false; reason: 'refused' | 'not-found' };

const THUMB_PATH = /^\/thumb\/([0-9A-Za-z]{1,64})\/(\d{1,4})$/;
const THUMB_SET = new Set<number>(THUMB_SIZES);
const ID_SHAPE = /^[0-9A-Za-z]{1,64}$/;

/** The file behind the path of a media address: `/media/<library path>` or `/thumb/<id>/<size>`. */
export async function lookupMedia(media: MediaSource, pathname: string): Promise<MediaLookup> {
  if (pathname.startsWith('/media/')) {
    const resolved = await media.resolve(pathname.slice('/media'.length));
    if (resolved.ok) return { ok: true, path: resolved.path };
    return { ok: false, reason: resolved.reason === 'not-found' ? 'not-found' : 'refused' };
  }
  const match = THUMB_PATH.exec(pathname);
  if (!match) return { ok: false, reason: 'refused' };
  const file = await media.thumbnail(match[1] ?? '', Number(match[2]));
  return file === null ? { ok: false, reason: 'not-found' } : { ok: true, path: file };
}

/**
 * The media of the library in force (`library()` opens it, or fails while there is none): its
 * images by path, hidden files refused, and thumbnails by id, in the sizes the library makes.
 */
export function createMediaSource(
  library: () => Promise<Library>,
  log: (line: string) => void = () => undefined,
): MediaSource {
  const open = () => library().catch(() => null);
  return {
    async resolve(requestPath) {
      const current = await open();
      if (!current) return { ok: false, reason: 'not-found' };
      // The thumbnail cache is reached by id (thumbnail below), never by path.
      const result = await current.resolve(requestPath);
      if (result.ok && requestPath.replace(/^\/+/, '').startsWith('.')) {
        return { ok: false, reason: 'bad-path' };
      }
      return result;
    },
    async thumbnail(id, size) {
      if (!ID_SHAPE.test(id) || !THUMB_SET.has(size)) return null;
      const current = await open();
      if (!current?.get(id)) return null;
      try {
        return await current.thumbnail(id, size as ThumbSize);
      } catch (error) {
        log(`library: no thumbnail for ${id} (${error instanceof Error ? error.message : ''})`);
        return null;
      }
    },
  };
}
