/**
 * A batch on disk: `<dataDir>/batches/<id>.json`, written atomically whenever it changes, so a
 * restart knows every batch the person confirmed and which of its pictures are already on the
 * queue. Read back with a bounded read and checked by its schema; a file that does not pass is left
 * alone and logged.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BatchRecipe, BatchSkipReason } from '../../../shared/api';
import { writeFileAtomic } from '../fs/atomic';
import { readBoundedFile } from '../fs/read-bounded';

export const BATCH_FORMAT = 1;
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export const BatchItem = z.object({
  /** The source file, relative to the chosen folder, `/` separators (confined by cleanRelative). */
  relative: z.string(),
  /** The picture to send: the original (a folder the dialog answered) or a copy in the batch's folder. */
  file: z.string(),
  /** On the queue (it is never added twice). */
  queued: z.boolean(),
});
export type BatchItem = z.infer<typeof BatchItem>;

export const BatchRecord = z.object({
  format: z.literal(BATCH_FORMAT),
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  name: z.string(),
  /** Library-relative: `Batches/<name>`. */
  folder: z.string(),
  recipe: BatchRecipe,
  origin: z.enum(['folder', 'upload']),
  createdAt: z.number(),
  started: z.boolean(),
  items: z.array(BatchItem),
  /** The first skipped files with their reasons (the count is `skippedCount`). */
  skipped: z.array(z.object({ relative: z.string(), reason: BatchSkipReason })),
  skippedCount: z.number(),
});
export type BatchRecord = z.infer<typeof BatchRecord>;

export function recordFile(dir: string, id: string): string {
  return path.join(dir, `${id}.json`);
}

/** Where a batch keeps the copies of pictures the page uploaded. */
export function copiesDir(dir: string, id: string): string {
  return path.join(dir, id);
}

export async function saveRecord(dir: string, record: BatchRecord): Promise<void> {
  await writeFileAtomic(recordFile(dir, record.id), JSON.stringify(record));
}

export async function removeRecord(dir: string, id: string): Promise<void> {
  await rm(recordFile(dir, id), { force: true });
  await rm(copiesDir(dir, id), { recursive: true, force: true });
}

/** Every batch kept on disk; files that cannot be read are reported and skipped. */
export async function loadRecords(
  dir: string,
  log: (line: string) => void,
): Promise<BatchRecord[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const records: BatchRecord[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    try {
      const { bytes } = await readBoundedFile(path.join(dir, name), MAX_RECORD_BYTES);
      const record = BatchRecord.parse(JSON.parse(bytes.toString('utf8')));
      if (`${record.id}.json` === name) records.push(record);
    } catch (error) {
      log(`batch: ${name} could not be read (${error instanceof Error ? error.message : ''})`);
    }
  }
  return records;
}
