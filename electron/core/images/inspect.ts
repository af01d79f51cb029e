/**
 * Reads what an image is from its content (magic bytes, then sharp's header reader), never from its
 * file name, and without decoding its pixels: a decompression bomb is measured, not opened.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Metadata } from 'sharp';
import { openImage } from './open';
import { InputImageError } from './errors';
import { exifHasGps } from './exif';
import { formatBytes } from './limits';
import { FORMAT_NAMES, sniffFormat, type ReadableFormat } from './sniff';

/** An image given by its path (Electron drag-and-drop, file dialog) or by its bytes (browser upload). */
export type ImageInput = { path: string } | { bytes: Uint8Array; name?: string };

/** Atelier does not read files larger than this at all. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface ImageInfo {
  /** The file name, for messages; null when only bytes were given. */
  name: string | null;
  format: ReadableFormat;
  /** Size as seen, after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** Size as stored in the file (before orientation). */
  storedWidth: number;
  storedHeight: number;
  /** EXIF orientation, 1 (upright) to 8. */
  orientation: number;
  hasAlpha: boolean;
  /** More than one frame in a GIF or WebP. */
  animated: boolean;
  /** Frames or pages in the file (1 for most images). */
  pages: number;
  /** Bits per channel: 1, 2, 4, 8, 16, 32 ... */
  bitDepth: number;
  /** sharp's colour space name: 'srgb', 'cmyk', 'b-w', 'rgb16', 'grey16' ... */
  colourSpace: string;
  channels: number;
  byteLength: number;
  hasExif: boolean;
  /** The EXIF block holds a GPS position. */
  hasGps: boolean;
  /** Any metadata at all: EXIF, XMP, IPTC, an ICC profile or text chunks. */
  hasMetadata: boolean;
}

export interface ReadOptions {
  /** Refuse files larger than this without reading them; MAX_FILE_BYTES by default. */
  maxFileBytes?: number;
}

/** How a message names the file: "“holiday.jpg”" or "This file". */
export function subjectOf(name: string | null): string {
  return name ? `“${name}”` : 'This file';
}

const CHOOSE = 'Choose a PNG, JPEG or WebP picture instead.';

export async function readImageInput(
  input: ImageInput,
  options: ReadOptions = {},
): Promise<{ bytes: Buffer; name: string | null }> {
  const maxFileBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  if ('bytes' in input) {
    const name = input.name?.trim() ? basename(input.name) : null;
    const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
    if (bytes.length > maxFileBytes) throw tooBig(name, bytes.length, maxFileBytes);
    return { bytes, name };
  }
  const name = basename(input.path);
  let size: number;
  try {
    const info = await stat(input.path);
    if (!info.isFile()) {
      throw new InputImageError(
        'not_a_file',
        `${subjectOf(name)} is a folder, not an image file. ${CHOOSE}`,
      );
    }
    size = info.size;
  } catch (error) {
    if (error instanceof InputImageError) throw error;
    throw readFailure(name, error);
  }
  if (size > maxFileBytes) throw tooBig(name, size, maxFileBytes);
  try {
    return { bytes: await readFile(input.path), name };
  } catch (error) {
    throw readFailure(name, error);
  }
}

function tooBig(name: string | null, size: number, max: number): InputImageError {
  return new InputImageError(
    'file_too_big',
    `${subjectOf(name)} is ${formatBytes(size)}, larger than the ${formatBytes(max)} Atelier will open. Save a smaller copy in an image editor, then try again.`,
  );
}

function readFailure(name: string, error: unknown): InputImageError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') {
    return new InputImageError(
      'not_found',
      `Atelier can't find ${subjectOf(name)}; it may have been moved or deleted. Choose the file again.`,
    );
  }
  if (code === 'EISDIR') {
    return new InputImageError(
      'not_a_file',
      `${subjectOf(name)} is a folder, not an image file. ${CHOOSE}`,
    );
  }
  const why = code === 'EACCES' || code === 'EPERM' ? ' (no permission to read it)' : '';
  return new InputImageError(
    'unreadable_file',
    `Atelier can't read ${subjectOf(name)}${why}. Check that the file is readable, or copy it somewhere else and try again.`,
  );
}

export function damaged(name: string | null, format: string): InputImageError {
  return new InputImageError(
    'damaged',
    `${subjectOf(name)} looks like a ${format} image, but it is damaged or incomplete (perhaps it did not finish downloading or copying). Open it in an image editor and save it again, or choose another file.`,
  );
}

export function heicUnsupported(name: string | null): InputImageError {
  return new InputImageError(
    'unsupported_format',
    `${subjectOf(name)} is a HEIC photo, which Atelier can't decode on this computer. Export it as JPEG (on an iPhone: Settings, Camera, Formats, Most Compatible), then try again.`,
  );
}

/** Refuses what is not a readable image; returns the format of what is. */
export function recogniseFormat(bytes: Uint8Array, name: string | null): ReadableFormat {
  if (bytes.length === 0) {
    throw new InputImageError('empty', `${subjectOf(name)} is empty (0 bytes). ${CHOOSE}`);
  }
  const sniffed = sniffFormat(bytes);
  switch (sniffed) {
    case 'png':
    case 'jpeg':
    case 'webp':
    case 'gif':
    case 'tiff':
    case 'avif':
    case 'heic':
      return sniffed;
    case 'text':
      throw new InputImageError(
        'not_an_image',
        `${subjectOf(name)} is a text file, not an image. ${CHOOSE}`,
      );
    case 'pdf':
    case 'zip':
      throw new InputImageError(
        'not_an_image',
        `${subjectOf(name)} is a ${FORMAT_NAMES[sniffed]}, not an image. ${CHOOSE}`,
      );
    case 'svg':
    case 'bmp':
    case 'ico':
    case 'psd':
    case 'jxl':
      throw new InputImageError(
        'unsupported_format',
        `${subjectOf(name)} is a ${FORMAT_NAMES[sniffed]} image, which Atelier can't read. Save it as PNG or JPEG in an image editor, then try again.`,
      );
    case 'unknown':
      throw new InputImageError(
        'not_an_image',
        `${subjectOf(name)} is not an image Atelier can read (it is not PNG, JPEG, WebP, GIF, TIFF, AVIF or HEIC). ${CHOOSE}`,
      );
  }
}

const DEPTH_BITS: Record<string, number> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
  complex: 64,
  double: 64,
  dpcomplex: 128,
};

/** Header-only inspection of bytes already read; used by inspectImage and prepareInput. */
export async function inspectBytes(
  bytes: Buffer,
  name: string | null,
): Promise<{ info: ImageInfo; metadata: Metadata }> {
  let format = recogniseFormat(bytes, name);
  let metadata: Metadata;
  try {
    // Header only: no pixels are decoded, so even a 30000×30000 bomb is measured safely.
    metadata = await openImage(bytes, { limitInputPixels: false }).metadata();
  } catch {
    if (format === 'heic') throw heicUnsupported(name);
    throw damaged(name, FORMAT_NAMES[format]);
  }
  if (format === 'heic' || format === 'avif') {
    if (metadata.compression === 'av1') format = 'avif';
    else if (metadata.compression === 'hevc') format = 'heic';
  }
  const storedWidth = metadata.width;
  const storedHeight = metadata.pageHeight ?? metadata.height;
  const orientation = metadata.orientation ?? 1;
  const swap = orientation >= 5 && orientation <= 8;
  const pages = Math.max(1, metadata.pages ?? 1);
  const hasExif = (metadata.exif?.length ?? 0) > 0;
  const info: ImageInfo = {
    name,
    format,
    width: swap ? storedHeight : storedWidth,
    height: swap ? storedWidth : storedHeight,
    storedWidth,
    storedHeight,
    orientation,
    hasAlpha: metadata.hasAlpha,
    animated: (format === 'gif' || format === 'webp') && pages > 1,
    pages,
    bitDepth: metadata.bitsPerSample ?? DEPTH_BITS[metadata.depth] ?? 8,
    colourSpace: metadata.space,
    channels: metadata.channels,
    byteLength: bytes.length,
    hasExif,
    hasGps: exifHasGps(metadata.exif),
    hasMetadata:
      hasExif ||
      metadata.xmp !== undefined ||
      metadata.iptc !== undefined ||
      metadata.icc !== undefined ||
      (metadata.comments?.length ?? 0) > 0,
  };
  return { info, metadata };
}

/**
 * What an image is: format, size after orientation, alpha, frames, bit depth, colour space.
 * Throws InputImageError for a missing, empty, non-image, unreadable or damaged-header file.
 */
export async function inspectImage(
  input: ImageInput,
  options: ReadOptions = {},
): Promise<ImageInfo> {
  const { bytes, name } = await readImageInput(input, options);
  return (await inspectBytes(bytes, name)).info;
}
