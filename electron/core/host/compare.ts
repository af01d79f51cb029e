/**
 * Compare in the core: `compare.save` composes two pictures side by side into one labelled PNG
 * (sharp) and saves it to the library as a `comparison`, with both pictures as its inputs.
 *
 * The two are mapped onto one frame by the Compare view's own rule (shared/compare-layout.ts: the
 * larger picture's pixel grid, each picture centred and whole), so the same spot sits at the same
 * place in both panes.
 * Upscaling the smaller one uses nearest-neighbour, so its real pixels stay visible.
 */
import { openImage } from '../images/open';
import type { CompareSaved, CompareSide, CompareSource } from '../../../shared/api';
import { paneLayout } from '../../../shared/compare-layout';
import {
  LIBRARY_LIMITS,
  LibraryError,
  readBounded,
  resolveLibraryFile,
  type Library,
} from '../library';
import type { InputsService } from '../inputs';
import { PlainError } from '../errors';
import type { Handlers } from '../rpc/dispatch';

export type CompareCallName = 'compare.save';

export interface CompareOptions {
  /** The library in force (opened on first use). */
  library: () => Promise<Library>;
  /** Staged pictures (a dropped picture's side names its staged id). */
  inputs: Pick<InputsService, 'read'>;
}

export interface CompareService {
  handlers: Pick<Handlers, CompareCallName>;
}

/** Longest side of one pane of a saved comparison. */
export const MAX_PANE = 4096;

const BACKGROUND = { r: 27, g: 28, b: 31, alpha: 1 };

interface Loaded {
  bytes: Buffer;
  width: number;
  height: number;
}

function gone(what: string): PlainError {
  return new PlainError(
    'not_found',
    `${what} is no longer there, so the comparison was not saved. Open the two pictures again and save once more.`,
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

/** Keeps a label on one line within about `max` characters. */
function shorten(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters never belong in a label
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean.length > max ? `${clean.slice(0, Math.max(1, max - 1))}…` : clean;
}

export function createCompareService(options: CompareOptions): CompareService {
  async function bytesOf(library: Library, source: CompareSource): Promise<Buffer> {
    switch (source.kind) {
      case 'library': {
        const entry = library.get(source.id);
        if (!entry) throw gone('One of the pictures');
        // A file of the library: lstat'ed, a regular file within the library's limit.
        const read = readBounded(library.absolutePath(entry.path), LIBRARY_LIMITS.imageBytes);
        return read.then(
          (file) => file.bytes,
          () => {
            throw gone('One of the pictures');
          },
        );
      }
      case 'made-from': {
        const sidecar = library.get(source.id) ? await library.readSidecar(source.id) : null;
        const input = sidecar?.inputs.find((i) => i.role === source.role);
        if (!input) throw gone('One of the pictures');
        const resolved = await resolveLibraryFile(library.dir, input.file);
        if (!resolved.ok) throw gone('One of the pictures');
        return readBounded(resolved.path, LIBRARY_LIMITS.imageBytes).then(
          (file) => file.bytes,
          () => {
            throw gone('One of the pictures');
          },
        );
      }
      case 'input': {
        return options.inputs.read(source.id).catch(() => {
          throw gone('A dropped picture');
        });
      }
    }
  }

  async function load(bytes: Buffer, title: string): Promise<Loaded> {
    try {
      const { data, info } = await openImage(bytes)
        .rotate()
        .png({ compressionLevel: 1 })
        .toBuffer({ resolveWithObject: true });
      return { bytes: data, width: info.width, height: info.height };
    } catch {
      throw new PlainError(
        'unreadable_image',
        `Atelier could not read “${shorten(title, 60)}” as a picture, so the comparison was not saved. Use a PNG, JPEG or WebP file.`,
      );
    }
  }

  async function compose(
    left: Loaded,
    right: Loaded,
    sides: [CompareSide, CompareSide],
  ): Promise<Buffer> {
    const layout = paneLayout(left, right, MAX_PANE);
    const { pane } = layout;
    const font = Math.round(Math.min(64, Math.max(14, pane.width / 36)));
    const pad = Math.round(font * 0.9);
    const labelHeight = Math.round(font * 3.4);
    const gap = pad;
    const width = pad * 2 + pane.width * 2 + gap;
    const height = pad + pane.height + labelHeight;

    const pieces = await Promise.all(
      [left, right].map(async (picture, i) => {
        const place = i === 0 ? layout.left : layout.right;
        const input = await openImage(picture.bytes)
          .resize(place.width, place.height, {
            fit: 'fill',
            kernel: place.scale > 1 ? 'nearest' : 'lanczos3',
          })
          .png({ compressionLevel: 1 })
          .toBuffer();
        return {
          input,
          left: pad + (i === 0 ? 0 : pane.width + gap) + place.left,
          top: pad + place.top,
        };
      }),
    );

    const maxChars = Math.max(12, Math.floor(pane.width / (font * 0.56)));
    const text = sides
      .map((side, i) => {
        const picture = i === 0 ? left : right;
        const x = pad + (i === 0 ? 0 : pane.width + gap);
        const y1 = pad + pane.height + Math.round(font * 1.45);
        const y2 = y1 + Math.round(font * 1.3);
        const which = i === 0 ? 'Left' : 'Right';
        const detail = [
          side.model ?? null,
          `${String(picture.width)} × ${String(picture.height)} px`,
        ]
          .filter((part): part is string => part !== null && part !== '')
          .join(' · ');
        return (
          `<text x="${String(x)}" y="${String(y1)}" font-size="${String(font)}" font-weight="700" fill="#f1f1f3">${escapeXml(shorten(`${which}: ${side.title}`, maxChars))}</text>` +
          `<text x="${String(x)}" y="${String(y2)}" font-size="${String(Math.round(font * 0.8))}" fill="#a9a9b1">${escapeXml(shorten(detail, maxChars))}</text>`
        );
      })
      .join('');
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${String(width)}" height="${String(height)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">${text}</svg>`,
    );

    return openImage(undefined, { create: { width, height, channels: 4, background: BACKGROUND } })
      .composite([...pieces, { input: svg, left: 0, top: 0 }])
      .png()
      .toBuffer();
  }

  const handlers: CompareService['handlers'] = {
    'compare.save': async ({ left, right }) => {
      let library: Library;
      try {
        library = await options.library();
      } catch (error) {
        if (error instanceof LibraryError) throw new PlainError(error.code, error.message);
        throw error;
      }
      const originals = await Promise.all([
        bytesOf(library, left.source),
        bytesOf(library, right.source),
      ]);
      const [a, b] = await Promise.all([
        load(originals[0], left.title),
        load(originals[1], right.title),
      ]);
      const png = await compose(a, b, [left, right]);
      try {
        const entry = await library.save({
          bytes: png,
          format: 'png',
          recipe: {
            operation: 'comparison',
            endpoint: null,
            model: null,
            params: {
              layout: 'side-by-side',
              left: left.title,
              right: right.title,
              ...(left.model ? { left_model: left.model } : {}),
              ...(right.model ? { right_model: right.model } : {}),
            },
            seed: null,
            finishReason: null,
            credits: 0,
            sandbox: false,
            inputs: [
              { role: 'left', bytes: originals[0] },
              { role: 'right', bytes: originals[1] },
            ],
          },
        });
        const saved: CompareSaved = {
          id: entry.id,
          path: entry.path,
          width: entry.width,
          height: entry.height,
          libraryDir: library.dir,
        };
        return saved;
      } catch (error) {
        if (error instanceof LibraryError) throw new PlainError(error.code, error.message);
        throw error;
      }
    },
  };

  return { handlers };
}
