/**
 * The calls of ratings, bulk favourites, select-all, export and collections (issue 17), over the
 * library in force (host/library.ts) and its collections folder (core/library/collections.ts).
 */
import type { Collection, EventName, EventPayload, LibraryFilter } from '../../../shared/api';
import { LibraryError, type Library, type LibraryEntry } from '../library';
import {
  openCollections,
  type CollectionRecord,
  type CollectionStore,
} from '../library/collections';
import { exportPictures } from '../library/export';
import type { LibraryQuery } from '../library/library';
import { rateFiles } from '../library/rating-write';
import { PlainError } from '../errors';
import type { Handlers } from '../rpc/dispatch';
import { itemOf, queryOfFilter } from './library';
import type { FolderGate } from './shell-services';

export type CollectCallName =
  | 'library.rate'
  | 'library.setFavourites'
  | 'library.ids'
  | 'library.export'
  | 'library.cancelExport'
  | 'collections.list'
  | 'collections.create'
  | 'collections.rename'
  | 'collections.delete'
  | 'collections.add'
  | 'collections.remove';

export interface CollectOptions {
  /** The open library in force (host/library.ts). */
  current: () => Promise<Library>;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** In the desktop app, the export folder must be one the native dialog answered. */
  folders: FolderGate;
  log?: (line: string) => void;
}

export interface CollectService {
  handlers: Pick<Handlers, CollectCallName>;
  /** What a filter's collection and rating add to a library query. */
  narrow(filter: LibraryFilter): Promise<Pick<LibraryQuery, 'only' | 'minRating'>>;
}

function plain(error: unknown): never {
  if (error instanceof LibraryError) throw new PlainError(error.code, error.message);
  throw error;
}

export function createCollectService(options: CollectOptions): CollectService {
  const log = options.log ?? (() => undefined);
  let store: { dir: string; collections: CollectionStore } | null = null;
  let exporting: AbortController | null = null;

  const withLibrary = async <T>(task: (library: Library) => Promise<T>): Promise<T> => {
    try {
      return await task(await options.current());
    } catch (error) {
      return plain(error);
    }
  };
  const collectionsOf = (library: Library): CollectionStore => {
    if (store?.dir !== library.dir) {
      store = { dir: library.dir, collections: openCollections(library.dir, log) };
    }
    return store.collections;
  };
  const viewOf = (library: Library, record: CollectionRecord): Collection => {
    let count = 0;
    for (const id of record.items) if (library.get(id)) count += 1;
    return { id: record.id, name: record.name, count, createdAt: record.createdAt };
  };
  const announce = async (library: Library) => {
    const records = await collectionsOf(library).list();
    options.emit('collections.changed', {
      collections: records.map((r) => viewOf(library, r)),
    });
  };
  /** Runs a collection change and tells every window. */
  const collectionCall = <T>(task: (c: CollectionStore, library: Library) => Promise<T>) =>
    withLibrary(async (library) => {
      const result = await task(collectionsOf(library), library);
      await announce(library).catch(() => undefined);
      return result;
    });

  /** Each id through `one`; the ids that failed are answered, not thrown (unless all did). */
  const each = async (
    library: Library,
    ids: readonly string[],
    one: (id: string) => Promise<LibraryEntry>,
    what: string,
  ) => {
    const entries: LibraryEntry[] = [];
    const failed: string[] = [];
    for (const id of new Set(ids)) {
      if (!library.get(id)) {
        failed.push(id);
        continue;
      }
      try {
        entries.push(await one(id));
      } catch (error) {
        log(`library: ${what} ${id} failed (${error instanceof Error ? error.message : ''})`);
        failed.push(id);
      }
    }
    if (entries.length === 0 && failed.length > 0) {
      throw new PlainError(
        'not_found',
        failed.length === 1
          ? `That picture could not be ${what}: it is gone, or its file could not be written. Check that the library folder is writable and try again.`
          : `None of those ${failed.length} pictures could be ${what}: they are gone, or their files could not be written.`,
      );
    }
    return { entries: entries.map(itemOf), failed };
  };

  const narrow: CollectService['narrow'] = async (filter) => {
    const out: Pick<LibraryQuery, 'only' | 'minRating'> = {};
    if (filter.minRating !== undefined && filter.minRating > 0) out.minRating = filter.minRating;
    if (filter.collection !== undefined) {
      const library = await options.current();
      const record = await collectionsOf(library).get(filter.collection);
      out.only = record?.items ?? new Set();
    }
    return out;
  };

  const handlers: CollectService['handlers'] = {
    'library.rate': ({ ids, rating }) =>
      withLibrary((library) =>
        each(
          library,
          ids,
          (id) =>
            library.rewrite(id, ({ sidecar, imageFile }) => rateFiles(imageFile, sidecar, rating)),
          'rated',
        ),
      ),
    'library.setFavourites': ({ ids, favourite }) =>
      withLibrary((library) =>
        each(library, ids, (id) => library.setFavourite(id, favourite), 'marked'),
      ),
    'library.ids': (filter) =>
      withLibrary(async (library) => {
        const { entries } = library.query({ ...queryOfFilter(filter), ...(await narrow(filter)) });
        return { ids: entries.map((e) => e.id) };
      }),
    'library.export': ({ ids, to, ...choice }) => {
      options.folders.check(to, null);
      if (exporting) {
        return Promise.reject(
          new PlainError('busy', 'An export is under way. Wait until it is done, or cancel it.'),
        );
      }
      const controller = new AbortController();
      exporting = controller;
      return withLibrary(async (library) => {
        let last = -1;
        const result = await exportPictures(library, ids, to, choice, {
          signal: controller.signal,
          onProgress: (done, total) => {
            // About a hundred steps, whatever the size of the export.
            if (done === total || done - last >= Math.max(1, Math.floor(total / 100))) {
              last = done;
              options.emit('library.exporting', { done, total });
            }
          },
        });
        return {
          dir: to,
          exported: result.exported,
          failed: result.failed,
          cancelled: result.cancelled,
        };
      }).finally(() => {
        if (exporting === controller) exporting = null;
      });
    },
    'library.cancelExport': () => {
      exporting?.abort();
      return Promise.resolve({});
    },
    'collections.list': () =>
      withLibrary(async (library) => ({
        collections: (await collectionsOf(library).list()).map((r) => viewOf(library, r)),
      })),
    'collections.create': ({ name }) =>
      collectionCall(async (c, library) => viewOf(library, await c.create(name))),
    'collections.rename': ({ id, name }) =>
      collectionCall(async (c, library) => viewOf(library, await c.rename(id, name))),
    'collections.delete': ({ id }) =>
      collectionCall(async (c) => {
        await c.delete(id);
        return {};
      }),
    'collections.add': ({ id, ids }) =>
      collectionCall(async (c, library) =>
        viewOf(
          library,
          await c.add(
            id,
            ids.filter((item) => library.get(item) !== null),
          ),
        ),
      ),
    'collections.remove': ({ id, ids }) =>
      collectionCall(async (c, library) => viewOf(library, await c.remove(id, ids))),
  };

  return { handlers, narrow };
}
