/**
 * Batches: many pictures through one single-picture operation (Transform, an Upscaler, Remove
 * background, Erase, a Guide mode). A batch is gathered first (a folder the main process chose and
 * the core walks, or files the page streams one by one through inputs.*), then summed up (how many
 * will be sent, what was skipped and why, the cost against the balance), and only runs once the
 * person confirms. Its results go into the library under `Batches/<name>/`, keeping the source's
 * subfolders; each result's sidecar names its source file.
 *
 * No call takes a path: a folder comes from the native dialog (batch.chooseFolder, desktop only);
 * `relative` is a label the core confines (a relative name inside the batch's folder, never read).
 */
import { z } from 'zod';
import { CreateEndpoint, CreateKind, FormParams, JobView, MAX_IMAGES_PER_RUN } from './create';

const Id = z.string().min(1).max(100);

/** Why a file of a batch is not sent. */
export const BATCH_SKIP_REASONS = [
  'not-image',
  'unsupported-format',
  'too-small',
  'too-large',
  'unreadable',
  'hidden',
  'odd-file',
  'too-many',
  'too-deep',
] as const;
export const BatchSkipReason = z.enum(BATCH_SKIP_REASONS);
export type BatchSkipReason = z.infer<typeof BatchSkipReason>;

/** The words for each reason, for the summary. */
export const BATCH_SKIP_WORDS: Record<BatchSkipReason, string> = {
  'not-image': 'not a picture',
  'unsupported-format': 'a picture format this operation does not take (use PNG, JPEG or WebP)',
  'too-small': 'too small for this operation',
  'too-large': 'too large for this operation',
  unreadable: 'could not be read',
  hidden: 'hidden file',
  'odd-file': 'not a regular file (a link, a device or a pipe)',
  'too-many': 'more files than one batch takes',
  'too-deep': 'in a folder nested too deep',
};

/** A relative name inside the chosen folder, with `/` separators (a label, never read as a path). */
export const BatchRelative = z.string().min(1).max(1024);

/** What a batch runs: one operation, one set of settings, one picture each. */
export const BatchRecipe = z
  .object({
    kind: CreateKind.exclude(['text-to-image']),
    endpoint: CreateEndpoint,
    params: FormParams,
  })
  .strict();
export type BatchRecipe = z.infer<typeof BatchRecipe>;

/** The summary shown before anything runs. */
export const BatchSummary = z.object({
  id: z.string(),
  /** The folder's (or the batch's) name. */
  name: z.string(),
  /** Where the results go, relative to the library folder (`Batches/<name>`). */
  folder: z.string(),
  endpoint: z.string(),
  /** Pictures that will be sent. */
  count: z.number(),
  /** Each file that will not be sent, with its reason (at most the first 200; `skipped` counts all). */
  skippedFiles: z.array(z.object({ relative: z.string(), reason: BatchSkipReason })),
  skipped: z.number(),
  /** Credits the batch costs (count × the operation's price). */
  credits: z.number(),
  /** The balance when known (null in the Sandbox or when it could not be read). */
  balance: z.number().nullable(),
  /** Confirmed: its jobs are (being) queued. */
  started: z.boolean(),
  /** Pictures already on the queue. */
  queued: z.number(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const batchCalls = {
  /**
   * Desktop only: the native Choose folder dialog, then the core walks the folder (recursively,
   * no links followed, hidden and odd files skipped) and answers the summary; null when cancelled.
   */
  'batch.chooseFolder': {
    request: BatchRecipe,
    response: z.object({ summary: BatchSummary.nullable() }),
  },
  /** Starts a batch the page fills file by file (a folder drop, or several files, in any shell). */
  'batch.begin': {
    request: BatchRecipe.extend({ name: z.string().min(1).max(255) }).strict(),
    response: BatchSummary,
  },
  /** Adds a staged picture (inputs.finish) to a batch; the core checks it against the endpoint. */
  'batch.add': {
    request: z.object({ batch: Id, input: Id, relative: BatchRelative }).strict(),
    response: z.object({ added: z.boolean(), reason: BatchSkipReason.optional() }),
  },
  /** Records a file the page could not stage (its upload was refused), with the reason. */
  'batch.skip': {
    request: z.object({ batch: Id, relative: BatchRelative, reason: BatchSkipReason }).strict(),
    response: z.object({}),
  },
  'batch.summary': { request: z.object({ batch: Id }).strict(), response: BatchSummary },
  /** The person confirmed: every picture of the batch goes on the queue. */
  'batch.start': { request: z.object({ batch: Id }).strict(), response: BatchSummary },
  /** The person declined: the batch is forgotten (nothing was sent). */
  'batch.discard': { request: z.object({ batch: Id }).strict(), response: z.object({}) },
  /**
   * "More like this": the recipe of a job (its operation, settings and pictures) again, `count`
   * times, each with a new random seed.
   */
  'batch.moreLike': {
    request: z
      .object({ job: Id, count: z.number().int().min(1).max(MAX_IMAGES_PER_RUN).optional() })
      .strict(),
    response: z.object({ jobs: z.array(JobView) }),
  },
} as const;

export const batchEvents = {
  /** A batch changed (gathered, started, more of it queued). */
  'batch.changed': BatchSummary,
} as const;
