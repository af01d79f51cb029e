/**
 * Watches the library's folders for changes made outside the app, and says which folder changed.
 *
 * Only folders are watched, never single files: a library of 20,000 pictures is some 200 day
 * folders, and a watcher that looks at every file (chokidar stats each one when it starts) keeps
 * the disk and the thread pool busy for many seconds, while the gallery waits for thumbnails.
 * - macOS and Windows: one recursive watch of the library folder (FSEvents, ReadDirectoryChanges).
 * - Linux (inotify has no recursive watch): one watch per folder the index knows, kept in step
 *   with the index by `sync` after each rescan, so that a new folder is watched once it is read.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface FolderWatcher {
  /**
   * Watches exactly these folders (library-relative, '' the library itself); Linux only. A folder
   * watched for the first time after the first call is reported as changed once: whatever was
   * written into it between its reading and its watch is then seen too.
   */
  sync(relDirs: Iterable<string>): void;
  close(): void;
}

export interface WatchOptions {
  /** A library-relative path whose changes are not ours to see (hidden files, the inputs). */
  ignored(rel: string): boolean;
  /** Something in this folder (library-relative) changed: a file or a subfolder. */
  onChange(relDir: string): void;
  /** A folder could not be watched (e.g. the system's limit of watches was reached). */
  onError?(relDir: string, error: unknown): void;
  /** Tests: force one mode whatever the platform. */
  recursive?: boolean;
}

const parentOf = (rel: string) => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');
const join = (relDir: string, name: string) => (relDir === '' ? name : `${relDir}/${name}`);

export function watchFolders(libraryDir: string, options: WatchOptions): FolderWatcher {
  const recursive = options.recursive ?? process.platform !== 'linux';
  const watchers = new Map<string, FSWatcher>();

  const report = (relDir: string, name: string | null) => {
    if (name === null) {
      options.onChange(relDir);
      return;
    }
    const rel = join(relDir, name.split(path.sep).join('/'));
    if (options.ignored(rel)) return;
    options.onChange(parentOf(rel));
  };

  const add = (relDir: string) => {
    try {
      const absolute = path.join(libraryDir, ...relDir.split('/').filter(Boolean));
      const watcher = watch(absolute, { recursive, persistent: false }, (_event, name) =>
        report(relDir, typeof name === 'string' ? name : null),
      );
      watcher.on('error', (error) => {
        // The folder went away (its parent's watch reports that) or cannot be watched any more.
        watcher.close();
        if (watchers.get(relDir) === watcher) watchers.delete(relDir);
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError?.(relDir, error);
      });
      watchers.set(relDir, watcher);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError?.(relDir, error);
    }
  };

  if (recursive) add('');
  let first = true;
  return {
    sync(relDirs) {
      if (recursive) return;
      const wanted = new Set(relDirs);
      wanted.add('');
      for (const [relDir, watcher] of watchers) {
        if (!wanted.has(relDir)) {
          watcher.close();
          watchers.delete(relDir);
        }
      }
      for (const relDir of wanted) {
        if (watchers.has(relDir)) continue;
        add(relDir);
        if (!first) options.onChange(relDir);
      }
      first = false;
    },
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
