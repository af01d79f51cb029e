/**
 * Export: copies of library pictures in a folder the person chose, in the format, size and
 * metadata they asked for. A file there is never overwritten: a taken name gets " (2)", " (3)"…
 * Each copy is written to a temporary name and linked into place (or copied exclusively where the
 * drive has no links), so the folder never holds half a picture. Cancelling stops between
 * pictures; what was written stays.
 */
import { constants } from 'node:fs';
import { copyFile, link, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempNameFor } from '../fs/atomic';
import { openImage } from '../images/open';
import type { LibraryEntry } from './entry';
import { LIBRARY_LIMITS, readBounded } from './files';
import {
  EXTENSION_OF,
  LibraryError,
  type EmbeddedRecipe,
  type ImageFormat,
  type Sidecar,
} from './format';
import { embedRecipe } from './metadata';
import { writeImageRating } from './rating';

export interface ExportOptions {
  format: 'original' | ImageFormat;
  /** JPEG and WebP quality, 1–100. */
  quality: number;
  /** null: the original size; else the longest edge (never enlarged). */
  longestEdge: number | null;
  /** keep: the recipe (and rating) embedded; strip: no metadata at all. */
  metadata: 'keep' | 'strip';
  names: 'prompt' | 'original';
}

export interface ExportSource {
  get(id: string): LibraryEntry | null;
  readSidecar(id: string): Promise<Sidecar | null>;
  absolutePath(relativePath: string): string;
}

export interface ExportResult {
  exported: number;
  failed: number;
  cancelled: boolean;
  /** The names written, in order. */
  files: string[];
}

/** The longest file name stem an export writes (in characters; the suffix and extension add). */
export const EXPORT_NAME_MAX = 80;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * A file name stem from text the person (or a prompt, or a synced file) gave: no separators,
 * no `..`, no characters Windows, macOS or Linux refuse, no control characters, no leading or
 * trailing dots or spaces, not a reserved device name, at most EXPORT_NAME_MAX characters.
 */
export function safeFileStem(text: string, fallback = 'picture'): string {
  let stem = text
    .normalize('NFC')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[<>:"/\\|?*]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  stem = Array.from(stem).slice(0, EXPORT_NAME_MAX).join('');
  stem = stem.replace(/^[.\s]+|[.\s]+$/g, '');
  if (stem === '') return fallback;
  if (RESERVED.test(stem.split('.')[0] ?? '')) stem = `_${stem}`;
  return stem;
}

function stemOf(
  entry: LibraryEntry,
  sidecar: Sidecar | null,
  names: ExportOptions['names'],
): string {
  if (names === 'prompt' && entry.prompt.trim() !== '') return safeFileStem(entry.prompt);
  const original = sidecar?.source?.name ?? path.posix.basename(entry.path);
  return safeFileStem(original.replace(/\.[^.]*$/, ''));
}

/**
 * Puts `bytes` at `<dir>/<stem><ext>`, or `<stem> (2)<ext>`… when taken: never over a file.
 * Answers the name used.
 */
export async function writeNew(
  dir: string,
  stem: string,
  ext: string,
  bytes: Uint8Array,
): Promise<string> {
  const temp = path.join(dir, tempNameFor(`${stem}.${ext}`.slice(-60)));
  await writeFile(temp, bytes, { flag: 'wx' });
  try {
    for (let n = 1; n <= 10_000; n++) {
      const name = n === 1 ? `${stem}.${ext}` : `${stem} (${n}).${ext}`;
      const target = path.join(dir, name);
      try {
        await link(temp, target);
        return name;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        // A drive without links (FAT, some network shares): an exclusive copy.
        try {
          await copyFile(temp, target, constants.COPYFILE_EXCL);
          return name;
        } catch (copyError) {
          if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') continue;
          throw copyError;
        }
      }
    }
    throw new LibraryError('export-names', `Every name for ${stem} is taken in that folder.`);
  } finally {
    await rm(temp, { force: true });
  }
}

/** The recipe as embedded in a copy of `format` at `width`×`height`. */
function recipeFor(
  sidecar: Sidecar,
  format: ImageFormat,
  width: number,
  height: number,
): EmbeddedRecipe {
  const { file: _file, image: _image, favourite: _favourite, rating: _rating, ...rest } = sidecar;
  return { ...rest, image: { format, width, height } };
}

/** One picture's exported bytes and format. */
async function render(
  bytes: Buffer,
  entry: LibraryEntry,
  sidecar: Sidecar | null,
  options: ExportOptions,
): Promise<{ bytes: Uint8Array; format: ImageFormat }> {
  const format = options.format === 'original' ? entry.format : options.format;
  const fits =
    options.longestEdge === null || Math.max(entry.width, entry.height) <= options.longestEdge;
  // The file as it is: same format, same size, recipe kept.
  if (format === entry.format && fits && options.metadata === 'keep') return { bytes, format };
  let image = openImage(bytes);
  if (!fits && options.longestEdge !== null) {
    image = image.resize({
      width: options.longestEdge,
      height: options.longestEdge,
      fit: 'inside',
      withoutEnlargement: true,
    });
  }
  // sharp writes no metadata unless asked: a stripped copy carries none.
  const encoded =
    format === 'png'
      ? image.png()
      : format === 'jpeg'
        ? image.jpeg({ quality: options.quality, mozjpeg: true })
        : image.webp({ quality: options.quality });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  if (options.metadata === 'strip' || !sidecar) return { bytes: data, format };
  let kept: Uint8Array = embedRecipe(
    data,
    format,
    recipeFor(sidecar, format, info.width, info.height),
  );
  if ((sidecar.rating ?? 0) > 0) kept = writeImageRating(kept, sidecar.rating ?? 0);
  return { bytes: kept, format };
}

export async function exportPictures(
  source: ExportSource,
  ids: readonly string[],
  dir: string,
  options: ExportOptions,
  control: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<ExportResult> {
  const folder = await stat(dir).catch(() => null);
  if (!folder?.isDirectory()) {
    throw new LibraryError(
      'export-folder',
      `${dir} is not a folder Atelier can reach. Choose an existing folder and try again.`,
    );
  }
  const result: ExportResult = { exported: 0, failed: 0, cancelled: false, files: [] };
  const unique = [...new Set(ids)];
  for (const [done, id] of unique.entries()) {
    if (control.signal?.aborted) {
      result.cancelled = true;
      break;
    }
    control.onProgress?.(done, unique.length);
    const entry = source.get(id);
    if (!entry) {
      result.failed += 1;
      continue;
    }
    try {
      const sidecar = await source.readSidecar(id);
      const { bytes } = await readBounded(
        source.absolutePath(entry.path),
        LIBRARY_LIMITS.imageBytes,
      );
      const out = await render(bytes, entry, sidecar, options);
      const name = await writeNew(
        dir,
        stemOf(entry, sidecar, options.names),
        EXTENSION_OF[out.format],
        out.bytes,
      );
      result.files.push(name);
      result.exported += 1;
    } catch (error) {
      if (error instanceof LibraryError && error.code === 'export-names') throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new LibraryError(
          'export-write',
          code === 'ENOSPC'
            ? `The drive of ${dir} is full. ${result.exported} picture(s) were exported; free some space and export the rest.`
            : `Atelier may not write in ${dir}. ${result.exported} picture(s) were exported; choose another folder.`,
        );
      }
      result.failed += 1;
    }
  }
  if (!result.cancelled) control.onProgress?.(unique.length, unique.length);
  return result;
}
