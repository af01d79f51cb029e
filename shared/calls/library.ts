/**
 * The Library: the gallery over the library folder. Pages of entries (newest first, searched and
 * filtered in the core), the full recipe of one image, favourites, delete with undo, import (of a
 * picture staged with inputs.*), reveal, where the folder is.
 *
 * Images and thumbnails are not sent in messages: the renderer loads them from URLs built on
 * `mediaBase` (library.folder): `${mediaBase}/media/<path>` and `${mediaBase}/thumb/<id>/<size>`.
 */
import { z } from 'zod';
import { Empty, pictureFileShape } from './common';

/** A star rating: 0 (none) to 5, as xmp:Rating in Lightroom, Bridge, digiKam and exiftool. */
export const Rating = z.number().int().min(0).max(5);
export type Rating = z.infer<typeof Rating>;

/** One image as the gallery lists it (a summary of its sidecar). */
export const LibraryItem = z.object({
  id: z.string(),
  /** The image, relative to the library folder, with `/` separators. */
  path: z.string(),
  operation: z.string(),
  endpoint: z.string().nullable(),
  model: z.string().nullable(),
  prompt: z.string(),
  negativePrompt: z.string(),
  seed: z.number().nullable(),
  /** ISO 8601. */
  createdAt: z.string(),
  createdMs: z.number(),
  format: z.string(),
  ...pictureFileShape,
  /** Content hash: changes when the file does (cache key for thumbnails). */
  sha256: z.string(),
  favourite: z.boolean(),
  sandbox: z.boolean(),
  credits: z.number().nullable(),
  /** 0 (none) to 5 stars. */
  rating: Rating,
});
export type LibraryItem = z.infer<typeof LibraryItem>;

/** Most entries one query answers (the grid asks page by page). */
export const LIBRARY_PAGE_MAX = 500;

const Id = z.string().min(1).max(100);

/**
 * Most ids one bulk call takes (a message stays well under the transport's 1 MB): the renderer
 * sends a larger selection in chunks of this size.
 */
export const LIBRARY_BULK_MAX = 10_000;
const BulkIds = z.array(Id).min(1).max(LIBRARY_BULK_MAX);

/** A collection's id: a ULID, also its file's name (`<library>/collections/<id>.json`). */
export const CollectionId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);
/** The longest collection name. */
export const COLLECTION_NAME_MAX = 100;
const CollectionName = z.string().trim().min(1).max(COLLECTION_NAME_MAX);

/** A named set of pictures; one picture may be in many. */
export const Collection = z.object({
  id: z.string(),
  name: z.string(),
  /** Pictures in it that are in the library now. */
  count: z.number(),
  /** ISO 8601. */
  createdAt: z.string(),
});
export type Collection = z.infer<typeof Collection>;

export const LibraryFilter = z
  .object({
    /** Words that must all appear in the prompt, negative prompt or file name. */
    text: z.string().max(1000).optional(),
    operations: z.array(z.string().max(64)).max(50).optional(),
    models: z.array(z.string().max(128)).max(50).optional(),
    /** Created at or after (ms since the epoch). */
    from: z.number().optional(),
    /** Created before (ms since the epoch). */
    to: z.number().optional(),
    favourites: z.boolean().optional(),
    /** true: only Sandbox images; false: none of them; absent: both. */
    sandbox: z.boolean().optional(),
    /** Only the pictures in this collection. */
    collection: CollectionId.optional(),
    /** Only pictures rated at least this (1–5). */
    minRating: Rating.optional(),
  })
  .strict();
export type LibraryFilter = z.infer<typeof LibraryFilter>;

/** The orders the Library lists in: newest first (the default), oldest, best rated, by model. */
export const LIBRARY_SORTS = ['newest', 'oldest', 'rating', 'model'] as const;
export const LibrarySort = z.enum(LIBRARY_SORTS);
export type LibrarySort = z.infer<typeof LibrarySort>;

export const LibraryQueryRequest = LibraryFilter.extend({
  sort: LibrarySort.optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(0).max(LIBRARY_PAGE_MAX).default(200),
}).strict();
export type LibraryQueryRequest = z.input<typeof LibraryQueryRequest>;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const JsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValue),
    z.record(z.string(), JsonValue),
  ]),
);

/** The full recipe of one image (from its sidecar). */
export const LibraryRecipe = z.object({
  /** Every parameter sent, by its API name. */
  params: z.record(z.string(), JsonValue),
  finishReason: z.string().nullable(),
  appVersion: z.string(),
  inputs: z.array(
    z.object({ role: z.string(), file: z.string(), width: z.number(), height: z.number() }),
  ),
  /**
   * Every other field of the sidecar, by its name: a parent's id, a mask, what newer versions add.
   * The detail panel shows them as they are, so a field added to the format appears there.
   */
  more: z.record(z.string(), JsonValue).default({}),
  /** For imports: where the image came from and the plain-text parameters it carried. */
  source: z
    .object({
      kind: z.string(),
      name: z.string().nullable(),
      parameters: z.string().nullable(),
    })
    .nullable(),
});
export type LibraryRecipe = z.infer<typeof LibraryRecipe>;

export const LibraryFolder = z.object({
  /** The library folder, absolute. */
  dir: z.string(),
  /** True when no folder was chosen (the OS Pictures folder / Atelier). */
  isDefault: z.boolean(),
  /** Prefix of media URLs ('' in the browser shell: same origin). */
  mediaBase: z.string(),
  /** Whether library.reveal works in this shell. */
  canReveal: z.boolean(),
});
export type LibraryFolder = z.infer<typeof LibraryFolder>;

export const libraryCalls = {
  /** A page of entries (newest first, or `sort`), with the total and what the filter menus can offer. */
  'library.query': {
    request: LibraryQueryRequest,
    response: z.object({
      total: z.number(),
      /** All images in the library, before filtering. */
      all: z.number(),
      offset: z.number(),
      entries: z.array(LibraryItem),
      facets: z.object({ models: z.array(z.string()), operations: z.array(z.string()) }),
    }),
  },
  /** One entry and its full recipe. */
  'library.get': {
    request: z.object({ id: Id }).strict(),
    response: z.object({ entry: LibraryItem, recipe: LibraryRecipe }),
  },
  'library.setFavourite': {
    request: z.object({ id: Id, favourite: z.boolean() }).strict(),
    response: LibraryItem,
  },
  /** Moves images to the trash; the token undoes it for a while. */
  'library.delete': {
    request: z.object({ ids: z.array(Id).min(1).max(10_000) }).strict(),
    response: z.object({ token: z.string(), ids: z.array(z.string()) }),
  },
  'library.undoDelete': {
    request: z.object({ token: Id }).strict(),
    response: z.object({ entries: z.array(LibraryItem) }),
  },
  /** Adds a staged picture (see inputs.* and the renderer's stageFile) to the library. */
  'library.import': {
    request: z.object({ input: Id }).strict(),
    response: LibraryItem,
  },
  /** Shows the image in the system file manager (Electron only). */
  'library.reveal': {
    request: z.object({ id: Id }).strict(),
    response: Empty,
  },
  /** Where the library is and how to reach its images. */
  'library.folder': { request: Empty, response: LibraryFolder },
  /**
   * Reads the folder again now (only the folders that changed since it was last read), for what
   * a watch cannot see, such as a library on a network drive. The changes come as library.changed.
   */
  'library.refresh': {
    request: Empty,
    response: z.object({ added: z.number(), updated: z.number(), removed: z.number() }),
  },
  /**
   * Moves every picture of the library (with its sidecar, inputs and folders) to another folder,
   * which becomes the library folder. Progress comes as library.moving events.
   */
  'library.move': {
    request: z.object({ to: z.string().min(1).max(4096) }).strict(),
    response: z.object({
      dir: z.string(),
      /** Files moved, and how many of them are pictures. */
      moved: z.number(),
      pictures: z.number(),
      /** Files that stayed in the old folder (a different file had their name in the new one). */
      left: z.number(),
    }),
  },
  /** Sets the rating (0 clears it) in each sidecar and in each image's own XMP (xmp:Rating). */
  'library.rate': {
    request: z.object({ ids: BulkIds, rating: Rating }).strict(),
    response: z.object({
      entries: z.array(LibraryItem),
      /** Ids that could not be rated (gone, or their file could not be written). */
      failed: z.array(z.string()),
    }),
  },
  /** library.setFavourite for many. */
  'library.setFavourites': {
    request: z.object({ ids: BulkIds, favourite: z.boolean() }).strict(),
    response: z.object({ entries: z.array(LibraryItem), failed: z.array(z.string()) }),
  },
  /** Every id that matches the filter (in the gallery's order): "Select all". */
  'library.ids': {
    request: LibraryFilter,
    response: z.object({ ids: z.array(z.string()) }),
  },
  /**
   * Copies pictures to a folder: in the desktop app one dialog.chooseFolder answered. Never
   * overwrites (adds " (2)"). Progress comes as library.exporting; library.cancelExport stops it.
   */
  'library.export': {
    request: z
      .object({
        ids: BulkIds,
        to: z.string().min(1).max(4096),
        format: z.enum(['original', 'png', 'jpeg', 'webp']),
        /** JPEG and WebP quality, 1–100. */
        quality: z.number().int().min(1).max(100).default(90),
        /** null: the original size; else the longest edge in pixels (never enlarged). */
        longestEdge: z.number().int().min(16).max(16_384).nullable(),
        /** keep: the recipe stays embedded; strip: no metadata at all. */
        metadata: z.enum(['keep', 'strip']),
        /** File names from the prompt, or the picture's own file name. */
        names: z.enum(['prompt', 'original']),
      })
      .strict(),
    response: z.object({
      dir: z.string(),
      /** Files written. */
      exported: z.number(),
      /** Pictures that could not be exported (gone or unreadable). */
      failed: z.number(),
      cancelled: z.boolean(),
    }),
  },
  /** Stops the export under way (the files already written stay). */
  'library.cancelExport': { request: Empty, response: Empty },

  /** The collections, by name. */
  'collections.list': {
    request: Empty,
    response: z.object({ collections: z.array(Collection) }),
  },
  'collections.create': {
    request: z.object({ name: CollectionName }).strict(),
    response: Collection,
  },
  'collections.rename': {
    request: z.object({ id: CollectionId, name: CollectionName }).strict(),
    response: Collection,
  },
  /** Deletes the collection (never its pictures). */
  'collections.delete': {
    request: z.object({ id: CollectionId }).strict(),
    response: Empty,
  },
  'collections.add': {
    request: z.object({ id: CollectionId, ids: BulkIds }).strict(),
    response: Collection,
  },
  'collections.remove': {
    request: z.object({ id: CollectionId, ids: BulkIds }).strict(),
    response: Collection,
  },
} as const;

export const libraryEvents = {
  /** The library changed (this app, another program, a sync client, or another folder chosen). */
  'library.changed': z.object({
    added: z.array(LibraryItem),
    updated: z.array(LibraryItem),
    removed: z.array(z.string()),
    /** Everything may have changed (another folder): query again. */
    reset: z.boolean(),
  }),
  /** A move of the library (library.move) is under way: files done of all. */
  'library.moving': z.object({ done: z.number(), total: z.number() }),
  /** An export (library.export) is under way: pictures done of all. */
  'library.exporting': z.object({ done: z.number(), total: z.number() }),
  /** The collections changed (this app, or their files in the folder): the whole list. */
  'collections.changed': z.object({ collections: z.array(Collection) }),
} as const;
