/**
 * The addresses of the library's pictures, as the core serves them under the folder's mediaBase:
 * the file itself and its thumbnails. Used by the Library and by Create.
 */
import type { LibraryFolder, LibraryItem } from '../../shared/api';

/** The URL of a library image. */
export function mediaUrl(folder: LibraryFolder | null, item: Pick<LibraryItem, 'path'>): string {
  const path = item.path.split('/').map(encodeURIComponent).join('/');
  return `${folder?.mediaBase ?? ''}/media/${path}`;
}

/**
 * The URL of a thumbnail (256 or 512 px), changing when the image does (when its sha256 is known:
 * a picture Create just made has a new id, so its address is new anyway).
 */
export function thumbUrl(
  folder: LibraryFolder | null,
  item: Pick<LibraryItem, 'id'> & { sha256?: string },
  size = 256,
): string {
  const version = item.sha256 ? `?v=${item.sha256.slice(0, 12)}` : '';
  return `${folder?.mediaBase ?? ''}/thumb/${item.id}/${size}${version}`;
}
