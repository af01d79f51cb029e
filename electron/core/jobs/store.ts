/**
 * The queue on disk: one JSON file, `queue.json`, in the queue's data folder. Written atomically
 * (temporary file, fsync, rename, fsync of the folder), so a crash leaves the old list or the new
 * one, never half. A file that cannot be read is moved aside and the queue starts empty.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fsyncDir, writeFileAtomic } from '../fs/atomic';
import { JOB_STATES, type Job, type JsonValue } from './types';

export const QUEUE_FILE = 'queue.json';
export const QUEUE_FORMAT = 1;

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

const jobSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  endpoint: z.string().min(1),
  params: z.record(z.string(), jsonValue),
  inputs: z.array(
    z.object({ param: z.string(), path: z.string(), name: z.string().optional() }).strict(),
  ),
  batch: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  state: z.enum(JOB_STATES),
  attempts: z.number().int().nonnegative(),
  autoRetries: z.number().int().nonnegative(),
  notBefore: z.number().optional(),
  result: jsonValue.optional(),
  error: z.object({ code: z.string(), message: z.string() }).strict().optional(),
  mayHaveBeenCharged: z.boolean(),
  generation: z
    .object({
      id: z.string().min(1),
      startedAt: z.number(),
      missing: z.boolean().optional(),
      gone: z.boolean().optional(),
    })
    .strict()
    .optional(),
});

const fileSchema = z.object({
  format: z.literal(QUEUE_FORMAT),
  /** The person paused the queue: nothing new starts, even after a restart, until Resume. */
  paused: z.boolean().optional(),
  /** In the order they start (the person may reorder the waiting ones). */
  jobs: z.array(jobSchema),
});

/** What the queue keeps beside its jobs. */
export interface QueueFlags {
  readonly paused?: boolean;
}

export interface LoadResult {
  jobs: Job[];
  paused?: boolean;
  /** A plain sentence when the file could not be read and was moved aside. */
  problem?: string;
  /** Where the unreadable file went. */
  movedTo?: string;
}

function stamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-');
}

export async function loadQueue(dataDir: string, now: number = Date.now()): Promise<LoadResult> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, QUEUE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { jobs: [] };
    throw error;
  }
  let detail: string;
  try {
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      return { jobs: parsed.data.jobs, ...(parsed.data.paused ? { paused: true } : {}) };
    }
    detail = 'its contents are not a job list this version understands';
  } catch {
    detail = 'it is damaged';
  }
  const movedTo = path.join(dataDir, `${QUEUE_FILE}.unreadable-${stamp(now)}`);
  await rename(file, movedTo);
  await fsyncDir(dataDir);
  return {
    jobs: [],
    movedTo,
    problem:
      `The list of jobs could not be read (${detail}), so the queue starts empty. ` +
      `Nothing was sent again. The old file was kept as ${path.basename(movedTo)}.`,
  };
}

export async function saveQueue(
  dataDir: string,
  jobs: readonly Job[],
  flags: QueueFlags = {},
): Promise<void> {
  const paused = flags.paused === true ? { paused: true } : {};
  const text = `${JSON.stringify({ format: QUEUE_FORMAT, ...paused, jobs }, null, 1)}\n`;
  await writeFileAtomic(path.join(dataDir, QUEUE_FILE), text);
}
