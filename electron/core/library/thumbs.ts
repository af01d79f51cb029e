/**
 * Thumbnails: `.atelier/thumbs/<id>-<size>.webp`, made by sharp on first request and cached.
 * A thumbnail older than its image is made again.
 */
import { lstat, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Sharp } from 'sharp';
import { tempNameFor } from '../fs/atomic';
import { openImage } from '../images/open';
import { cacheFolder, LIBRARY_LIMITS, readBounded } from './files';
import { CACHE_DIR } from './format';

export const THUMB_SIZES = [128, 256, 512] as const;
export type ThumbSize = (typeof THUMB_SIZES)[number];

export function thumbRelPath(id: string, size: ThumbSize): string {
  return `${CACHE_DIR}/thumbs/${id}-${size}.webp`;
}

function thumbnailPipeline(image: string | Buffer, size: number): Sharp {
  return openImage(image, { failOn: 'none' })
    .rotate()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80, effort: 2 });
}

/** A small queue so thumbnails never take every core. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Makes (or finds) the thumbnail of an image and returns its path. Nothing is followed through a
 * link: `.atelier/` and `.atelier/thumbs/` must be real folders of the library, the image is read
 * only as a regular file within its size limit, and a thumbnail that is not a regular file (a link
 * planted in the cache, say) is removed and made again, never served.
 */
export function createThumbnailer(libraryDir: string, concurrency = 2) {
  const limit = createLimiter(concurrency);
  const pending = new Map<string, Promise<string>>();
  return async function thumbnail(id: string, imageRel: string, size: ThumbSize): Promise<string> {
    const rel = thumbRelPath(id, size);
    const thumbsDir = await cacheFolder(libraryDir, 'thumbs');
    const thumbFile = path.join(thumbsDir, path.basename(rel));
    const imageFile = path.join(libraryDir, ...imageRel.split('/'));
    const [thumbStat, imageStat] = await Promise.all([
      lstat(thumbFile).catch(() => null),
      lstat(imageFile),
    ]);
    // One link only: a hard link planted in the cache could name any file of the same disk.
    const usable = thumbStat?.isFile() === true && thumbStat.nlink === 1;
    if (usable && thumbStat.mtimeMs >= imageStat.mtimeMs) return thumbFile;
    const running = pending.get(rel);
    if (running) return running;
    const job = limit(async () => {
      // A link (or a pipe, a folder…) where the thumbnail goes: remove it, never serve it.
      if (thumbStat && !usable) await rm(thumbFile, { recursive: true, force: true });
      const { bytes } = await readBounded(imageFile, LIBRARY_LIMITS.imageBytes);
      // sharp writes the temp file itself; the rename makes it appear whole. A cache: no fsync.
      const temp = path.join(thumbsDir, tempNameFor(path.basename(thumbFile)));
      try {
        await thumbnailPipeline(bytes, size).toFile(temp);
        await rename(temp, thumbFile);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return thumbFile;
    }).finally(() => pending.delete(rel));
    pending.set(rel, job);
    return job;
  };
}
