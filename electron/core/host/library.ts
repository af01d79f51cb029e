/**
 * The library service: ONE open library for the folder in force (--library, else the setting,
 * else <Pictures>/Atelier), opened on first use, reopened when the folder changes, closed with the
 * host. It implements the library.* calls, forwards the library's changes as `library.changed`,
 * and hands the shells the media of the library in force (core/library/media.ts).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type {
  EventName,
  EventPayload,
  LibraryFilter,
  LibraryItem,
  LibraryRecipe,
  ShellKind,
} from '../../../shared/api';
import {
  createMediaSource,
  ELECTRON_MEDIA_BASE,
  LibraryError,
  openLibrary,
  type JsonValue,
  type Library,
  type LibraryEntry,
  type LibraryOptions,
  type MediaSource,
  type Sidecar,
  type TrashFunction,
} from '../library';
import type { LibraryQuery } from '../library/library';
import { moveLibrary, moveProblem } from '../library/move';
import type { InputsService } from '../inputs';
import { PlainError } from '../errors';
import type { Handlers } from '../rpc/dispatch';

export type LibraryCallName =
  | 'library.query'
  | 'library.get'
  | 'library.setFavourite'
  | 'library.delete'
  | 'library.undoDelete'
  | 'library.import'
  | 'library.reveal'
  | 'library.folder'
  | 'library.refresh'
  | 'library.move';

/** The library folder in force: chosen (--library or the setting), or the default. */
export interface LibraryFolder {
  /** Absolute. */
  dir: string;
  /** False for the default folder, <Pictures>/Atelier. */
  chosen: boolean;
}

export interface LibraryServiceOptions {
  /** The folder in force now (createHost resolves it). */
  folder: () => LibraryFolder;
  shell: ShellKind;
  /** Staged pictures: library.import takes their ids. */
  inputs: Pick<InputsService, 'require' | 'read'>;
  /** Where the page finds the images (library.folder's mediaBase); by default the shell's own. */
  mediaBase?: string;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** The OS trash (Electron: shell.trashItem); without it deleted files wait in .atelier/trash. */
  trash?: TrashFunction;
  /** Shows a file in the system file manager (Electron: shell.showItemInFolder). */
  reveal?: (absolutePath: string) => void;
  /**
   * Makes `dir` the library folder (the setting). Absent where the folder is fixed for this run
   * (the browser shell's --library), and then the library cannot be moved from here.
   */
  useFolder?: (dir: string | null) => Promise<void>;
  /** What a filter's collection and rating add to a query (host/collect.ts). */
  narrow?: (filter: LibraryFilter) => Promise<Pick<LibraryQuery, 'only' | 'minRating'>>;
  /** Options for openLibrary (tests: debounce, watch). */
  libraryOptions?: LibraryOptions;
  log?: (line: string) => void;
}

export interface LibraryService {
  handlers: Pick<Handlers, LibraryCallName>;
  media: MediaSource;
  /** The folder in force now, absolute. */
  dir(): string;
  /** The open library (opened now if needed, reopened if the folder changed). */
  current(): Promise<Library>;
  /** Call when the setting may have changed: reopens on another folder and says so. */
  folderMayHaveChanged(): void;
  close(): Promise<void>;
}

export function itemOf(entry: LibraryEntry): LibraryItem {
  return {
    id: entry.id,
    path: entry.path,
    operation: entry.operation,
    endpoint: entry.endpoint,
    model: entry.model,
    prompt: entry.prompt,
    negativePrompt: entry.negativePrompt,
    seed: entry.seed,
    createdAt: entry.createdAt,
    createdMs: entry.createdMs,
    format: entry.format,
    width: entry.width,
    height: entry.height,
    bytes: entry.bytes,
    sha256: entry.sha256,
    favourite: entry.favourite,
    rating: entry.rating,
    sandbox: entry.sandbox,
    credits: entry.credits,
  };
}

/** The library query of a filter (its collection and rating come from `narrow`). */
export function queryOfFilter(request: LibraryFilter): LibraryQuery {
  return {
    ...(request.text !== undefined ? { text: request.text } : {}),
    ...(request.operations?.length ? { operations: request.operations } : {}),
    ...(request.models?.length ? { models: request.models } : {}),
    ...(request.from !== undefined ? { from: request.from } : {}),
    ...(request.to !== undefined ? { to: request.to } : {}),
    ...(request.favourites ? { favourites: true } : {}),
    ...(request.sandbox !== undefined ? { sandbox: request.sandbox } : {}),
  };
}

/** The sidecar's fields the recipe carries by name; the rest goes in `more` as it is. */
const RECIPE_FIELDS: ReadonlySet<string> = new Set([
  'format',
  'id',
  'file',
  'operation',
  'endpoint',
  'model',
  'params',
  'seed',
  'finishReason',
  'credits',
  'createdAt',
  'appVersion',
  'image',
  'inputs',
  'sandbox',
  'favourite',
  'source',
  'rating',
]);

function recipeOf(sidecar: Sidecar): LibraryRecipe {
  const more: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(sidecar) as [string, JsonValue | undefined][]) {
    if (!RECIPE_FIELDS.has(name) && value !== undefined) more[name] = value;
  }
  return {
    more,
    params: sidecar.params,
    finishReason: sidecar.finishReason,
    appVersion: sidecar.appVersion,
    inputs: sidecar.inputs.map((i) => ({
      role: i.role,
      file: i.file,
      width: i.width,
      height: i.height,
    })),
    source: sidecar.source
      ? {
          kind: sidecar.source.kind,
          name: sidecar.source.name,
          parameters: sidecar.source.parameters,
        }
      : null,
  };
}

function notFound(): PlainError {
  return new PlainError(
    'not_found',
    'That image is no longer in the library. It may have been deleted or moved; the list is up to date now.',
  );
}

export function createLibraryService(options: LibraryServiceOptions): LibraryService {
  const log = options.log ?? (() => undefined);
  const dir = () => options.folder().dir;
  let open: { dir: string; library: Promise<Library>; stop: (() => void) | null } | null = null;
  let closed = false;
  /** A library.move is running (one at a time). */
  let moving = false;

  const emitChanged = (payload: EventPayload<'library.changed'>) => {
    try {
      options.emit('library.changed', payload);
    } catch (error) {
      log(`library: a change could not be sent (${error instanceof Error ? error.message : ''})`);
    }
  };

  const shut = (state: NonNullable<typeof open>) => {
    state.stop?.();
    return state.library.then(
      (library) => library.close(),
      () => undefined,
    );
  };

  const current = (): Promise<Library> => {
    if (closed) {
      return Promise.reject(
        new PlainError('not_available', 'Atelier is shutting down. Start it again to continue.'),
      );
    }
    const wanted = dir();
    if (open?.dir === wanted) return open.library;
    if (open) void shut(open);
    const state: NonNullable<typeof open> = {
      dir: wanted,
      library: openLibrary(wanted, {
        log,
        ...(options.trash ? { trash: options.trash } : {}),
        ...options.libraryOptions,
      }),
      stop: null,
    };
    open = state;
    state.library.then(
      (library) => {
        if (closed || open !== state) return;
        const { removedTemp, recovered, incomplete, damagedSidecars } = library.report;
        const repaired = removedTemp.length + recovered.length + damagedSidecars.length;
        if (repaired > 0 || incomplete.length > 0) {
          log(
            `library: the start-up check repaired ${repaired} file(s); ${incomplete.length} image(s) are incomplete and not shown.`,
          );
        }
        state.stop = library.onChange((change) => {
          if (open !== state) return;
          emitChanged({
            added: change.added.map(itemOf),
            updated: change.updated.map(itemOf),
            removed: change.removed,
            reset: false,
          });
        });
      },
      () => {
        // A folder that cannot be opened now may work later (a drive plugged in): try again then.
        if (open === state) open = null;
      },
    );
    return state.library;
  };

  /** Runs a library action; the library's own sentences reach the person as they are. */
  const withLibrary = async <T>(task: (library: Library) => Promise<T>): Promise<T> => {
    let library: Library;
    try {
      library = await current();
    } catch (error) {
      if (error instanceof LibraryError) throw new PlainError(error.code, error.message);
      throw error;
    }
    try {
      return await task(library);
    } catch (error) {
      if (error instanceof LibraryError) {
        if (error.code === 'not-found') throw notFound();
        throw new PlainError(error.code, error.message);
      }
      throw error;
    }
  };

  const requireEntry = (library: Library, id: string): LibraryEntry => {
    const entry = library.get(id);
    if (!entry) throw notFound();
    return entry;
  };

  const handlers: LibraryService['handlers'] = {
    'library.query': (request) =>
      withLibrary(async (library) => {
        const result = library.query({
          ...queryOfFilter(request),
          ...(await options.narrow?.(request)),
          ...(request.sort ? { sort: request.sort } : {}),
          offset: request.offset,
          limit: request.limit,
        });
        return Promise.resolve({
          total: result.total,
          all: library.count(),
          offset: request.offset,
          entries: result.entries.map(itemOf),
          facets: library.facets(),
        });
      }),
    'library.get': ({ id }) =>
      withLibrary(async (library) => {
        const entry = requireEntry(library, id);
        const sidecar = await library.readSidecar(id);
        if (!sidecar) throw notFound();
        return { entry: itemOf(entry), recipe: recipeOf(sidecar) };
      }),
    'library.setFavourite': ({ id, favourite }) =>
      withLibrary(async (library) => {
        requireEntry(library, id);
        return itemOf(await library.setFavourite(id, favourite));
      }),
    'library.delete': ({ ids }) =>
      withLibrary(async (library) => {
        for (const id of ids) requireEntry(library, id);
        return library.delete(ids);
      }),
    'library.undoDelete': ({ token }) =>
      withLibrary(async (library) => ({
        entries: (await library.undoDelete(token)).map(itemOf),
      })),
    'library.import': async ({ input }) => {
      const { name } = options.inputs.require(input);
      const bytes = await options.inputs.read(input);
      return withLibrary(async (library) => itemOf(await library.import({ bytes, name })));
    },
    'library.reveal': ({ id }) =>
      withLibrary((library) => {
        const entry = requireEntry(library, id);
        if (!options.reveal) {
          throw new PlainError(
            'not_available',
            `Showing a file in its folder works only in the desktop app. The image is in ${library.dir}, at ${entry.path}.`,
          );
        }
        options.reveal(library.absolutePath(entry.path));
        return Promise.resolve({});
      }),
    'library.move': async ({ to }) => {
      const useFolder = options.useFolder;
      if (!useFolder) {
        throw new PlainError(
          'not_available',
          'This window uses the library folder it was started with (--library), so it cannot move it. Move the folder in your file manager, or start Atelier without --library.',
        );
      }
      if (moving) {
        throw new PlainError('busy', 'The library is already being moved. Wait until it is done.');
      }
      const from = dir();
      const problem = moveProblem(from, to);
      if (problem) throw new PlainError('bad_path', problem);
      const target = path.resolve(to);
      const before = options.folder();
      moving = true;
      try {
        // Stop watching the old folder, then make the new one the library folder: pictures that
        // finish while the move runs are saved there, and the grid fills as the others arrive.
        if (open) {
          const state = open;
          open = null;
          await shut(state);
        }
        await mkdir(target, { recursive: true });
        await useFolder(target);
        const result = await moveLibrary(from, target, {
          // About a hundred steps, whatever the size of the library.
          onProgress: ({ done, total }) => {
            if (done === total || done % Math.max(1, Math.floor(total / 100)) === 0)
              options.emit('library.moving', { done, total });
          },
        }).catch(async (error: unknown) => {
          // The old folder stays the library folder; what was moved waits in the new one, and
          // moving again picks up where this stopped.
          await useFolder(before.chosen ? before.dir : null).catch(() => undefined);
          if (error instanceof LibraryError) throw new PlainError(error.code, error.message);
          throw error;
        });
        if (result.left.length > 0) {
          log(`library: moved ${result.moved} file(s); ${result.left.length} stayed in ${from}.`);
        }
        return {
          dir: target,
          moved: result.moved,
          pictures: result.pictures,
          left: result.left.length,
        };
      } finally {
        moving = false;
      }
    },
    'library.refresh': () =>
      withLibrary(async (library) => {
        const change = await library.refresh();
        return {
          added: change.added.length,
          updated: change.updated.length,
          removed: change.removed.length,
        };
      }),
    'library.folder': () =>
      Promise.resolve({
        dir: dir(),
        isDefault: !options.folder().chosen,
        mediaBase: options.mediaBase ?? (options.shell === 'electron' ? ELECTRON_MEDIA_BASE : ''),
        canReveal: options.reveal !== undefined,
      }),
  };

  const media = createMediaSource(current, log);

  return {
    handlers,
    media,
    dir,
    current,
    folderMayHaveChanged() {
      if (closed || !open || open.dir === dir()) return;
      const previous = open;
      open = null;
      void shut(previous).then(() =>
        emitChanged({ added: [], updated: [], removed: [], reset: true }),
      );
    },
    async close() {
      closed = true;
      const state = open;
      open = null;
      if (state) await shut(state);
    },
  };
}
