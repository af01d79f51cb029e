/**
 * The library: the history folder (images, sidecars, inputs) and the fast, rebuildable index over
 * it. See docs/library-format.md for the folder format.
 */
export {
  FORMAT_VERSION,
  CACHE_DIR,
  INPUTS_DIR,
  KNOWN_OPERATIONS,
  LibraryError,
  Sidecar,
  dayFolder,
  sanitizeParams,
  type EmbeddedRecipe,
  type ImageFormat,
  type ImportSource,
  type JsonValue,
  type KnownOperation,
  type Operation,
  type SidecarInput,
} from './format';
export type { LibraryEntry } from './entry';
export { imageInfo, isStructurallyComplete, detectFormat, type ImageInfo } from './imageinfo';
export {
  embedRecipe,
  embeddedPrompt,
  readEmbedded,
  parametersForRecipe,
  type EmbeddedMetadata,
} from './metadata';
export { formatParameters, parseParameters, type ParsedParameters } from './parameters';
export {
  saveResult,
  importImage,
  storeInput,
  APP_VERSION,
  type ResultRecipe,
  type SaveInput,
  type SavedItem,
  type ImportInput,
  type InputImage,
  type ResultPlace,
} from './save';
export { scanAndRepair, type RepairReport } from './scan';
export { resolveLibraryFile, type ResolveResult } from './resolve';
export { LIBRARY_LIMITS, readBounded, SkippedFileError, type SkipReason } from './files';
export { THUMB_SIZES, type ThumbSize } from './thumbs';
export {
  createMediaSource,
  lookupMedia,
  ELECTRON_MEDIA_BASE,
  MEDIA_HOST,
  MEDIA_SCHEME,
  type MediaLookup,
  type MediaSource,
} from './media';
export {
  openLibrary,
  type Library,
  type LibraryOptions,
  type LibraryQuery,
  type QueryResult,
  type LibraryChange,
} from './library';
export type { DeleteReceipt, TrashFunction, TrashOptions } from './trash';
