/** Setting a picture's rating: its image's xmp:Rating first, then (by the caller) its sidecar. */
import { writeFileAtomic } from '../fs/atomic';
import { LIBRARY_LIMITS, readBounded, sha256Sliced } from './files';
import type { Sidecar } from './format';
import { readImageRating, writeImageRating } from './rating';

/**
 * Writes `rating` into the image at `imageFile` (atomically, pixels untouched) unless it holds it
 * already; answers the sidecar to write after it, with the image's new size and hash.
 */
export async function rateFiles(
  imageFile: string,
  sidecar: Sidecar,
  rating: number,
): Promise<Sidecar> {
  const { bytes } = await readBounded(imageFile, LIBRARY_LIMITS.imageBytes);
  let rated: Uint8Array = bytes;
  if (readImageRating(bytes) !== rating) {
    rated = writeImageRating(bytes, rating);
    await writeFileAtomic(imageFile, rated);
  }
  return {
    ...sidecar,
    rating,
    image: { ...sidecar.image, bytes: rated.length, sha256: await sha256Sliced(rated) },
  };
}
