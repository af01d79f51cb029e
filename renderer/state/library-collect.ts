/**
 * Ratings, collections, bulk actions over the selection, Select all, and Export. The selection
 * store holds ids (useLibrarySelection); a selection larger than one call takes goes in chunks of
 * LIBRARY_BULK_MAX.
 */
import { create } from 'zustand';
import { LIBRARY_BULK_MAX, type Collection, type LibraryItem } from '../../shared/api';
import { getBridge } from './bridge';
import { messageOf } from './connection';
import { requestOf, useLibraryBrowse } from './library-browse';
import { useLibrarySelection } from './library-selection';
import { tell } from './library-toast';

/** `ids` in chunks a call takes, one call after another. */
export async function inChunks<T>(
  ids: readonly string[],
  call: (chunk: string[]) => Promise<T>,
): Promise<T[]> {
  const answers: T[] = [];
  for (let i = 0; i < ids.length; i += LIBRARY_BULK_MAX) {
    answers.push(await call(ids.slice(i, i + LIBRARY_BULK_MAX)));
  }
  return answers;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The grid patched in place with what a bulk call answered. */
function show(updated: LibraryItem[]): void {
  useLibraryBrowse.getState().received({ added: [], updated, removed: [], reset: false });
}

/** Sets the rating of `ids` (0 clears it): in each sidecar and each picture's XMP. */
export async function rate(ids: readonly string[], rating: number): Promise<void> {
  if (ids.length === 0) return;
  try {
    const answers = await inChunks(ids, (chunk) =>
      getBridge().invoke('library.rate', { ids: chunk, rating }),
    );
    const entries = answers.flatMap((a) => a.entries);
    const failed = answers.reduce((n, a) => n + a.failed.length, 0);
    show(entries);
    const stars = rating === 0 ? 'no stars' : plural(rating, 'star');
    tell(
      `Rated ${plural(entries.length, 'picture')} ${stars}.` +
        (failed ? ` ${plural(failed, 'picture')} could not be rated.` : ''),
    );
  } catch (error) {
    tell(messageOf(error));
  }
}

export async function setFavourites(ids: readonly string[], favourite: boolean): Promise<void> {
  if (ids.length === 0) return;
  try {
    const answers = await inChunks(ids, (chunk) =>
      getBridge().invoke('library.setFavourites', { ids: chunk, favourite }),
    );
    const entries = answers.flatMap((a) => a.entries);
    show(entries);
    tell(
      favourite
        ? `Marked ${plural(entries.length, 'picture')} as favourite.`
        : `Unmarked ${plural(entries.length, 'picture')}.`,
    );
  } catch (error) {
    tell(messageOf(error));
  }
}

/** Select all: every picture the filter matches, loaded or not. */
export async function selectAllMatching(): Promise<void> {
  try {
    const { ids } = await getBridge().invoke(
      'library.ids',
      requestOf(useLibraryBrowse.getState().filter),
    );
    useLibrarySelection.setState({ selected: ids });
  } catch (error) {
    tell(messageOf(error));
  }
}

interface CollectionsState {
  collections: Collection[];
  loaded: boolean;
  load: () => Promise<void>;
  /** Makes one; answers it (null when it failed, said in the toast). */
  create: (name: string) => Promise<Collection | null>;
  rename: (id: string, name: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
  /** Adds (or removes) pictures. */
  add: (id: string, ids: readonly string[]) => Promise<void>;
  take: (id: string, ids: readonly string[]) => Promise<void>;
}

export const useCollections = create<CollectionsState>()((set, get) => {
  const nameOf = (id: string) =>
    get().collections.find((c) => c.id === id)?.name ?? 'the collection';
  const attempt = async (task: () => Promise<void>) => {
    try {
      await task();
    } catch (error) {
      tell(messageOf(error));
      void get().load();
    }
  };
  return {
    collections: [],
    loaded: false,
    load: async () => {
      try {
        const { collections } = await getBridge().invoke('collections.list', {});
        set({ collections, loaded: true });
      } catch (error) {
        tell(messageOf(error));
      }
    },
    create: async (name) => {
      try {
        const made = await getBridge().invoke('collections.create', { name });
        await get().load();
        return made;
      } catch (error) {
        tell(messageOf(error));
        return null;
      }
    },
    rename: (id, name) =>
      attempt(async () => {
        await getBridge().invoke('collections.rename', { id, name });
        await get().load();
      }),
    remove: (id) =>
      attempt(async () => {
        const name = nameOf(id);
        await getBridge().invoke('collections.delete', { id });
        if (useLibraryBrowse.getState().filter.collection === id) {
          useLibraryBrowse.getState().setFilter({ collection: '' });
        }
        await get().load();
        tell(`Deleted the collection ${name}. Its pictures stay in the library.`);
      }),
    add: (id, ids) =>
      attempt(async () => {
        const answers = await inChunks(ids, (chunk) =>
          getBridge().invoke('collections.add', { id, ids: chunk }),
        );
        await get().load();
        tell(`Added ${plural(ids.length, 'picture')} to ${answers.at(-1)?.name ?? nameOf(id)}.`);
      }),
    take: (id, ids) =>
      attempt(async () => {
        const name = nameOf(id);
        await inChunks(ids, (chunk) =>
          getBridge().invoke('collections.remove', { id, ids: chunk }),
        );
        await get().load();
        tell(`Removed ${plural(ids.length, 'picture')} from ${name}.`);
        if (useLibraryBrowse.getState().filter.collection === id) {
          useLibrarySelection.getState().clearSelection();
          void useLibraryBrowse.getState().reload();
        }
      }),
  };
});

/** The collections as they change (this window, another window, or a folder reopened). */
export function followCollections(): () => void {
  const bridge = getBridge();
  void useCollections.getState().load();
  const stopCollections = bridge.on('collections.changed', ({ collections }) =>
    useCollections.setState({ collections, loaded: true }),
  );
  // Counts follow the pictures (a delete, an undo, another folder).
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stopLibrary = bridge.on('library.changed', (change) => {
    if (!change.reset && change.added.length === 0 && change.removed.length === 0) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void useCollections.getState().load(), 300);
  });
  return () => {
    stopCollections();
    stopLibrary();
    if (timer) clearTimeout(timer);
  };
}

export type ExportFormat = 'original' | 'png' | 'jpeg' | 'webp';

export interface ExportChoice {
  to: string;
  format: ExportFormat;
  quality: number;
  longestEdge: number | null;
  metadata: 'keep' | 'strip';
  names: 'prompt' | 'original';
}

interface ExportState {
  /** The ids the dialog exports (null: closed). */
  ids: string[] | null;
  progress: { done: number; total: number } | null;
  /** What the last export did, as a sentence. */
  outcome: string | null;
  error: string | null;
  open: (ids: readonly string[]) => void;
  close: () => void;
  start: (choice: ExportChoice) => Promise<void>;
  cancel: () => void;
}

export const useExport = create<ExportState>()((set, get) => ({
  ids: null,
  progress: null,
  outcome: null,
  error: null,
  open: (ids) => set({ ids: [...ids], outcome: null, error: null, progress: null }),
  close: () => {
    if (get().progress) return;
    set({ ids: null });
  },
  start: async (choice) => {
    const ids = get().ids;
    if (!ids || ids.length === 0 || get().progress) return;
    set({ progress: { done: 0, total: ids.length }, outcome: null, error: null });
    const bridge = getBridge();
    let base = 0;
    const stop = bridge.on('library.exporting', ({ done }) =>
      set({ progress: { done: base + done, total: ids.length } }),
    );
    let exported = 0;
    let failed = 0;
    let cancelled = false;
    try {
      for (let i = 0; i < ids.length && !cancelled; i += LIBRARY_BULK_MAX) {
        base = i;
        const answer = await bridge.invoke('library.export', {
          ids: ids.slice(i, i + LIBRARY_BULK_MAX),
          ...choice,
        });
        exported += answer.exported;
        failed += answer.failed;
        cancelled = answer.cancelled;
      }
      const where = choice.to;
      set({
        outcome:
          (cancelled ? 'Export cancelled: ' : '') +
          `${plural(exported, 'picture')} exported to ${where}.` +
          (failed ? ` ${plural(failed, 'picture')} could not be exported.` : ''),
      });
    } catch (error) {
      set({ error: messageOf(error) });
    } finally {
      stop();
      set({ progress: null });
    }
  },
  cancel: () => {
    void getBridge()
      .invoke('library.cancelExport', {})
      .catch(() => undefined);
  },
}));
