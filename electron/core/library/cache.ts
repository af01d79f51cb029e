/**
 * The index cache: `.atelier/index-<machine>.json`. One file per machine, so that two machines
 * syncing the same library never write the same file; each one's cache is checked against the
 * folder on open and rebuilt when missing, damaged, from another version, or stale.
 *
 * The file is JSON lines: a header, then one line per folder. A line is parsed, checked and turned
 * into entries on its own, and the reader gives the event loop a turn every few milliseconds, so a
 * library of 100,000 pictures (a file of tens of MB) never holds the main process for long; the
 * writer does the same. Anything wrong (a line that is not JSON, a value of the wrong type, a name
 * that would lead out of its folder, fewer lines or entries than the header says) discards the
 * whole cache, and the library is rebuilt from its files.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeFileAtomic } from '../fs/atomic';
import type { LibraryEntry } from './entry';
import { cacheFolder, LIBRARY_LIMITS, readBounded } from './files';
import {
  CACHE_DIR,
  FORMAT_VERSION,
  formatOfExtension,
  isHiddenName,
  isRating,
  sidecarNameFor,
  type ImageFormat,
} from './format';
import type { DirRecord, ScannedEntry } from './scan';

export const INDEX_VERSION = 3;
const KIND = 'atelier-library-index';

/** How long the reader or writer works before it gives the event loop a turn. */
const SLICE_MS = 8;

/**
 * One entry as a row (arrays parse faster than objects):
 * [sidecarMtimeMs, sidecarSize, imageName, id, operation, endpoint, model, prompt, negativePrompt,
 *  seed, createdAt (0 when it is createdMs as ISO), createdMs, format, width, height, bytes,
 *  sha256, flags (1 favourite, 2 sandbox), credits, finishReason, inputs, rating]
 */
type Row = [
  number,
  number,
  string,
  string,
  string,
  string | null,
  string | null,
  string,
  string,
  number | null,
  string | 0,
  number,
  ImageFormat,
  number,
  number,
  number,
  string,
  number,
  number | null,
  string | null,
  LibraryEntry['inputs'],
  number,
];

/** A folder's line: [folder, mtimeMs, subfolders, rows]. */
type DirLine = [string, number, string[], Row[]];

interface Header {
  kind: typeof KIND;
  version: number;
  format: number;
  dirs: number;
  entries: number;
}

const FAVOURITE = 1;
const SANDBOX = 2;

export function machineKey(): string {
  return createHash('sha256').update(hostname()).digest('hex').slice(0, 12);
}

export function indexFilePath(libraryDir: string): string {
  return path.join(libraryDir, CACHE_DIR, `index-${machineKey()}.json`);
}

function toRow(dir: string, s: ScannedEntry): Row {
  const e = s.entry;
  const name = dir === '' ? e.path : e.path.slice(dir.length + 1);
  const iso = new Date(e.createdMs).toISOString();
  return [
    s.sidecarMtimeMs,
    s.sidecarSize,
    name,
    e.id,
    e.operation,
    e.endpoint,
    e.model,
    e.prompt,
    e.negativePrompt,
    e.seed,
    e.createdAt === iso ? 0 : e.createdAt,
    e.createdMs,
    e.format,
    e.width,
    e.height,
    e.bytes,
    e.sha256,
    (e.favourite ? FAVOURITE : 0) | (e.sandbox ? SANDBOX : 0),
    e.credits,
    e.finishReason,
    e.inputs,
    e.rating,
  ];
}

/**
 * The same few strings (operations, endpoints, models) appear in most entries: one copy of each,
 * shared by every entry read from this cache.
 */
function interner(): (s: string | null) => string | null {
  const seen = new Map<string, string>();
  return (s) => {
    if (s === null) return null;
    const known = seen.get(s);
    if (known !== undefined) return known;
    if (seen.size < 10_000) seen.set(s, s);
    return s;
  };
}

function fromRow(dir: string, r: Row, intern: (s: string | null) => string | null): ScannedEntry {
  const entry: LibraryEntry = {
    id: r[3],
    path: dir === '' ? r[2] : `${dir}/${r[2]}`,
    sidecarPath: dir === '' ? sidecarNameFor(r[2]) : `${dir}/${sidecarNameFor(r[2])}`,
    operation: intern(r[4]) ?? r[4],
    endpoint: intern(r[5]),
    model: intern(r[6]),
    prompt: r[7],
    negativePrompt: r[8],
    seed: r[9],
    createdAt: r[10] === 0 ? new Date(r[11]).toISOString() : r[10],
    createdMs: r[11],
    format: r[12],
    width: r[13],
    height: r[14],
    bytes: r[15],
    sha256: r[16],
    favourite: (r[17] & FAVOURITE) !== 0,
    sandbox: (r[17] & SANDBOX) !== 0,
    credits: r[18],
    finishReason: intern(r[19]),
    inputs: r[20],
    rating: r[21],
  };
  return { entry, sidecarMtimeMs: r[0], sidecarSize: r[1] };
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrOrNull = (v: unknown) => v === null || typeof v === 'string';
const isNumOrNull = (v: unknown) => v === null || isNum(v);

/** A name inside one folder: never a path, never `.`/`..`, never hidden. */
function isPlainName(v: unknown): v is string {
  return (
    isStr(v) &&
    v.length > 0 &&
    v.length <= 255 &&
    !isHiddenName(v) &&
    !/[/\\\0]/.test(v) &&
    v !== '..'
  );
}

function isInput(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as Record<string, unknown>;
  return Object.keys(i).length === 3 && isStr(i.role) && isStr(i.sha256) && isStr(i.file);
}

function isRow(r: unknown): r is Row {
  return (
    Array.isArray(r) &&
    r.length === 22 &&
    isNum(r[0]) &&
    isNum(r[1]) &&
    isPlainName(r[2]) &&
    formatOfExtension(r[2]) !== null &&
    isStr(r[3]) &&
    isStr(r[4]) &&
    isStrOrNull(r[5]) &&
    isStrOrNull(r[6]) &&
    isStr(r[7]) &&
    isStr(r[8]) &&
    isNumOrNull(r[9]) &&
    (r[10] === 0 || isStr(r[10])) &&
    isNum(r[11]) &&
    (r[12] === 'png' || r[12] === 'jpeg' || r[12] === 'webp') &&
    isNum(r[13]) &&
    isNum(r[14]) &&
    isNum(r[15]) &&
    isStr(r[16]) &&
    Number.isInteger(r[17]) &&
    isNumOrNull(r[18]) &&
    isStrOrNull(r[19]) &&
    Array.isArray(r[20]) &&
    r[20].every(isInput) &&
    isRating(r[21])
  );
}

/** A folder key: '' (the library) or plain names joined by `/`. */
function isDirKey(v: unknown): v is string {
  return isStr(v) && (v === '' || v.split('/').every(isPlainName));
}

function isDirLine(v: unknown): v is DirLine {
  return (
    Array.isArray(v) &&
    v.length === 4 &&
    isDirKey(v[0]) &&
    isNum(v[1]) &&
    Array.isArray(v[2]) &&
    v[2].every(isPlainName) &&
    Array.isArray(v[3]) &&
    v[3].every(isRow)
  );
}

function isHeader(v: unknown): v is Header {
  if (typeof v !== 'object' || v === null) return false;
  const h = v as Partial<Header>;
  return (
    h.kind === KIND &&
    h.version === INDEX_VERSION &&
    h.format === FORMAT_VERSION &&
    Number.isInteger(h.dirs) &&
    Number.isInteger(h.entries)
  );
}

/** Gives the event loop a turn when this slice has run long enough. */
function slicer(): () => Promise<void> {
  let started = performance.now();
  return async () => {
    if (performance.now() - started < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    started = performance.now();
  };
}

/** The cached folders, or null when there is no usable cache (missing, damaged, other version). */
export async function readIndexCache(libraryDir: string): Promise<Map<string, DirRecord> | null> {
  try {
    // A cache: when it is not a plain file within its limit, it is rebuilt from the folder.
    const { bytes } = await readBounded(indexFilePath(libraryDir), LIBRARY_LIMITS.indexBytes);
    const breathe = slicer();
    const intern = interner();
    let at = 0;
    const nextLine = (): unknown => {
      if (at >= bytes.length) return undefined;
      let end = bytes.indexOf(0x0a, at);
      if (end < 0) end = bytes.length;
      const text = bytes.toString('utf8', at, end);
      at = end + 1;
      // JSON.parse itself is not troubled by deep nesting, and what it yields is then checked by
      // shape to the last value (isDirLine: an index line is 5 levels deep at most), so the
      // library's depth scan (parseBoundedJson), as slow as the parse, is not needed here.
      return JSON.parse(text) as unknown;
    };
    const header = nextLine();
    if (!isHeader(header)) return null;
    const map = new Map<string, DirRecord>();
    let entries = 0;
    for (let i = 0; i < header.dirs; i++) {
      const line = nextLine();
      if (!isDirLine(line) || map.has(line[0])) return null;
      const [dir, mtimeMs, subdirs, rows] = line;
      map.set(dir, { mtimeMs, subdirs, entries: rows.map((r) => fromRow(dir, r, intern)) });
      entries += rows.length;
      await breathe();
    }
    if (entries !== header.entries || nextLine() !== undefined) return null;
    return map.has('') ? map : null;
  } catch {
    return null;
  }
}

export async function writeIndexCache(
  libraryDir: string,
  dirs: ReadonlyMap<string, DirRecord>,
): Promise<void> {
  const breathe = slicer();
  const lines: string[] = [];
  let entries = 0;
  for (const [dir, record] of dirs) {
    const line: DirLine = [
      dir,
      record.mtimeMs,
      record.subdirs,
      record.entries.map((e) => toRow(dir, e)),
    ];
    lines.push(JSON.stringify(line));
    entries += record.entries.length;
    await breathe();
  }
  const header: Header = {
    kind: KIND,
    version: INDEX_VERSION,
    format: FORMAT_VERSION,
    dirs: lines.length,
    entries,
  };
  // `.atelier/` must be a real folder of the library: never write through a link planted there.
  await cacheFolder(libraryDir);
  await writeFileAtomic(
    indexFilePath(libraryDir),
    `${JSON.stringify(header)}\n${lines.join('\n')}\n`,
    {
      durable: false,
    },
  );
}
