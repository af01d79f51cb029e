/**
 * Crash-safe file writes for everything the core keeps on disk (settings, the job list, library
 * images, sidecars and caches, the window state): write to a temporary name in the target folder,
 * fsync, rename into place, fsync the folder. A reader (or a crash) sees the old file or the whole
 * new one, never half.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
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
 * `durable: false` skips the fsyncs (caches such as thumbnails: losing one to a power cut is
 * harmless, it is made again); the rename still guarantees never-half files.
 */
export async function writeFileAtomic(
  filePath: string,
  data: Uint8Array | string,
  { durable = true }: { durable?: boolean } = {},
): Promise<void> {
  const dir = path.dirname(filePath);
  const temp = path.join(dir, tempNameFor(path.basename(filePath)));
  const handle = await open(temp, 'wx');
  try {
    try {
      await handle.writeFile(data);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, filePath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (durable) await fsyncDir(dir);
}
