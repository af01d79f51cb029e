/** The summary of one library image that the index keeps in memory and in its cache file. */
import type { ImageFormat, Sidecar } from './format';

export interface LibraryEntry {
  id: string;
  /** The image, relative to the library folder, with `/` separators. */
  path: string;
  /** The sidecar, relative to the library folder, with `/` separators. */
  sidecarPath: string;
  operation: string;
  endpoint: string | null;
  model: string | null;
  prompt: string;
  negativePrompt: string;
  seed: number | null;
  createdAt: string;
  createdMs: number;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  favourite: boolean;
  /** 0 (none) to 5 stars. */
  rating: number;
  sandbox: boolean;
  credits: number | null;
  finishReason: string | null;
  inputs: { role: string; sha256: string; file: string }[];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function entryFromSidecar(
  sidecar: Sidecar,
  imagePath: string,
  sidecarPath: string,
): LibraryEntry {
  const createdMs = Date.parse(sidecar.createdAt);
  return {
    id: sidecar.id,
    path: imagePath,
    sidecarPath,
    operation: sidecar.operation,
    endpoint: sidecar.endpoint,
    model: sidecar.model,
    prompt: text(sidecar.params.prompt),
    negativePrompt: text(sidecar.params.negative_prompt),
    seed: sidecar.seed,
    createdAt: sidecar.createdAt,
    createdMs: Number.isFinite(createdMs) ? createdMs : 0,
    format: sidecar.image.format,
    width: sidecar.image.width,
    height: sidecar.image.height,
    bytes: sidecar.image.bytes,
    sha256: sidecar.image.sha256,
    favourite: sidecar.favourite,
    rating: sidecar.rating ?? 0,
    sandbox: sidecar.sandbox,
    credits: sidecar.credits,
    finishReason: sidecar.finishReason,
    inputs: sidecar.inputs.map((i) => ({ role: i.role, sha256: i.sha256, file: i.file })),
  };
}

/** Newest first; ties broken by id (ULIDs sort by time too). */
export function compareNewestFirst(a: LibraryEntry, b: LibraryEntry): number {
  if (a.createdMs !== b.createdMs) return b.createdMs - a.createdMs;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
