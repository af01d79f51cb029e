/**
 * The library folder is untrusted input: it syncs, so anything can appear in it. Every file read
 * from it goes through here: `lstat` first (a regular file, never a symbolic link, a FIFO or a
 * device), within its size limit, opened without following a link and without blocking on a FIFO,
 * and read no further than the limit. The limits are documented in docs/library-format.md.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import {
  BoundedReadRefused,
  readBoundedFile,
  type BoundedFile as BoundedReadFile,
} from '../fs/read-bounded';
// From the sharp-free module: code that never decodes a picture must not load sharp.
import { MAX_INPUT_PIXELS } from '../images/limits';
import { CACHE_DIR, LibraryError } from './format';

const MiB = 1024 * 1024;

/** The largest files the library reads, and the bounds on what it parses out of them. */
export const LIBRARY_LIMITS = {
  /** An image (PNG, JPEG, WebP) in the library. */
  imageBytes: 100 * MiB,
  /** A sidecar (`<stem>.json`). */
  sidecarBytes: 1 * MiB,
  /** The index cache, `.atelier/index.json`. */
  indexBytes: 64 * MiB,
  /** A delete's `manifest.json` in `.atelier/trash/`. */
  manifestBytes: 1 * MiB,
  /** One PNG text chunk, compressed or not, and what a compressed one may inflate to. */
  textChunkBytes: 1 * MiB,
  /** An XMP packet (JPEG APP1 or WebP `XMP ` chunk); a larger one is not read. */
  xmpBytes: 256 * 1024,
  /** How far into a JPEG its header segments are looked for (real headers end long before). */
  jpegHeaderBytes: 1 * MiB,
  /** Header segments (and fill bytes) walked in a JPEG before giving up on it. */
  jpegHeaderSteps: 4096,
  /** The deepest nesting of arrays and objects a JSON file may have. */
  jsonDepth: 64,
  /** Pixels (width × height) an image may declare: the limit sharp decodes with (openImage). */
  pixels: MAX_INPUT_PIXELS,
} as const;

/** Why a file of the library was not read. */
export type SkipReason =
  | 'link'
  | 'not-a-file'
  | 'too-large'
  | 'too-many-pixels'
  | 'not-an-image'
  | 'wrong-extension'
  | 'too-deep';

/** A sentence for each reason, for the log and for whoever reads the report. */
export function skipMessage(reason: SkipReason): string {
  switch (reason) {
    case 'link':
      return 'It is a link to another place, and the library only reads files that are inside it.';
    case 'not-a-file':
      return 'It is not an ordinary file (a pipe, a device or a socket), so it was left alone.';
    case 'too-large':
      return 'It is larger than the library reads; see docs/library-format.md for the limits.';
    case 'too-many-pixels':
      return `It declares more than ${Math.round(LIBRARY_LIMITS.pixels / 1_000_000)} megapixels, more than the library opens.`;
    case 'not-an-image':
      return 'Its contents are not a PNG, JPEG or WebP picture.';
    case 'wrong-extension':
      return 'Its contents are a different kind of picture than its name says; rename it to match.';
    case 'too-deep':
      return 'Its JSON is nested more deeply than a sidecar ever is, so it was not read.';
  }
}

/** A file the library will not read, and why. */
export class SkippedFileError extends Error {
  readonly reason: SkipReason;
  constructor(file: string, reason: SkipReason) {
    super(`${path.basename(file)}: ${skipMessage(reason)}`);
    this.name = 'SkippedFileError';
    this.reason = reason;
  }
}

/** A file read whole: its bytes and the open handle's stats. */
export type BoundedFile = Omit<BoundedReadFile, 'grew'>;

/**
 * Reads a regular file of at most `limit` bytes (see core/fs/read-bounded.ts). Throws
 * SkippedFileError for a link, a FIFO, a device, a socket or a larger file, and the system's error
 * when it is gone. A file still growing is read as far as it was long when it was opened.
 */
export async function readBounded(file: string, limit: number): Promise<BoundedFile> {
  try {
    const { bytes, stats, grew } = await readBoundedFile(file, limit);
    return { bytes: grew ? bytes.subarray(0, stats.size) : bytes, stats };
  } catch (error) {
    if (error instanceof BoundedReadRefused) throw new SkippedFileError(file, error.reason);
    throw error;
  }
}

/** How many `[` and `{` a text holds, counted up to `atMost + 1` (native scans, no loop per character). */
function openings(text: string, atMost: number): number {
  let n = 0;
  for (const c of ['[', '{']) {
    for (let i = text.indexOf(c); i >= 0 && n <= atMost; i = text.indexOf(c, i + 1)) n++;
  }
  return n;
}

/** The deepest nesting of `[` and `{` in a JSON text (strings skipped), in one linear pass. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** JSON.parse for text from the library: refuses nesting deeper than the limit (before parsing). */
export function parseBoundedJson(text: string, file = 'JSON'): unknown {
  // A text with no more openings than the limit cannot nest deeper (most sidecars have ~10).
  const limit = LIBRARY_LIMITS.jsonDepth;
  if (openings(text, limit) > limit && jsonDepth(text) > limit) {
    throw new SkippedFileError(file, 'too-deep');
  }
  return JSON.parse(text) as unknown;
}

/** Reads and parses a JSON file of the library within its size limit. */
export async function readBoundedJson(file: string, limit: number): Promise<unknown> {
  const { bytes } = await readBounded(file, limit);
  return parseBoundedJson(bytes.toString('utf8'), file);
}

/**
 * The folder `.atelier/<sub…>` of the library, made when missing. Each step must be a real folder
 * inside the library: a link planted there (to lead writes, deletes or served files elsewhere) is
 * refused, never followed.
 */
export async function cacheFolder(libraryDir: string, ...sub: string[]): Promise<string> {
  let dir = libraryDir;
  for (const name of [CACHE_DIR, ...sub]) {
    dir = path.join(dir, name);
    const st = await lstat(dir).catch(() => null);
    if (st === null) {
      await mkdir(dir).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      });
      const made = await lstat(dir);
      if (made.isDirectory()) continue;
    } else if (st.isDirectory()) continue;
    throw new LibraryError(
      'cache-link',
      `The library's ${path.relative(libraryDir, dir)} is not a plain folder (it may be a link to another place), so Atelier will not use it. Delete it and Atelier will make it again.`,
    );
  }
  // The library folder itself may be reached through a link (the person chose it); below it, no.
  const real = await realpath(dir);
  const expected = path.join(await realpath(libraryDir), CACHE_DIR, ...sub);
  if (real !== expected) {
    throw new LibraryError(
      'cache-link',
      `The library's ${CACHE_DIR} folder leads outside the library, so Atelier will not use it.`,
    );
  }
  return dir;
}

/**
 * SHA-256 of a large buffer in slices, giving the event loop a turn between them (a 100 MB
 * image hashed in one go would hold it for a few hundred milliseconds).
 */
export async function sha256Sliced(bytes: Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  const SLICE = 4 * MiB;
  for (let o = 0; o < bytes.length; o += SLICE) {
    hash.update(bytes.subarray(o, Math.min(bytes.length, o + SLICE)));
    if (o + SLICE < bytes.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return hash.digest('hex');
}
