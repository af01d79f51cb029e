/**
 * Walking the library folder: pairs each image with its sidecar, and (when asked) repairs what a
 * crash or an outside program left behind. Used for the start-up check, for rebuilding the index,
 * and for re-reading one folder when the watcher says it changed.
 */
import { lstat, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { entryFromSidecar, type LibraryEntry } from './entry';
import {
  INPUTS_DIR,
  checkSidecar,
  formatOfExtension,
  type Sidecar,
  isHiddenName,
  isTempName,
  sidecarNameFor,
} from './format';
import {
  cacheFolder,
  LIBRARY_LIMITS,
  parseBoundedJson,
  readBounded,
  sha256Sliced,
  skipMessage,
  SkippedFileError,
  type SkipReason,
} from './files';
import { refusalOf } from '../fs/read-bounded';
import { detectFormat, imageInfo, isStructurallyComplete } from './imageinfo';
import { COLLECTIONS_DIR } from './collections';
import { adoptImageRatings } from './rating-scan';
import { newId, sidecarForOrphan, writeSidecar } from './save';

/** An entry with the state of its sidecar file when it was read. */
export interface ScannedEntry {
  entry: LibraryEntry;
  sidecarMtimeMs: number;
  sidecarSize: number;
}

/** What one folder held, as the cache remembers it. */
export interface DirRecord {
  /** The folder's mtime when read; -1 when it was too recent to trust (re-read next time). */
  mtimeMs: number;
  subdirs: string[];
  entries: ScannedEntry[];
}

export interface RepairReport {
  /** Temporary files a crash left behind, removed. */
  removedTemp: string[];
  /** Atelier images whose sidecar was missing, given one back from their embedded recipe. */
  recovered: string[];
  /** Outside images found in the folder, given an `import` sidecar. */
  adopted: string[];
  /** Sidecars whose image is gone (kept: a sync client may bring the image later). */
  missingImage: string[];
  /** Images that are cut short (still being copied, or damaged); not shown. */
  incomplete: string[];
  /** Sidecars that are not valid JSON; moved to .atelier/trash/damaged and rebuilt from the image. */
  damagedSidecars: string[];
  /** Sidecars written by a newer Atelier (or not understood); left untouched, not shown. */
  unreadableSidecars: string[];
  /** Sidecars whose id was already used by another image (a copied pair); given a new id. */
  duplicateIds: string[];
  /**
   * Files left alone because reading them would be unsafe: links, pipes and devices, files over
   * their size limit, pictures claiming too many pixels, files that are not what their name says.
   */
  skipped: SkippedFile[];
}

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  /** What happened, as a sentence. */
  message: string;
}

/**
 * What a scan could not take in, one sentence a file: files skipped as unsafe, pictures cut short,
 * sidecars set aside or not understood. (Repairs that worked are not news.)
 */
export function reportLines(report: RepairReport): string[] {
  return [
    ...report.skipped.map((s) => `library: skipped ${s.path}. ${s.message}`),
    ...report.incomplete.map(
      (p) => `library: ${p} is cut short (still being copied, or damaged); it is shown once whole.`,
    ),
    ...report.damagedSidecars.map(
      (p) =>
        `library: ${p} was not valid JSON; it was set aside in .atelier/trash/damaged and its picture's record was rebuilt.`,
    ),
    ...report.unreadableSidecars.map(
      (p) =>
        `library: ${p} is not a record this version of Atelier understands; its picture is not shown.`,
    ),
  ];
}

export function emptyReport(): RepairReport {
  return {
    removedTemp: [],
    recovered: [],
    adopted: [],
    missingImage: [],
    incomplete: [],
    damagedSidecars: [],
    unreadableSidecars: [],
    duplicateIds: [],
    skipped: [],
  };
}

export interface ScanContext {
  libraryDir: string;
  /** Write sidecars, remove temp files, move damaged files. False: only read. */
  repair: boolean;
  report: RepairReport;
  /** Ids already taken by other folders (duplicate detection across folders). */
  idOwner: Map<string, string>;
  /** Library-relative image paths being written by this process right now: left alone. */
  inFlight?: ReadonlySet<string>;
  /** Leave temp files and sidecar-less images younger than this alone (live mode). */
  graceMs?: number;
  /** Called when something was left alone because it was too young (to look again later). */
  onTooYoung?: (relDir: string) => void;
  now?: () => number;
}

/** Folders closer to "now" than this are re-read next time (timestamps are coarse). */
const RACY_MS = 2000;
const MAX_DEPTH = 8;

export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

function join(relDir: string, name: string): string {
  return relDir === '' ? name : `${relDir}/${name}`;
}

function abs(ctx: ScanContext, rel: string): string {
  return path.join(ctx.libraryDir, ...rel.split('/'));
}

function skip(ctx: ScanContext, rel: string, reason: SkipReason): void {
  ctx.report.skipped.push({ path: rel, reason, message: skipMessage(reason) });
}

type SidecarRead =
  | { kind: 'ok'; sidecar: Sidecar; mtimeMs: number; size: number }
  | { kind: 'damaged' }
  | { kind: 'unreadable' }
  | { kind: 'skipped'; reason: SkipReason }
  | { kind: 'gone' };

/** A sidecar: a regular file of at most LIBRARY_LIMITS.sidecarBytes, JSON no deeper than the limit. */
async function loadSidecar(file: string): Promise<SidecarRead> {
  let read;
  try {
    read = await readBounded(file, LIBRARY_LIMITS.sidecarBytes);
  } catch (error) {
    if (error instanceof SkippedFileError) return { kind: 'skipped', reason: error.reason };
    return { kind: 'gone' };
  }
  let json: unknown;
  try {
    json = parseBoundedJson(read.bytes.toString('utf8'), file);
  } catch (error) {
    if (error instanceof SkippedFileError) return { kind: 'skipped', reason: error.reason };
    return { kind: 'damaged' };
  }
  const sidecar = checkSidecar(json);
  if (!sidecar) return { kind: 'unreadable' };
  return { kind: 'ok', sidecar, mtimeMs: read.stats.mtimeMs, size: read.stats.size };
}

/** Why an image found without a sidecar is not adopted: not a picture, not its name's kind, too big. */
function unfitImage(bytes: Uint8Array, name: string): SkipReason | null {
  const format = detectFormat(bytes);
  if (format === null) return 'not-an-image';
  if (format !== formatOfExtension(name)) return 'wrong-extension';
  const info = imageInfo(bytes);
  if (info && info.width * info.height > LIBRARY_LIMITS.pixels) return 'too-many-pixels';
  return null;
}

function tooYoung(ctx: ScanContext, mtimeMs: number): boolean {
  const grace = ctx.graceMs ?? 0;
  return grace > 0 && (ctx.now?.() ?? Date.now()) - mtimeMs < grace;
}

/**
 * Reads one folder (not its subfolders). `previous` lets unchanged sidecars be reused without
 * reading them again.
 */
export async function scanDirectory(
  ctx: ScanContext,
  relDir: string,
  depth: number,
  previous?: DirRecord,
): Promise<DirRecord> {
  const dirPath = abs(ctx, relDir);
  const before = await stat(dirPath);
  const dirents = await readdir(dirPath, { withFileTypes: true });
  const subdirs: string[] = [];
  const images: string[] = [];
  const jsons = new Set<string>();
  const temps: string[] = [];
  for (const d of dirents) {
    const name = d.name;
    if (isTempName(name)) {
      temps.push(name);
      continue;
    }
    if (isHiddenName(name)) continue;
    if (d.isDirectory()) {
      // Collections are files of their own (collections.ts), not pictures.
      if (relDir === '' && name === COLLECTIONS_DIR) continue;
      if (relDir === '' && name === INPUTS_DIR) {
        // Not indexed, but a crash may have left a temporary file there too.
        if (ctx.repair) {
          const inputs = await readdir(path.join(dirPath, name)).catch(() => []);
          temps.push(...inputs.filter(isTempName).map((temp) => `${INPUTS_DIR}/${temp}`));
        }
        continue;
      }
      if (depth < MAX_DEPTH) subdirs.push(name);
      continue;
    }
    const ours = formatOfExtension(name) !== null || name.toLowerCase().endsWith('.json');
    if (!d.isFile()) {
      // A link is never followed (it may lead out of the library); a pipe or a device never read.
      if (ours || d.isSymbolicLink()) {
        skip(ctx, join(relDir, name), d.isSymbolicLink() ? 'link' : 'not-a-file');
      }
      continue;
    }
    if (formatOfExtension(name)) images.push(name);
    else if (ours) jsons.add(name);
  }

  if (ctx.repair) {
    for (const name of temps) {
      const file = path.join(dirPath, name);
      if (ctx.graceMs) {
        const st = await lstat(file).catch(() => null);
        if (!st) continue;
        if (tooYoung(ctx, st.mtimeMs)) {
          ctx.onTooYoung?.(relDir);
          continue;
        }
      }
      await rm(file, { force: true });
      ctx.report.removedTemp.push(join(relDir, name));
    }
  }

  const previousBySidecar = new Map<string, ScannedEntry>();
  for (const e of previous?.entries ?? []) previousBySidecar.set(e.entry.sidecarPath, e);

  // Images sharing a stem (a.png + a.jpg) share one sidecar name: the sidecar's `file` decides.
  const byStem = new Map<string, string[]>();
  for (const image of images) {
    const sidecarName = sidecarNameFor(image);
    const list = byStem.get(sidecarName) ?? [];
    list.push(image);
    byStem.set(sidecarName, list);
  }

  const entries: ScannedEntry[] = [];
  const orphans: string[] = [];
  await mapLimit([...byStem.entries()], 32, async ([sidecarName, stemImages]) => {
    const sidecarRel = join(relDir, sidecarName);
    if (!jsons.has(sidecarName)) {
      orphans.push(...stemImages);
      return;
    }
    jsons.delete(sidecarName);
    const cached = previousBySidecar.get(sidecarRel);
    if (cached && stemImages.some((i) => join(relDir, i) === cached.entry.path)) {
      const st = await stat(abs(ctx, sidecarRel)).catch(() => null);
      if (st && st.mtimeMs === cached.sidecarMtimeMs && st.size === cached.sidecarSize) {
        entries.push(cached);
        orphans.push(...stemImages.filter((i) => join(relDir, i) !== cached.entry.path));
        return;
      }
    }
    const read = await loadSidecar(abs(ctx, sidecarRel));
    if (read.kind === 'ok') {
      const owner =
        stemImages.find((i) => i === read.sidecar.file) ??
        (stemImages.length === 1 ? stemImages[0] : undefined);
      if (owner === undefined) {
        ctx.report.missingImage.push(sidecarRel);
        return;
      }
      const sidecar = owner === read.sidecar.file ? read.sidecar : { ...read.sidecar, file: owner };
      entries.push({
        entry: entryFromSidecar(sidecar, join(relDir, owner), sidecarRel),
        sidecarMtimeMs: read.mtimeMs,
        sidecarSize: read.size,
      });
      orphans.push(...stemImages.filter((i) => i !== owner));
      return;
    }
    if (read.kind === 'gone') {
      orphans.push(...stemImages);
      return;
    }
    if (read.kind === 'skipped') {
      // Not read, not replaced: its image is not shown until the sidecar is one we can read.
      skip(ctx, sidecarRel, read.reason);
      return;
    }
    if (read.kind === 'unreadable') {
      ctx.report.unreadableSidecars.push(sidecarRel);
      return;
    }
    // Damaged (not JSON at all): set it aside and rebuild it from the image.
    ctx.report.damagedSidecars.push(sidecarRel);
    if (ctx.repair) {
      const damagedDir = await cacheFolder(ctx.libraryDir, 'trash', 'damaged').catch(() => null);
      if (!damagedDir) return;
      const aside = path.join(damagedDir, `${Date.now()}-${sidecarName}`);
      await rename(abs(ctx, sidecarRel), aside).catch(() => undefined);
      orphans.push(...stemImages);
    }
  });

  // Sidecars left over: either a sidecar whose image is gone, or some other JSON file (ignored).
  for (const name of jsons) {
    const rel = join(relDir, name);
    const read = await loadSidecar(abs(ctx, rel));
    if (read.kind === 'ok') ctx.report.missingImage.push(rel);
    if (read.kind === 'skipped') skip(ctx, rel, read.reason);
  }

  // Images without a sidecar: an Atelier image whose sidecar was never written, or an outside file.
  for (const image of orphans) {
    // One picture at a time, with a turn for the event loop between them.
    await new Promise((resolve) => setImmediate(resolve));
    const imageRel = join(relDir, image);
    if (ctx.inFlight?.has(imageRel)) continue;
    const sidecarName = sidecarNameFor(image);
    // Another image already owns that sidecar name: nothing we can write without a clash.
    if (entries.some((e) => e.entry.sidecarPath === join(relDir, sidecarName))) continue;
    const file = abs(ctx, imageRel);
    const st = await lstat(file).catch(() => null);
    if (!st) continue;
    const refused = refusalOf(st, LIBRARY_LIMITS.imageBytes);
    if (refused) {
      skip(ctx, imageRel, refused);
      continue;
    }
    if (tooYoung(ctx, st.mtimeMs)) {
      ctx.onTooYoung?.(relDir);
      continue;
    }
    let bytes: Buffer;
    try {
      ({ bytes } = await readBounded(file, LIBRARY_LIMITS.imageBytes));
    } catch (error) {
      if (error instanceof SkippedFileError) skip(ctx, imageRel, error.reason);
      continue;
    }
    const unfit = unfitImage(bytes, image);
    if (unfit) {
      skip(ctx, imageRel, unfit);
      continue;
    }
    if (!isStructurallyComplete(bytes)) {
      ctx.report.incomplete.push(imageRel);
      continue;
    }
    if (!ctx.repair) continue;
    const sha256 = await sha256Sliced(bytes);
    const sidecar = sidecarForOrphan(bytes, image, st.mtime, (id) => ctx.idOwner.has(id), sha256);
    if (!sidecar) {
      ctx.report.incomplete.push(imageRel);
      continue;
    }
    const sidecarFile = path.join(dirPath, sidecarName);
    await writeSidecar(sidecarFile, sidecar);
    const written = await stat(sidecarFile);
    (sidecar.operation === 'import' && sidecar.source?.kind !== 'atelier'
      ? ctx.report.adopted
      : ctx.report.recovered
    ).push(imageRel);
    entries.push({
      entry: entryFromSidecar(sidecar, imageRel, join(relDir, sidecarName)),
      sidecarMtimeMs: written.mtimeMs,
      sidecarSize: written.size,
    });
  }

  // A rating another program wrote into a picture (rating-scan.ts).
  if (ctx.repair) await adoptImageRatings(ctx, entries);

  // Ids must be unique: a copied pair gets a new id (in repair mode) or is left out.
  const kept: ScannedEntry[] = [];
  for (const scanned of entries.sort((a, b) => (a.entry.path < b.entry.path ? -1 : 1))) {
    const owner = ctx.idOwner.get(scanned.entry.id);
    if (owner === undefined || owner === scanned.entry.path) {
      ctx.idOwner.set(scanned.entry.id, scanned.entry.path);
      kept.push(scanned);
      continue;
    }
    ctx.report.duplicateIds.push(scanned.entry.sidecarPath);
    if (!ctx.repair) continue;
    const read = await loadSidecar(abs(ctx, scanned.entry.sidecarPath));
    if (read.kind !== 'ok') continue;
    const sidecar = { ...read.sidecar, id: newId(new Date(scanned.entry.createdMs)) };
    const sidecarFile = abs(ctx, scanned.entry.sidecarPath);
    await writeSidecar(sidecarFile, sidecar);
    const written = await stat(sidecarFile);
    const entry = entryFromSidecar(sidecar, scanned.entry.path, scanned.entry.sidecarPath);
    ctx.idOwner.set(entry.id, entry.path);
    kept.push({ entry, sidecarMtimeMs: written.mtimeMs, sidecarSize: written.size });
  }

  const now = ctx.now?.() ?? Date.now();
  const racy = now - before.mtimeMs < RACY_MS;
  return { mtimeMs: racy ? -1 : before.mtimeMs, subdirs: subdirs.sort(), entries: kept };
}

/**
 * Walks the library (or one folder of it and below). With `cache`, folders whose mtime has not changed are taken from it
 * without being read (a file added, removed or renamed changes its folder's mtime).
 */
export async function walkLibrary(
  ctx: ScanContext,
  cache?: ReadonlyMap<string, DirRecord>,
  start = '',
): Promise<Map<string, DirRecord>> {
  const result = new Map<string, DirRecord>();
  const visit = async (relDir: string, depth: number): Promise<void> => {
    const cached = cache?.get(relDir);
    let record: DirRecord | null = null;
    if (cached && cached.mtimeMs >= 0) {
      const st = await stat(abs(ctx, relDir)).catch(() => null);
      if (!st) return;
      if (st.mtimeMs === cached.mtimeMs) {
        record = cached;
        for (const e of cached.entries) {
          if (!ctx.idOwner.has(e.entry.id)) ctx.idOwner.set(e.entry.id, e.entry.path);
        }
      }
    }
    if (!record) {
      try {
        record = await scanDirectory(ctx, relDir, depth, cached);
      } catch {
        return;
      }
    }
    result.set(relDir, record);
    await mapLimit(record.subdirs, 8, (name) => visit(join(relDir, name), depth + 1));
  };
  await visit(start, start === '' ? 0 : start.split('/').length);
  return result;
}

/**
 * The start-up check: removes temporary files a crash left, gives sidecars back to images that
 * lack one (from their embedded recipe, or as imports), and reports sidecars whose image is gone.
 */
export async function scanAndRepair(
  libraryDir: string,
): Promise<{ report: RepairReport; entries: LibraryEntry[] }> {
  const ctx: ScanContext = { libraryDir, repair: true, report: emptyReport(), idOwner: new Map() };
  const dirs = await walkLibrary(ctx);
  const entries: LibraryEntry[] = [];
  for (const record of dirs.values()) for (const e of record.entries) entries.push(e.entry);
  return { report: ctx.report, entries };
}
