/**
 * Thumbnails: `.atelier/thumbs/<id>-<size>.webp`, made by sharp on first request and cached.
 * A thumbnail older than its image is made again.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { tempNameFor } from '../fs/atomic';
import { CACHE_DIR } from './format';

export const THUMB_SIZES = [128, 256, 512] as const;
export type ThumbSize = (typeof THUMB_SIZES)[number];

export function thumbRelPath(id: string, size: ThumbSize): string {
  return `${CACHE_DIR}/thumbs/${id}-${size}.webp`;
}

function thumbnailPipeline(imageFile: string, size: number): Sharp {
  return sharp(imageFile, { failOn: 'none' })
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

export function createThumbnailer(libraryDir: string, concurrency = 2) {
  const limit = createLimiter(concurrency);
  const pending = new Map<string, Promise<string>>();
  const thumbsDir = path.join(libraryDir, CACHE_DIR, 'thumbs');
  return async function thumbnail(id: string, imageRel: string, size: ThumbSize): Promise<string> {
    const rel = thumbRelPath(id, size);
    const thumbFile = path.join(libraryDir, ...rel.split('/'));
    const imageFile = path.join(libraryDir, ...imageRel.split('/'));
    const [thumbStat, imageStat] = await Promise.all([
      stat(thumbFile).catch(() => null),
      stat(imageFile),
    ]);
    if (thumbStat && thumbStat.mtimeMs >= imageStat.mtimeMs) return thumbFile;
    const running = pending.get(rel);
    if (running) return running;
    const job = limit(async () => {
      // sharp writes the temp file itself; the rename makes it appear whole. A cache: no fsync.
      const temp = path.join(thumbsDir, tempNameFor(path.basename(thumbFile)));
      try {
        try {
          await thumbnailPipeline(imageFile, size).toFile(temp);
        } catch {
          // The first thumbnail (or the cache folder was deleted): make the folder, try once more.
          await mkdir(thumbsDir, { recursive: true });
          await thumbnailPipeline(imageFile, size).toFile(temp);
        }
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
