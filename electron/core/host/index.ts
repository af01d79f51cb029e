/**
 * The core's host: builds everything from the settings and implements every call of the Api
 * (shared/api.ts). Both shells create one host and carry its dispatch and events: the Electron
 * shell over IPC, the browser shell over a WebSocket.
 *
 * Environment variables honoured (options.env, process.env by default):
 *   ATELIER_DATA_DIR    the data folder (settings.json); wins over options.dataDir and the OS default
 *   STABILITY_API_KEY   a key for this run only: never stored, never sent to the renderer, never logged
 *   STABILITY_API_BASE  another base URL for the API (default https://api.stability.ai); the
 *                       person's apiBaseUrl setting overrides it. STABILITY_API_KEY is bound to
 *                       it: that key goes to this address only. https only, except plain http
 *                       on this computer (127.0.0.0/8, [::1], localhost); anything else is refused
 */
import path from 'node:path';
import {
  INTERNAL_ERROR_MESSAGE,
  type AppInfo,
  type CallResult,
  type EventName,
  type ShellKind,
} from '../../../shared/api';
import { PlainError } from '../errors';
import { createDispatch, type Dispatch, type Handlers } from '../rpc/dispatch';
import { createEventHub } from '../rpc/events';
import { defaultLibraryDir, openSettings, resolveDataDir, type SettingsStore } from '../settings';
import { envApiBaseProblem, resolveApiBase } from './api-base';
import { describeError, redact } from './redact';
import { createServices, type Services } from './services';
import { createAccount } from './account';
import { createCreateService } from './create';
import { createLibraryService, type LibraryFolder, type LibraryService } from './library';
import { createCompareService } from './compare';
import type { LibraryOptions, TrashFunction } from '../library';
import { createCollectService } from './collect';
import { createFolderGate, shellHandlers, type ShellServices } from './shell-services';
import { createInputs } from '../inputs';
import type { SandboxOptions } from '../sandbox';
import type { KeychainStoreOptions, Vault } from '../vault';

export { DEFAULT_API_BASE, resolveApiBase } from './api-base';
export { redact } from './redact';
export type { ShellServices } from './shell-services';
export {
  createServices,
  NO_KEY_MESSAGE,
  NoKeyError,
  type ApiClient,
  type Services,
  type ServicesOptions,
} from './services';

export const APP_NAME = 'Atelier';

export interface HostOptions {
  shell: ShellKind;
  /**
   * Where the page finds the library's images (library.folder's mediaBase): the browser shell's
   * per-run secret path. Default: atelier-media://library in Electron, '' otherwise.
   */
  mediaBase?: string;
  version: string;
  /** The shell's data folder (Electron: app.getPath('userData')); ATELIER_DATA_DIR wins over it. */
  dataDir?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** The library folder for this run only (browser shell: --library DIR); not stored. */
  libraryDir?: string;
  /** Defaults to process.platform. */
  platform?: string;
  /** Where warnings and internal errors go, one line each, secrets removed (default: stderr). */
  log?: (line: string) => void;
  /** Another vault (tests: createMemoryVault()). Default: the OS keychain + STABILITY_API_KEY. */
  vault?: Vault;
  /** Keychain service/account for the default vault (tests use their own), or false for none. */
  keychain?: KeychainStoreOptions | false;
  /** Options for the in-process Sandbox (tests). */
  sandboxOptions?: SandboxOptions;
  /** Dialogs, reveal, drag out: the desktop shell's (electron/shell/services.ts); none in a browser. */
  shellServices?: ShellServices;
  /** The OS trash for deleted library images (Electron: shell.trashItem). */
  trash?: TrashFunction;
  /** Options for opening the library (tests: watch, debounce). */
  libraryOptions?: LibraryOptions;
}

export type HostListener = (event: EventName, payload: unknown) => void;

export interface Host {
  /** Every call of the Api: validates, runs, answers with a CallResult. Never throws. */
  dispatch: Dispatch;
  /** Core -> renderer events (payloads already checked against the contract). */
  subscribe(listener: HostListener): () => void;
  info: AppInfo;
  settings: SettingsStore;
  /** The vault, the Stability client in force and the Sandbox (see ./services). */
  services: Services;
  /** Waits for pending writes, stops events; later calls answer 'not_available'. Idempotent. */
  close(): Promise<void>;
  /** The API base URL in force now (setting, else STABILITY_API_BASE, else the default). */
  apiBase(): string;
  /** The library folder in force: --library for this run, else the setting, else <Pictures>/Atelier. */
  libraryDir(): string;
  /** The library in force (opened on first use) and the media the shells serve from it. */
  library: LibraryService;
  /**
   * Stages a picture by its path, answering like a call (an InputView, or a sentence; never
   * throws). Only for paths the MAIN PROCESS produced: a native dialog, a real drop's path from the
   * preload, open-file, the command line. No call of the Api takes a path.
   */
  stagePath(absolutePath: string): Promise<CallResult>;
}

export async function createHost(options: HostOptions): Promise<Host> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  // STABILITY_API_KEY reaches the API client through the vault only; here it is what logs hide.
  const secrets = [nonEmpty(env.STABILITY_API_KEY), env.STABILITY_API_KEY];
  const write = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (line: string) => {
    try {
      write(`Atelier: ${redact(line, secrets)}`);
    } catch {
      // Logging must never break the core.
    }
  };

  const dataDir = resolveDataDir({ dataDir: options.dataDir, env, platform });
  const settings = await openSettings({ dir: dataDir, onWarning: log });
  const baseProblem = envApiBaseProblem(env);
  if (baseProblem !== null) log(baseProblem);
  // The library folder, resolved here once for every service: --library for this run, else the
  // setting, else <Pictures>/Atelier.
  const runLibraryDir = nonEmpty(options.libraryDir);
  const libraryOverride = runLibraryDir !== null ? path.resolve(runLibraryDir) : null;
  const fallbackLibraryDir = defaultLibraryDir();
  const libraryFolder = (): LibraryFolder => {
    const chosen = libraryOverride ?? settings.get().libraryDir;
    return chosen === null
      ? { dir: fallbackLibraryDir, chosen: false }
      : { dir: path.resolve(chosen), chosen: true };
  };
  const libraryDir = () => libraryFolder().dir;

  const info: AppInfo = {
    name: APP_NAME,
    version: options.version,
    shell: options.shell,
    platform,
    dataDir,
  };

  const services = await createServices({
    settings,
    env,
    dataDir,
    log,
    version: options.version,
    ...(options.vault ? { vault: options.vault } : {}),
    ...(options.keychain !== undefined ? { keychain: options.keychain } : {}),
    ...(options.sandboxOptions ? { sandboxOptions: options.sandboxOptions } : {}),
  });

  const hub = createEventHub();
  const stopSettingsEvents = settings.subscribe((next) => hub.emit('settings.changed', next));
  const account = createAccount({
    services,
    emit: (event, payload) => hub.emit(event, payload),
    log,
    version: options.version,
  });
  // Pictures coming in. Its callbacks reach the library and the queue made just below (they run
  // only once calls arrive).
  const inputs = createInputs({
    dir: path.join(dataDir, 'inputs'),
    library: () => library.current(),
    inUse: () => create.queue.list().flatMap((job) => job.inputs.map((input) => input.path)),
    log,
  });
  const create = await createCreateService({
    dataDir,
    inputs,
    libraryDir,
    client: () => services.client(),
    emit: (event, payload) => hub.emit(event, payload),
    concurrency: settings.get().concurrency,
    log,
  });
  // Files staged in an earlier run that no job needs any more.
  void inputs.sweep();
  const stopConcurrency = settings.subscribe((next) => create.setConcurrency(next.concurrency));
  const library = createLibraryService({
    folder: libraryFolder,
    shell: options.shell,
    inputs,
    ...(options.mediaBase !== undefined ? { mediaBase: options.mediaBase } : {}),
    emit: (event, payload) => hub.emit(event, payload),
    log,
    narrow: (filter) => collect.narrow(filter),
    ...(libraryOverride === null
      ? {
          useFolder: async (dir: string | null) => {
            await settings.set({ libraryDir: dir });
          },
        }
      : {}),
    ...(options.trash ? { trash: options.trash } : {}),
    ...(options.shellServices
      ? { reveal: (file: string) => options.shellServices?.reveal(file) }
      : {}),
    ...(options.libraryOptions ? { libraryOptions: options.libraryOptions } : {}),
  });
  const stopLibraryFolder = settings.subscribe(() => library.folderMayHaveChanged());
  const compare = createCompareService({ library: () => library.current(), inputs });
  const folders = createFolderGate(options.shell === 'electron');
  const collect = createCollectService({
    current: () => library.current(),
    emit: (event, payload) => hub.emit(event, payload),
    folders,
    log,
  });

  const handlers: Handlers = {
    'app.info': () => Promise.resolve({ ...info }),
    'app.ping': ({ message }) => Promise.resolve({ message, receivedAt: Date.now() }),
    'settings.get': () => Promise.resolve(settings.get()),
    'settings.set': (patch) => {
      if (patch.libraryDir !== undefined)
        folders.check(patch.libraryDir, settings.get().libraryDir);
      return settings.set(patch);
    },
    ...shellHandlers(options.shellServices, libraryDir, {
      stage: (file) => inputs.fromPath(file),
      folders,
    }),
    ...account.handlers,
    ...create.handlers,
    ...inputs.handlers,
    ...library.handlers,
    'library.move': (request) => {
      folders.check(request.to, null);
      return library.handlers['library.move'](request);
    },
    ...compare.handlers,
    ...collect.handlers,
  };

  const inner = createDispatch(handlers, {
    onInternalError: (call, error) =>
      log(`internal error in "${call}": ${describeError(error, secrets)}`),
  });

  let closed = false;
  let closing: Promise<void> | null = null;
  const listeners = new Set<() => void>();

  const shuttingDown: CallResult = {
    ok: false,
    error: {
      code: 'not_available',
      message: 'Atelier is shutting down. Start it again to continue.',
    },
  };
  const internal: CallResult = {
    ok: false,
    error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE },
  };

  const dispatch: Dispatch = async (call, request) => {
    if (closed) return shuttingDown;
    try {
      return await inner(call, request);
    } catch (error) {
      // createDispatch already catches handler errors; this is the last line of defence.
      log(`internal error in dispatch: ${describeError(error, secrets)}`);
      return internal;
    }
  };

  const stagePath = async (file: string): Promise<CallResult> => {
    if (closed) return shuttingDown;
    try {
      return { ok: true, value: await inputs.fromPath(file) };
    } catch (error) {
      if (error instanceof PlainError) return { ok: false, error: error.toBody() };
      log(`internal error staging a file: ${describeError(error, secrets)}`);
      return internal;
    }
  };

  return {
    dispatch,
    subscribe(listener) {
      const unsubscribe = hub.subscribe((event, payload) => {
        try {
          listener(event, payload);
        } catch (error) {
          log(`an event listener failed on "${event}": ${describeError(error, secrets)}`);
        }
      });
      const stop = () => {
        unsubscribe();
        listeners.delete(stop);
      };
      listeners.add(stop);
      return stop;
    },
    info,
    settings,
    services,
    close() {
      closing ??= (async () => {
        closed = true;
        await settings.flush();
        stopSettingsEvents();
        account.close();
        stopConcurrency();
        await create.close();
        await inputs.close();
        stopLibraryFolder();
        await library.close();
        await services.close();
        for (const stop of [...listeners]) stop();
      })();
      return closing;
    },
    apiBase: () => resolveApiBase(settings.get(), env),
    libraryDir,
    library,
    stagePath,
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value !== undefined && value.trim() !== '' ? value.trim() : null;
}
