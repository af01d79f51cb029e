/**
 * Moving the library to another folder (Settings): the progress while it runs and what it did. In a
 * store, not in the settings row, because the row is made anew when the folder setting changes.
 */
import { create } from 'zustand';
import { getBridge } from './bridge';
import { messageOf } from './connection';

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
