/**
 * The sentence "Reuse settings" leaves for Create when part of a recipe could not come back
 * (RecallNote shows it above the form until dismissed or the next recall).
 */
import { create } from 'zustand';

export const useRecallNote = create<{
  note: string | null;
  setNote: (note: string | null) => void;
}>()((set) => ({ note: null, setNote: (note) => set({ note }) }));
