/**
 * Batches in the core: gathering (a folder walked here, or pictures the page staged one by one),
 * the summary, and the confirmed batch's jobs put on the queue a few at a time. State lives on disk
 * (./store), so after a restart a confirmed batch finishes queueing, and no picture is queued twice:
 * an item is marked queued in the same step its job is added, and a restart first matches the
 * queue's jobs of the batch to its items. A folder of any size never holds more than one picture's
 * first bytes in memory (./probe); uploads are copied into the batch's folder one at a time.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  type BatchRecipe,
  type BatchSkipReason,
  type BatchSummary,
  type EventName,
  type EventPayload,
  type JobView,
} from '../../../shared/api';
import {
  ENDPOINTS,
  creditCost,
  SEED_MAX,
  type ImageLimits,
  type ParamSpec,
} from '../../../shared/endpoints';
import { PlainError } from '../errors';
import type { InputsService } from '../inputs';
import type { Job, JobQueue, NewJob } from '../jobs';
import type { ResultPlace } from '../library';
import { dayFolder, slugify } from '../library/format';
import type { Handlers } from '../rpc/dispatch';
import { probeFile, sizeProblem } from './probe';
import {
  BATCH_FORMAT,
  copiesDir,
  loadRecords,
  removeRecord,
  saveRecord,
  type BatchRecord,
} from './store';
import { folderRoot, walkFolder, type WalkLimits } from './walk';

export { walkFolder, folderRoot, WALK_MAX_DEPTH, WALK_MAX_FILES, type WalkItem } from './walk';
export { probeFile, sizeProblem } from './probe';

export type BatchCallName =
  | 'batch.chooseFolder'
  | 'batch.begin'
  | 'batch.add'
  | 'batch.skip'
  | 'batch.summary'
  | 'batch.start'
  | 'batch.discard'
  | 'batch.moreLike';

export interface BatchOptions {
  /** <dataDir>/batches */
  dir: string;
  queue: () => JobQueue;
  inputs: InputsService;
  /** The native Choose folder dialog (desktop); absent in the browser shell. */
  chooseFolder?: () => Promise<string | null>;
  /** The balance in credits, or null when unknown. */
  balance: () => Promise<number | null>;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** How a job looks to the page (host/create's viewOf). */
  viewOf: (job: Job) => JobView;
  walk?: WalkLimits;
  /** Jobs added to the queue per step (default 25). */
  chunk?: number;
  log?: (line: string) => void;
}

export interface BatchService {
  handlers: Pick<Handlers, BatchCallName>;
  /** Gathers a folder the MAIN PROCESS named (the native dialog, a drop's real path). */
  fromFolder(folder: string, recipe: BatchRecipe): Promise<BatchSummary>;
  /** Where a job's result goes, for a job of a batch; undefined for any other job. */
  placeOf(job: Job): ResultPlace | undefined;
  /** Loads the batches on disk (once, at start, before the queue runs: placeOf needs them). */
  load(): Promise<void>;
  /** Finishes queueing the confirmed batches (once, at start, after the queue is loaded). */
  resume(): Promise<void>;
  /** Resolves once the batch's pictures are all on the queue (for tests and the bench). */
  queued(id: string): Promise<void>;
  close(): Promise<void>;
}

const SKIPPED_LISTED = 200;

/** A relative name from a walk or the page, made safe as library subfolders; null when it is not. */
export function cleanRelative(relative: string): string | null {
  const parts = relative.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.length > 32) return null;
  for (const part of parts) {
    // eslint-disable-next-line no-control-regex
    if (part === '..' || part.startsWith('.') || /[\u0000-\u001f<>:"|?*]/.test(part)) return null;
    if (part.length > 255) return null;
  }
  return parts.join('/');
}

function firstImageLimits(recipe: BatchRecipe): ImageLimits | undefined {
  const params: readonly ParamSpec[] = ENDPOINTS[recipe.endpoint].params;
  return params.find((param) => param.kind === 'image')?.image;
}

function newRecord(recipe: BatchRecipe, name: string, origin: BatchRecord['origin']): BatchRecord {
  const id = randomUUID();
  const now = new Date();
  const slug = slugify(name) || 'batch';
  return {
    format: BATCH_FORMAT,
    id,
    name,
    folder: `Batches/${dayFolder(now)}-${slug}-${id.slice(0, 6)}`,
    recipe,
    origin,
    createdAt: now.getTime(),
    started: false,
    items: [],
    skipped: [],
    skippedCount: 0,
  };
}

function skip(record: BatchRecord, relative: string, reason: BatchSkipReason): void {
  record.skippedCount += 1;
  if (record.skipped.length < SKIPPED_LISTED) record.skipped.push({ relative, reason });
}

export function createBatchService(options: BatchOptions): BatchService {
  const log = options.log ?? (() => undefined);
  const chunk = options.chunk ?? 25;
  const records = new Map<string, BatchRecord>();
  const running = new Map<string, Promise<void>>();
  let closed = false;

  /** The summary; the balance is asked for only before the batch starts (the money question). */
  async function summaryOf(record: BatchRecord): Promise<BatchSummary> {
    const spec = ENDPOINTS[record.recipe.endpoint];
    const each = creditCost(spec, record.recipe.params);
    return {
      id: record.id,
      name: record.name,
      folder: record.folder,
      endpoint: spec.label,
      count: record.items.length,
      skippedFiles: record.skipped,
      skipped: record.skippedCount,
      credits: Math.round(each * record.items.length * 100) / 100,
      balance: record.started ? null : await options.balance().catch(() => null),
      started: record.started,
      queued: record.items.filter((item) => item.queued).length,
    };
  }

  function need(id: string): BatchRecord {
    const record = records.get(id);
    if (!record) {
      throw new PlainError(
        'not_found',
        'That batch is no longer open. Drop the pictures or choose the folder again.',
      );
    }
    return record;
  }

  function gathering(id: string): BatchRecord {
    const record = need(id);
    if (record.started) {
      throw new PlainError('invalid_request', 'That batch has started; start another one.');
    }
    return record;
  }

  /** Puts the rest of a confirmed batch on the queue, a chunk at a time, marking each on disk. */
  function enqueue(record: BatchRecord): Promise<void> {
    const already = running.get(record.id);
    if (already) return already;
    const work = (async () => {
      const queue = options.queue();
      for (;;) {
        if (closed) return;
        const next = record.items.filter((item) => !item.queued).slice(0, chunk);
        if (next.length === 0) break;
        const specs: NewJob[] = next.map((item) => ({
          kind: record.recipe.kind,
          endpoint: record.recipe.endpoint,
          params: { ...record.recipe.params },
          inputs: [{ param: firstImageParam(record), path: item.file, name: item.relative }],
          batch: record.id,
        }));
        await queue.addMany(specs);
        for (const item of next) item.queued = true;
        await saveRecord(options.dir, record);
        options.emit('batch.changed', await summaryOf(record));
      }
    })();
    running.set(record.id, work);
    void work
      .catch((error: unknown) =>
        log(
          `batch: ${record.id} stopped queueing (${error instanceof Error ? error.message : ''})`,
        ),
      )
      .finally(() => running.delete(record.id));
    return work;
  }

  function firstImageParam(record: BatchRecord): string {
    return (
      ENDPOINTS[record.recipe.endpoint].params.find((param) => param.kind === 'image')?.name ??
      'image'
    );
  }

  async function fromFolder(folder: string, recipe: BatchRecipe): Promise<BatchSummary> {
    const root = await folderRoot(folder);
    const record = newRecord(recipe, path.basename(root), 'folder');
    const limits = firstImageLimits(recipe);
    for await (const item of walkFolder(root, options.walk)) {
      if (item.kind === 'skip') {
        skip(record, item.relative, item.reason);
        continue;
      }
      const probe = await probeFile(item.absolute, limits);
      if (!probe.ok) skip(record, item.relative, probe.reason);
      else record.items.push({ relative: item.relative, file: item.absolute, queued: false });
    }
    records.set(record.id, record);
    await mkdir(options.dir, { recursive: true });
    await saveRecord(options.dir, record);
    return summaryOf(record);
  }

  const handlers: BatchService['handlers'] = {
    'batch.chooseFolder': async (recipe) => {
      if (!options.chooseFolder) {
        throw new PlainError(
          'not_available',
          'Choosing a folder this way works in the desktop app. Here, drop the folder instead.',
        );
      }
      const folder = await options.chooseFolder();
      return { summary: folder === null ? null : await fromFolder(folder, recipe) };
    },
    'batch.begin': async ({ name, ...recipe }) => {
      const record = newRecord(recipe, name, 'upload');
      records.set(record.id, record);
      await mkdir(copiesDir(options.dir, record.id), { recursive: true });
      await saveRecord(options.dir, record);
      return summaryOf(record);
    },
    'batch.add': async ({ batch, input, relative }) => {
      const record = gathering(batch);
      const staged = options.inputs.require(input);
      const clean = cleanRelative(relative) ?? cleanRelative(staged.name) ?? `picture-${input}`;
      const { view } = staged;
      const format = view.format;
      let reason: BatchSkipReason | null =
        format === 'png' || format === 'jpeg' || format === 'webp' ? null : 'unsupported-format';
      reason ??= sizeProblem(view.width, view.height, view.bytes, firstImageLimits(record.recipe));
      if (reason !== null) {
        skip(record, clean, reason);
        return { added: false, reason };
      }
      const file = path.join(
        copiesDir(options.dir, record.id),
        `${record.items.length}.${format === 'jpeg' ? 'jpg' : format}`,
      );
      await copyFile(staged.file, file);
      record.items.push({ relative: clean, file, queued: false });
      return { added: true };
    },
    'batch.skip': ({ batch, relative, reason }) => {
      skip(gathering(batch), cleanRelative(relative) ?? relative.slice(0, 255), reason);
      return Promise.resolve({});
    },
    'batch.summary': async ({ batch }) => {
      const record = need(batch);
      if (!record.started) await saveRecord(options.dir, record);
      return summaryOf(record);
    },
    'batch.start': async ({ batch }) => {
      const record = gathering(batch);
      if (record.items.length === 0) {
        throw new PlainError(
          'nothing_to_send',
          'None of these files can be sent, so nothing was started.',
        );
      }
      record.started = true;
      await saveRecord(options.dir, record);
      void enqueue(record);
      return summaryOf(record);
    },
    'batch.moreLike': async ({ job: id, count }) => {
      const job = options.queue().get(id);
      if (!job) {
        throw new PlainError(
          'not_found',
          'That job is no longer in the list, so its recipe is not at hand. Use its picture in the Library instead.',
        );
      }
      const spec = (ENDPOINTS as Record<string, { params: readonly ParamSpec[] } | undefined>)[
        job.endpoint
      ];
      if (!spec?.params.some((param) => param.name === 'seed')) {
        throw new PlainError(
          'invalid_request',
          'This operation has no seed, so it makes the same picture again.',
        );
      }
      const group = randomUUID();
      const jobs = await options.queue().addMany(
        Array.from({ length: count ?? 4 }, () => ({
          kind: job.kind,
          endpoint: job.endpoint,
          params: { ...job.params, seed: randomInt(1, SEED_MAX + 1) },
          inputs: job.inputs,
          batch: group,
        })),
      );
      return { jobs: jobs.map(options.viewOf) };
    },
    'batch.discard': async ({ batch }) => {
      const record = gathering(batch);
      records.delete(record.id);
      await removeRecord(options.dir, record.id);
      return {};
    },
  };

  return {
    handlers,
    fromFolder,
    placeOf(job) {
      const record = job.batch === undefined ? undefined : records.get(job.batch);
      const source = job.inputs[0]?.name;
      if (!record || source === undefined) return undefined;
      const clean = cleanRelative(source);
      if (clean === null) return { folder: record.folder, batch: record.id, source };
      // At most 5 of the source's folders: with Batches/<name> that is 7 levels, within the 8 the
      // library reads (docs/library-format.md).
      const parents = clean.split('/').slice(0, -1);
      const kept = [
        ...parents.slice(0, 4),
        ...(parents.length > 4 ? [parents.slice(4).join('-')] : []),
      ];
      return {
        folder: kept.length === 0 ? record.folder : `${record.folder}/${kept.join('/')}`,
        batch: record.id,
        source: clean,
      };
    },
    async load() {
      for (const record of await loadRecords(options.dir, log)) {
        if (record.started) records.set(record.id, record);
        // A summary nobody confirmed before the app stopped: nothing of it was sent.
        else await removeRecord(options.dir, record.id);
      }
    },
    async resume() {
      const queue = options.queue();
      const onQueue = new Map<string, Set<string>>();
      for (const job of queue.list()) {
        if (job.batch === undefined) continue;
        const files = onQueue.get(job.batch) ?? new Set<string>();
        for (const input of job.inputs) files.add(input.path);
        onQueue.set(job.batch, files);
      }
      for (const record of [...records.values()]) {
        const files = onQueue.get(record.id);
        // Jobs added just before a crash, before the batch's file said so: never added twice.
        let matched = false;
        for (const item of record.items) {
          if (!item.queued && files?.has(item.file)) {
            item.queued = true;
            matched = true;
          }
        }
        if (record.items.every((item) => item.queued) && files === undefined) {
          // Every job is queued and none is still on the queue: the batch is over.
          records.delete(record.id);
          await removeRecord(options.dir, record.id);
          continue;
        }
        if (matched) await saveRecord(options.dir, record);
        void enqueue(record);
      }
    },
    queued: (id) => running.get(id) ?? Promise.resolve(),
    async close() {
      closed = true;
      await Promise.allSettled([...running.values()]);
    },
  };
}
