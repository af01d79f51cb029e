/**
 * The pieces of OS integration that do not need a window to reason about, kept pure for tests:
 * job progress for the dock/taskbar and "batch finished" notifications, images named on a command
 * line ("Open with Atelier", a second launch), and files waiting until the window can take them.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { FINISHED_JOB_STATES, JobView, QueueView, type EventName } from '../../shared/api';

/** Extensions of the images Atelier opens (the file associations in electron-builder.yml). */
export const OPENABLE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp'] as const;

/** Job states after which a job will not change on its own. */
const FINISHED_STATES: ReadonlySet<string> = new Set(FINISHED_JOB_STATES);

/**
 * Absolute paths of the existing png/jpeg/webp files named in `argv` (relative ones resolved
 * against `cwd`). Flags, the executable, folders and missing files are left out.
 */
export function imagePathsFromArgv(argv: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    const ext = path.extname(arg).slice(1).toLowerCase();
    if (!(OPENABLE_EXTENSIONS as readonly string[]).includes(ext)) continue;
    const full = path.resolve(cwd, arg);
    try {
      if (statSync(full).isFile() && !out.includes(full)) out.push(full);
    } catch {
      // Not there (any more): nothing to open.
    }
  }
  return out;
}

/**
 * Holds opened files until the window's page can receive them (a file opened at launch arrives
 * before the renderer listens), then delivers each batch once.
 */
export function createOpenFilesQueue(deliver: (paths: string[]) => void): {
  add(paths: readonly string[]): void;
  /** The window's page has loaded: deliver what waited, and everything from now on at once. */
  ready(): void;
  /** The window is gone: hold files again until the next one has loaded. */
  notReady(): void;
  pending(): readonly string[];
} {
  let isReady = false;
  let waiting: string[] = [];
  return {
    add(paths) {
      const fresh = paths.filter((p) => p.length > 0);
      if (fresh.length === 0) return;
      if (isReady) deliver([...fresh]);
      else waiting.push(...fresh.filter((p) => !waiting.includes(p)));
    },
    ready() {
      isReady = true;
      if (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        deliver(batch);
      }
    },
    notReady() {
      isReady = false;
    },
    pending: () => waiting,
  };
}

export interface BatchFinished {
  /** Jobs in the batch. */
  total: number;
  /** Jobs that made a picture. */
  done: number;
}

export interface JobProgressSink {
  /** 0..1 while jobs run; -1 removes the progress bar. */
  setProgress(value: number): void;
  batchFinished(batch: BatchFinished): void;
}

/**
 * Follows the core's job events: the share of this busy spell's jobs that have finished (for the
 * dock/taskbar), and one call per batch (one click of Run) once all its jobs have finished. Jobs
 * first seen already finished (restored from an earlier run) count for neither.
 */
export function createJobProgress(sink: JobProgressSink): {
  onEvent(event: EventName, payload: unknown): void;
} {
  /** Jobs of the current busy spell: id -> finished. */
  const spell = new Map<string, boolean>();
  /** Unfinished batches: batch key -> job id -> state. */
  const batches = new Map<string, Map<string, string>>();
  let last = -1;
  const set = (value: number) => {
    if (value === last) return;
    last = value;
    sink.setProgress(value);
  };
  const update = () => {
    if (spell.size === 0) return set(-1);
    const finished = [...spell.values()].filter(Boolean).length;
    if (finished === spell.size) {
      spell.clear();
      return set(-1);
    }
    // Never 0: an empty bar looks like nothing is happening.
    return set(Math.max(0.02, finished / spell.size));
  };
  return {
    onEvent(event, payload) {
      if (event === 'jobs.queue') {
        const queue = QueueView.safeParse(payload);
        if (queue.success && queue.data.running === 0 && queue.data.waiting === 0) {
          for (const id of spell.keys()) spell.set(id, true);
          update();
        }
        return;
      }
      if (event !== 'jobs.changed') return;
      const parsed = JobView.safeParse(payload);
      if (!parsed.success) return;
      const job = parsed.data;
      const finished = FINISHED_STATES.has(job.state);
      const key = job.batch ?? `job:${job.id}`;
      if (!spell.has(job.id) && finished && !batches.get(key)?.has(job.id)) return;
      spell.set(job.id, finished);
      const batch = batches.get(key) ?? new Map<string, string>();
      batch.set(job.id, job.state);
      batches.set(key, batch);
      if ([...batch.values()].every((state) => FINISHED_STATES.has(state))) {
        batches.delete(key);
        sink.batchFinished({
          total: batch.size,
          done: [...batch.values()].filter((state) => state === 'done').length,
        });
      }
      update();
    },
  };
}

/** The notification's words for a finished batch. */
export function batchNotification(batch: BatchFinished): { title: string; body: string } {
  const noun = batch.total === 1 ? 'picture' : 'pictures';
  if (batch.done === batch.total) {
    return {
      title: batch.total === 1 ? 'Your picture is ready' : 'Your pictures are ready',
      body: `${String(batch.done)} ${noun} saved to your library.`,
    };
  }
  return {
    title: 'Your batch has finished',
    body: `${String(batch.done)} of ${String(batch.total)} ${noun} made. Open Atelier to see what needs attention.`,
  };
}
