/**
 * Moving the library to another folder (Settings > Library folder > Move pictures). Every file of
 * the library goes, in its own folder structure: the day folders with images and sidecars, the
 * inputs, and anything else the person keeps there. Not moved: the hidden cache folder (rebuilt
 * from the files), temporary files of an interrupted write, and other hidden files (.DS_Store).
 *
 * Each file is renamed into place when both folders are on one drive; across drives it is copied to
 * a temporary name, made durable and renamed (so the new folder never holds half a file), and only
 * then removed from the old folder. A sidecar moves after its image, as the library writes them.
 * Interrupted (a crash, a full disk), nothing is lost: each file is whole in one folder or the
 * other, and running the move again finishes it (files already there, the same to the byte, are
 * simply removed from the old folder). A different file already at a name in the new folder is
 * never overwritten: it stays in the old folder and is counted as left.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { copyFileAtomic, fsyncDir } from '../fs/atomic';
import { pathExists } from '../fs/exists';
import {
  CACHE_DIR,
  INPUTS_DIR,
  LibraryError,
  formatOfExtension,
  isHiddenName,
  isTempName,
} from './format';

export interface MoveProgress {
  done: number;
  total: number;
}

export interface MoveResult {
  /** Files now in the new folder that were in the old one. */
  moved: number;
  /** Of those, the pictures of the gallery (PNG, JPEG, WebP files; not the kept inputs). */
  pictures: number;
  /** Files left in the old folder, each with the reason. */
  left: { path: string; reason: string }[];
}

export interface MoveOptions {
  onProgress?: (progress: MoveProgress) => void;
  signal?: AbortSignal;
  /** For tests: the rename to use (to simulate two drives). */
  rename?: (from: string, to: string) => Promise<void>;
}

function inside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Library-relative paths (with '/') of every file to move, folder by folder; in each folder the
 * sidecars come after the images (a sidecar never arrives before the image it describes).
 */
async function filesToMove(root: string, rel = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  const folders: string[] = [];
  for (const entry of entries) {
    if (isHiddenName(entry.name) || isTempName(entry.name)) continue;
    if (rel === '' && entry.name === CACHE_DIR) continue;
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) folders.push(child);
    else if (entry.isFile()) files.push(child);
  }
  const isSidecar = (p: string) => p.endsWith('.json');
  const out = [...files.filter((p) => !isSidecar(p)), ...files.filter(isSidecar)];
  for (const folder of folders) out.push(...(await filesToMove(root, folder)));
  return out;
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sameContent(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  if (sa.size !== sb.size) return false;
  return (await hashOf(a)) === (await hashOf(b));
}

/** Removes the folders the move emptied (deepest first); keeps the library folder itself. */
async function removeEmptyFolders(root: string, rel = ''): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || (rel === '' && entry.name === CACHE_DIR)) continue;
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    await removeEmptyFolders(root, child);
    await rmdir(path.join(root, child)).catch(() => undefined);
  }
}

/** Why `to` cannot take the library at `from`, or null. */
export function moveProblem(from: string, to: string): string | null {
  if (!path.isAbsolute(to)) return 'Choose the new folder by its full path.';
  const a = path.resolve(from);
  const b = path.resolve(to);
  if (a === b) return 'That is already the library folder.';
  if (inside(a, b)) return 'The new folder cannot be inside the library folder.';
  if (inside(b, a)) return 'The new folder cannot contain the library folder.';
  return null;
}

export async function moveLibrary(
  from: string,
  to: string,
  options: MoveOptions = {},
): Promise<MoveResult> {
  const problem = moveProblem(from, to);
  if (problem) throw new LibraryError('bad-path', problem);
  const move = options.rename ?? rename;
  await mkdir(to, { recursive: true });
  const files = await filesToMove(from);
  const total = files.length;
  const result: MoveResult = { moved: 0, pictures: 0, left: [] };
  const touched = new Set<string>();
  const count = (rel: string) => {
    result.moved += 1;
    if (formatOfExtension(rel) !== null && !rel.startsWith(`${INPUTS_DIR}/`)) result.pictures += 1;
  };
  options.onProgress?.({ done: 0, total });
  let done = 0;
  for (const rel of files) {
    options.signal?.throwIfAborted();
    const source = path.join(from, ...rel.split('/'));
    const target = path.join(to, ...rel.split('/'));
    const folder = path.dirname(target);
    try {
      await mkdir(folder, { recursive: true });
      if (await pathExists(target)) {
        if (await sameContent(source, target)) {
          await rm(source);
          count(rel);
        } else {
          result.left.push({
            path: rel,
            reason: 'a different file has its name in the new folder',
          });
        }
      } else {
        try {
          await move(source, target);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
          await copyFileAtomic(source, target);
          await rm(source);
        }
        count(rel);
        touched.add(folder);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC') {
        throw new LibraryError(
          'disk-full',
          `The new folder's drive is full after ${result.moved} of ${total} files. Nothing was lost: the rest are still in the old folder. Free some space and move again.`,
          { cause: error },
        );
      }
      result.left.push({ path: rel, reason: code ?? 'it could not be moved' });
    }
    done += 1;
    options.onProgress?.({ done, total });
  }
  for (const folder of touched) await fsyncDir(folder);
  await rm(path.join(from, CACHE_DIR), { recursive: true, force: true });
  await removeEmptyFolders(from);
  return result;
}
