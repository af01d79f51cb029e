/**
 * Reading one picture file from disk, safely: whatever the path names, Atelier reads it only when it
 * is a regular file of at most `maxBytes`, and never follows a symbolic link to get there.
 *
 * `lstat` first (a link, a folder, a FIFO, a device or a socket is refused before it is opened),
 * then the file is opened with O_NOFOLLOW | O_NONBLOCK and checked again on the open handle (the
 * name may have been swapped between the two), and at most `maxBytes + 1` bytes are read (a file
 * that grows while it is read is refused too). So a FIFO named x.png cannot hang a worker and
 * /dev/zero cannot fill memory.
 *
 * The sentences never say whether a file exists: "missing", "not allowed" and "not a regular file"
 * read the same.
 */
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import path from 'node:path';
import { PlainError } from '../errors';

/** How a sentence names the file: its own name, without its folder, control characters removed. */
export function displayName(file: string): string {
  let clean = '';
  const base = path.basename(file.replaceAll('\\', '/'));
  for (let i = 0; i < base.length; i++) if (base.charCodeAt(i) >= 0x20) clean += base.charAt(i);
  return clean.slice(0, 200) || 'picture';
}

function unreadable(file: string): PlainError {
  return new PlainError(
    'unreadable_file',
    `Atelier could not open “${displayName(file)}” as a picture file. Choose or drop a PNG, JPEG or WebP file that is on this computer.`,
  );
}

export function tooBig(file: string, maxBytes: number): PlainError {
  const mb = Math.round(maxBytes / (1024 * 1024));
  return new PlainError(
    'too_big',
    `“${displayName(file)}” is larger than the ${String(mb)} MB Atelier takes in. Save a smaller copy in an image editor, then try again.`,
  );
}

// Absent on Windows (no FIFOs to hang on there; links are refused by lstat).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The bytes of `file`, a regular file of at most `maxBytes`, or a PlainError with a sentence. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  if (!path.isAbsolute(file) || file.includes('\0')) throw unreadable(file);
  const before = await lstat(file).catch(() => null);
  if (!before?.isFile()) throw unreadable(file);
  if (before.size > maxBytes) throw tooBig(file, maxBytes);
  const handle = await open(file, OPEN_FLAGS).catch(() => null);
  if (!handle) throw unreadable(file);
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.dev !== before.dev || info.ino !== before.ino) {
      throw unreadable(file);
    }
    if (info.size > maxBytes) throw tooBig(file, maxBytes);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) throw tooBig(file, maxBytes);
    // It grew while it was read (still being written): not the file that was checked.
    if (length === buffer.length) throw unreadable(file);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof PlainError) throw error;
    throw unreadable(file);
  } finally {
    await handle.close();
  }
}
