/**
 * Reading one file from a path Atelier does not trust (the synced library, a path a page sent):
 * `lstat` first (a link, a folder, a FIFO, a device or a socket is refused before it is opened),
 * within a size limit, then opened with O_NOFOLLOW | O_NONBLOCK (a link swapped in after the
 * lstat is refused by the open itself; a FIFO cannot hang the read), checked again on the open
 * handle (the name may have been swapped, or the file grown, between the two), and read no
 * further than `limit + 1` bytes (so /dev/zero or a file still being written cannot fill memory).
 *
 * This module says no sentence: its callers turn a refusal into their own words (the library
 * names the file it skipped; the inputs never say whether an arbitrary file exists).
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';

/** Why a file was not read. */
export type BoundedRefusal = 'link' | 'not-a-file' | 'too-large';

/** A file that was not read, and why. System errors (ENOENT, EACCES…) are thrown as they are. */
export class BoundedReadRefused extends Error {
  readonly reason: BoundedRefusal;
  constructor(reason: BoundedRefusal) {
    super(`The file was not read: ${reason}.`);
    this.name = 'BoundedReadRefused';
    this.reason = reason;
  }
}

/** Why `st` may not be read as a file of at most `limit` bytes, or null when it may. */
export function refusalOf(st: Stats, limit: number): BoundedRefusal | null {
  if (st.isSymbolicLink()) return 'link';
  if (!st.isFile()) return 'not-a-file';
  if (st.size > limit) return 'too-large';
  return null;
}

// O_NOFOLLOW and O_NONBLOCK are absent on Windows (no FIFOs there; links are refused by lstat).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface BoundedFile {
  /** What was read: never more than `limit` bytes. */
  bytes: Buffer;
  /** The open handle's stats. */
  stats: Stats;
  /** The file held more than `stats.size` bytes when it was read (it is being written). */
  grew: boolean;
}

/**
 * The bytes of `file`, a regular file of at most `limit` bytes. Throws BoundedReadRefused for a
 * link (or a name swapped after the lstat), something that is not a regular file, or a larger
 * file (also one that grows past the limit while it is read); the system's error otherwise.
 */
export async function readBoundedFile(file: string, limit: number): Promise<BoundedFile> {
  const before = await lstat(file);
  const refused = refusalOf(before, limit);
  if (refused) throw new BoundedReadRefused(refused);
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new BoundedReadRefused('link');
    throw error;
  }
  try {
    const stats = await handle.stat();
    const swapped = refusalOf(stats, limit);
    if (swapped) throw new BoundedReadRefused(swapped);
    if (stats.ino !== before.ino || stats.dev !== before.dev) throw new BoundedReadRefused('link');
    // One byte more than it may hold: reading it means the file grew while it was read.
    const buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) throw new BoundedReadRefused('too-large');
    return { bytes: buffer.subarray(0, length), stats, grew: length > stats.size };
  } finally {
    await handle.close();
  }
}
