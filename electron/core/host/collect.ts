/**
 * The calls of ratings, collections, bulk actions, select-all and export (issue 17).
 */
import { PlainError } from '../errors';
import type { Handlers } from '../rpc/dispatch';

export type CollectCallName =
  | 'library.rate'
  | 'library.setFavourites'
  | 'library.ids'
  | 'library.export'
  | 'library.cancelExport'
  | 'collections.list'
  | 'collections.create'
  | 'collections.rename'
  | 'collections.delete'
  | 'collections.add'
  | 'collections.remove';

const later = (): Promise<never> =>
  Promise.reject(new PlainError('not_available', 'This is not ready yet.'));

export function createCollectHandlers(): Pick<Handlers, CollectCallName> {
  return {
    'library.rate': later,
    'library.setFavourites': later,
    'library.ids': later,
    'library.export': later,
    'library.cancelExport': later,
    'collections.list': later,
    'collections.create': later,
    'collections.rename': later,
    'collections.delete': later,
    'collections.add': later,
    'collections.remove': later,
  };
}
