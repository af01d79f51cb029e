/**
 * The Library place's state: the filter, the entries in pages (the grid asks for the pages it
 * shows, so 20,000 images never travel at once), the selection, the open detail, the toast with
 * Undo. Actions talk to the core through the bridge; `library.changed` keeps it live.
 */
import { create } from 'zustand';
import {
  type EventPayload,
  type LibraryFilter,
  type LibraryFolder,
  type LibraryItem,
} from '../../shared/api';
import { getBridge } from './bridge';
import { messageOf } from './connection';

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
}

export const EMPTY_FILTER: FilterState = {
  text: '',
  operation: '',
  model: '',
  from: '',
  to: '',
  favourites: false,
  sandbox: 'all',
};

export interface Toast {
  message: string;
  /** Present when the action can be undone. */
  undoToken?: string;
}

interface LibraryState {
  folder: LibraryFolder | null;
  filter: FilterState;
  /** Bumped whenever the pages are thrown away (new filter, reset, change). */
  generation: number;
  total: number;
  /** Images in the library before filtering (null until known). */
  all: number | null;
  facets: { models: string[]; operations: string[] };
  pages: Record<number, LibraryItem[]>;
  loading: boolean;
  error: string | null;
  selected: string[];
  /** Index of the keyboard focus in the grid. */
  focus: number;
  /** Anchor of Shift selection. */
  anchor: number;
  detail: LibraryItem | null;
  toast: Toast | null;
  importing: number;

  load: () => Promise<void>;
  setFilter: (patch: Partial<FilterState>) => void;
  clearFilter: () => void;
  loadPage: (page: number) => Promise<void>;
  reload: () => Promise<void>;
  received: (change: EventPayload<'library.changed'>) => void;
  itemAt: (index: number) => LibraryItem | undefined;
  setFocus: (index: number) => void;
  /** Click or key selection: plain replaces, toggle adds/removes, range extends from the anchor. */
  select: (index: number, mode: 'replace' | 'toggle' | 'range') => void;
  clearSelection: () => void;
  openDetail: (item: LibraryItem | null) => void;
  setFavourite: (item: LibraryItem, favourite: boolean) => Promise<void>;
  deleteIds: (ids: string[]) => Promise<void>;
  undo: () => Promise<void>;
  importFiles: (files: readonly File[]) => Promise<void>;
  reveal: (item: LibraryItem) => Promise<void>;
  showToast: (toast: Toast | null) => void;
}

function requestOf(filter: FilterState): LibraryFilter {
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
  };
}

export function isFiltered(filter: FilterState): boolean {
  return JSON.stringify(filter) !== JSON.stringify(EMPTY_FILTER);
}

/** The URL of a library image. */
export function mediaUrl(folder: LibraryFolder | null, item: Pick<LibraryItem, 'path'>): string {
  const path = item.path.split('/').map(encodeURIComponent).join('/');
  return `${folder?.mediaBase ?? ''}/media/${path}`;
}

/**
 * The drag data type of a picture dragged from the Library grid inside Atelier: JSON
 * `{ id, path }` (libraryDragData), its library id (what the core stages) and its path inside the
 * library folder (only for showing it). The desktop app drags the real file instead, which any
 * drop zone takes.
 */
export const LIBRARY_DRAG_TYPE = 'application/x-atelier-library-picture';

/** What the grid puts under LIBRARY_DRAG_TYPE. */
export function libraryDragData(item: Pick<LibraryItem, 'id' | 'path'>): string {
  return JSON.stringify({ id: item.id, path: item.path });
}

/** Reads LIBRARY_DRAG_TYPE's data back (a drag from another page could carry anything). */
export function readLibraryDrag(data: string): { id: string; path: string } | null {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== 'object' || value === null) return null;
    const { id, path } = value as Record<string, unknown>;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) return null;
    return { id, path: typeof path === 'string' ? path : '' };
  } catch {
    return null;
  }
}

/** Whether a drag carries a picture to take: files, or a picture of the Library. */
export function carriesPicture(data: Pick<DataTransfer, 'types'>): boolean {
  return data.types.includes('Files') || data.types.includes(LIBRARY_DRAG_TYPE);
}

/** The URL of a thumbnail (256 or 512 px), changing when the image does. */
export function thumbUrl(folder: LibraryFolder | null, item: LibraryItem, size = 256): string {
  return `${folder?.mediaBase ?? ''}/thumb/${item.id}/${size}?v=${item.sha256.slice(0, 12)}`;
}

async function importOne(file: File): Promise<LibraryItem> {
  const bridge = getBridge();
  const { id } = await bridge.stageFile(file);
  return bridge.invoke('library.import', { input: id });
}

const inFlight = new Set<string>();
let reloadTimer: ReturnType<typeof setTimeout> | null = null;
let filterTimer: ReturnType<typeof setTimeout> | null = null;

export const useLibrary = create<LibraryState>()((set, get) => ({
  folder: null,
  filter: EMPTY_FILTER,
  generation: 0,
  total: 0,
  all: null,
  facets: { models: [], operations: [] },
  pages: {},
  loading: false,
  error: null,
  selected: [],
  focus: 0,
  anchor: 0,
  detail: null,
  toast: null,
  importing: 0,

  load: async () => {
    try {
      const folder = await getBridge().invoke('library.folder', {});
      set({ folder });
    } catch (error) {
      set({ error: messageOf(error) });
    }
    await get().reload();
  },

  setFilter: (patch) => {
    set((state) => ({ filter: { ...state.filter, ...patch }, focus: 0, anchor: 0 }));
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
    set({ filter: EMPTY_FILTER, focus: 0, anchor: 0 });
    void get().reload();
  },

  reload: async () => {
    inFlight.clear();
    set((state) => ({ generation: state.generation + 1, pages: {}, loading: true }));
    await get().loadPage(0);
  },

  loadPage: async (page) => {
    const { generation, filter } = get();
    const key = `${generation}:${page}`;
    if (inFlight.has(key) || get().pages[page]) return;
    inFlight.add(key);
    try {
      const answer = await getBridge().invoke('library.query', {
        ...requestOf(filter),
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
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
      forgetFolder();
      void get().load();
      return;
    }
    // Favourites and edits: patch in place, so the grid does not jump.
    if (change.added.length === 0 && change.removed.length === 0) {
      const byId = new Map(change.updated.map((e) => [e.id, e]));
      set((state) => ({
        pages: Object.fromEntries(
          Object.entries(state.pages).map(([k, list]) => [k, list.map((e) => byId.get(e.id) ?? e)]),
        ),
        detail: state.detail ? (byId.get(state.detail.id) ?? state.detail) : null,
      }));
      // A changed favourite may leave the favourites filter.
      if (!get().filter.favourites) return;
    }
    const removed = new Set(change.removed);
    set((state) => ({
      selected: state.selected.filter((id) => !removed.has(id)),
      detail: state.detail && removed.has(state.detail.id) ? null : state.detail,
    }));
    // Many changes come in bursts (a sync client): one reload for the burst.
    if (reloadTimer) clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      void refreshKeepingPages();
    }, 120);
  },

  itemAt: (index) => get().pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE],

  setFocus: (index) => set({ focus: Math.max(0, Math.min(index, get().total - 1)) }),

  select: (index, mode) => {
    const item = get().itemAt(index);
    if (!item) return;
    if (mode === 'replace') {
      set({ selected: [item.id], focus: index, anchor: index });
    } else if (mode === 'toggle') {
      const selected = get().selected.includes(item.id)
        ? get().selected.filter((id) => id !== item.id)
        : [...get().selected, item.id];
      set({ selected, focus: index, anchor: index });
    } else {
      const { anchor } = get();
      const ids: string[] = [];
      for (let i = Math.min(anchor, index); i <= Math.max(anchor, index); i++) {
        const e = get().itemAt(i);
        if (e) ids.push(e.id);
      }
      set({ selected: ids, focus: index });
    }
  },
  clearSelection: () => set({ selected: [] }),

  openDetail: (item) => set({ detail: item }),

  setFavourite: async (item, favourite) => {
    try {
      const updated = await getBridge().invoke('library.setFavourite', { id: item.id, favourite });
      get().received({ added: [], updated: [updated], removed: [], reset: false });
    } catch (error) {
      set({ toast: { message: messageOf(error) } });
    }
  },

  deleteIds: async (ids) => {
    if (ids.length === 0) return;
    try {
      const receipt = await getBridge().invoke('library.delete', { ids });
      const n = receipt.ids.length;
      set({
        toast: {
          message: n === 1 ? 'Deleted 1 image.' : `Deleted ${n} images.`,
          undoToken: receipt.token,
        },
        selected: [],
      });
      get().received({ added: [], updated: [], removed: receipt.ids, reset: false });
    } catch (error) {
      set({ toast: { message: messageOf(error) } });
    }
  },

  undo: async () => {
    const token = get().toast?.undoToken;
    if (!token) return;
    try {
      const { entries } = await getBridge().invoke('library.undoDelete', { token });
      set({
        toast: {
          message:
            entries.length === 1 ? 'Restored 1 image.' : `Restored ${entries.length} images.`,
        },
      });
      get().received({ added: entries, updated: [], removed: [], reset: false });
    } catch (error) {
      set({ toast: { message: messageOf(error) } });
    }
  },

  importFiles: async (files) => {
    const images = files.filter((f) => /^image\/(png|jpeg|webp)$/.test(f.type) || f.type === '');
    const skipped = files.length - images.length;
    if (images.length === 0) {
      set({ toast: { message: 'Only PNG, JPEG and WebP images can be added to the library.' } });
      return;
    }
    set((state) => ({ importing: state.importing + images.length }));
    let added = 0;
    let failure: string | null = null;
    for (const file of images) {
      try {
        const item = await importOne(file);
        added++;
        get().received({ added: [item], updated: [], removed: [], reset: false });
      } catch (error) {
        failure = `${file.name}: ${messageOf(error)}`;
      } finally {
        set((state) => ({ importing: state.importing - 1 }));
      }
    }
    const what =
      added === 1 ? 'Added 1 image to the library.' : `Added ${added} images to the library.`;
    const left =
      skipped === 0
        ? ''
        : ` ${skipped === 1 ? '1 file was' : `${skipped} files were`} not PNG, JPEG or WebP and stayed out.`;
    set({
      toast: {
        message: (failure ? `${added > 0 ? `${what} ` : ''}${failure}` : what) + left,
      },
    });
  },

  reveal: async (item) => {
    try {
      await getBridge().invoke('library.reveal', { id: item.id });
    } catch (error) {
      set({ toast: { message: messageOf(error) } });
    }
  },

  showToast: (toast) => set({ toast }),
}));

/** Re-reads the pages the grid has, keeping them on screen until the new ones arrive. */
async function refreshKeepingPages(): Promise<void> {
  const state = useLibrary.getState();
  const pages = Object.keys(state.pages).map(Number);
  const generation = state.generation + 1;
  inFlight.clear();
  useLibrary.setState({ generation });
  const filter = requestOf(state.filter);
  const results = await Promise.all(
    (pages.length ? pages : [0]).map(async (page) => {
      try {
        const answer = await getBridge().invoke('library.query', {
          ...filter,
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
        });
        return { page, answer };
      } catch {
        return null;
      }
    }),
  );
  if (useLibrary.getState().generation !== generation) return;
  const fresh: Record<number, LibraryItem[]> = {};
  let last: (typeof results)[number] = null;
  for (const result of results) {
    if (!result) continue;
    fresh[result.page] = result.answer.entries;
    last = result;
  }
  if (!last) return;
  const total = last.answer.total;
  useLibrary.setState((s) => ({
    pages: fresh,
    total,
    all: last.answer.all,
    facets: last.answer.facets,
    focus: Math.max(0, Math.min(s.focus, total - 1)),
  }));
}

function forgetFolder(): void {
  useLibrary.setState({ folder: null, selected: [], detail: null });
}

/** A return to the window reads the folder again at most this often. */
export const REFRESH_EVERY_MS = 10_000;

/**
 * While the Library shows: its changes as they come, and the folder read again when the Library
 * opens and when the window comes back to the front (at most every REFRESH_EVERY_MS), for changes
 * no watch can see, such as those on a network drive. Returns the way to stop.
 */
export function followLibrary(): () => void {
  const bridge = getBridge();
  const stop = bridge.on('library.changed', (change) => useLibrary.getState().received(change));
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

/**
 * What other places read: what the Library handed over. "Use as input" and "Reuse settings" are
 * applied through Create's store at once; "Compare two" waits here for Compare to take it
 * (useLibraryIntent.getState().take('compare')).
 */
export interface LibraryIntent {
  kind: 'use-as-input' | 'reuse-settings' | 'compare';
  /** The library ids concerned (two for 'compare'). */
  ids: string[];
  item?: LibraryItem;
  /** For use-as-input: which Create tab. */
  target?: 'transform' | 'upscale';
}
export const useLibraryIntent = create<{
  intent: LibraryIntent | null;
  /** Returns the waiting intent of that kind and forgets it. */
  take: (kind: LibraryIntent['kind']) => LibraryIntent | null;
}>()((set, get) => ({
  intent: null,
  take: (kind) => {
    const intent = get().intent;
    if (intent?.kind !== kind) return null;
    set({ intent: null });
    return intent;
  },
}));

/**
 * Moving the library to another folder (Settings): the progress while it runs and what it did. In a
 * store, not in the settings row, because the row is made anew when the folder setting changes.
 */
export const useLibraryMove = create<{
  /** Files done of all while a move runs; null otherwise. */
  progress: { done: number; total: number } | null;
  /** What the last move did (a sentence), or null. */
  outcome: string | null;
  error: string | null;
  move: (to: string) => Promise<void>;
  clear: () => void;
}>()((set, get) => ({
  progress: null,
  outcome: null,
  error: null,
  move: async (to) => {
    if (get().progress) return;
    set({ progress: { done: 0, total: 0 }, outcome: null, error: null });
    // Our move's progress only, and only until its answer (an event may arrive after it).
    const stop = getBridge().on('library.moving', (progress) => {
      if (get().progress) set({ progress });
    });
    try {
      const result = await getBridge().invoke('library.move', { to });
      const count = (n: number, one: string) => `${n.toLocaleString()} ${one}${n === 1 ? '' : 's'}`;
      set({
        outcome:
          `Moved ${count(result.pictures, 'picture')} (${count(result.moved, 'file')} with their recipes) to ${result.dir}.` +
          (result.left > 0
            ? ` ${result.left.toLocaleString()} stayed in the old folder: a different file already had their name in the new one.`
            : ''),
      });
    } catch (error) {
      set({ error: messageOf(error) });
    } finally {
      stop();
      set({ progress: null });
    }
  },
  clear: () => set({ outcome: null, error: null }),
}));
