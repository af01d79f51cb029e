/**
 * What other places read: what the Library handed over. "Use as input" and "Reuse settings" are
 * applied through Create's store at once; "Compare two" waits here for Compare to take it
 * (useLibraryIntent.getState().take('compare')).
 */
import { create } from 'zustand';
import type { LibraryItem } from '../../shared/api';

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
