/**
 * Walking a folder the main process chose, for a batch: depth first, in name order, one folder's
 * names in memory at a time. Links are never followed (a link is skipped, wherever it points), nor
 * anything but regular files and folders (pipes, sockets, devices); hidden names are skipped; depth
 * and the number of files are bounded. Every file is either yielded or skipped with a reason.
 */
import { lstat, opendir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { BatchSkipReason } from '../../../shared/api';
import { PlainError } from '../errors';

export interface WalkLimits {
  /** Folders below the chosen one that are entered (default 16). */
  maxDepth?: number;
  /** Files taken before the rest is skipped as too many (default 10,000). */
  maxFiles?: number;
}

export type WalkItem =
  | { kind: 'file'; relative: string; absolute: string; size: number }
  | { kind: 'skip'; relative: string; reason: BatchSkipReason };

export const WALK_MAX_DEPTH = 16;
export const WALK_MAX_FILES = 10_000;

/** The chosen folder, resolved (the folder itself may be reached through a link; nothing below). */
export async function folderRoot(folder: string): Promise<string> {
  const root = await realpath(folder).catch(() => null);
  const stats = root === null ? null : await lstat(root).catch(() => null);
  if (root === null || !stats?.isDirectory()) {
    throw new PlainError('not_found', 'That folder cannot be opened. Choose it again.');
  }
  return root;
}

export async function* walkFolder(root: string, limits: WalkLimits = {}): AsyncGenerator<WalkItem> {
  const maxDepth = limits.maxDepth ?? WALK_MAX_DEPTH;
  const maxFiles = limits.maxFiles ?? WALK_MAX_FILES;
  let files = 0;
  // Folders still to read, relative to root ('' is root), deepest last so the walk is depth first.
  const pending: { relative: string; depth: number }[] = [{ relative: '', depth: 0 }];
  while (pending.length > 0) {
    const folder = pending.pop();
    if (!folder) break;
    const absoluteFolder = path.join(root, ...folder.relative.split('/').filter(Boolean));
    let names: string[];
    try {
      names = [];
      for await (const entry of await opendir(absoluteFolder)) names.push(entry.name);
    } catch {
      if (folder.relative !== '')
        yield { kind: 'skip', relative: folder.relative, reason: 'unreadable' };
      else throw new PlainError('unreadable', 'That folder cannot be read. Check its permissions.');
      continue;
    }
    names.sort((a, b) => a.localeCompare(b, 'en'));
    const subfolders: string[] = [];
    for (const name of names) {
      const relative = folder.relative === '' ? name : `${folder.relative}/${name}`;
      if (name.startsWith('.')) {
        yield { kind: 'skip', relative, reason: 'hidden' };
        continue;
      }
      const absolute = path.join(absoluteFolder, name);
      const stats = await lstat(absolute).catch(() => null);
      if (stats === null) yield { kind: 'skip', relative, reason: 'unreadable' };
      else if (stats.isDirectory()) {
        if (folder.depth < maxDepth) subfolders.push(relative);
        else yield { kind: 'skip', relative, reason: 'too-deep' };
      } else if (!stats.isFile()) yield { kind: 'skip', relative, reason: 'odd-file' };
      else if (files >= maxFiles) yield { kind: 'skip', relative, reason: 'too-many' };
      else {
        files += 1;
        yield { kind: 'file', relative, absolute, size: stats.size };
      }
    }
    for (const relative of subfolders.reverse()) {
      pending.push({ relative, depth: folder.depth + 1 });
    }
  }
}
