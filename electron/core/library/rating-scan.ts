/**
 * A scan's look at ratings other programs wrote: when a picture's file is newer than its sidecar
 * (Lightroom, Bridge, digiKam or exiftool rewrote it), its XMP is read and the sidecar follows the
 * picture (its rating, size and hash). Atelier writes the image first and the sidecar second, so
 * its own writes never look like this.
 */
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { entryFromSidecar } from './entry';
import { checkSidecar } from './format';
import { LIBRARY_LIMITS, readBounded, readBoundedJson, sha256Sliced } from './files';
import { imageInfo, isStructurallyComplete } from './imageinfo';
import { readImageRating } from './rating';
import { writeSidecar } from './save';
import { mapLimit, type ScanContext, type ScannedEntry } from './scan';

async function adoptOne(ctx: ScanContext, scanned: ScannedEntry): Promise<ScannedEntry> {
  const { entry } = scanned;
  if (ctx.inFlight?.has(entry.path)) return scanned;
  const abs = (rel: string) => path.join(ctx.libraryDir, ...rel.split('/'));
  const file = abs(entry.path);
  const st = await lstat(file).catch(() => null);
  if (!st?.isFile() || st.mtimeMs <= scanned.sidecarMtimeMs) return scanned;
  if (st.size > LIBRARY_LIMITS.imageBytes) return scanned;
  let bytes: Buffer;
  try {
    ({ bytes } = await readBounded(file, LIBRARY_LIMITS.imageBytes));
  } catch {
    return scanned;
  }
  // Still being written (a sync client): looked at again once whole.
  if (!isStructurallyComplete(bytes)) return scanned;
  const rating = readImageRating(bytes);
  const sha256 = await sha256Sliced(bytes);
  if ((rating === null || rating === entry.rating) && sha256 === entry.sha256) return scanned;
  let sidecar;
  try {
    sidecar = checkSidecar(
      await readBoundedJson(abs(entry.sidecarPath), LIBRARY_LIMITS.sidecarBytes),
    );
  } catch {
    return scanned;
  }
  if (!sidecar) return scanned;
  const info = imageInfo(bytes);
  const next = {
    ...sidecar,
    rating: rating ?? sidecar.rating ?? 0,
    image: {
      ...sidecar.image,
      ...(info ? { width: info.width, height: info.height, format: info.format } : {}),
      bytes: bytes.length,
      sha256,
    },
  };
  const sidecarFile = abs(entry.sidecarPath);
  try {
    await writeSidecar(sidecarFile, next);
  } catch {
    return scanned;
  }
  const written = await stat(sidecarFile);
  return {
    entry: entryFromSidecar(next, entry.path, entry.sidecarPath),
    sidecarMtimeMs: written.mtimeMs,
    sidecarSize: written.size,
  };
}

/** Brings `entries` (one folder's) in step with ratings written into their pictures. */
export async function adoptImageRatings(ctx: ScanContext, entries: ScannedEntry[]): Promise<void> {
  const updated = await mapLimit(entries, 8, (scanned) => adoptOne(ctx, scanned));
  updated.forEach((scanned, i) => (entries[i] = scanned));
}
