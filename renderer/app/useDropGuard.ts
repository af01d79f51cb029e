import { useEffect } from 'react';

/**
 * A picture dropped where nothing takes it must not replace Atelier by the picture (the browser's
 * default for a dropped file). Drop zones handle their own drops and cancel the default first; this
 * only cancels what is left, and shows the "no drop" cursor outside the zones.
 */
export function useDropGuard(): void {
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (event.defaultPrevented || !event.dataTransfer) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'none';
    };
    const onDrop = (event: DragEvent) => event.preventDefault();
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}
