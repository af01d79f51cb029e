import { useEffect, type RefObject } from 'react';

/** Shows `<dialog>` as a modal while `open` (or as a plain open dialog where showModal is missing). */
export function useModalDialog(dialog: RefObject<HTMLDialogElement | null>, open: boolean): void {
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    }
    if (!open && element.open) element.close();
  }, [dialog, open]);
}
