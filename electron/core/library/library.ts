/**
 * The library: an in-memory index over the folder, kept in step with it.
 *
 * Opening reads the cached index (`.atelier/index-<machine>.json`), re-reads only the folders that
 * changed since, repairs what a crash left, and watches the folder so that files added, deleted or
 * renamed by anything else (file manager, sync client) show up without a restart.
 */
import { EventEmitter } from 'node:events';
import { constants } from 'node:fs';
import { access, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readIndexCache, writeIndexCache } from './cache';
import type { LibrarySort } from '../../../shared/api';
import { inOrder } from './sort';
import { COLLECTIONS_DIR } from './collections';
import { compareNewestFirst, entryFromSidecar, type LibraryEntry } from './entry';
import { INPUTS_DIR, LibraryError, checkSidecar, isHiddenName, type Sidecar } from './format';
import { LIBRARY_LIMITS, readBoundedJson } from './files';
import { resolveLibraryFile, type ResolveResult } from './resolve';
import {
  importImage,
  saveResult,
  writeSidecar,
  type ImportInput,
  type SaveInput,
  type WriteHooks,
} from './save';
import {
  emptyReport,
  reportLines,
  scanDirectory,
  walkLibrary,
  type RepairReport,
  type ScanContext,
} from './scan';
import { createThumbnailer, thumbRelPath, type ThumbSize } from './thumbs';
import { createTrash, type DeleteReceipt, type TrashOptions } from './trash';
import { watchFolders, type FolderWatcher } from './watch';

/** With `trash` and `undoWindowMs` (see ./trash): how a delete goes and how long undo works. */
export interface LibraryOptions extends TrashOptions {
  /** Watch the folder for outside changes (default true). */
  watch?: boolean;
  /** How long the watcher waits before acting on a burst of changes (default 100 ms). */
  debounceMs?: number;
  /**
   * A new image without a sidecar, or a temp file, younger than this is left alone by the watcher
   * (its writer may not be done: a sync client may be bringing the sidecar). Default 3 s.
   */
  graceMs?: number;
  /** Where to tell what the library could not do by itself (a folder it cannot watch). */
  log?: (line: string) => void;
}

export interface LibraryQuery {
  /** Words that must all appear in the prompt (or negative prompt, or file name); any case. */
  text?: string;
  operations?: string[];
  models?: string[];
  /** Created at or after (ISO string, ms, or Date). */
  from?: string | number | Date;
  /** Created before. */
  to?: string | number | Date;
  /** Only favourites. */
  favourites?: boolean;
  /** true: only Sandbox images; false: none of them; undefined: both. */
  sandbox?: boolean;
  /** The order (default newest first). */
  sort?: LibrarySort;
  /** Only these ids (a collection's pictures). */
  only?: ReadonlySet<string>;
  /** Only pictures rated at least this. */
  minRating?: number;
  offset?: number;
  limit?: number;
}

export interface QueryResult {
  total: number;
  entries: LibraryEntry[];
}

export interface LibraryChange {
  added: LibraryEntry[];
  updated: LibraryEntry[];
  removed: string[];
}

export interface Library {
  readonly dir: string;
  /** What the start-up check found and repaired. */
  readonly report: RepairReport;
  /** How the index was obtained on open. */
  readonly openedFrom: 'cache' | 'scan';
  list(): LibraryEntry[];
  query(query?: LibraryQuery): QueryResult;
  get(id: string): LibraryEntry | null;
  /** The full sidecar, read from disk. */
  readSidecar(id: string): Promise<Sidecar | null>;
  /** Models and operations present, for filter menus. */
  facets(): { models: string[]; operations: string[] };
  save(input: SaveInput): Promise<LibraryEntry>;
  import(input: ImportInput | { path: string }): Promise<LibraryEntry>;
  setFavourite(id: string, favourite: boolean): Promise<LibraryEntry>;
  /**
   * Rewrites one picture's record: `change` gets its sidecar and the image's absolute path, may
   * replace the image (atomically), and answers the new sidecar, which is written after it.
   * Rewrites run one at a time; the watcher leaves the picture alone meanwhile.
   */
  rewrite(
    id: string,
    change: (current: { sidecar: Sidecar; imageFile: string }) => Promise<Sidecar>,
  ): Promise<LibraryEntry>;
  delete(ids: string[]): Promise<DeleteReceipt>;
  undoDelete(token: string): Promise<LibraryEntry[]>;
  /** Absolute path of the cached WebP thumbnail (made now if missing or stale). */
  thumbnail(id: string, size?: ThumbSize): Promise<string>;
  thumbnailPath(id: string, size?: ThumbSize): string;
  absolutePath(relativePath: string): string;
  resolve(requestPath: string): Promise<ResolveResult>;
  onChange(listener: (change: LibraryChange) => void): () => void;
  /** Re-reads the whole folder now (as on open, using the cache). */
  refresh(): Promise<LibraryChange>;
  close(): Promise<void>;
}

function toMs(value: string | number | Date): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  return Date.parse(value);
}

function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

function depthOf(relDir: string): number {
  return relDir === '' ? 0 : relDir.split('/').length;
}

function sameEntry(a: LibraryEntry, b: LibraryEntry): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function openLibrary(dir: string, options: LibraryOptions = {}): Promise<Library> {
  const libraryDir = path.resolve(dir);
  try {
    await mkdir(libraryDir, { recursive: true });
    await access(libraryDir, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new LibraryError(
      'library-unavailable',
      `The library folder ${libraryDir} could not be opened. Check that its drive is connected and that you may write there, or choose another folder in Settings.`,
      { cause: error },
    );
  }
  const debounceMs = options.debounceMs ?? 100;
  const graceMs = options.graceMs ?? 3000;
  const emitter = new EventEmitter();
  const inFlight = new Set<string>();
  const abs = (rel: string) => path.join(libraryDir, ...rel.split('/'));

  // -- open: cache, then the folders that changed --------------------------------------------
  const cache = await readIndexCache(libraryDir);
  const report = emptyReport();
  const openCtx: ScanContext = { libraryDir, repair: true, report, idOwner: new Map() };
  let dirs = await walkLibrary(openCtx, cache ?? undefined);
  /** Each file the library could not take in is told once (to the log), not at every rescan. */
  const told = new Set<string>();
  const tell = (found: RepairReport) => {
    for (const line of reportLines(found)) {
      if (told.has(line)) continue;
      told.add(line);
      options.log?.(line);
    }
  };
  tell(report);
  const byId = new Map<string, LibraryEntry>();
  const rebuildById = () => {
    byId.clear();
    for (const record of dirs.values())
      for (const e of record.entries) byId.set(e.entry.id, e.entry);
  };
  rebuildById();
  let sorted: LibraryEntry[] | null = null;
  let closed = false;
  /** Set up below, once the rescans it triggers exist; kept in step with `dirs` from then on. */
  let watcher: FolderWatcher | null = null;

  let cacheTimer: NodeJS.Timeout | null = null;
  let cacheWrite: Promise<void> = Promise.resolve();
  const writeCacheNow = () => {
    if (cacheTimer) clearTimeout(cacheTimer);
    cacheTimer = null;
    const snapshot = new Map(dirs);
    cacheWrite = cacheWrite.then(() =>
      writeIndexCache(libraryDir, snapshot).catch(() => undefined),
    );
    return cacheWrite;
  };
  const scheduleCacheWrite = () => {
    if (closed) return;
    if (cacheTimer) clearTimeout(cacheTimer);
    cacheTimer = setTimeout(() => void writeCacheNow(), 1000);
    cacheTimer.unref();
  };
  const changedSinceCache =
    !cache || dirs.size !== cache.size || [...dirs].some(([k, v]) => cache.get(k) !== v);
  if (changedSinceCache) void writeCacheNow();

  const emit = (change: LibraryChange) => {
    sorted = null;
    if (change.added.length || change.updated.length || change.removed.length) {
      emitter.emit('change', change);
      scheduleCacheWrite();
    }
  };

  /** Puts one entry into its folder's record (after our own write). */
  const putEntry = async (entry: LibraryEntry) => {
    const relDir = parentOf(entry.path);
    const st = await stat(abs(entry.sidecarPath));
    let record = dirs.get(relDir);
    if (!record) {
      record = { mtimeMs: -1, subdirs: [], entries: [] };
      dirs.set(relDir, record);
      watcher?.sync(dirs.keys());
      const parent = dirs.get(parentOf(relDir));
      const name = relDir.slice(relDir.lastIndexOf('/') + 1);
      if (relDir !== '' && parent && !parent.subdirs.includes(name)) {
        dirs.set(parentOf(relDir), {
          ...parent,
          mtimeMs: -1,
          subdirs: [...parent.subdirs, name].sort(),
        });
      }
    }
    const others = record.entries.filter((e) => e.entry.id !== entry.id);
    dirs.set(relDir, {
      ...record,
      mtimeMs: -1,
      entries: [...others, { entry, sidecarMtimeMs: st.mtimeMs, sidecarSize: st.size }],
    });
    const old = byId.get(entry.id);
    byId.set(entry.id, entry);
    // A watcher rescan may have indexed it already: then there is nothing new to tell.
    if (old && sameEntry(old, entry)) return;
    emit(
      old
        ? { added: [], updated: [entry], removed: [] }
        : { added: [entry], updated: [], removed: [] },
    );
  };

  const dropEntries = (ids: readonly string[]) => {
    const gone = new Set(ids);
    for (const [relDir, record] of dirs) {
      if (record.entries.some((e) => gone.has(e.entry.id))) {
        dirs.set(relDir, {
          ...record,
          mtimeMs: -1,
          entries: record.entries.filter((e) => !gone.has(e.entry.id)),
        });
      }
    }
    for (const id of ids) byId.delete(id);
  };

  // -- live rescans (watcher, undo, refresh) --------------------------------------------------
  // Every change to the index (rescans, refresh, our own writes) runs one at a time, in order.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task);
    chain = run.catch(() => undefined);
    return run;
  };
  /**
   * Writes an image of ours (save or import) and indexes it. While it is being written its path is
   * "in flight", so that the watcher does not take the half-done files for a change from outside.
   */
  const track = async (
    write: (hooks: WriteHooks) => Promise<{ entry: LibraryEntry }>,
  ): Promise<LibraryEntry> => {
    let imagePath: string | null = null;
    try {
      const saved = await write({
        beforeWrite: (p) => {
          imagePath = p;
          inFlight.add(p);
        },
      });
      await serial(() => putEntry(saved.entry));
      return saved.entry;
    } finally {
      if (imagePath !== null) inFlight.delete(imagePath);
    }
  };
  /** How a rescan of the open library reads: it repairs, and leaves our writes and young files. */
  const liveContext = (onTooYoung?: (relDir: string) => void): ScanContext => ({
    libraryDir,
    repair: true,
    report: emptyReport(),
    idOwner: new Map(),
    inFlight,
    graceMs,
    ...(onTooYoung ? { onTooYoung } : {}),
  });
  /** Rebuilds the index from `dirs`, and announces what changed since `before`. */
  const announceSince = (before: ReadonlyMap<string, LibraryEntry>): LibraryChange => {
    watcher?.sync(dirs.keys());
    rebuildById();
    const change: LibraryChange = { added: [], updated: [], removed: [] };
    for (const [id, entry] of byId) {
      const old = before.get(id);
      if (!old) change.added.push(entry);
      else if (!sameEntry(old, entry)) change.updated.push(entry);
    }
    for (const id of before.keys()) if (!byId.has(id)) change.removed.push(id);
    emit(change);
    return change;
  };
  let rescanChain: Promise<LibraryChange> = Promise.resolve({
    added: [],
    updated: [],
    removed: [],
  });
  const rescanDirs = (relDirs: Iterable<string>): Promise<LibraryChange> => {
    const wanted = [...new Set(relDirs)];
    rescanChain = serial(async () => {
      const before = new Map(byId);
      const liveCtx = liveContext(later);
      const underOrAt = (key: string, relDir: string) =>
        relDir === '' || key === relDir || key.startsWith(`${relDir}/`);
      // Shallow folders first; a folder read (or found new) in this batch is not read twice.
      const queue = [...wanted].sort((a, b) => depthOf(a) - depthOf(b));
      const done = new Set<string>();
      for (const [id, entry] of byId) {
        if (!wanted.includes(parentOf(entry.path))) liveCtx.idOwner.set(id, entry.path);
      }
      const dropBelow = (relDir: string, keepSelf: boolean) => {
        for (const key of [...dirs.keys()]) {
          if (underOrAt(key, relDir) && !(keepSelf && key === relDir)) dirs.delete(key);
        }
      };
      for (const relDir of queue) {
        if (done.has(relDir)) continue;
        done.add(relDir);
        const exists = await stat(abs(relDir))
          .then((s) => s.isDirectory())
          .catch(() => false);
        if (!exists) {
          dropBelow(relDir, false);
          continue;
        }
        // The folder itself is read again; its subfolders only when new (the watcher reports
        // changes inside a subfolder as that subfolder).
        const fresh = await scanDirectory(liveCtx, relDir, depthOf(relDir), dirs.get(relDir)).catch(
          () => null,
        );
        if (!fresh) continue;
        const oldSubdirs = dirs.get(relDir)?.subdirs ?? [];
        dirs.set(relDir, fresh);
        for (const name of oldSubdirs) {
          if (!fresh.subdirs.includes(name))
            dropBelow(relDir === '' ? name : `${relDir}/${name}`, false);
        }
        for (const name of fresh.subdirs) {
          const sub = relDir === '' ? name : `${relDir}/${name}`;
          if (dirs.has(sub)) continue;
          const below = await walkLibrary(liveCtx, dirs, sub);
          for (const [key, record] of below) {
            dirs.set(key, record);
            done.add(key);
          }
        }
      }
      tell(liveCtx.report);
      return announceSince(before);
    });
    return rescanChain;
  };

  // -- watcher ----------------------------------------------------------------------------------
  const dirty = new Set<string>();
  let debounceTimer: NodeJS.Timeout | null = null;
  const flushDirty = () => {
    debounceTimer = null;
    if (closed || dirty.size === 0) return;
    const batch = [...dirty];
    dirty.clear();
    void rescanDirs(batch);
  };
  const markDirty = (relDir: string) => {
    dirty.add(relDir);
    if (debounceTimer) clearTimeout(debounceTimer);
    debounceTimer = setTimeout(flushDirty, debounceMs);
  };
  const laterTimers = new Set<NodeJS.Timeout>();
  const later = (relDir: string) => {
    if (closed) return;
    const timer = setTimeout(() => {
      laterTimers.delete(timer);
      markDirty(relDir);
    }, graceMs + 50);
    laterTimers.add(timer);
  };

  if (options.watch !== false) {
    watcher = watchFolders(libraryDir, {
      ignored: (rel) => {
        const segments = rel.split('/');
        return (
          segments.some(isHiddenName) ||
          segments[0] === INPUTS_DIR ||
          segments[0] === COLLECTIONS_DIR
        );
      },
      onChange: markDirty,
      onError: (relDir, error) =>
        options.log?.(
          `library: cannot watch ${relDir || 'the library folder'} for changes (${String(error)})`,
        ),
    });
    watcher.sync(dirs.keys());
  }

  const trash = createTrash(libraryDir, options);
  const thumbnailer = createThumbnailer(libraryDir);

  const entriesSorted = () => {
    sorted ??= [...byId.values()].sort(compareNewestFirst);
    return sorted;
  };

  /** The deletes, one after another (see delete). */
  let deletes: Promise<unknown> = Promise.resolve();
  /** The rewrites, one after another (see rewrite). */
  let rewrites: Promise<unknown> = Promise.resolve();
  const requireEntry = (id: string): LibraryEntry => {
    const entry = byId.get(id);
    if (!entry) {
      throw new LibraryError(
        'not-found',
        'That image is no longer in the library (it may have been moved or deleted). Refresh the library and try again.',
      );
    }
    return entry;
  };

  const library: Library = {
    dir: libraryDir,
    report,
    openedFrom: cache ? 'cache' : 'scan',

    list: () => [...entriesSorted()],

    query(query = {}) {
      const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const ops = query.operations?.length ? new Set(query.operations) : null;
      const models = query.models?.length ? new Set(query.models) : null;
      const from = query.from === undefined ? -Infinity : toMs(query.from);
      const to = query.to === undefined ? Infinity : toMs(query.to);
      const matches = entriesSorted().filter((e) => {
        if (ops && !ops.has(e.operation)) return false;
        if (models && !models.has(e.model ?? '')) return false;
        if (e.createdMs < from || e.createdMs >= to) return false;
        if (query.favourites && !e.favourite) return false;
        if (query.sandbox !== undefined && e.sandbox !== query.sandbox) return false;
        if (query.only && !query.only.has(e.id)) return false;
        if (query.minRating !== undefined && e.rating < query.minRating) return false;
        if (words.length) {
          const hay = `${e.prompt}\n${e.negativePrompt}\n${e.path}`.toLowerCase();
          if (!words.every((w) => hay.includes(w))) return false;
        }
        return true;
      });
      const offset = Math.max(0, query.offset ?? 0);
      const limit = query.limit === undefined ? matches.length : Math.max(0, query.limit);
      const ordered = inOrder(matches, query.sort);
      return { total: matches.length, entries: ordered.slice(offset, offset + limit) };
    },

    get: (id) => byId.get(id) ?? null,

    async readSidecar(id) {
      const entry = byId.get(id);
      if (!entry) return null;
      try {
        return checkSidecar(
          await readBoundedJson(abs(entry.sidecarPath), LIBRARY_LIMITS.sidecarBytes),
        );
      } catch {
        return null;
      }
    },

    facets() {
      const models = new Set<string>();
      const operations = new Set<string>();
      for (const e of byId.values()) {
        if (e.model) models.add(e.model);
        operations.add(e.operation);
      }
      return { models: [...models].sort(), operations: [...operations].sort() };
    },

    save(input) {
      return track((hooks) => saveResult(libraryDir, input, hooks));
    },

    async import(input) {
      const source: ImportInput =
        'path' in input
          ? { bytes: await readFile(input.path), name: path.basename(input.path) }
          : input;
      return track((hooks) => importImage(libraryDir, source, hooks));
    },

    async setFavourite(id, favourite) {
      const entry = requireEntry(id);
      const sidecar = await library.readSidecar(id);
      if (!sidecar) {
        throw new LibraryError(
          'unreadable',
          'The record of that image could not be read, so it could not be marked. Refresh the library and try again.',
        );
      }
      if (sidecar.favourite === favourite && entry.favourite === favourite) return entry;
      await writeSidecar(abs(entry.sidecarPath), { ...sidecar, favourite });
      const updated = entryFromSidecar({ ...sidecar, favourite }, entry.path, entry.sidecarPath);
      await serial(() => putEntry(updated));
      return updated;
    },

    rewrite(id, change) {
      const run = rewrites.then(async () => {
        const entry = requireEntry(id);
        const sidecar = await library.readSidecar(id);
        if (!sidecar) {
          throw new LibraryError(
            'unreadable',
            'The record of that image could not be read, so it could not be changed. Refresh the library and try again.',
          );
        }
        inFlight.add(entry.path);
        try {
          const next = await change({ sidecar, imageFile: abs(entry.path) });
          await writeSidecar(abs(entry.sidecarPath), next);
          const updated = entryFromSidecar(next, entry.path, entry.sidecarPath);
          await serial(() => putEntry(updated));
          return updated;
        } finally {
          inFlight.delete(entry.path);
        }
      });
      rewrites = run.catch(() => undefined);
      return run;
    },

    delete(ids) {
      // One delete at a time: a second delete of the same picture (a double click, two windows)
      // waits for the first, then takes only what is still there, instead of failing to move a
      // file already moved. When nothing is left it says the picture is gone (not-found).
      const run = deletes.then(async () => {
        const unique = [...new Set(ids)];
        const live = unique.filter((id) => byId.has(id));
        const receipt = await trash.put((live.length > 0 ? live : unique).map(requireEntry));
        // A watcher rescan may have noticed the files leaving already: tell only what is news.
        await serial(() => {
          const present = receipt.ids.filter((id) => byId.has(id));
          dropEntries(receipt.ids);
          emit({ added: [], updated: [], removed: present });
          return Promise.resolve();
        });
        return receipt;
      });
      deletes = run.catch(() => undefined);
      return run;
    },

    async undoDelete(token) {
      const { ids, relDirs } = await trash.restore(token);
      const change = await rescanDirs(relDirs);
      return ids
        .map((id) => byId.get(id))
        .filter((e): e is LibraryEntry => e !== undefined)
        .concat(change.added.filter((e) => !ids.includes(e.id)));
    },

    thumbnail(id, size = 256) {
      const entry = requireEntry(id);
      return thumbnailer(entry.id, entry.path, size);
    },

    thumbnailPath: (id, size = 256) => abs(thumbRelPath(id, size)),
    absolutePath: (rel) => abs(rel),
    resolve: (requestPath) => resolveLibraryFile(libraryDir, requestPath),

    onChange(listener) {
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },

    refresh() {
      // In the queue like every other change to the index: a rescan or a save that ran while the
      // folder was being walked would otherwise be overwritten, or announced a second time.
      return serial(async () => {
        const before = new Map(byId);
        const ctx = liveContext();
        dirs = await walkLibrary(ctx, dirs);
        tell(ctx.report);
        return announceSince(before);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      if (debounceTimer) clearTimeout(debounceTimer);
      for (const timer of laterTimers) clearTimeout(timer);
      watcher?.close();
      await chain;
      await trash.close();
      await writeCacheNow();
    },
  };

  return library;
}
