/**
 * Reading one picture file from disk, safely: whatever the path names, Atelier reads it only when it
 * is a regular file of at most `maxBytes`, and never follows a symbolic link to get there.
 *
 * `lstat` first (a link, a folder, a FIFO, a device or a socket is refused before it is opened),
 * then the file is opened with O_NOFOLLOW | O_NONBLOCK and checked again on the open handle (the
 * name may have been swapped between the two), and at most `maxBytes + 1` bytes are read (a file
 * that grows while it is read is refused too). So a FIFO named x.png cannot hang a worker and
 * /dev/zero cannot fill memory. The reading itself is core/fs/read-bounded.ts, shared with the
 * library; this module gives it its sentences.
 *
 * The sentences never say whether a file exists: "missing", "not allowed" and "not a regular file"
 * read the same.
 */
import path from 'node:path';
import { PlainError } from '../errors';
import { BoundedReadRefused, readBoundedFile } from '../fs/read-bounded';

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

/** The bytes of `file`, a regular file of at most `maxBytes`, or a PlainError with a sentence. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  if (!path.isAbsolute(file) || file.includes('\0')) throw unreadable(file);
  try {
    const { bytes, grew } = await readBoundedFile(file, maxBytes);
    // It grew while it was read (still being written): not the file that was checked.
    if (grew) throw unreadable(file);
    return bytes;
  } catch (error) {
    if (error instanceof BoundedReadRefused && error.reason === 'too-large') {
      throw tooBig(file, maxBytes);
    }
    // Missing, not allowed, a link, not a regular file: all read the same.
    throw unreadable(file);
  }
}
