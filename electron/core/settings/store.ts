/**
 * The person's settings, kept as JSON in the data folder (settings.json).
 *
 * - Missing file: the defaults (nothing is written until something changes).
 * - Unreadable JSON or invalid values: every valid field is kept, the rest fall back to the
 *   defaults, the bad file is moved aside as settings.json.corrupt-<time> (so nothing the person
 *   wrote is lost) and the repaired settings are written back. The store reports what it did in
 *   `recovery`; it never throws while loading.
 * - Writes are atomic (temporary file in the same folder, fsync, rename, fsync the folder) and
 *   serialized: each change applies to the result of the one before it.
 * - Keys this version does not know (written by a newer Atelier) are kept as they are.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { pathExists } from '../fs/exists';
import { DEFAULT_SETTINGS, Settings, SettingsPatch } from '../../../shared/api';
import { fieldsFromIssues, PlainError } from '../errors';
import { SETTINGS_FILE_NAME } from './paths';

/** What the store did about a settings file it could not fully use. */
export interface SettingsRecovery {
  /** Where the bad file was moved; null when it could not be read or moved. */
  movedTo: string | null;
  /** The settings that fell back to their defaults ('*' when the whole file was unusable). */
  resetFields: string[];
  /** A plain sentence for the person: what happened and what to do. */
  message: string;
}

export interface SettingsStore {
  /** The data folder. */
  readonly dir: string;
  /** The settings file (dir/settings.json). */
  readonly file: string;
  /** Set when loading found a problem; null when the file was fine or absent. */
  readonly recovery: SettingsRecovery | null;
  /** The current settings (a copy). */
  get(): Settings;
  /**
   * Applies a change, writes it, and resolves with all settings after it. Rejects with a PlainError
   * ('invalid_request' with fields, or 'io_error') and leaves the settings unchanged on failure.
   */
  set(patch: SettingsPatch): Promise<Settings>;
  /** Resolves once every write started so far has finished. */
  flush(): Promise<void>;
  /** Called after each change that was written, with all settings; returns an unsubscribe. */
  subscribe(listener: (settings: Settings) => void): () => void;
}

export interface OpenSettingsOptions {
  /** The data folder; created on the first write. */
  dir: string;
  /** The clock used to name a moved-aside file (tests pass one). */
  now?: () => Date;
  /** Told about problems found while loading (already plain sentences, no secrets). */
  onWarning?: (message: string) => void;
}

type Json = Record<string, unknown>;

/** Loads the settings of `dir` (never throws for a bad file) and returns the store. */
export async function openSettings(options: OpenSettingsOptions): Promise<SettingsStore> {
  const dir = path.resolve(options.dir);
  const file = path.join(dir, SETTINGS_FILE_NAME);
  const now = options.now ?? (() => new Date());
  const warn = options.onWarning ?? (() => undefined);

  const loaded = await load(file);
  let current: Settings = loaded.settings;
  const extras: Json = loaded.extras;
  let recovery: SettingsRecovery | null = null;

  if (loaded.problem === 'unreadable') {
    recovery = {
      movedTo: null,
      resetFields: ['*'],
      message: `Atelier could not read its settings file ${file} (${reasonOf(loaded.error)}), so it is using the default settings for now. Check that you may read this file, then restart Atelier.`,
    };
  } else if (loaded.problem !== null) {
    const movedTo = await moveAside(file, now()).catch(() => null);
    const what =
      loaded.problem === 'corrupt'
        ? 'could not be read as settings, so Atelier is using the default settings'
        : `had invalid values for ${loaded.resetFields.join(', ')}; Atelier kept your other settings and reset those to their defaults`;
    const where =
      movedTo !== null
        ? `The old file was kept as ${movedTo}.`
        : 'The old file could not be moved aside.';
    recovery = {
      movedTo,
      resetFields: loaded.problem === 'corrupt' ? ['*'] : loaded.resetFields,
      message: `The settings file ${file} ${what}. ${where} Check the settings in Atelier.`,
    };
    if (movedTo !== null) {
      // Write the repaired settings back, so the valid fields survive the next start.
      try {
        await write(dir, file, current, extras);
      } catch (error) {
        warn(`Atelier could not write its repaired settings to ${file} (${reasonOf(error)}).`);
      }
    }
  }
  if (recovery !== null) warn(recovery.message);

  let queue: Promise<unknown> = Promise.resolve();
  const listeners = new Set<(settings: Settings) => void>();

  return {
    dir,
    file,
    get recovery() {
      return recovery;
    },
    get: () => ({ ...current }),
    set(patch) {
      const run = async (): Promise<Settings> => {
        const checked = SettingsPatch.safeParse(patch);
        if (!checked.success) throw invalid(fieldsFromIssues(checked.error.issues));
        const merged: Json = { ...current };
        for (const [key, value] of Object.entries(checked.data)) {
          if (value !== undefined) merged[key] = value;
        }
        const next = Settings.safeParse(merged);
        if (!next.success) throw invalid(fieldsFromIssues(next.error.issues));
        if (sameSettings(current, next.data)) return { ...current };
        try {
          await write(dir, file, next.data, extras);
        } catch (error) {
          throw new PlainError(
            'io_error',
            `Atelier could not save your settings in ${dir} (${reasonOf(error)}). Check that this folder exists and that you may write to it, then try again.`,
          );
        }
        current = next.data;
        for (const listener of [...listeners]) {
          try {
            listener({ ...current });
          } catch (error) {
            warn(`A part of Atelier failed to take in the new settings (${reasonOf(error)}).`);
          }
        }
        return { ...current };
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async flush() {
      await queue;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

interface Loaded {
  settings: Settings;
  extras: Json;
  /** null: fine or absent; 'corrupt': not a JSON object; 'invalid': some values; 'unreadable': I/O. */
  problem: null | 'corrupt' | 'invalid' | 'unreadable';
  resetFields: string[];
  error?: unknown;
}

async function load(file: string): Promise<Loaded> {
  const defaults: Loaded = {
    settings: { ...DEFAULT_SETTINGS },
    extras: {},
    problem: null,
    resetFields: [],
  };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return defaults;
    return { ...defaults, problem: 'unreadable', resetFields: ['*'], error };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ...defaults, problem: 'corrupt', resetFields: ['*'] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ...defaults, problem: 'corrupt', resetFields: ['*'] };
  }
  const source = raw as Json;
  const kept: Json = {};
  const extras: Json = {};
  const resetFields: string[] = [];
  const shape = Settings.shape as Record<
    string,
    { safeParse(value: unknown): { success: boolean } }
  >;
  for (const [key, value] of Object.entries(source)) {
    const field = Object.prototype.hasOwnProperty.call(shape, key) ? shape[key] : undefined;
    if (field === undefined) extras[key] = value;
    else if (field.safeParse(value).success) kept[key] = value;
    else resetFields.push(key);
  }
  // Missing keys simply take their defaults (an older file): that is not a problem.
  const settings = Settings.parse({ ...DEFAULT_SETTINGS, ...kept });
  return {
    settings,
    extras,
    problem: resetFields.length > 0 ? 'invalid' : null,
    resetFields,
  };
}

async function write(dir: string, file: string, settings: Settings, extras: Json): Promise<void> {
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify({ ...extras, ...settings }, null, 2)}\n`;
  await writeFileAtomic(file, text);
}

/** Renames `file` to file.corrupt-<time> (with -1, -2... if taken); resolves with the new path. */
async function moveAside(file: string, when: Date): Promise<string> {
  const stamp = when.toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = `${file}.corrupt-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
    if (await pathExists(target)) continue;
    await rename(file, target);
    return target;
  }
  throw new Error('no free name to move the settings file aside');
}

function sameSettings(a: Settings, b: Settings): boolean {
  return (Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]).every((key) => a[key] === b[key]);
}

function invalid(fields: Record<string, string>): PlainError {
  const detail = Object.entries(fields)
    .slice(0, 3)
    .map(([field, message]) => `${field}: ${message}`)
    .join('; ');
  return new PlainError(
    'invalid_request',
    `Atelier could not change the settings: ${detail}.`,
    fields,
  );
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** A short reason without paths or secrets, e.g. 'permission denied'. */
export function reasonOf(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EISDIR':
      return 'a folder is in the way';
    case 'ENOTDIR':
      return 'a file is in the way';
    case 'ENOENT':
      return 'the folder does not exist';
    default:
      return errorCode(error) ?? 'unexpected error';
  }
}
