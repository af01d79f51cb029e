/**
 * Vocabularies and numbers shared by many endpoints (see /work/shared/stability-api.md §1–§3, §6).
 * Values marked UNSURE in the API doc live here as data and nowhere else.
 */
import type { ImageFormat, OutputTableName } from './types';

export const API_DEFAULT_BASE_URL = 'https://api.stability.ai';

/** Largest request body for image operations: 10 MiB (413 beyond). */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** The client identification headers (`stability-client-id` etc.) are at most this long. */
export const CLIENT_HEADER_MAX_LENGTH = 256;

/** 150 requests per 10 s per account; then 429 and a 60 s time-out. */
export const RATE_LIMIT = { requests: 150, windowMs: 10_000, lockoutMs: 60_000 } as const;

/** Polling more than once every 10 s may be rate limited (creative upscale, relight). */
export const POLL_MIN_INTERVAL_MS = 10_000;

/** Async results are kept 24 hours. */
export const RESULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * How a picture answer says it finished (`finish-reason` header, `finish_reason` in JSON). Anything
 * else, or nothing, is not a success: the client reports it as an error and nothing is saved.
 */
export const FINISH_REASONS = ['SUCCESS', 'CONTENT_FILTERED'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

/**
 * UNSURE: server errors after which Stability did not take the request at all (so nothing was
 * charged, and sending it again is safe). The API doc declares only 500 `internal_error`; a 503 is
 * read as "unavailable, not processed". Every other 5xx may have been charged.
 */
export const SERVER_ERRORS_NOT_PROCESSED: readonly number[] = [503];

/**
 * UNSURE: the API doc does not say how a poll reports an async job that failed after it started.
 * The Sandbox answers such polls with its documented 500 `internal_error`; Atelier waits 5xx answers
 * to a poll out (asking again is free) until its poll deadline, then leaves the job for the person.
 */
export const ASYNC_FAILURE_STATUS = 500;

/** A generation id is a string of exactly 64 characters (hex in every example). */
export const GENERATION_ID_LENGTH = 64;

/** Seeds: 0 … 4,294,967,294; 0 or omitted means random. */
export const SEED_MAX = 4_294_967_294;

/** Prompts: up to 10,000 characters. */
export const PROMPT_MAX_LENGTH = 10_000;

export const STYLE_PRESETS = [
  'enhance',
  'anime',
  'photographic',
  'digital-art',
  'comic-book',
  'fantasy-art',
  'line-art',
  'analog-film',
  'neon-punk',
  'isometric',
  'low-poly',
  'origami',
  'modeling-compound',
  'cinematic',
  '3d-model',
  'pixel-art',
  'tile-texture',
] as const;
export type StylePreset = (typeof STYLE_PRESETS)[number];

export const STYLE_PRESET_LABELS: Readonly<Record<StylePreset, string>> = {
  enhance: 'Enhance',
  anime: 'Anime',
  photographic: 'Photographic',
  'digital-art': 'Digital art',
  'comic-book': 'Comic book',
  'fantasy-art': 'Fantasy art',
  'line-art': 'Line art',
  'analog-film': 'Analog film',
  'neon-punk': 'Neon punk',
  isometric: 'Isometric',
  'low-poly': 'Low poly',
  origami: 'Origami',
  'modeling-compound': 'Modeling compound (clay)',
  cinematic: 'Cinematic',
  '3d-model': '3D model',
  'pixel-art': 'Pixel art',
  'tile-texture': 'Tile texture',
};

export const ASPECT_RATIOS = [
  '21:9',
  '16:9',
  '3:2',
  '5:4',
  '1:1',
  '4:5',
  '2:3',
  '9:16',
  '9:21',
] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const ASPECT_RATIO_LABELS: Readonly<Record<AspectRatio, string>> = {
  '21:9': 'Ultrawide (21:9)',
  '16:9': 'Widescreen (16:9)',
  '3:2': 'Landscape photo (3:2)',
  '5:4': 'Landscape print (5:4)',
  '1:1': 'Square (1:1)',
  '4:5': 'Portrait print (4:5)',
  '2:3': 'Portrait photo (2:3)',
  '9:16': 'Phone screen (9:16)',
  '9:21': 'Tall banner (9:21)',
};

export const OUTPUT_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];

export const OUTPUT_FORMAT_LABELS: Readonly<Record<ImageFormat, string>> = {
  png: 'PNG (lossless)',
  jpeg: 'JPEG (small files)',
  webp: 'WebP',
};

/** Content types of image formats, both ways. */
export const IMAGE_CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

export const SD3_MODELS = [
  'sd3.5-large',
  'sd3.5-large-turbo',
  'sd3.5-medium',
  'sd3.5-flash',
] as const;
export type Sd3Model = (typeof SD3_MODELS)[number];

export const SD3_MODEL_LABELS: Readonly<Record<Sd3Model, string>> = {
  'sd3.5-large': 'SD 3.5 Large',
  'sd3.5-large-turbo': 'SD 3.5 Large Turbo',
  'sd3.5-medium': 'SD 3.5 Medium',
  'sd3.5-flash': 'SD 3.5 Flash',
};

/**
 * Output pixel sizes per aspect ratio. UNSURE: Stability does not document them. The 1 MP column is
 * the SDXL bucket convention; Core is 1.5x per side (one live 1:1 call gave 1536x1536). The client
 * reads the real size from the returned image; the Sandbox uses this table.
 */
export const OUTPUT_SIZES: Readonly<
  Record<OutputTableName, Readonly<Record<AspectRatio, readonly [number, number]>>>
> = {
  oneMegapixel: {
    '1:1': [1024, 1024],
    '16:9': [1344, 768],
    '9:16': [768, 1344],
    '21:9': [1536, 640],
    '9:21': [640, 1536],
    '3:2': [1216, 832],
    '2:3': [832, 1216],
    '5:4': [1088, 896],
    '4:5': [896, 1088],
  },
  core: {
    '1:1': [1536, 1536],
    '16:9': [2016, 1152],
    '9:16': [1152, 2016],
    '21:9': [2304, 960],
    '9:21': [960, 2304],
    '3:2': [1824, 1248],
    '2:3': [1248, 1824],
    '5:4': [1632, 1344],
    '4:5': [1344, 1632],
  },
};
