/**
 * The orders the Library lists in (library.query's `sort`). The index keeps its entries newest
 * first; a query's matches are put in another order here, after the filter, so the filter and the
 * index need not know about orders.
 */
import type { LibrarySort } from '../../../shared/api';
import type { LibraryEntry } from './entry';

/** What the orders read of an entry; `rating` (0–5) is the one ratings store, absent = unrated. */
type Sortable = Pick<LibraryEntry, 'id' | 'createdMs' | 'model'> & { rating?: number | null };

function ratingOf(entry: Sortable): number {
  const rating = entry.rating;
  return typeof rating === 'number' && Number.isFinite(rating) ? rating : 0;
}

/** As the index's own order (entry.ts): newest first, ties by id. */
function compareNewestFirst(a: Sortable, b: Sortable): number {
  if (a.createdMs !== b.createdMs) return b.createdMs - a.createdMs;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

const COMPARE: Readonly<
  Record<Exclude<LibrarySort, 'newest' | 'oldest'>, (a: Sortable, b: Sortable) => number>
> = {
  /** Best rated first; the same rating newest first. */
  rating: (a, b) => ratingOf(b) - ratingOf(a) || compareNewestFirst(a, b),
  /** By model name (pictures without one last); the same model newest first. */
  model: (a, b) => {
    if (a.model === b.model) return compareNewestFirst(a, b);
    if (a.model === null) return 1;
    if (b.model === null) return -1;
    return collator.compare(a.model, b.model) || compareNewestFirst(a, b);
  },
};

/**
 * `newestFirst` (as the index keeps them) in the order asked for; newest gives the same array. A
 * new array otherwise: the index's own is never reordered.
 */
export function inOrder<T extends Sortable>(
  newestFirst: readonly T[],
  sort: LibrarySort = 'newest',
): readonly T[] {
  if (sort === 'newest') return newestFirst;
  if (sort === 'oldest') return [...newestFirst].reverse();
  return [...newestFirst].sort(COMPARE[sort]);
}
