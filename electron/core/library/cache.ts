/**
 * The index cache: `.atelier/index-<machine>.json`. One file per machine, so that two machines
 * syncing the same library never write the same file; each one's cache is checked against the
 * folder on open and rebuilt when missing, damaged, from another version, or stale.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './atomic';
import { CACHE_DIR, FORMAT_VERSION } from './format';
import type { DirRecord, ScannedEntry } from './scan';

export const INDEX_VERSION = 1;
const KIND = 'atelier-library-index';

interface IndexFile {
  kind: typeof KIND;
  version: number;
  format: number;
  dirs: Record<string, DirRecord>;
}

export function machineKey(): string {
  return createHash('sha256').update(hostname()).digest('hex').slice(0, 12);
}

export function indexFilePath(libraryDir: string): string {
  return path.join(libraryDir, CACHE_DIR, `index-${machineKey()}.json`);
}

function isScannedEntry(value: unknown): value is ScannedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ScannedEntry>;
  const e = v.entry;
  return (
    typeof v.sidecarMtimeMs === 'number' &&
    typeof v.sidecarSize === 'number' &&
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    typeof e.path === 'string' &&
    typeof e.sidecarPath === 'string' &&
    typeof e.createdMs === 'number' &&
    typeof e.prompt === 'string' &&
    typeof e.operation === 'string' &&
    typeof e.favourite === 'boolean' &&
    typeof e.sandbox === 'boolean' &&
    Array.isArray(e.inputs)
  );
}

function isDirRecord(value: unknown): value is DirRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<DirRecord>;
  return (
    typeof v.mtimeMs === 'number' &&
    Array.isArray(v.subdirs) &&
    v.subdirs.every((s) => typeof s === 'string') &&
    Array.isArray(v.entries) &&
    v.entries.every(isScannedEntry)
  );
}

/** The cached folders, or null when there is no usable cache (missing, damaged, other version). */
export async function readIndexCache(libraryDir: string): Promise<Map<string, DirRecord> | null> {
  let text: string;
  try {
    text = await readFile(indexFilePath(libraryDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const data = JSON.parse(text) as Partial<IndexFile>;
    if (data.kind !== KIND || data.version !== INDEX_VERSION || data.format !== FORMAT_VERSION)
      return null;
    if (typeof data.dirs !== 'object' || data.dirs === null) return null;
    const map = new Map<string, DirRecord>();
    for (const [dir, record] of Object.entries(data.dirs)) {
      if (!isDirRecord(record)) return null;
      map.set(dir, record);
    }
    return map;
  } catch {
    return null;
  }
}

export async function writeIndexCache(
  libraryDir: string,
  dirs: ReadonlyMap<string, DirRecord>,
): Promise<void> {
  const data: IndexFile = {
    kind: KIND,
    version: INDEX_VERSION,
    format: FORMAT_VERSION,
    dirs: Object.fromEntries(dirs),
  };
  const file = indexFilePath(libraryDir);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(data), { durable: false });
}
