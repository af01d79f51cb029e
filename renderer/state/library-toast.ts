/** The Library's toast: what an action did, with Undo when it can be undone. */
import { create } from 'zustand';

export interface Toast {
  message: string;
  /** Present when the action can be undone. */
  undoToken?: string;
}

export const useLibraryToast = create<{
  toast: Toast | null;
  showToast: (toast: Toast | null) => void;
}>()((set) => ({
  toast: null,
  showToast: (toast) => set({ toast }),
}));

/** Shows a sentence in the Library's toast. */
export function tell(message: string): void {
  useLibraryToast.getState().showToast({ message });
}
