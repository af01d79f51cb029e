/**
 * The index cache: `.atelier/index-<machine>.json`. One file per machine, so that two machines
 * syncing the same library never write the same file; each one's cache is checked against the
 * folder on open and rebuilt when missing, damaged, from another version, or stale.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import type { LibraryEntry } from './entry';
import { cacheFolder, LIBRARY_LIMITS, readBoundedJson } from './files';
import { CACHE_DIR, FORMAT_VERSION, isRating, sidecarNameFor, type ImageFormat } from './format';
import type { DirRecord, ScannedEntry } from './scan';

export const INDEX_VERSION = 2;
const KIND = 'atelier-library-index';

/**
 * One entry as a row (JSON arrays parse faster than objects, and the file is half the size):
 * [sidecarMtimeMs, sidecarSize, imageName, id, operation, endpoint, model, prompt, negativePrompt,
 *  seed, createdAt, createdMs, format, width, height, bytes, sha256, favourite, sandbox, credits,
 *  finishReason, inputs, rating]
 * (rating came later: a row without it reads as 0 stars.)
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
  string,
  number,
  ImageFormat,
  number,
  number,
  number,
  string,
  boolean,
  boolean,
  number | null,
  string | null,
  LibraryEntry['inputs'],
  number?,
];

interface DirRow {
  m: number;
  s: string[];
  e: Row[];
}

interface IndexFile {
  kind: typeof KIND;
  version: number;
  format: number;
  dirs: Record<string, DirRow>;
}

export function machineKey(): string {
  return createHash('sha256').update(hostname()).digest('hex').slice(0, 12);
}

export function indexFilePath(libraryDir: string): string {
  return path.join(libraryDir, CACHE_DIR, `index-${machineKey()}.json`);
}

function toRow(dir: string, s: ScannedEntry): Row {
  const e = s.entry;
  const name = dir === '' ? e.path : e.path.slice(dir.length + 1);
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
    e.createdAt,
    e.createdMs,
    e.format,
    e.width,
    e.height,
    e.bytes,
    e.sha256,
    e.favourite,
    e.sandbox,
    e.credits,
    e.finishReason,
    e.inputs,
    e.rating,
  ];
}

function fromRow(dir: string, r: Row): ScannedEntry {
  const entry: LibraryEntry = {
    id: r[3],
    path: dir === '' ? r[2] : `${dir}/${r[2]}`,
    sidecarPath: dir === '' ? sidecarNameFor(r[2]) : `${dir}/${sidecarNameFor(r[2])}`,
    operation: r[4],
    endpoint: r[5],
    model: r[6],
    prompt: r[7],
    negativePrompt: r[8],
    seed: r[9],
    createdAt: r[10],
    createdMs: r[11],
    format: r[12],
    width: r[13],
    height: r[14],
    bytes: r[15],
    sha256: r[16],
    favourite: r[17],
    sandbox: r[18],
    credits: r[19],
    finishReason: r[20],
    inputs: r[21],
    rating: r[22] ?? 0,
  };
  return { entry, sidecarMtimeMs: r[0], sidecarSize: r[1] };
}

const isStr = (v: unknown) => typeof v === 'string';
const isNum = (v: unknown) => typeof v === 'number';
const isStrOrNull = (v: unknown) => v === null || typeof v === 'string';
const isNumOrNull = (v: unknown) => v === null || typeof v === 'number';

function isRow(r: unknown): r is Row {
  return (
    Array.isArray(r) &&
    (r.length === 22 || (r.length === 23 && isRating(r[22]))) &&
    isNum(r[0]) &&
    isNum(r[1]) &&
    isStr(r[2]) &&
    isStr(r[3]) &&
    isStr(r[4]) &&
    isStrOrNull(r[5]) &&
    isStrOrNull(r[6]) &&
    isStr(r[7]) &&
    isStr(r[8]) &&
    isNumOrNull(r[9]) &&
    isStr(r[10]) &&
    isNum(r[11]) &&
    (r[12] === 'png' || r[12] === 'jpeg' || r[12] === 'webp') &&
    isNum(r[13]) &&
    isNum(r[14]) &&
    isNum(r[15]) &&
    isStr(r[16]) &&
    typeof r[17] === 'boolean' &&
    typeof r[18] === 'boolean' &&
    isNumOrNull(r[19]) &&
    isStrOrNull(r[20]) &&
    Array.isArray(r[21])
  );
}

function isDirRow(value: unknown): value is DirRow {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<DirRow>;
  return (
    typeof v.m === 'number' &&
    Array.isArray(v.s) &&
    v.s.every((s) => typeof s === 'string') &&
    Array.isArray(v.e) &&
    v.e.every(isRow)
  );
}

/** The cached folders, or null when there is no usable cache (missing, damaged, other version). */
export async function readIndexCache(libraryDir: string): Promise<Map<string, DirRecord> | null> {
  try {
    // A cache: when it is not a plain file within its limit, it is rebuilt from the folder.
    const data = (await readBoundedJson(
      indexFilePath(libraryDir),
      LIBRARY_LIMITS.indexBytes,
    )) as Partial<IndexFile>;
    if (data.kind !== KIND || data.version !== INDEX_VERSION || data.format !== FORMAT_VERSION) {
      return null;
    }
    if (typeof data.dirs !== 'object' || data.dirs === null) return null;
    const map = new Map<string, DirRecord>();
    for (const [dir, row] of Object.entries(data.dirs)) {
      if (!isDirRow(row)) return null;
      map.set(dir, { mtimeMs: row.m, subdirs: row.s, entries: row.e.map((r) => fromRow(dir, r)) });
    }
    return map.has('') ? map : null;
  } catch {
    return null;
  }
}

export async function writeIndexCache(
  libraryDir: string,
  dirs: ReadonlyMap<string, DirRecord>,
): Promise<void> {
  const rows: Record<string, DirRow> = {};
  for (const [dir, record] of dirs) {
    rows[dir] = {
      m: record.mtimeMs,
      s: record.subdirs,
      e: record.entries.map((e) => toRow(dir, e)),
    };
  }
  const data: IndexFile = {
    kind: KIND,
    version: INDEX_VERSION,
    format: FORMAT_VERSION,
    dirs: rows,
  };
  // `.atelier/` must be a real folder of the library: never write through a link planted there.
  await cacheFolder(libraryDir);
  await writeFileAtomic(indexFilePath(libraryDir), JSON.stringify(data), { durable: false });
}
