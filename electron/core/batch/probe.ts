/**
 * What a file of a batch is, from its first bytes only (a folder of 1,000 large pictures is summed
 * up without reading them): its format and size, checked against the operation's limits. The file
 * is opened with O_NOFOLLOW | O_NONBLOCK and must still be a regular file on the open handle.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { INPUT_MAX_BYTES, type BatchSkipReason } from '../../../shared/api';
import type { ImageLimits } from '../../../shared/endpoints';
import { MAX_INPUT_PIXELS } from '../images/limits';
import { sniffFormat } from '../images/sniff';
import { imageInfo } from '../library';

const HEAD_BYTES = 128 * 1024;
/** A JPEG's size can sit behind a large EXIF block: look this far at most. */
const JPEG_HEAD_BYTES = 1024 * 1024;
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What sniffFormat names that is no picture at all. */
const NOT_PICTURES = new Set(['unknown', 'text', 'pdf', 'zip']);

export type Probe =
  | { ok: true; width: number; height: number; bytes: number }
  | { ok: false; reason: BatchSkipReason };

async function head(file: string, length: number): Promise<{ bytes: Buffer; size: number }> {
  const handle = await open(file, OPEN_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error('not a regular file');
    const buffer = Buffer.alloc(Math.min(length, stats.size));
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { bytes: buffer.subarray(0, read), size: stats.size };
  } finally {
    await handle.close();
  }
}

/** The reason a picture of `width` × `height` (and `bytes`) cannot go, or null when it can. */
export function sizeProblem(
  width: number,
  height: number,
  bytes: number,
  limits: ImageLimits | undefined,
): BatchSkipReason | null {
  if (width <= 0 || height <= 0) return 'unreadable';
  if (bytes > INPUT_MAX_BYTES || width * height > MAX_INPUT_PIXELS) return 'too-large';
  if (limits === undefined) return null;
  if (limits.minSide !== undefined && Math.min(width, height) < limits.minSide) return 'too-small';
  if (limits.minPixels !== undefined && width * height < limits.minPixels) return 'too-small';
  return null;
}

/** Reads the start of `file` and checks it against `limits` (the operation's first picture). */
export async function probeFile(file: string, limits: ImageLimits | undefined): Promise<Probe> {
  let start: { bytes: Buffer; size: number };
  try {
    start = await head(file, HEAD_BYTES);
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  const sniffed = sniffFormat(start.bytes);
  if (sniffed !== 'png' && sniffed !== 'jpeg' && sniffed !== 'webp') {
    return { ok: false, reason: NOT_PICTURES.has(sniffed) ? 'not-image' : 'unsupported-format' };
  }
  let info = imageInfo(start.bytes);
  if (info === null && sniffed === 'jpeg' && start.size > start.bytes.length) {
    info = imageInfo((await head(file, JPEG_HEAD_BYTES).catch(() => start)).bytes);
  }
  if (info === null) return { ok: false, reason: 'unreadable' };
  const problem = sizeProblem(info.width, info.height, start.size, limits);
  if (problem !== null) return { ok: false, reason: problem };
  return { ok: true, width: info.width, height: info.height, bytes: start.size };
}
