/**
 * Delete with undo. A delete moves an entry's image and sidecar into `.atelier/trash/<token>/`
 * with a manifest; undo moves them back. With an OS trash (the Electron shell's
 * `shell.trashItem`) the files go there at once and a hard link kept for the undo window makes
 * undo work; once the window is over the links and the entry's thumbnails go.
 *
 * This module moves files only: the library drops and re-reads its index entries around it.
 */
import { copyFile, link, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ulid } from 'ulid';
import { writeFileAtomic } from '../fs/atomic';
import { pathExists } from '../fs/exists';
import type { LibraryEntry } from './entry';
import { cacheFolder, LIBRARY_LIMITS, readBoundedJson } from './files';
import { LibraryError } from './format';
import { THUMB_SIZES, thumbRelPath } from './thumbs';

/** Moves files to the operating system's trash (the Electron shell's `shell.trashItem`). */
export type TrashFunction = (absolutePaths: string[]) => Promise<void>;

export interface DeleteReceipt {
  token: string;
  ids: string[];
}

export interface TrashOptions {
  /** Where deleted files finally go; without it they wait in `.atelier/trash/` (still undoable). */
  trash?: TrashFunction;
  /** How long a delete can be undone when `trash` is given (default 30 s). */
  undoWindowMs?: number;
}

export interface Restored {
  /** The ids of the delete, in its order. */
  ids: string[];
  /** The library folders files went back to (to re-read). */
  relDirs: Set<string>;
}

export interface LibraryTrash {
  /** Moves the entries' files out of the library; undo with the receipt's token. */
  put(entries: readonly LibraryEntry[]): Promise<DeleteReceipt>;
  /** Moves the files of a delete back where they were (a file already there again is kept). */
  restore(token: string): Promise<Restored>;
  /** Ends every undo window now (the library is closing). */
  close(): Promise<void>;
}

interface TrashManifest {
  token: string;
  deletedAt: number;
  /** Library-relative files, in restore order (sidecar before image). */
  files: string[];
  ids: string[];
  toOsTrash: boolean;
}

/** Without an OS trash, deleted images stay in `.atelier/trash/` this long. */
const KEEP_LIBRARY_TRASH_MS = 30 * 24 * 3600 * 1000;
const TOKEN_SHAPE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

export function createTrash(libraryDir: string, options: TrashOptions = {}): LibraryTrash {
  const undoWindowMs = options.undoWindowMs ?? 30_000;
  /** `.atelier/trash`, a real folder of the library (a link planted there is refused). */
  const trashRoot = () => cacheFolder(libraryDir, 'trash');
  const abs = (rel: string) => path.join(libraryDir, ...rel.split('/'));
  const pending = new Map<string, { manifest: TrashManifest; timer: NodeJS.Timeout | null }>();

  const finalize = async (token: string) => {
    const waiting = pending.get(token);
    if (waiting?.timer) clearTimeout(waiting.timer);
    pending.delete(token);
    const manifest = waiting?.manifest;
    if (!manifest?.toOsTrash) return;
    // The files already are in the OS trash; our hard links were only for undo.
    await rm(path.join(await trashRoot(), token), { recursive: true, force: true });
    await Promise.all(
      manifest.ids.flatMap((id) =>
        THUMB_SIZES.map((s) => rm(abs(thumbRelPath(id, s)), { force: true })),
      ),
    );
  };

  // Deletes from an earlier session whose undo time is over: drop their undo links.
  void trashRoot().then(
    (root) => cleanOldTrash(root, undoWindowMs),
    () => undefined,
  );

  return {
    async put(entries) {
      const token = ulid();
      const tokenDir = path.join(await trashRoot(), token);
      const toOsTrash = options.trash !== undefined;
      const files: string[] = [];
      for (const entry of entries) {
        // Image first, then sidecar: a crash in between leaves a sidecar without image (reported,
        // harmless), never an image that would be re-adopted.
        for (const rel of [entry.path, entry.sidecarPath]) {
          const target = path.join(tokenDir, ...rel.split('/'));
          await mkdir(path.dirname(target), { recursive: true });
          if (toOsTrash) {
            await link(abs(rel), target).catch(() => copyFile(abs(rel), target));
          } else {
            await rename(abs(rel), target);
          }
          files.push(rel);
        }
      }
      const manifest: TrashManifest = {
        token,
        deletedAt: Date.now(),
        // Restore sidecars before images (so a restored image is never briefly without one).
        files: [...files].sort((a, b) => Number(b.endsWith('.json')) - Number(a.endsWith('.json'))),
        ids: entries.map((e) => e.id),
        toOsTrash,
      };
      await writeFileAtomic(
        path.join(tokenDir, 'manifest.json'),
        JSON.stringify(manifest, null, 2),
      );
      if (options.trash) {
        const images = entries.map((e) => abs(e.path));
        const sidecars = entries.map((e) => abs(e.sidecarPath));
        await options.trash([...images, ...sidecars]);
      }
      let timer: NodeJS.Timeout | null = null;
      if (toOsTrash) {
        timer = setTimeout(() => void finalize(token), undoWindowMs);
        timer.unref();
      }
      pending.set(token, { manifest, timer });
      return { token, ids: manifest.ids };
    },

    async restore(token) {
      if (!TOKEN_SHAPE.test(token)) {
        throw new LibraryError('bad-token', 'That delete cannot be undone any more.');
      }
      const tokenDir = path.join(await trashRoot(), token);
      let manifest = pending.get(token)?.manifest;
      if (!manifest) {
        try {
          manifest = (await readBoundedJson(
            path.join(tokenDir, 'manifest.json'),
            LIBRARY_LIMITS.manifestBytes,
          )) as TrashManifest;
        } catch {
          throw new LibraryError(
            'expired',
            'That delete can no longer be undone here. The images may still be in the system trash.',
          );
        }
      }
      const waiting = pending.get(token);
      if (waiting?.timer) clearTimeout(waiting.timer);
      pending.delete(token);
      const relDirs = new Set<string>();
      for (const rel of manifest.files) {
        const target = abs(rel);
        if (await pathExists(target)) continue;
        await mkdir(path.dirname(target), { recursive: true });
        await rename(path.join(tokenDir, ...rel.split('/')), target).catch(() => undefined);
        relDirs.add(parentOf(rel));
      }
      await rm(tokenDir, { recursive: true, force: true });
      return { ids: manifest.ids, relDirs };
    },

    async close() {
      await Promise.all([...pending.keys()].map((token) => finalize(token)));
    },
  };
}

async function cleanOldTrash(trashRoot: string, undoWindowMs: number): Promise<void> {
  const tokens = await readdir(trashRoot).catch(() => [] as string[]);
  for (const token of tokens) {
    if (!TOKEN_SHAPE.test(token)) continue;
    try {
      const manifest = (await readBoundedJson(
        path.join(trashRoot, token, 'manifest.json'),
        LIBRARY_LIMITS.manifestBytes,
      )) as TrashManifest;
      const age = Date.now() - manifest.deletedAt;
      if ((manifest.toOsTrash && age > undoWindowMs) || age > KEEP_LIBRARY_TRASH_MS) {
        await rm(path.join(trashRoot, token), { recursive: true, force: true });
      }
    } catch {
      // Not ours or unreadable: leave it.
    }
  }
}
