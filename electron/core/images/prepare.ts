/**
 * Makes an input image ready to upload: read by content, upright (EXIF orientation applied),
 * first frame only, sRGB 8-bit, every bit of metadata removed (GPS included), in a format the
 * endpoint takes, and within its limits. Too large: scaled down, and a note says so. Too small or
 * too stretched: refused with a sentence that names the limit.
 */
import type { Sharp } from 'sharp';
import { MAX_INPUT_PIXELS, openImage } from './open';
import { InputImageError } from './errors';
import {
  damaged,
  heicUnsupported,
  inspectBytes,
  readImageInput,
  subjectOf,
  type ImageInfo,
  type ImageInput,
  type ReadOptions,
} from './inspect';
import {
  formatBytes,
  formatCount,
  formatMegapixels,
  formatRatio,
  type InputLimits,
} from './limits';
import { FORMAT_NAMES } from './sniff';

export { MAX_INPUT_PIXELS };
/** JPEG and WebP quality: high, to lose little on re-encoding; lower only to fit a byte limit. */
const QUALITY = 92;
const REDUCED_QUALITY = 82;

export type UploadFormat = 'png' | 'jpeg' | 'webp';

export interface PrepareOptions extends ReadOptions {
  /** What the image is for, in messages: "Stable Image Ultra" -> "Stable Image Ultra's limit". */
  target?: string;
  /** Largest image (in pixels) Atelier will decode; MAX_INPUT_PIXELS by default. */
  maxInputPixels?: number;
}

export interface PreparedImage {
  bytes: Buffer;
  format: UploadFormat;
  mimeType: `image/${UploadFormat}`;
  /** A file name for the upload, e.g. "holiday.png". */
  fileName: string;
  width: number;
  height: number;
  /** Plain sentences about what Atelier changed (scaled, converted, first frame, GPS removed). */
  notes: string[];
  /** What the original was. */
  source: ImageInfo;
}

const UPLOADABLE: readonly UploadFormat[] = ['png', 'jpeg', 'webp'];

function normaliseFormats(formats: readonly string[]): UploadFormat[] {
  const out: UploadFormat[] = [];
  for (const f of formats) {
    const lower = f.toLowerCase();
    const name = lower === 'jpg' ? 'jpeg' : lower;
    const known = UPLOADABLE.find((u) => u === name);
    if (known && !out.includes(known)) out.push(known);
  }
  return out;
}

function listFormats(formats: readonly UploadFormat[]): string {
  return listWords(formats.map((f) => FORMAT_NAMES[f]));
}

function size(w: number, h: number): string {
  return `${w}×${h}`;
}

/** "Stable Image Ultra's" or "this model's". */
function whose(target: string | undefined): string {
  return target ? `${target}'s` : "this model's";
}

function forTarget(target: string | undefined): string {
  return target ?? 'this model';
}

/** Describes the smallest size an endpoint takes: "64 pixels on each side and 4,096 pixels in all". */
function minimumText(limits: InputLimits): string {
  const parts: string[] = [];
  if (limits.minSide) parts.push(`${formatCount(limits.minSide)} pixels on each side`);
  if (limits.minPixels) parts.push(`${formatCount(limits.minPixels)} pixels in all`);
  return parts.join(' and ');
}

/** The largest size that fits maxSide and maxPixels, keeping the shape. */
function fitWithin(w: number, h: number, limits: InputLimits): { width: number; height: number } {
  let scale = 1;
  if (limits.maxSide) scale = Math.min(scale, limits.maxSide / Math.max(w, h));
  if (limits.maxPixels) scale = Math.min(scale, Math.sqrt(limits.maxPixels / (w * h)));
  if (scale >= 1) return { width: w, height: h };
  let width = Math.max(1, Math.floor(w * scale + 1e-6));
  let height = Math.max(1, Math.floor(h * scale + 1e-6));
  while (limits.maxPixels && width * height > limits.maxPixels) {
    if (width >= height) width--;
    else height--;
  }
  return { width, height };
}

/**
 * Keeps a size inside the aspect limits exactly. Rounding a scaled size down can make 5000×2000
 * (2.5:1) into 4857×1942 (2.501:1), which the endpoint refuses; a shape within the small tolerance
 * prepare allows is trimmed the same way. One side loses a pixel or two, never gains one, so the
 * other limits still hold.
 */
function clampAspect(
  size: { width: number; height: number },
  limits: InputLimits,
): { width: number; height: number } {
  let { width, height } = size;
  if (limits.maxAspect !== undefined && width / height > limits.maxAspect) {
    width = Math.max(1, Math.floor(height * limits.maxAspect));
    while (width > 1 && width / height > limits.maxAspect) width--;
  }
  if (limits.minAspect !== undefined && width / height < limits.minAspect) {
    height = Math.max(1, Math.floor(width / limits.minAspect));
    while (height > 1 && width / height < limits.minAspect) height--;
  }
  return { width, height };
}

/** "2.5:1 wide or 1:2.5 tall". */
function shapeRange(limits: InputLimits): string {
  const parts: string[] = [];
  if (limits.maxAspect !== undefined) parts.push(`${formatRatio(limits.maxAspect)} wide`);
  if (limits.minAspect !== undefined) parts.push(`${formatRatio(limits.minAspect)} tall`);
  return parts.join(' or ');
}

function belowMinimum(w: number, h: number, limits: InputLimits): boolean {
  return (
    (limits.minSide !== undefined && Math.min(w, h) < limits.minSide) ||
    (limits.minPixels !== undefined && w * h < limits.minPixels)
  );
}

/** "a", "a and b", "a, b and c". */
function listWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/** Which limits made the image shrink, in words. */
function sizeLimitParts(w: number, h: number, limits: InputLimits): string[] {
  const parts: string[] = [];
  if (limits.maxSide !== undefined && Math.max(w, h) > limits.maxSide) {
    parts.push(`${formatCount(limits.maxSide)} pixels per side`);
  }
  if (limits.maxPixels !== undefined && w * h > limits.maxPixels) {
    parts.push(`${formatMegapixels(limits.maxPixels)} (${formatCount(limits.maxPixels)} pixels)`);
  }
  return parts;
}

function decodeFailure(error: unknown, info: ImageInfo, maxInputPixels: number): InputImageError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return tooManyPixels(info, maxInputPixels);
  if (/timeout/i.test(message)) {
    return new InputImageError(
      'too_slow',
      `${subjectOf(info.name)} took too long to open. Save a smaller copy in an image editor, then try again.`,
    );
  }
  if (info.format === 'heic') return heicUnsupported(info.name);
  return damaged(info.name, FORMAT_NAMES[info.format]);
}

function tooManyPixels(info: ImageInfo, maxInputPixels: number): InputImageError {
  const claimed = info.storedWidth * info.storedHeight;
  return new InputImageError(
    'too_many_pixels',
    `${subjectOf(info.name)} says it is ${size(info.width, info.height)} pixels (${formatMegapixels(claimed)}), more than the ${formatMegapixels(maxInputPixels)} Atelier will open. Save a smaller copy in an image editor, then try again.`,
  );
}

function encoder(
  format: UploadFormat,
  bytes: Buffer,
  info: ImageInfo,
  width: number,
  height: number,
  maxInputPixels: number,
  quality: number,
): Sharp {
  let pipeline = openImage(bytes, {
    limitInputPixels: maxInputPixels,
    failOn: 'error',
    pages: 1,
    page: 0,
  }).autoOrient();
  if (width !== info.width || height !== info.height) {
    pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
  }
  // 8 bits per channel, sRGB; sharp keeps no metadata unless asked (no EXIF, GPS, XMP, ICC, text).
  pipeline = pipeline.toColourspace('srgb');
  switch (format) {
    case 'png':
      return pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
    case 'jpeg':
      return pipeline.jpeg({ quality, chromaSubsampling: '4:4:4' });
    case 'webp':
      return pipeline.webp({ quality, alphaQuality: 100 });
  }
}

/**
 * Prepares an image for an endpoint with the given limits. Throws InputImageError (with a plain
 * sentence) when the image can't be used.
 */
export async function prepareInput(
  input: ImageInput,
  limits: InputLimits,
  options: PrepareOptions = {},
): Promise<PreparedImage> {
  const maxInputPixels = options.maxInputPixels ?? MAX_INPUT_PIXELS;
  const { bytes, name } = await readImageInput(input, options);
  const { info } = await inspectBytes(bytes, name);
  const { width: w, height: h } = info;
  const target = options.target;
  const notes: string[] = [];

  // A decompression bomb (or simply an enormous image) is refused from its header.
  if (info.storedWidth * info.storedHeight > maxInputPixels)
    throw tooManyPixels(info, maxInputPixels);

  // Shape first: scaling does not change it.
  const aspect = w / h;
  const tooNarrow = limits.minAspect !== undefined && aspect < limits.minAspect * (1 - 1e-3);
  const tooWide = limits.maxAspect !== undefined && aspect > limits.maxAspect * (1 + 1e-3);
  if (tooNarrow || tooWide) {
    const range =
      limits.minAspect !== undefined && limits.maxAspect !== undefined
        ? `between ${formatRatio(limits.minAspect)} and ${formatRatio(limits.maxAspect)}`
        : tooWide && limits.maxAspect !== undefined
          ? `no wider than ${formatRatio(limits.maxAspect)}`
          : `no taller than ${formatRatio(limits.minAspect ?? 1)}`;
    throw new InputImageError(
      'bad_shape',
      `${subjectOf(name)} is ${size(w, h)}, ${tooWide ? 'too wide' : 'too tall'} a shape (${formatRatio(aspect)}); ${forTarget(target)} takes shapes ${range}. Crop it closer to a square, then try again.`,
    );
  }

  if (belowMinimum(w, h, limits)) {
    throw new InputImageError(
      'too_small',
      `${subjectOf(name)} is ${size(w, h)} pixels; ${forTarget(target)} needs at least ${minimumText(limits)}. Use a larger image.`,
    );
  }

  let { width, height } = clampAspect(fitWithin(w, h, limits), limits);
  if (belowMinimum(width, height, limits)) {
    throw new InputImageError(
      'bad_shape',
      `${subjectOf(name)} is ${size(w, h)}; to fit ${whose(target)} limit of ${listWords(sizeLimitParts(w, h, limits))}, Atelier would have to shrink it to ${size(width, height)}, under the smallest size it takes (${minimumText(limits)}). Crop it to a less stretched shape, then try again.`,
    );
  }
  const scaledForSize = width !== w || height !== h;

  // Format: keep PNG, JPEG and WebP when the endpoint takes them; convert the rest.
  const accepted = normaliseFormats(limits.formats);
  const fallback: UploadFormat = accepted.includes('png') ? 'png' : (accepted[0] ?? 'png');
  const keep = accepted.find((f) => f === info.format);
  const format: UploadFormat = keep ?? fallback;
  if (!keep) {
    notes.push(
      `Atelier converted your ${FORMAT_NAMES[info.format]} image to ${FORMAT_NAMES[format]}, since ${forTarget(target)} takes ${listFormats(accepted.length > 0 ? accepted : [format])}.`,
    );
  }
  if (info.pages > 1) {
    notes.push(
      info.animated
        ? `Your ${FORMAT_NAMES[info.format]} is animated; Atelier used its first frame.`
        : `Your ${FORMAT_NAMES[info.format]} has ${info.pages} pages; Atelier used the first.`,
    );
  }
  if (info.colourSpace === 'cmyk') {
    notes.push(
      'Your image uses print colours (CMYK); Atelier converted it to screen colours (sRGB).',
    );
  }
  if (info.bitDepth > 8) {
    notes.push(
      `Your image has ${info.bitDepth} bits per channel; Atelier sends it with 8, which is what the models use.`,
    );
  }

  let out: Buffer;
  let quality = QUALITY;
  let scaledForBytes = false;
  const encode = () =>
    encoder(format, bytes, info, width, height, maxInputPixels, quality).toBuffer();
  try {
    out = await encode();
    const maxBytes = limits.maxBytes;
    if (maxBytes !== undefined && out.length > maxBytes) {
      const before = out.length;
      // Too many bytes: a JPEG or WebP first tries a lower quality, then everything shrinks a
      // little more until the file fits.
      if (format !== 'png') {
        quality = REDUCED_QUALITY;
        out = await encode();
      }
      for (let attempt = 0; attempt < 8 && out.length > maxBytes; attempt++) {
        const factor = Math.min(0.95, Math.sqrt(maxBytes / out.length) * 0.95);
        const next = clampAspect(
          {
            width: Math.max(1, Math.floor(width * factor)),
            height: Math.max(1, Math.floor(height * factor)),
          },
          limits,
        );
        if (belowMinimum(next.width, next.height, limits)) {
          throw new InputImageError(
            'cannot_fit',
            `${subjectOf(name)} can't be made smaller than ${formatBytes(maxBytes)} (${whose(target)} upload limit) without going under the smallest size it takes (${minimumText(limits)}). Save it as a JPEG in an image editor, then try again.`,
          );
        }
        ({ width, height } = next);
        scaledForBytes = true;
        out = await encode();
      }
      if (out.length > maxBytes) {
        throw new InputImageError(
          'cannot_fit',
          `${subjectOf(name)} is still larger than ${formatBytes(maxBytes)} (${whose(target)} upload limit) after scaling. Save it as a JPEG in an image editor, then try again.`,
        );
      }
      if (!scaledForBytes) {
        notes.push(
          `As a ${FORMAT_NAMES[format]} your image came to ${formatBytes(before)}; Atelier saved it at a slightly lower quality to fit ${whose(target)} upload limit of ${formatBytes(maxBytes)}.`,
        );
      }
    }
  } catch (error) {
    if (error instanceof InputImageError) throw error;
    throw decodeFailure(error, info, maxInputPixels);
  }

  if (scaledForSize || scaledForBytes) {
    const reasons = scaledForSize ? sizeLimitParts(w, h, limits) : [];
    // Only trimmed to the shape (see clampAspect): say which shape.
    if (scaledForSize && reasons.length === 0) reasons.push(`shapes up to ${shapeRange(limits)}`);
    if (scaledForBytes && limits.maxBytes !== undefined) {
      reasons.push(`${formatBytes(limits.maxBytes)} per upload`);
    }
    notes.unshift(
      `Your image was ${size(w, h)}; Atelier scaled it to ${size(width, height)} to fit ${whose(target)} limit${reasons.length > 1 ? 's' : ''} of ${listWords(reasons)}.`,
    );
  }

  if (info.hasGps) {
    notes.push('Atelier removed the location (GPS) and camera details from the copy it sends.');
  }

  const stem = (name ?? 'image').replace(/\.[^.]*$/, '') || 'image';
  return {
    bytes: out,
    format,
    mimeType: `image/${format}`,
    fileName: `${stem}.${format === 'jpeg' ? 'jpg' : format}`,
    width,
    height,
    notes,
    source: info,
  };
}
