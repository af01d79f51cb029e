/**
 * Create: making images. Jobs (text-to-image, image-to-image, upscale) on the core's queue, input
 * pictures staged once (inputs.*: bytes in chunks, or a library picture by id; a file's path only
 * ever comes from the main process, never in a call). A finished job names its library entry, whose
 * thumbnail the page shows from the library's media.
 */
import { z } from 'zod';
import { Empty, pictureFileShape, savedPictureShape } from './common';

/** The endpoints Create sends jobs to (ids of the endpoint table). */
export const CREATE_ENDPOINTS = [
  'generate.core',
  'generate.sd3',
  'generate.ultra',
  'upscale.fast',
  'upscale.conservative',
  'upscale.creative',
  'control.sketch',
  'control.structure',
  'control.style',
  'control.style-transfer',
] as const;
export const CreateEndpoint = z.enum(CREATE_ENDPOINTS);
export type CreateEndpoint = z.infer<typeof CreateEndpoint>;

export const CreateKind = z.enum(['text-to-image', 'image-to-image', 'upscale', 'edit', 'guide']);
export type CreateKind = z.infer<typeof CreateKind>;

/** The states a job shows (the same list as the core's queue). */
export const JOB_VIEW_STATES = [
  'waiting',
  'preparing',
  'sending',
  'generating',
  'saving',
  'done',
  'filtered',
  'failed',
  'needs-attention',
  'cancelled',
] as const;
export const JobViewState = z.enum(JOB_VIEW_STATES);
export type JobViewState = z.infer<typeof JobViewState>;
/** The states a job ends in: it does not change on its own any more (until the person retries). */
export const FINISHED_JOB_STATES: readonly JobViewState[] = [
  'done',
  'filtered',
  'failed',
  'needs-attention',
  'cancelled',
];

/** A form value: text, a number or a switch (images travel separately, as staged inputs). */
export const ParamScalar = z.union([z.string().max(20_000), z.number(), z.boolean()]);
export const FormParams = z.record(z.string().max(64), ParamScalar);
export type FormParams = z.infer<typeof FormParams>;

/** A picture made by a job, saved in the library. */
export const JobResult = z.object({
  ...savedPictureShape,
  seed: z.number().nullable(),
  format: z.string(),
});
export type JobResult = z.infer<typeof JobResult>;

export const JobView = z.object({
  id: z.string(),
  kind: z.string(),
  endpoint: z.string(),
  params: FormParams,
  batch: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  state: JobViewState,
  attempts: z.number(),
  /** A plain sentence: what happened and what to do. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  mayHaveBeenCharged: z.boolean(),
  /** The name of the input image, for jobs that take one. */
  inputName: z.string().optional(),
  result: JobResult.optional(),
  /** For filtered jobs: the sentence. */
  note: z.string().optional(),
  /**
   * What Retry does, for a job that can be retried: `resume` fetches a picture already paid for
   * (free), `free` sends a job nothing was charged for, `costs-again` sends one that was (or may
   * have been) charged: `credits` again, and jobs.retry wants `payAgain` for it.
   */
  retry: z
    .object({ kind: z.enum(['resume', 'free', 'costs-again']), credits: z.number() })
    .optional(),
});
export type JobView = z.infer<typeof JobView>;

export const QueueView = z.object({
  online: z.boolean(),
  /** The person paused the queue: no job starts until Resume all (running ones finish). */
  paused: z.boolean(),
  running: z.number(),
  waiting: z.number(),
  needsAttention: z.number(),
  message: z.string().optional(),
});
export type QueueView = z.infer<typeof QueueView>;

/** A picture the core has staged (uploaded, named by the main process, or from the library). */
export const InputView = z.object({
  id: z.string(),
  name: z.string(),
  ...pictureFileShape,
  /** What the file really is ('png', 'jpeg', 'gif' ...), read from its content. */
  format: z.string(),
  /**
   * The prompt the picture carries in its own metadata (Atelier's recipe, or the `parameters` text
   * other Stable Diffusion tools write), when it has one: Create offers it for upscaling.
   */
  prompt: z.string().optional(),
});
export type InputView = z.infer<typeof InputView>;

/** Largest chunk of an upload, in base64 characters (well under the 1 MiB message limit). */
export const UPLOAD_CHUNK_CHARS = 512 * 1024;
/** Largest picture Atelier takes in, however it comes (upload, drop, dialog, library). */
export const INPUT_MAX_BYTES = 64 * 1024 * 1024;
/** How many images one click can make. */
export const MAX_IMAGES_PER_RUN = 10;

const Id = z.string().min(1).max(100);

/** Every job's id, in the order the waiting ones start (after the person reordered them). */
export const JobOrder = z.object({ ids: z.array(z.string()) });
export type JobOrder = z.infer<typeof JobOrder>;

/** How many jobs a queue-wide action touched. */
const Count = z.object({ count: z.number() });

/** Where jobs.move puts a waiting job: before or after another waiting job, or a place (0: next). */
export const JobMove = z
  .object({
    id: Id,
    before: Id.optional(),
    after: Id.optional(),
    index: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict()
  .refine(
    (move) => [move.before, move.after, move.index].filter((v) => v !== undefined).length === 1,
    'Say one place: before, after or index.',
  );
export type JobMove = z.infer<typeof JobMove>;

/** Steering the queue (the Queue panel): each is one click of the person. */
const queueCalls = {
  /** Moves a waiting job; answers the new order. A running or finished job cannot move. */
  'jobs.move': { request: JobMove, response: JobOrder },
  /** Nothing new starts (running jobs finish), also after a restart, until jobs.resume. */
  'jobs.pause': { request: Empty, response: QueueView },
  'jobs.resume': { request: Empty, response: QueueView },
  /** Cancels every waiting job (none of them was sent). */
  'jobs.cancelWaiting': { request: Empty, response: Count },
  /** Forgets the done, filtered and cancelled jobs; their pictures stay in the library. */
  'jobs.clearFinished': { request: Empty, response: Count },
  /** Sends again every failed job that cost nothing; one that may have been charged is left alone. */
  'jobs.retryFailed': { request: Empty, response: Count },
} as const;

export const createCalls = {
  ...queueCalls,
  /** Adds `count` jobs (each its own request) for one set of settings. */
  'jobs.add': {
    request: z
      .object({
        kind: CreateKind,
        endpoint: CreateEndpoint,
        params: FormParams,
        count: z.number().int().min(1).max(MAX_IMAGES_PER_RUN),
        /**
         * A staged picture's id (inputs.finish, inputs.fromLibrary, a drop or a dialog), for the
         * endpoint's first image field (`image`, or `subject_image`, `init_image`).
         */
        input: Id.optional(),
        /**
         * Staged pictures by the endpoint's image field (`mask`, `style_image`,
         * `background_reference` ...): each key must be an image field of the endpoint.
         */
        images: z
          .record(z.string().regex(/^[a-z][a-z_]{0,39}$/), Id)
          .refine((images) => Object.keys(images).length <= 4, 'At most 4 pictures.')
          .optional(),
      })
      .strict(),
    response: z.object({ jobs: z.array(JobView) }),
  },
  'jobs.list': {
    request: Empty,
    response: z.object({ jobs: z.array(JobView), queue: QueueView }),
  },
  'jobs.cancel': { request: z.object({ id: Id }).strict(), response: JobView },
  /** Sends a failed, cancelled or needs-attention job again: only ever on the person's click. */
  'jobs.retry': {
    request: z
      .object({
        id: Id,
        /** The person agreed to pay again (needed when the job's `retry.kind` is `costs-again`). */
        payAgain: z.boolean().optional(),
      })
      .strict(),
    response: JobView,
  },
  /** Forgets a finished job (its picture stays in the library). */
  'jobs.remove': { request: z.object({ id: Id }).strict(), response: Empty },
  /** Starts an upload of a picture's bytes (the renderer's stageFile, when it has no path). */
  'inputs.begin': {
    request: z
      .object({
        name: z.string().min(1).max(255),
        size: z.number().int().min(0).max(INPUT_MAX_BYTES),
      })
      .strict(),
    response: z.object({ id: z.string() }),
  },
  /** One base64 chunk of an upload, in order. */
  'inputs.chunk': {
    request: z
      .object({
        id: Id,
        offset: z.number().int().min(0),
        data: z.string().max(UPLOAD_CHUNK_CHARS),
      })
      .strict(),
    response: z.object({ received: z.number() }),
  },
  /** Ends an upload: the core reads the image by its content and answers what it is. */
  'inputs.finish': { request: z.object({ id: Id }).strict(), response: InputView },
  /** Stages a picture of the library by its id (the core finds its file). */
  'inputs.fromLibrary': { request: z.object({ id: Id }).strict(), response: InputView },
  /**
   * Stages a picture a library entry was made from (its recipe's input of that role: 'image',
   * 'mask', 'style_image'...), while it is still in the library's inputs folder. The core reads the
   * sidecar and finds the file; the page names no path.
   */
  'inputs.fromRecipe': {
    request: z.object({ id: Id, role: z.string().min(1).max(64) }).strict(),
    response: InputView,
  },
} as const;

export const createEvents = {
  /** A job was added or changed. */
  'jobs.changed': JobView,
  /** A job was forgotten. */
  'jobs.removed': z.object({ id: z.string() }),
  /** The queue's own state (offline, paused, counts). */
  'jobs.queue': QueueView,
  /** The person reordered the jobs (in any window). */
  'jobs.order': JobOrder,
} as const;
