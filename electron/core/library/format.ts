/**
 * The library folder format, version 1 (docs/library-format.md is the prose version of this file).
 *
 *   <library>/
 *     2026-11-30/                               one folder per local calendar day
 *       01JDQ8Y3V4K6Z0R2M5N7P9Q1S3-a-red-fox.png   the image (ULID + short slug of the prompt)
 *       01JDQ8Y3V4K6Z0R2M5N7P9Q1S3-a-red-fox.json  its sidecar (same name, .json)
 *     inputs/<sha256>.<ext>                     every input image, stored once by content hash
 *     .atelier/                                 caches only: index, thumbnails, trash
 *
 * The files are the truth; everything in .atelier/ can be deleted at any time.
 */
import { homedir } from 'node:os';
import { z } from 'zod';
import { TEMP_PREFIX } from '../fs/atomic';

export const FORMAT_VERSION = 1;

/** The hidden cache folder inside a library. */
export const CACHE_DIR = '.atelier';
/** Where input images are kept once, by content hash. */
export const INPUTS_DIR = 'inputs';

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const EXTENSION_OF: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/** Image extensions the library recognises (lower case, without the dot). */
export function formatOfExtension(name: string): ImageFormat | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  if (ext === 'png') return 'png';
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  if (ext === 'webp') return 'webp';
  return null;
}

/** The operations Atelier writes today. Readers accept any other string (newer versions). */
export const KNOWN_OPERATIONS = [
  'text-to-image',
  'image-to-image',
  'upscale',
  'edit',
  'control',
  'import',
  'comparison',
] as const;
export type KnownOperation = (typeof KNOWN_OPERATIONS)[number];
export type Operation = KnownOperation | (string & {});

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);

export const SidecarInput = z.object({
  /** The request field the image was sent as: 'image', 'mask', 'init_image', 'style_image'... */
  role: z.string().min(1).max(64),
  sha256: Sha256,
  /** Library-relative, always `inputs/<sha256>.<ext>`. */
  file: z.string(),
  format: z.enum(IMAGE_FORMATS),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type SidecarInput = z.infer<typeof SidecarInput>;

/** Where an imported image came from: the parameters it carried, if any (never a path). */
export const ImportSource = z.object({
  /** 'atelier' (our embedded JSON), 'parameters' (plain-text A1111 form), 'none'. */
  kind: z.enum(['atelier', 'parameters', 'none']),
  /** The original file name (base name only), when known. */
  name: z.string().max(255).nullable(),
  /** The plain-text parameters the image carried, verbatim. */
  parameters: z.string().nullable(),
  /** The operation of the original Atelier recipe, when kind is 'atelier'. */
  operation: z.string().nullable(),
});
export type ImportSource = z.infer<typeof ImportSource>;

/** The sidecar: `<name>.json` beside `<name>.<ext>`. */
export const Sidecar = z.object({
  format: z.literal(FORMAT_VERSION),
  id: Ulid,
  /** The image's file name (base name, same folder). */
  file: z.string().min(1),
  operation: z.string().min(1),
  /** The API path, e.g. `/v2beta/stable-image/generate/sd3`; null for imports. */
  endpoint: z.string().nullable(),
  model: z.string().nullable(),
  /** Every parameter sent, by its API name (images are in `inputs`, never here). */
  params: z.record(z.string(), JsonValueSchema),
  seed: z.number().nullable(),
  /** `SUCCESS`, `CONTENT_FILTERED`... as the API said; null when unknown. */
  finishReason: z.string().nullable(),
  /** Credits charged for this image; 0 in the Sandbox; null when unknown. */
  credits: z.number().nullable(),
  /** ISO 8601, UTC. */
  createdAt: z.string(),
  appVersion: z.string(),
  image: z.object({
    format: z.enum(IMAGE_FORMATS),
    width: z.number().int().nonnegative(),
    height: z.number().int().nonnegative(),
    /** Size of the file as stored (metadata included). */
    bytes: z.number().int().nonnegative(),
    /** sha256 of the file as stored (metadata included). */
    sha256: Sha256,
  }),
  inputs: z.array(SidecarInput),
  sandbox: z.boolean(),
  favourite: z.boolean(),
  /** 0 (none) to 5 stars; absent means 0. Also in the image's own XMP as xmp:Rating. */
  rating: z.number().int().min(0).max(5).optional(),
  /** Set for imports only. */
  source: ImportSource.nullable().optional(),
});
export type Sidecar = z.infer<typeof Sidecar>;

/**
 * What is embedded in the image itself: the sidecar minus what describes the stored file
 * (its name, size and hash cannot be inside it) and minus the favourite flag and the rating (which
 * is embedded as xmp:Rating, where other programs read it).
 */
export type EmbeddedRecipe = Omit<Sidecar, 'file' | 'image' | 'favourite' | 'rating'> & {
  image: { format: ImageFormat; width: number; height: number };
};

export const EmbeddedRecipeSchema = Sidecar.omit({
  file: true,
  image: true,
  favourite: true,
  rating: true,
})
  .extend({
    image: z.object({
      format: z.enum(IMAGE_FORMATS),
      width: z.number().int().nonnegative(),
      height: z.number().int().nonnegative(),
    }),
  })
  .loose();

const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const SHA256_RE = /^[0-9a-f]{64}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isStrOrNull = (v: unknown) => v === null || typeof v === 'string';
const isNumOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
/** A star rating as stored: an integer from 0 to 5. */
export const isRating = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 5;
const isFormat = (v: unknown): v is ImageFormat => v === 'png' || v === 'jpeg' || v === 'webp';

/**
 * The same check as the `Sidecar` schema, hand-written for the index's hot path (opening 10,000
 * sidecars): a value straight from JSON.parse is a valid sidecar, or null. Tests keep the two in
 * agreement.
 */
export function checkSidecar(v: unknown): Sidecar | null {
  if (!isRecord(v)) return null;
  if (v.format !== FORMAT_VERSION || typeof v.id !== 'string' || !ULID_RE.test(v.id)) return null;
  if (
    typeof v.file !== 'string' ||
    v.file === '' ||
    typeof v.operation !== 'string' ||
    v.operation === ''
  )
    return null;
  if (!isStrOrNull(v.endpoint) || !isStrOrNull(v.model) || !isRecord(v.params)) return null;
  if (!isNumOrNull(v.seed) || !isStrOrNull(v.finishReason) || !isNumOrNull(v.credits)) return null;
  if (typeof v.createdAt !== 'string' || typeof v.appVersion !== 'string') return null;
  if (typeof v.sandbox !== 'boolean' || typeof v.favourite !== 'boolean') return null;
  if (v.rating !== undefined && !isRating(v.rating)) return null;
  const img = v.image;
  if (
    !isRecord(img) ||
    !isFormat(img.format) ||
    !isInt(img.width) ||
    !isInt(img.height) ||
    !isInt(img.bytes)
  )
    return null;
  if (typeof img.sha256 !== 'string' || !SHA256_RE.test(img.sha256)) return null;
  if (!Array.isArray(v.inputs)) return null;
  for (const input of v.inputs as unknown[]) {
    if (
      !isRecord(input) ||
      typeof input.role !== 'string' ||
      input.role === '' ||
      input.role.length > 64
    )
      return null;
    if (
      typeof input.sha256 !== 'string' ||
      !SHA256_RE.test(input.sha256) ||
      typeof input.file !== 'string'
    )
      return null;
    if (
      !isFormat(input.format) ||
      !isInt(input.width) ||
      !isInt(input.height) ||
      !isInt(input.bytes)
    )
      return null;
  }
  if (v.source !== undefined && v.source !== null) {
    const src = v.source;
    if (
      !isRecord(src) ||
      (src.kind !== 'atelier' && src.kind !== 'parameters' && src.kind !== 'none')
    )
      return null;
    if (!isStrOrNull(src.name) || (typeof src.name === 'string' && src.name.length > 255))
      return null;
    if (!isStrOrNull(src.parameters) || !isStrOrNull(src.operation)) return null;
  }
  // JSON.parse only ever yields JSON values, so `params` needs no deeper check.
  return v as unknown as Sidecar;
}

// ---------------------------------------------------------------------------------------------
// Names

/** The day folder for a time, in the machine's local calendar: `YYYY-MM-DD`. */
export function dayFolder(date: Date): string {
  const y = String(date.getFullYear()).padStart(4, '0');
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** A short, safe, lower-case ASCII slug (at most 40 characters) of a prompt or file name. */
export function slugify(text: string, max = 40): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii.length <= max) return ascii;
  const cut = ascii.slice(0, max);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > max / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}

/** `<ulid>[-<slug>]`: the stem shared by an image and its sidecar. */
export function fileStem(id: string, label: string): string {
  const slug = slugify(label);
  return slug ? `${id}-${slug}` : id;
}

/** The sidecar name for an image name: `a.png` -> `a.json`. */
export function sidecarNameFor(imageName: string): string {
  const dot = imageName.lastIndexOf('.');
  return `${dot < 0 ? imageName : imageName.slice(0, dot)}.json`;
}

/** A temporary file of a write in progress (or cut short by a crash): see core/fs/atomic. */
export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** Names the scanner never looks at: dot files and folders (caches, temp files, OS litter). */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

// ---------------------------------------------------------------------------------------------
// What must never be written: keys and personal absolute paths

const SECRET_PARAM = /(^|_)(key|api[-_]?key|authorization|token|secret|password)($|_)/i;
const SECRET_VALUE = /\bsk-[A-Za-z0-9_-]{16,}/;
// `/a/b...`, `~/...`, `C:\...`, `\\server\...`, `file:...`: a path on someone's disk.
const ABSOLUTE_PATH = /^(\/[^\s/]+\/|~[\\/]|[A-Za-z]:[\\/]|\\\\|file:)/i;
const HOME = homedir();

/**
 * Copies request parameters for a sidecar: drops anything named like a credential, and any value
 * that looks like an API key or an absolute path on someone's disk. Image fields belong in
 * `inputs`, so Buffers/Uint8Arrays are dropped too.
 */
export function sanitizeParams(params: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(params)) {
    if (SECRET_PARAM.test(key)) continue;
    const clean = sanitizeValue(value);
    if (clean !== undefined) out[key] = clean;
  }
  return out;
}

function sanitizeValue(value: unknown): JsonValue | undefined {
  if (value === null) return null;
  if (typeof value === 'string') {
    if (SECRET_VALUE.test(value) || ABSOLUTE_PATH.test(value.trim())) return undefined;
    if (HOME.length > 1 && value.includes(HOME)) return undefined;
    return value;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (value instanceof Uint8Array || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return undefined;
  }
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const clean = sanitizeValue(item);
      if (clean !== undefined) items.push(clean);
    }
    return items;
  }
  if (typeof value === 'object') {
    return sanitizeParams(value as Record<string, unknown>);
  }
  return undefined;
}

/** A failure the person can read: what happened and what to do. */
export class LibraryError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LibraryError';
    this.code = code;
  }
}
