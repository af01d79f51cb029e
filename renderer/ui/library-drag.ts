/**
 * A picture dragged from the Library grid inside Atelier, as the grid puts it and the drop zones
 * (the sidebar's places, Create) read it.
 */
import type { LibraryItem } from '../../shared/api';

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
