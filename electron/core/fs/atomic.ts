/**
 * Crash-safe file writes for everything the core keeps on disk (settings, the job list, library
 * images, sidecars and caches, the window state): write to a temporary name in the target folder,
 * fsync, rename into place, fsync the folder. A reader (or a crash) sees the old file or the whole
 * new one, never half.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Temporary files start with this; a start-up check of the library removes orphans (see docs). */
export const TEMP_PREFIX = '.atelier-tmp-';

export function tempNameFor(finalName: string): string {
  return `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${finalName}`;
}

/** Makes a rename or a new file in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a folder for fsync; the rename is still atomic there.
  }
}

/**
 * Puts a new file at `target` whole or not at all: `fill` writes a temporary file beside it, which
 * is flushed (when durable), renamed into place, and the folder flushed (when durable).
 */
async function replaceAtomically(
  target: string,
  fill: (temp: string) => Promise<void>,
  durable: boolean,
): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, tempNameFor(path.basename(target)));
  try {
    await fill(temp);
    if (durable) {
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (durable) await fsyncDir(dir);
}

/**
 * `durable: false` skips the fsyncs (caches such as thumbnails: losing one to a power cut is
 * harmless, it is made again); the rename still guarantees never-half files.
 */
export function writeFileAtomic(
  filePath: string,
  data: Uint8Array | string,
  { durable = true }: { durable?: boolean } = {},
): Promise<void> {
  return replaceAtomically(filePath, (temp) => writeFile(temp, data, { flag: 'wx' }), durable);
}

/** Copies a file (e.g. to another drive) so that `to` is never half of it. */
export function copyFileAtomic(from: string, to: string): Promise<void> {
  return replaceAtomically(to, (temp) => copyFile(from, temp), true);
}
