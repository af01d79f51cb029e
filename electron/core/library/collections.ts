/**
 * Collections: named sets of pictures, one small JSON file each in the library folder, so that they
 * sync with it and survive a deleted or rebuilt index:
 *
 *   <library>/collections/<ULID>.json
 *   { "kind": "atelier-collection", "version": 1, "id": "<ULID>", "name": "Foxes",
 *     "createdAt": "2026-12-04T18:00:00.000Z", "items": ["<picture id>", …] }
 *
 * The folder syncs, so every file in it is untrusted: only regular files named `<ULID>.json`
 * (the id inside must match) of at most COLLECTION_LIMITS.fileBytes are read, at most
 * COLLECTION_LIMITS.collections of them; names are cut to COLLECTION_NAME_MAX characters; only
 * ids shaped like picture ids count, at most COLLECTION_LIMITS.items a collection. Anything else is
 * left alone (never deleted: it may be another version's or a sync client's conflict copy).
 */
import { lstat, mkdir, opendir, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { readBoundedJson } from './files';
import { LibraryError } from './format';
import { newId } from './save';

export const COLLECTIONS_DIR = 'collections';
const KIND = 'atelier-collection';
const VERSION = 1;
const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const FILE_RE = /^([0-9A-HJKMNP-TV-Z]{26})\.json$/;

export const COLLECTION_NAME_MAX = 100;
export const COLLECTION_LIMITS = {
  /** One collection file (100,000 ids are about 3 MB). */
  fileBytes: 4 * 1024 * 1024,
  /** Pictures one collection holds. */
  items: 100_000,
  /** Collection files read; more are left alone (and said once in the log). */
  collections: 1000,
  /** Folder entries looked at (a folder of a million junk files is not listed whole). */
  dirEntries: 20_000,
} as const;

export interface CollectionRecord {
  id: string;
  name: string;
  createdAt: string;
  items: Set<string>;
}

function cleanName(name: string): string {
  // No control characters (a name is shown in the sidebar and read by screen readers).
  const clean = Array.from(name.replace(/\p{Cc}+/gu, ' ').trim());
  return clean.slice(0, COLLECTION_NAME_MAX).join('');
}

/** A collection file's content, or null when it is not one (checked field by field). */
export function parseCollection(json: unknown, fileId: string): CollectionRecord | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const v = json as Record<string, unknown>;
  if (v.kind !== KIND || v.version !== VERSION || v.id !== fileId) return null;
  if (typeof v.name !== 'string' || typeof v.createdAt !== 'string') return null;
  const name = cleanName(v.name);
  if (name === '' || !Array.isArray(v.items)) return null;
  const items = new Set<string>();
  for (const item of v.items as unknown[]) {
    if (items.size >= COLLECTION_LIMITS.items) break;
    if (typeof item === 'string' && ULID_RE.test(item)) items.add(item);
  }
  return { id: fileId, name, createdAt: v.createdAt.slice(0, 40), items };
}

export interface CollectionStore {
  /** Every collection, by name (read again when the folder changed). */
  list(): Promise<CollectionRecord[]>;
  get(id: string): Promise<CollectionRecord | null>;
  create(name: string): Promise<CollectionRecord>;
  rename(id: string, name: string): Promise<CollectionRecord>;
  delete(id: string): Promise<void>;
  add(id: string, items: readonly string[]): Promise<CollectionRecord>;
  remove(id: string, items: readonly string[]): Promise<CollectionRecord>;
}

function missing(): LibraryError {
  return new LibraryError(
    'collection-not-found',
    'That collection is no longer there (it may have been deleted on another computer). The list is up to date now.',
  );
}

export function openCollections(
  libraryDir: string,
  log: (line: string) => void = () => undefined,
): CollectionStore {
  const dir = path.join(libraryDir, COLLECTIONS_DIR);
  let loaded: { mtimeMs: number; byId: Map<string, CollectionRecord> } | null = null;
  const told = new Set<string>();
  const tell = (line: string) => {
    if (told.has(line)) return;
    told.add(line);
    log(line);
  };

  /** The folder, when it is a real folder (a link planted there is never followed). */
  const folderStat = async () => {
    const st = await lstat(dir).catch(() => null);
    if (st && !st.isDirectory()) {
      tell(
        `library: ${COLLECTIONS_DIR} is not a plain folder (a link?); collections are not read.`,
      );
      return null;
    }
    return st;
  };

  const load = async (): Promise<Map<string, CollectionRecord>> => {
    const st = await folderStat();
    if (!st) {
      loaded = { mtimeMs: -1, byId: new Map() };
      return loaded.byId;
    }
    if (loaded && loaded.mtimeMs === st.mtimeMs && Date.now() - st.mtimeMs > 2000)
      return loaded.byId;
    const byId = new Map<string, CollectionRecord>();
    const names: string[] = [];
    const handle = await opendir(dir).catch(() => null);
    if (handle) {
      let seen = 0;
      for await (const d of handle) {
        if (++seen > COLLECTION_LIMITS.dirEntries) break;
        if (d.isFile() && FILE_RE.test(d.name)) names.push(d.name);
      }
    }
    names.sort();
    if (names.length > COLLECTION_LIMITS.collections) {
      tell(
        `library: ${COLLECTIONS_DIR} holds more than ${COLLECTION_LIMITS.collections} collections; only the first are read.`,
      );
    }
    for (const name of names.slice(0, COLLECTION_LIMITS.collections)) {
      const fileId = name.slice(0, 26);
      try {
        const json = await readBoundedJson(path.join(dir, name), COLLECTION_LIMITS.fileBytes);
        const record = parseCollection(json, fileId);
        if (record) byId.set(fileId, record);
        else
          tell(
            `library: ${COLLECTIONS_DIR}/${name} is not a collection Atelier can read; it is left alone.`,
          );
      } catch {
        tell(
          `library: ${COLLECTIONS_DIR}/${name} could not be read (too large, or not JSON); it is left alone.`,
        );
      }
    }
    loaded = { mtimeMs: st.mtimeMs, byId };
    return byId;
  };

  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task);
    chain = run.catch(() => undefined);
    return run;
  };

  const write = async (record: CollectionRecord) => {
    const st = await lstat(dir).catch(() => null);
    if (!st) await mkdir(dir, { recursive: true });
    else if (!st.isDirectory()) {
      throw new LibraryError(
        'collections-link',
        `The library's ${COLLECTIONS_DIR} is not a plain folder (it may be a link to another place), so Atelier will not write there. Delete it and try again.`,
      );
    }
    const json = {
      kind: KIND,
      version: VERSION,
      id: record.id,
      name: record.name,
      createdAt: record.createdAt,
      items: [...record.items],
    };
    await writeFileAtomic(
      path.join(dir, `${record.id}.json`),
      `${JSON.stringify(json, null, 1)}\n`,
    );
    // Our own write changes the folder's mtime: what is in memory is what is on disk.
    const after = await lstat(dir);
    const byId = loaded?.byId ?? new Map<string, CollectionRecord>();
    byId.set(record.id, record);
    loaded = { mtimeMs: after.mtimeMs, byId };
  };

  const change = (id: string, edit: (record: CollectionRecord) => CollectionRecord) =>
    serial(async () => {
      const record = (await load()).get(id);
      if (!record) throw missing();
      const next = edit(record);
      await write(next);
      return next;
    });

  const limitItems = (items: Set<string>) => {
    if (items.size > COLLECTION_LIMITS.items) {
      throw new LibraryError(
        'collection-full',
        `A collection holds at most ${COLLECTION_LIMITS.items.toLocaleString('en')} pictures. Make a second collection for the rest.`,
      );
    }
    return items;
  };

  return {
    list: () =>
      serial(async () =>
        [...(await load()).values()].sort(
          (a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1),
        ),
      ),
    get: (id) => serial(async () => (await load()).get(id) ?? null),
    create: (name) =>
      serial(async () => {
        const byId = await load();
        if (byId.size >= COLLECTION_LIMITS.collections) {
          throw new LibraryError(
            'too-many-collections',
            `The library has ${COLLECTION_LIMITS.collections} collections, as many as Atelier keeps. Delete one you no longer need first.`,
          );
        }
        const record: CollectionRecord = {
          id: newId(),
          name: cleanName(name) || 'Untitled',
          createdAt: new Date().toISOString(),
          items: new Set(),
        };
        await write(record);
        return record;
      }),
    rename: (id, name) => change(id, (r) => ({ ...r, name: cleanName(name) || r.name })),
    delete: (id) =>
      serial(async () => {
        if (!(await load()).has(id)) throw missing();
        await rm(path.join(dir, `${id}.json`), { force: true });
        loaded?.byId.delete(id);
        const st = await lstat(dir).catch(() => null);
        if (loaded && st) loaded.mtimeMs = st.mtimeMs;
      }),
    add: (id, items) =>
      change(id, (r) => ({ ...r, items: limitItems(new Set([...r.items, ...items])) })),
    remove: (id, items) =>
      change(id, (r) => {
        const next = new Set(r.items);
        for (const item of items) next.delete(item);
        return { ...r, items: next };
      }),
  };
}

/** Whether the picture ids are shaped like ULIDs (what a collection file may hold). */
export const isPictureId = (id: string): boolean => ULID_RE.test(id);
