/**
 * Browsing the Library: the folder, the filter, the entries in pages (the grid asks for the pages
 * it shows, so 20,000 images never travel at once), and what changes an entry (favourite, delete,
 * Undo, Reveal). `library.changed` keeps it live (followLibrary). The selection and the toast have
 * their own stores; this one tells them what changed.
 */
import { create } from 'zustand';
import type {
  CallResponse,
  EventPayload,
  LibraryFilter,
  LibraryFolder,
  LibraryItem,
  LibrarySort,
} from '../../shared/api';
import { getBridge } from './bridge';
import { messageOf } from './connection';
import { useLibrarySelection } from './library-selection';
import { tell, useLibraryToast } from './library-toast';

/** Entries per page asked of the core. */
export const PAGE_SIZE = 200;

export type SandboxFilter = 'all' | 'only' | 'none';

export interface FilterState {
  text: string;
  operation: string;
  model: string;
  /** yyyy-mm-dd or ''. */
  from: string;
  to: string;
  favourites: boolean;
  sandbox: SandboxFilter;
  /** A collection's id, or '' for the whole library. */
  collection: string;
  /** At least this many stars (0: any). */
  minRating: number;
}

export const EMPTY_FILTER: FilterState = {
  text: '',
  operation: '',
  model: '',
  from: '',
  to: '',
  favourites: false,
  sandbox: 'all',
  collection: '',
  minRating: 0,
};

interface BrowseState {
  folder: LibraryFolder | null;
  filter: FilterState;
  /** The order of the grid (not a filter: the count and Clear filters leave it alone). */
  sort: LibrarySort;
  /** Bumped whenever the pages are thrown away (new filter, reset, change). */
  generation: number;
  total: number;
  /** Images in the library before filtering (null until known). */
  all: number | null;
  facets: { models: string[]; operations: string[] };
  pages: Record<number, LibraryItem[]>;
  loading: boolean;
  error: string | null;

  load: () => Promise<void>;
  /** Asks for the folder once, for places that show its pictures without browsing (Create). */
  loadFolder: () => Promise<void>;
  setFilter: (patch: Partial<FilterState>) => void;
  clearFilter: () => void;
  setSort: (sort: LibrarySort) => void;
  loadPage: (page: number) => Promise<void>;
  reload: () => Promise<void>;
  received: (change: EventPayload<'library.changed'>) => void;
  itemAt: (index: number) => LibraryItem | undefined;
  setFavourite: (item: LibraryItem, favourite: boolean) => Promise<void>;
  deleteIds: (ids: string[]) => Promise<void>;
  /** Undoes the delete the toast offers. */
  undo: () => Promise<void>;
  reveal: (item: LibraryItem) => Promise<void>;
}

export function requestOf(filter: FilterState): LibraryFilter {
  const day = (value: string, end: boolean): number | undefined => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
    const [y, m, d] = value.split('-').map(Number);
    // Local days: "to" includes the whole day.
    const ms = new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + (end ? 1 : 0)).getTime();
    return Number.isFinite(ms) ? ms : undefined;
  };
  const from = day(filter.from, false);
  const to = day(filter.to, true);
  return {
    ...(filter.text.trim() ? { text: filter.text.trim() } : {}),
    ...(filter.operation ? { operations: [filter.operation] } : {}),
    ...(filter.model ? { models: [filter.model] } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(filter.favourites ? { favourites: true } : {}),
    ...(filter.sandbox === 'all' ? {} : { sandbox: filter.sandbox === 'only' }),
    ...(filter.collection ? { collection: filter.collection } : {}),
    ...(filter.minRating > 0 ? { minRating: filter.minRating } : {}),
  };
}

export function isFiltered(filter: FilterState): boolean {
  return JSON.stringify(filter) !== JSON.stringify(EMPTY_FILTER);
}

function queryPage(
  filter: FilterState,
  page: number,
  sort: LibrarySort = 'newest',
): Promise<CallResponse<'library.query'>> {
  return getBridge().invoke('library.query', {
    ...requestOf(filter),
    ...(sort === 'newest' ? {} : { sort }),
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
}

const selection = () => useLibrarySelection.getState();

export const useLibraryBrowse = create<BrowseState>()((set, get) => {
  /** Pages being asked for, as generation:page. */
  const inFlight = new Set<string>();
  /** One reload for a burst of changes. */
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;
  /** One query when typing pauses. */
  let filterTimer: ReturnType<typeof setTimeout> | null = null;

  /** Re-reads the pages the grid has, keeping them on screen until the new ones arrive. */
  const refreshKeepingPages = async (): Promise<void> => {
    const state = get();
    const pages = Object.keys(state.pages).map(Number);
    const generation = state.generation + 1;
    inFlight.clear();
    set({ generation });
    const results = await Promise.all(
      (pages.length ? pages : [0]).map(async (page) => {
        try {
          return { page, answer: await queryPage(state.filter, page, state.sort) };
        } catch {
          return null;
        }
      }),
    );
    if (get().generation !== generation) return;
    const fresh: Record<number, LibraryItem[]> = {};
    let last: (typeof results)[number] = null;
    for (const result of results) {
      if (!result) continue;
      fresh[result.page] = result.answer.entries;
      last = result;
    }
    if (!last) return;
    const total = last.answer.total;
    set({ pages: fresh, total, all: last.answer.all, facets: last.answer.facets });
    selection().setFocus(selection().focus, total);
  };

  const failed = (error: unknown) => tell(messageOf(error));

  return {
    folder: null,
    filter: EMPTY_FILTER,
    sort: 'newest',
    generation: 0,
    total: 0,
    all: null,
    facets: { models: [], operations: [] },
    pages: {},
    loading: false,
    error: null,

    load: async () => {
      try {
        const folder = await getBridge().invoke('library.folder', {});
        set({ folder });
      } catch (error) {
        set({ error: messageOf(error) });
      }
      await get().reload();
    },

    loadFolder: async () => {
      if (get().folder) return;
      try {
        const folder = await getBridge().invoke('library.folder', {});
        if (!get().folder) set({ folder });
      } catch {
        // Without it the pictures wait as placeholders; the Library says why when opened.
      }
    },

    setFilter: (patch) => {
      set((state) => ({ filter: { ...state.filter, ...patch } }));
      selection().forget('filter');
      if (filterTimer) clearTimeout(filterTimer);
      // Typing: one query when the typing pauses; every other filter at once.
      const typing = Object.keys(patch).length === 1 && patch.text !== undefined;
      filterTimer = setTimeout(
        () => {
          filterTimer = null;
          void get().reload();
        },
        typing ? 160 : 0,
      );
    },
    clearFilter: () => {
      set({ filter: EMPTY_FILTER });
      selection().forget('filter');
      void get().reload();
    },

    setSort: (sort) => {
      if (sort === get().sort) return;
      set({ sort });
      selection().forget('filter');
      void get().reload();
    },

    reload: async () => {
      inFlight.clear();
      set((state) => ({ generation: state.generation + 1, pages: {}, loading: true }));
      await get().loadPage(0);
    },

    loadPage: async (page) => {
      const { generation, filter, sort } = get();
      const key = `${generation}:${page}`;
      if (inFlight.has(key) || get().pages[page]) return;
      inFlight.add(key);
      try {
        const answer = await queryPage(filter, page, sort);
        if (get().generation !== generation) return;
        set((state) => ({
          pages: { ...state.pages, [page]: answer.entries },
          total: answer.total,
          all: answer.all,
          facets: answer.facets,
          loading: false,
          error: null,
        }));
      } catch (error) {
        if (get().generation === generation) set({ loading: false, error: messageOf(error) });
      } finally {
        inFlight.delete(key);
      }
    },

    received: (change) => {
      if (change.reset) {
        set({ folder: null });
        selection().forget('folder');
        void get().load();
        return;
      }
      selection().changed(change.updated, change.removed);
      // Favourites and edits: patch in place, so the grid does not jump.
      if (change.added.length === 0 && change.removed.length === 0) {
        const byId = new Map(change.updated.map((e) => [e.id, e]));
        set((state) => ({
          pages: Object.fromEntries(
            Object.entries(state.pages).map(([k, list]) => [
              k,
              list.map((e) => byId.get(e.id) ?? e),
            ]),
          ),
        }));
        // A changed favourite or rating may leave the favourites or rating filter.
        const { favourites, minRating } = get().filter;
        if (!favourites && minRating === 0) return;
      }
      // Many changes come in bursts (a sync client): one reload for the burst.
      if (reloadTimer) clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => {
        reloadTimer = null;
        void refreshKeepingPages();
      }, 120);
    },

    itemAt: (index) => get().pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE],

    setFavourite: async (item, favourite) => {
      try {
        const updated = await getBridge().invoke('library.setFavourite', {
          id: item.id,
          favourite,
        });
        get().received({ added: [], updated: [updated], removed: [], reset: false });
      } catch (error) {
        failed(error);
      }
    },

    deleteIds: async (ids) => {
      if (ids.length === 0) return;
      try {
        const receipt = await getBridge().invoke('library.delete', { ids });
        const n = receipt.ids.length;
        useLibraryToast.getState().showToast({
          message: n === 1 ? 'Deleted 1 image.' : `Deleted ${n} images.`,
          undoToken: receipt.token,
        });
        selection().clearSelection();
        get().received({ added: [], updated: [], removed: receipt.ids, reset: false });
      } catch (error) {
        failed(error);
      }
    },

    undo: async () => {
      const token = useLibraryToast.getState().toast?.undoToken;
      if (!token) return;
      try {
        const { entries } = await getBridge().invoke('library.undoDelete', { token });
        tell(entries.length === 1 ? 'Restored 1 image.' : `Restored ${entries.length} images.`);
        get().received({ added: entries, updated: [], removed: [], reset: false });
      } catch (error) {
        failed(error);
      }
    },

    reveal: async (item) => {
      try {
        await getBridge().invoke('library.reveal', { id: item.id });
      } catch (error) {
        failed(error);
      }
    },
  };
});

/** A return to the window reads the folder again at most this often. */
export const REFRESH_EVERY_MS = 10_000;

/**
 * While the Library shows: its changes as they come, and the folder read again when the Library
 * opens and when the window comes back to the front (at most every REFRESH_EVERY_MS), for changes
 * no watch can see, such as those on a network drive. Returns the way to stop.
 */
export function followLibrary(): () => void {
  const bridge = getBridge();
  const stop = bridge.on('library.changed', (change) =>
    useLibraryBrowse.getState().received(change),
  );
  let last = -Infinity;
  const refresh = () => {
    if (Date.now() - last < REFRESH_EVERY_MS) return;
    last = Date.now();
    // What it finds comes as library.changed; a folder that cannot be read is load()'s to say.
    bridge.invoke('library.refresh', {}).catch(() => undefined);
  };
  refresh();
  window.addEventListener('focus', refresh);
  return () => {
    stop();
    window.removeEventListener('focus', refresh);
  };
}
