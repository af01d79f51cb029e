/**
 * Watches the library's folders for changes made outside the app, and says which folder changed.
 *
 * Only folders are watched, never single files: a library of 20,000 pictures is some 200 day
 * folders, and a watcher that looks at every file (chokidar stats each one when it starts) keeps
 * the disk and the thread pool busy for many seconds, while the gallery waits for thumbnails.
 * - macOS and Windows: one recursive watch of the library folder (FSEvents, ReadDirectoryChanges).
 * - Linux (inotify has no recursive watch): one watch per folder the index knows, kept in step
 *   with the index by `sync` after each rescan, so that a new folder is watched once it is read.
 * A folder the system will not watch (Linux has a per-user limit of watches, shared with every
 * other program) is looked at every few seconds instead, and watched as soon as the system allows.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface FolderWatcher {
  /**
   * Watches exactly these folders (library-relative, '' the library itself): on Linux each of
   * them; elsewhere the one recursive watch covers them. A folder watched for the first time after
   * the first call is reported as changed once: whatever was written into it between its reading
   * and its watch is then seen too.
   */
  sync(relDirs: Iterable<string>): void;
  close(): void;
}

export interface WatchOptions {
  /** A library-relative path whose changes are not ours to see (hidden files, the inputs). */
  ignored(rel: string): boolean;
  /** Something in this folder (library-relative) changed: a file or a subfolder. */
  onChange(relDir: string): void;
  /** A folder could not be watched (e.g. the system's limit of watches was reached); once each. */
  onError?(relDir: string, error: unknown): void;
  /** How often a folder that cannot be watched is looked at instead (default 5 s). */
  pollMs?: number;
  /** Tests: force one mode whatever the platform. */
  recursive?: boolean;
  /** Tests: stands in for fs.watch. */
  watch?: typeof watch;
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

  /** Folders the system refused to watch: polled, and tried again each time. */
  const polled = new Set<string>();
  let pollTimer: NodeJS.Timeout | null = null;
  /** The folders of the index (the last sync): a refused recursive watch polls them all. */
  let known: string[] = [''];
  const poll = () => {
    for (const relDir of [...polled]) {
      if (add(relDir)) polled.delete(relDir);
      for (const dir of recursive ? known : [relDir]) options.onChange(dir);
    }
    if (polled.size === 0 && pollTimer) {
      clearInterval(pollTimer);
      pollTimer = null;
    }
  };
  const refused = (relDir: string, error: unknown) => {
    if (!polled.has(relDir)) options.onError?.(relDir, error);
    polled.add(relDir);
    if (!pollTimer) {
      pollTimer = setInterval(poll, options.pollMs ?? 5000);
      pollTimer.unref();
    }
  };

  /** Watches one folder; false when the system refused (it is polled then). */
  const add = (relDir: string): boolean => {
    const absolute = path.join(libraryDir, ...relDir.split('/').filter(Boolean));
    let watcher: FSWatcher;
    try {
      watcher = (options.watch ?? watch)(absolute, { recursive, persistent: false }, (_e, name) =>
        report(relDir, typeof name === 'string' ? name : null),
      );
    } catch (error) {
      // A folder gone already is no error: its parent's rescan drops it.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      refused(relDir, error);
      return false;
    }
    watcher.on('error', (error) => {
      // The folder went away (its parent's watch reports that) or cannot be watched any more.
      watcher.close();
      if (watchers.get(relDir) === watcher) watchers.delete(relDir);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') refused(relDir, error);
    });
    watchers.set(relDir, watcher);
    return true;
  };

  if (recursive) add('');
  let first = true;
  return {
    sync(relDirs) {
      const wanted = new Set(relDirs);
      wanted.add('');
      known = [...wanted];
      if (recursive) return;
      for (const [relDir, watcher] of watchers) {
        if (!wanted.has(relDir)) {
          watcher.close();
          watchers.delete(relDir);
        }
      }
      for (const relDir of polled) if (!wanted.has(relDir)) polled.delete(relDir);
      for (const relDir of wanted) {
        if (watchers.has(relDir) || polled.has(relDir)) continue;
        add(relDir);
        if (!first) options.onChange(relDir);
      }
      first = false;
    },
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      polled.clear();
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
    },
  };
}
