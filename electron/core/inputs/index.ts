/**
 * Every picture coming in, staged once: the one way a picture reaches a job, the library or a saved
 * comparison.
 *
 *   inputs.begin / chunk / finish   bytes uploaded in order (the browser shell, and files without a
 *                                   path in Electron, such as a pasted picture)
 *   fromPath(path)                  a file the MAIN PROCESS named: a native dialog, a real drop (the
 *                                   preload's webUtils.getPathForFile), open-file, the command line.
 *                                   Not a call: the renderer cannot name a path.
 *   inputs.fromLibrary { id }       a picture of the library, by its id (the core finds the file)
 *   inputs.fromRecipe { id, role }  a picture a library entry was made from, by the entry's id and
 *                                   the input's role (./recipe: the sidecar names the file)
 *
 * Each becomes a file in <dataDir>/inputs, at most INPUT_MAX_BYTES, read from a regular file only
 * (see ./read), described from its content (InputView), and named by an opaque id that jobs.add,
 * library.import and compare.save take. Clean-up: unfinished uploads are dropped after a while and
 * when too many are open, the oldest staged pictures are dropped when too many are kept (unless a
 * job still needs them), and files left from an earlier run are removed at start.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { INPUT_MAX_BYTES, type InputView } from '../../../shared/api';
import { InputImageError, inspectBytes } from '../images';
import { embeddedPrompt, readEmbedded, type Library } from '../library';
import { PlainError } from '../errors';
import type { Handlers } from '../rpc/dispatch';
import { displayName, readRegularFile, tooBig } from './read';
import { recipeInput } from './recipe';
import { libraryEntry } from './library-entry';

export { displayName, readRegularFile } from './read';

export type InputsCallName =
  'inputs.begin' | 'inputs.chunk' | 'inputs.finish' | 'inputs.fromLibrary' | 'inputs.fromRecipe';

export interface InputsOptions {
  /** Where staged files live (<dataDir>/inputs). */
  dir: string;
  /** The library in force, for inputs.fromLibrary and inputs.fromRecipe. */
  library: () => Promise<Library>;
  /** Staged files a job still needs (never dropped). */
  inUse?: () => Iterable<string>;
  /** Largest picture taken in (default INPUT_MAX_BYTES). */
  maxBytes?: number;
  /** Uploads open at once before the oldest is dropped (default 8). */
  maxOpenUploads?: number;
  /** Staged pictures kept before the oldest is dropped (default 64). */
  maxStaged?: number;
  /** An upload with no chunk for this long is dropped (default 10 minutes). */
  uploadIdleMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface StagedInput {
  /** The staged file (in the staging folder, written by the core). */
  file: string;
  name: string;
  view: InputView;
}

export interface InputsService {
  handlers: Pick<Handlers, InputsCallName>;
  /**
   * A file on this computer named by the main process or the core (never by the renderer); `name`
   * shows instead of the file's own name.
   */
  fromPath(absolutePath: string, name?: string): Promise<InputView>;
  /** A staged picture by its id, or null when there is none (any more). */
  get(id: string): StagedInput | null;
  /** Like get, or a PlainError with a sentence. */
  require(id: string): StagedInput;
  /** The bytes of a staged picture (read as any file: regular, within the limit). */
  read(id: string): Promise<Buffer>;
  /** Removes staged files no job needs that this run did not stage (call once jobs are loaded). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

interface Upload {
  id: string;
  name: string;
  file: string;
  size: number;
  received: number;
  touched: number;
}

const GONE = 'The picture you chose is no longer ready. Drop or choose it again.';

export function createInputs(options: InputsOptions): InputsService {
  const maxBytes = options.maxBytes ?? INPUT_MAX_BYTES;
  const maxOpen = options.maxOpenUploads ?? 8;
  const maxStaged = options.maxStaged ?? 64;
  const idleMs = options.uploadIdleMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const uploads = new Map<string, Upload>();
  const staged = new Map<string, StagedInput>();
  let closed = false;

  const fileOf = (id: string) => path.join(options.dir, `${id}.upload`);
  const remove = (file: string) =>
    rm(file, { force: true }).catch((error: unknown) =>
      log(`inputs: ${file} could not be removed (${error instanceof Error ? error.message : ''})`),
    );

  async function ensureDir(): Promise<void> {
    if (closed)
      throw new PlainError(
        'not_available',
        'Atelier is shutting down. Start it again to continue.',
      );
    await mkdir(options.dir, { recursive: true });
  }

  function dropUpload(upload: Upload): Promise<void> {
    uploads.delete(upload.id);
    return remove(upload.file);
  }

  /** Drops uploads left idle, and the oldest when one more would be too many. */
  async function makeRoomForUpload(): Promise<void> {
    const cutoff = now() - idleMs;
    for (const upload of [...uploads.values()]) {
      if (upload.touched < cutoff) await dropUpload(upload);
    }
    while (uploads.size >= maxOpen) {
      const oldest = uploads.values().next().value;
      if (!oldest) break;
      await dropUpload(oldest);
    }
  }

  /** Keeps at most maxStaged pictures: the oldest no job needs go first. */
  async function keepFew(): Promise<void> {
    if (staged.size <= maxStaged) return;
    const needed = new Set(options.inUse?.() ?? []);
    for (const [id, input] of staged) {
      if (staged.size <= maxStaged) break;
      if (needed.has(input.file)) continue;
      staged.delete(id);
      await remove(input.file);
    }
  }

  /** Reads what a staged file is; a file that is not a picture is removed and refused. */
  async function describe(id: string, name: string, bytes: Buffer): Promise<InputView> {
    const file = fileOf(id);
    try {
      const { info } = await inspectBytes(bytes, name);
      const prompt = embeddedPrompt(readEmbedded(bytes));
      const view: InputView = {
        id,
        name,
        width: info.width,
        height: info.height,
        bytes: bytes.length,
        format: info.format,
        ...(prompt !== undefined ? { prompt } : {}),
      };
      staged.set(id, { file, name, view });
      await keepFew();
      return view;
    } catch (error) {
      await remove(file);
      if (error instanceof InputImageError) throw new PlainError(error.code, error.message);
      throw error;
    }
  }

  async function openedLibrary(): Promise<Library> {
    try {
      return await options.library();
    } catch {
      throw new PlainError(
        'not_available',
        'The library folder cannot be opened right now. Check it in Settings, then try again.',
      );
    }
  }

  /** Stages bytes already read (a path or a library picture): written to a new staging file. */
  async function stageBytes(name: string, bytes: Buffer): Promise<InputView> {
    await ensureDir();
    const id = randomUUID();
    await writeFile(fileOf(id), bytes, { flag: 'wx' });
    return describe(id, name, bytes);
  }

  const service: InputsService = {
    handlers: {
      'inputs.begin': async ({ name, size }) => {
        if (size > maxBytes) throw tooBig(name, maxBytes);
        await ensureDir();
        await makeRoomForUpload();
        const id = randomUUID();
        const file = fileOf(id);
        await writeFile(file, new Uint8Array(0), { flag: 'wx' });
        uploads.set(id, { id, name: displayName(name), file, size, received: 0, touched: now() });
        return { id };
      },
      'inputs.chunk': async ({ id, offset, data }) => {
        const upload = uploads.get(id);
        if (!upload)
          throw new PlainError('input_gone', 'That upload is not open. Drop the file again.');
        if (offset !== upload.received) {
          await dropUpload(upload);
          throw new PlainError(
            'bad_offset',
            'The upload arrived out of order. Drop the file again.',
          );
        }
        const bytes = Buffer.from(data, 'base64');
        if (upload.received + bytes.length > upload.size) {
          await dropUpload(upload);
          throw new PlainError(
            'too_big',
            'The upload is larger than announced. Drop the file again.',
          );
        }
        const handle = await open(upload.file, 'a');
        try {
          await handle.write(bytes);
        } finally {
          await handle.close();
        }
        upload.received += bytes.length;
        upload.touched = now();
        return { received: upload.received };
      },
      'inputs.finish': async ({ id }) => {
        const done = staged.get(id);
        if (done) return done.view;
        const upload = uploads.get(id);
        if (!upload)
          throw new PlainError('input_gone', 'That upload is not open. Drop the file again.');
        uploads.delete(id);
        if (upload.received !== upload.size) {
          await remove(upload.file);
          throw new PlainError(
            'incomplete',
            'Only part of the picture arrived. Drop the file again.',
          );
        }
        return describe(id, upload.name, await readRegularFile(upload.file, maxBytes));
      },
      'inputs.fromLibrary': async ({ id }) => {
        const { library, entry } = await libraryEntry(options.library, id);
        const bytes = await readRegularFile(library.absolutePath(entry.path), maxBytes);
        return stageBytes(displayName(entry.path), bytes);
      },
      'inputs.fromRecipe': async ({ id, role }) => {
        const library = await openedLibrary();
        const found = await recipeInput(library, id, role, maxBytes);
        return stageBytes(`${role} of ${displayName(found.entryPath)}`, found.bytes);
      },
    },

    async fromPath(absolutePath, name) {
      const bytes = await readRegularFile(absolutePath, maxBytes);
      return stageBytes(displayName(name ?? absolutePath), bytes);
    },

    get: (id) => staged.get(id) ?? null,

    require(id) {
      const input = staged.get(id);
      if (!input) throw new PlainError('input_gone', GONE);
      return input;
    },

    async read(id) {
      const input = service.require(id);
      try {
        return await readRegularFile(input.file, maxBytes);
      } catch {
        staged.delete(id);
        throw new PlainError('input_gone', GONE);
      }
    },

    async sweep() {
      let names: string[];
      try {
        names = await readdir(options.dir);
      } catch {
        return; // Nothing staged yet.
      }
      // What is kept is read after the folder, so a picture staged meanwhile stays.
      const keep = new Set([...(options.inUse?.() ?? [])].map((file) => path.resolve(file)));
      for (const input of staged.values()) keep.add(input.file);
      for (const upload of uploads.values()) keep.add(upload.file);
      for (const name of names) {
        const file = path.join(options.dir, name);
        if (name.endsWith('.upload') && !keep.has(file)) await remove(file);
      }
    },

    async close() {
      closed = true;
      await Promise.all([...uploads.values()].map((upload) => dropUpload(upload)));
    },
  };
  return service;
}
