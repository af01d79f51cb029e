/**
 * How the Library shows its pictures, and the viewer's moves: the thumbnail size and whether the
 * viewer shows the recipe beside the picture (both remembered on this computer), the picture
 * waiting to be compared with the next one picked (C), stepping to the previous or next picture
 * of the current filter and order (asking the core for a page not loaded yet), and rating.
 */
import { create } from 'zustand';
import type { LibraryItem, LibrarySort, Rating } from '../../shared/api';
import { getBridge } from './bridge';
import { messageOf } from './connection';
import { PAGE_SIZE, useLibraryBrowse } from './library-browse';
import { useLibrarySelection } from './library-selection';
import { tell } from './library-toast';

/** The orders of the Library, as the Sort menu says them. */
export const SORT_LABELS: Readonly<Record<LibrarySort, string>> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  rating: 'Best rated first',
  model: 'By model',
};

/** The thumbnail size slider's range (CSS px of a tile's side). */
export const TILE_SIZE = { min: 96, max: 320, step: 8, initial: 168 } as const;

const MEMORY_KEY = 'atelier.library.view';

interface Remembered {
  tileSize: number;
  details: boolean;
}

export function clampTileSize(size: number): number {
  if (!Number.isFinite(size)) return TILE_SIZE.initial;
  return Math.min(TILE_SIZE.max, Math.max(TILE_SIZE.min, Math.round(size)));
}

function recall(): Remembered {
  const fallback = { tileSize: TILE_SIZE.initial, details: true };
  try {
    const raw: unknown = JSON.parse(globalThis.localStorage?.getItem(MEMORY_KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return fallback;
    const { tileSize, details } = raw as Partial<Record<keyof Remembered, unknown>>;
    return {
      tileSize: typeof tileSize === 'number' ? clampTileSize(tileSize) : fallback.tileSize,
      details: typeof details === 'boolean' ? details : fallback.details,
    };
  } catch {
    return fallback;
  }
}

function remember(state: Remembered): void {
  try {
    globalThis.localStorage?.setItem(
      MEMORY_KEY,
      JSON.stringify({ tileSize: state.tileSize, details: state.details }),
    );
  } catch {
    // Private windows and full storage: the size lasts this session only.
  }
}

interface ViewState extends Remembered {
  /** The picture C chose, waiting for the next one picked to open Compare with both. */
  comparePick: LibraryItem | null;
  setTileSize: (size: number) => void;
  setDetails: (details: boolean) => void;
  pickForCompare: (item: LibraryItem | null) => void;
}

export const useLibraryView = create<ViewState>()((set, get) => ({
  ...recall(),
  comparePick: null,
  setTileSize: (size) => {
    set({ tileSize: clampTileSize(size) });
    remember(get());
  },
  setDetails: (details) => {
    set({ details });
    remember(get());
  },
  pickForCompare: (item) => set({ comparePick: item }),
}));

/** Where a picture stands in the grid's list now (its loaded pages), or -1. */
function indexOf(id: string): number {
  const { pages } = useLibraryBrowse.getState();
  for (const [page, list] of Object.entries(pages)) {
    const at = list.findIndex((e) => e.id === id);
    if (at >= 0) return Number(page) * PAGE_SIZE + at;
  }
  return -1;
}

/**
 * Opens the previous (-1) or next (+1) picture of the current filter and order in the viewer, and
 * selects it in the grid. A page not loaded yet is asked of the core first. False at either end.
 */
export async function stepViewer(delta: number): Promise<boolean> {
  const selection = useLibrarySelection.getState();
  const current = selection.detail;
  if (!current) return false;
  const found = indexOf(current.id);
  const index = found >= 0 ? found : selection.focus;
  const next = index + delta;
  const browse = useLibraryBrowse.getState();
  if (next < 0 || next >= browse.total) return false;
  let item = browse.itemAt(next);
  if (!item) {
    await browse.loadPage(Math.floor(next / PAGE_SIZE));
    item = useLibraryBrowse.getState().itemAt(next);
  }
  // The person may have closed the viewer or moved on while the page came.
  if (!item || useLibrarySelection.getState().detail?.id !== current.id) return false;
  selection.openDetail(item);
  selection.select(next, 'replace', useLibraryBrowse.getState().itemAt);
  return true;
}

/** Rates pictures 1–5, or clears the rating with 0 (collect's library.rate: sidecar and XMP). */
export async function ratePictures(ids: string[], rating: Rating): Promise<void> {
  if (ids.length === 0) return;
  try {
    const { entries, failed } = await getBridge().invoke('library.rate', { ids, rating });
    useLibraryBrowse
      .getState()
      .received({ added: [], updated: entries, removed: [], reset: false });
    if (failed.length > 0) {
      tell(
        failed.length === 1
          ? 'One picture could not be rated: it is gone, or its file could not be written.'
          : `${failed.length} pictures could not be rated: they are gone, or their files could not be written.`,
      );
    }
  } catch (error) {
    tell(messageOf(error));
  }
}
