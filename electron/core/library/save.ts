/**
 * Writing into the library: results from the API, input images (once, by hash), imports, and the
 * sidecar of an image found without one. Image first, sidecar second, each written atomically.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { monotonicFactory } from 'ulid';
import { writeFileAtomic } from '../fs/atomic';
import { entryFromSidecar, type LibraryEntry } from './entry';
import {
  EXTENSION_OF,
  FORMAT_VERSION,
  INPUTS_DIR,
  LibraryError,
  Sidecar,
  dayFolder,
  fileStem,
  sanitizeParams,
  sidecarNameFor,
  type EmbeddedRecipe,
  type ImageFormat,
  type ImportSource,
  type JsonValue,
  type Operation,
  type SidecarInput,
} from './format';
import { imageInfo, isStructurallyComplete, type ImageInfo } from './imageinfo';
import { embedRecipe, readEmbedded } from './metadata';
import { parseParameters } from './parameters';
import { ratingField } from './rating';

declare const __ATELIER_VERSION__: string | undefined;
export const APP_VERSION: string =
  typeof __ATELIER_VERSION__ === 'string' ? __ATELIER_VERSION__ : '0.0.0-dev';

const nextUlid = monotonicFactory();

export function newId(at: Date = new Date()): string {
  return nextUlid(at.getTime());
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface InputImage {
  /** The request field it was sent as: 'image', 'mask', 'init_image'... */
  role: string;
  bytes: Uint8Array;
}

/** What the caller knows about a result; the library adds the rest. */
export interface ResultRecipe {
  operation: Operation;
  endpoint: string | null;
  model: string | null;
  /** Every parameter sent, by API name. Keys, tokens and absolute paths are dropped. */
  params: Record<string, unknown>;
  seed: number | null;
  finishReason: string | null;
  credits: number | null;
  sandbox: boolean;
  inputs?: InputImage[];
  /** Defaults to now. */
  createdAt?: Date;
  /** Defaults to the app's version. */
  appVersion?: string;
}

export interface SaveInput {
  bytes: Uint8Array;
  format: ImageFormat;
  recipe: ResultRecipe;
}

export interface SavedItem {
  sidecar: Sidecar;
  entry: LibraryEntry;
  /** Absolute paths of what was written. */
  imageFile: string;
  sidecarFile: string;
}

export interface WriteHooks {
  /** Called with the library-relative image path before anything is written. */
  beforeWrite?: (imagePath: string) => void;
}

function requireInfo(bytes: Uint8Array, what: string): ImageInfo {
  const info = imageInfo(bytes);
  if (!info || info.width === 0 || info.height === 0) {
    throw new LibraryError(
      'unsupported-image',
      `${what} is not a PNG, JPEG or WebP image Atelier can read. Save it as one of those and try again.`,
    );
  }
  if (!isStructurallyComplete(bytes)) {
    throw new LibraryError(
      'incomplete-image',
      `${what} is cut short (the file ends before the image does). Get a complete copy and try again.`,
    );
  }
  return info;
}

/** Stores an input image once, as `inputs/<sha256>.<ext>`; returns its sidecar record. */
export async function storeInput(libraryDir: string, input: InputImage): Promise<SidecarInput> {
  const info = requireInfo(input.bytes, 'The input image');
  const sha256 = sha256Hex(input.bytes);
  const file = `${INPUTS_DIR}/${sha256}.${EXTENSION_OF[info.format]}`;
  const absolute = path.join(libraryDir, ...file.split('/'));
  const existing = await stat(absolute).catch(() => null);
  if (existing?.size !== input.bytes.length) {
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFileAtomic(absolute, input.bytes);
  }
  return {
    role: input.role,
    sha256,
    file,
    format: info.format,
    width: info.width,
    height: info.height,
    bytes: input.bytes.length,
  };
}

/** Writes image then sidecar into the day folder of `createdAt`. */
async function writePair(
  libraryDir: string,
  stem: string,
  createdAt: Date,
  finalBytes: Uint8Array,
  format: ImageFormat,
  sidecarWithoutFile: Omit<Sidecar, 'file' | 'image'> & { image: EmbeddedRecipe['image'] },
  hooks: WriteHooks,
): Promise<SavedItem> {
  const folder = dayFolder(createdAt);
  const imageName = `${stem}.${EXTENSION_OF[format]}`;
  const sidecarName = sidecarNameFor(imageName);
  const imagePath = `${folder}/${imageName}`;
  const sidecarPath = `${folder}/${sidecarName}`;
  const sidecar: Sidecar = {
    ...sidecarWithoutFile,
    file: imageName,
    image: { ...sidecarWithoutFile.image, bytes: finalBytes.length, sha256: sha256Hex(finalBytes) },
  };
  Sidecar.parse(sidecar);
  hooks.beforeWrite?.(imagePath);
  const dir = path.join(libraryDir, folder);
  await mkdir(dir, { recursive: true });
  const imageFile = path.join(dir, imageName);
  const sidecarFile = path.join(dir, sidecarName);
  await writeFileAtomic(imageFile, finalBytes);
  await writeFileAtomic(sidecarFile, `${JSON.stringify(sidecar, null, 2)}\n`);
  return {
    sidecar,
    entry: entryFromSidecar(sidecar, imagePath, sidecarPath),
    imageFile,
    sidecarFile,
  };
}

/**
 * Saves an image the API returned: embeds the recipe, writes the image atomically into today's
 * folder, then its sidecar. Inputs are stored once by hash first.
 */
export async function saveResult(
  libraryDir: string,
  { bytes, format, recipe }: SaveInput,
  hooks: WriteHooks = {},
): Promise<SavedItem> {
  const info = requireInfo(bytes, 'The image');
  if (info.format !== format) {
    throw new LibraryError(
      'format-mismatch',
      `The image is ${info.format.toUpperCase()} but was announced as ${format.toUpperCase()}. Nothing was saved; try the request again.`,
    );
  }
  const createdAt = recipe.createdAt ?? new Date();
  const inputs: SidecarInput[] = [];
  for (const input of recipe.inputs ?? []) inputs.push(await storeInput(libraryDir, input));
  const params = sanitizeParams(recipe.params);
  const id = newId(createdAt);
  const embedded: EmbeddedRecipe = {
    format: FORMAT_VERSION,
    id,
    operation: recipe.operation,
    endpoint: recipe.endpoint,
    model: recipe.model,
    params,
    seed: recipe.seed,
    finishReason: recipe.finishReason,
    credits: recipe.credits,
    createdAt: createdAt.toISOString(),
    appVersion: recipe.appVersion ?? APP_VERSION,
    image: { format: info.format, width: info.width, height: info.height },
    inputs,
    sandbox: recipe.sandbox,
  };
  const finalBytes = embedRecipe(bytes, format, embedded);
  const label =
    typeof params.prompt === 'string' && params.prompt ? params.prompt : recipe.operation;
  return writePair(
    libraryDir,
    fileStem(id, label),
    createdAt,
    finalBytes,
    format,
    { ...embedded, favourite: false },
    hooks,
  );
}

/** The import-style fields for an image that carries another tool's (or no) parameters. */
function foreignFields(
  embedded: ReturnType<typeof readEmbedded>,
  name: string | null,
): Pick<
  Sidecar,
  'endpoint' | 'model' | 'params' | 'seed' | 'finishReason' | 'credits' | 'sandbox' | 'inputs'
> & {
  source: ImportSource;
} {
  const { recipe, parameters } = embedded;
  if (recipe) {
    return {
      endpoint: recipe.endpoint,
      model: recipe.model,
      params: recipe.params,
      seed: recipe.seed,
      finishReason: recipe.finishReason,
      credits: recipe.credits,
      sandbox: recipe.sandbox,
      inputs: [],
      source: { kind: 'atelier', name, parameters, operation: recipe.operation },
    };
  }
  const parsed = parameters === null ? null : parseParameters(parameters);
  if (parsed) {
    const params: Record<string, JsonValue> = { prompt: parsed.prompt };
    if (parsed.negativePrompt) params.negative_prompt = parsed.negativePrompt;
    if (parsed.steps !== null) params.steps = parsed.steps;
    if (parsed.cfgScale !== null) params.cfg_scale = parsed.cfgScale;
    if (parsed.sampler !== null) params.sampler = parsed.sampler;
    return {
      endpoint: null,
      model: parsed.model,
      params: sanitizeParams(params),
      seed: parsed.seed,
      finishReason: null,
      credits: null,
      sandbox: false,
      inputs: [],
      source: { kind: 'parameters', name, parameters, operation: null },
    };
  }
  return {
    endpoint: null,
    model: null,
    params: {},
    seed: null,
    finishReason: null,
    credits: null,
    sandbox: false,
    inputs: [],
    source: { kind: 'none', name, parameters: null, operation: null },
  };
}

export interface ImportInput {
  bytes: Uint8Array;
  /** The original file name; only its base name is kept. */
  name?: string | null;
  createdAt?: Date;
}

/** Copies an outside image into today's folder, untouched, with an `import` sidecar. */
export async function importImage(
  libraryDir: string,
  input: ImportInput,
  hooks: WriteHooks = {},
): Promise<SavedItem> {
  const info = requireInfo(input.bytes, 'That file');
  const baseName = input.name ? path.basename(input.name.replace(/\\/g, '/')).slice(0, 255) : null;
  const createdAt = input.createdAt ?? new Date();
  const id = newId(createdAt);
  const foreign = foreignFields(readEmbedded(input.bytes), baseName);
  const label = baseName ? baseName.replace(/\.[^.]*$/, '') : 'import';
  return writePair(
    libraryDir,
    fileStem(id, label),
    createdAt,
    input.bytes,
    info.format,
    {
      format: FORMAT_VERSION,
      id,
      operation: 'import',
      createdAt: createdAt.toISOString(),
      appVersion: APP_VERSION,
      image: { format: info.format, width: info.width, height: info.height },
      favourite: false,
      ...ratingField(input.bytes),
      ...foreign,
    },
    hooks,
  );
}

/**
 * The sidecar for an image found without one: its own embedded recipe when it has one (an Atelier
 * image whose sidecar was never written), otherwise an `import` record. Null when the file is
 * not a whole PNG/JPEG/WebP.
 */
export function sidecarForOrphan(
  bytes: Uint8Array,
  imageName: string,
  fallbackCreatedAt: Date,
  idTaken: (id: string) => boolean,
  /** The bytes' SHA-256 when the caller has it already (hashed without holding the loop). */
  sha256 = sha256Hex(bytes),
): Sidecar | null {
  const info = imageInfo(bytes);
  if (!info || !isStructurallyComplete(bytes)) return null;
  const embedded = readEmbedded(bytes);
  const image = {
    format: info.format,
    width: info.width,
    height: info.height,
    bytes: bytes.length,
    sha256,
  };
  const recipe = embedded.recipe;
  if (recipe && !idTaken(recipe.id)) {
    const parsed = Sidecar.safeParse({
      ...recipe,
      file: imageName,
      image,
      favourite: false,
      ...ratingField(bytes),
    });
    if (parsed.success) return parsed.data;
  }
  const foreign = foreignFields(embedded, imageName);
  return {
    format: FORMAT_VERSION,
    id: newId(fallbackCreatedAt),
    file: imageName,
    operation: 'import',
    createdAt: fallbackCreatedAt.toISOString(),
    appVersion: APP_VERSION,
    image,
    favourite: false,
    ...ratingField(bytes),
    ...foreign,
  };
}

export async function writeSidecar(sidecarFile: string, sidecar: Sidecar): Promise<void> {
  await writeFileAtomic(sidecarFile, `${JSON.stringify(Sidecar.parse(sidecar), null, 2)}\n`);
}
