import { useEffect } from 'react';
import { useNavigation } from '../state';

/** The place index (0..3) a key press asks for with Ctrl/Cmd+1..4, or null. */
export function placeShortcut(event: KeyboardEvent): number | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return null;
  const fromCode = /^Digit([1-4])$/.exec(event.code)?.[1];
  const digit = fromCode ?? (/^[1-4]$/.test(event.key) ? event.key : undefined);
  return digit === undefined ? null : Number(digit) - 1;
}

/** Ctrl/Cmd+1..4 jump to the places from anywhere in the window. */
export function usePlaceShortcuts(): void {
  const goToIndex = useNavigation((s) => s.goToIndex);
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const index = placeShortcut(event);
      if (index === null) return;
      event.preventDefault();
      goToIndex(index, { focus: true });
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [goToIndex]);
}
