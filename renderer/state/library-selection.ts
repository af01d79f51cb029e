/**
 * The Library's selection: the selected ids, the keyboard focus and Shift's anchor in the grid,
 * and the picture open in the detail. Indexes are the grid's; the browse store says which picture
 * stands at one (the callers pass its itemAt), so this store needs no other.
 */
import { create } from 'zustand';
import type { LibraryItem } from '../../shared/api';

type ItemAt = (index: number) => Pick<LibraryItem, 'id'> | undefined;

interface SelectionState {
  selected: string[];
  /** Index of the keyboard focus in the grid. */
  focus: number;
  /** Anchor of Shift selection. */
  anchor: number;
  detail: LibraryItem | null;

  /** Moves the focus, kept inside the `total` pictures. */
  setFocus: (index: number, total: number) => void;
  /** Click or key selection: plain replaces, toggle adds/removes, range extends from the anchor. */
  select: (index: number, mode: 'replace' | 'toggle' | 'range', itemAt: ItemAt) => void;
  clearSelection: () => void;
  openDetail: (item: LibraryItem | null) => void;
  /** Pictures changed or went: the detail shows the new one, the gone leave the selection. */
  changed: (updated: readonly LibraryItem[], removed: readonly string[]) => void;
  /** Another folder or filter: nothing selected there yet. */
  forget: (what: 'filter' | 'folder') => void;
}

export const useLibrarySelection = create<SelectionState>()((set, get) => ({
  selected: [],
  focus: 0,
  anchor: 0,
  detail: null,

  setFocus: (index, total) => set({ focus: Math.max(0, Math.min(index, total - 1)) }),

  select: (index, mode, itemAt) => {
    const item = itemAt(index);
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
        const e = itemAt(i);
        if (e) ids.push(e.id);
      }
      set({ selected: ids, focus: index });
    }
  },
  clearSelection: () => set({ selected: [] }),

  openDetail: (item) => set({ detail: item }),

  changed: (updated, removed) => {
    const byId = new Map(updated.map((e) => [e.id, e]));
    const gone = new Set(removed);
    set((state) => ({
      selected: gone.size ? state.selected.filter((id) => !gone.has(id)) : state.selected,
      detail:
        state.detail && !gone.has(state.detail.id)
          ? (byId.get(state.detail.id) ?? state.detail)
          : null,
    }));
  },

  forget: (what) =>
    set(what === 'filter' ? { focus: 0, anchor: 0 } : { selected: [], detail: null }),
}));
