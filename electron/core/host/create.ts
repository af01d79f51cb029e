/**
 * Create in the core: the calls behind the Create place (jobs.*) over the
 * job queue, whose executor lives in core/jobs/executor.ts.
 *
 * Money is real: the queue never re-sends a job that may have been charged; only `jobs.retry`
 * (the person's click) does, and one that costs again says so first.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type {
  CreateEndpoint,
  CreateKind,
  EventName,
  EventPayload,
  FormParams,
  JobView,
} from '../../../shared/api';
import { JobResult } from '../../../shared/api';
import { ENDPOINTS, creditCost, seedOfImage } from '../../../shared/endpoints';
import {
  createJobExecutor,
  createJobQueue,
  RETRYABLE_STATES,
  retryKindOf,
  scalarParams,
  type InputRef,
  type Job,
  type JobQueue,
} from '../jobs';
import type { InputsService } from '../inputs';
import type { ResultPlace } from '../library';
import { PlainError } from '../errors';
import type { Handlers } from '../rpc/dispatch';
import type { StabilityClient } from '../stability';
import { queueHandlers, queueView, type QueueCallName } from './queue';

export type CreateCallName =
  'jobs.add' | 'jobs.list' | 'jobs.cancel' | 'jobs.retry' | 'jobs.remove' | QueueCallName;

export interface CreateOptions {
  /** The app's data folder: the queue lives in <dataDir>/jobs. */
  dataDir: string;
  /** Staged input pictures (jobs.add takes their ids). */
  inputs: InputsService;
  /** The library folder in force, absolute (createHost resolves it). */
  libraryDir: () => string;
  /** The Stability client in force, and whether it is the Sandbox. */
  client: () => Promise<{ client: StabilityClient; sandbox: boolean }>;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Jobs at once (settings.concurrency). */
  concurrency?: number;
  /**
   * Creative upscale polling: first wait and interval in ms. Default 10 s (the API's guidance);
   * ATELIER_CREATIVE_POLL_MS (env) shortens it for tests against a local Sandbox.
   */
  pollMs?: number;
  /** While offline, how often to check whether the API can be reached again (default 5 s). */
  offlineRetryMs?: number;
  /** Where a batch's results go (core/batch). */
  placeOf?: (job: Job) => ResultPlace | undefined;
  log?: (line: string) => void;
}

export interface CreateService {
  handlers: Pick<Handlers, CreateCallName>;
  queue: JobQueue;
  setConcurrency(n: number): void;
  close(): Promise<void>;
}

const KIND_OF_INPUT_ENDPOINT: Partial<
  Record<CreateEndpoint, Exclude<CreateKind, 'text-to-image'>>
> = {
  'generate.sd3': 'image-to-image',
  'generate.ultra': 'image-to-image',
  'upscale.fast': 'upscale',
  'upscale.conservative': 'upscale',
  'upscale.creative': 'upscale',
  'control.sketch': 'guide',
  'control.structure': 'guide',
  'control.style': 'guide',
  'control.style-transfer': 'guide',
};

/**
 * The job's input pictures: `input` fills the endpoint's first image field, `images` the others by
 * name. Every name must be an image field of the endpoint; every id a staged picture.
 */
function jobInputs(
  endpoint: CreateEndpoint,
  input: string | undefined,
  images: Readonly<Record<string, string>> | undefined,
  inputs: InputsService,
): InputRef[] {
  const spec = ENDPOINTS[endpoint];
  const fields = spec.params.filter((param) => param.kind === 'image');
  const first = fields[0];
  const named: Record<string, string> = { ...images };
  if (input !== undefined && first) {
    if (named[first.name] !== undefined && named[first.name] !== input) {
      throw new PlainError('invalid_request', `Two pictures were given for ${first.label}.`);
    }
    named[first.name] = input;
  }
  for (const name of Object.keys(named)) {
    if (!fields.some((field) => field.name === name)) {
      throw new PlainError('invalid_request', `${spec.label} takes no picture called ${name}.`);
    }
  }
  return fields.flatMap((field) => {
    const id = named[field.name];
    if (id === undefined) return [];
    const staged = inputs.require(id);
    return [{ param: field.name, path: staged.file, name: staged.name }];
  });
}

/** The job as the renderer sees it. */
export function viewOf(job: Job): JobView {
  const result = JobResult.safeParse(job.result);
  const input = job.inputs[0];
  return {
    id: job.id,
    kind: job.kind,
    endpoint: job.endpoint,
    params: scalarParams(job.params),
    ...(job.batch !== undefined ? { batch: job.batch } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    state: job.state,
    attempts: job.attempts,
    ...(job.error ? { error: { code: job.error.code, message: job.error.message } } : {}),
    mayHaveBeenCharged: job.mayHaveBeenCharged,
    ...(RETRYABLE_STATES.includes(job.state)
      ? {
          retry: {
            kind: retryKindOf(job, Date.now()),
            credits: creditCost(
              ENDPOINTS[job.endpoint as CreateEndpoint],
              scalarParams(job.params),
            ),
          },
        }
      : {}),
    ...(input?.name !== undefined ? { inputName: input.name } : {}),
    ...(result.success ? { result: result.data } : {}),
  };
}

export async function createCreateService(options: CreateOptions): Promise<CreateService> {
  const log = options.log ?? (() => undefined);
  const envPoll = Number(process.env.ATELIER_CREATIVE_POLL_MS);
  const pollMs = options.pollMs ?? (Number.isFinite(envPoll) && envPoll > 0 ? envPoll : 10_000);
  const libraryDir = options.libraryDir;

  const executor = createJobExecutor({
    client: options.client,
    libraryDir,
    poll: { intervalMs: pollMs },
    ...(options.placeOf ? { placeOf: options.placeOf } : {}),
    ...(options.offlineRetryMs !== undefined ? { offlineRetryMs: options.offlineRetryMs } : {}),
  });

  const queue = await createJobQueue({
    dataDir: path.join(options.dataDir, 'jobs'),
    executor: executor.execute,
    watchOnline: (listener) => executor.watchOnline(listener),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
  if (queue.loadProblem) log(`jobs: ${queue.loadProblem}`);

  const stopQueueEvents = queue.subscribe((event) => {
    try {
      if (event.type === 'job') options.emit('jobs.changed', viewOf(event.job));
      else if (event.type === 'removed') options.emit('jobs.removed', { id: event.id });
      else if (event.type === 'status') options.emit('jobs.queue', queueView(event.status));
      else if (event.type === 'order') options.emit('jobs.order', { ids: [...event.ids] });
      else log(`jobs: ${event.message}`);
    } catch (error) {
      log(`jobs: an event could not be sent (${error instanceof Error ? error.message : ''})`);
    }
  });

  function notFound(): PlainError {
    return new PlainError(
      'not_found',
      'That job is no longer in the list. It may have been removed in another window.',
    );
  }

  const handlers: CreateService['handlers'] = {
    ...queueHandlers(queue, notFound),
    'jobs.add': async ({ kind, endpoint, params, count, input, images }) => {
      const expected = KIND_OF_INPUT_ENDPOINT[endpoint];
      if (kind !== 'text-to-image' && expected !== kind) {
        throw new PlainError('invalid_request', `${ENDPOINTS[endpoint].label} cannot do ${kind}.`);
      }
      const needsImage = kind !== 'text-to-image';
      if (needsImage && input === undefined && images === undefined) {
        throw new PlainError('no_image', 'Drop a picture first, or choose one with Choose file.');
      }
      const refs = needsImage ? jobInputs(endpoint, input, images, options.inputs) : [];
      const batch = count > 1 ? randomUUID() : undefined;
      // A fixed seed gives each image its own (seed, seed + 1, …): never N identical paid requests.
      const seed = typeof params.seed === 'string' ? Number(params.seed) : params.seed;
      const seedOf = (index: number): FormParams =>
        typeof seed === 'number' && Number.isInteger(seed) && seed > 0 && count > 1
          ? { seed: seedOfImage(seed, index) }
          : {};
      const jobs = await queue.addMany(
        Array.from({ length: count }, (_, index) => ({
          kind,
          endpoint,
          params: { ...params, ...seedOf(index) },
          inputs: refs,
          ...(batch !== undefined ? { batch } : {}),
        })),
      );
      return { jobs: jobs.map(viewOf) };
    },
    'jobs.list': () =>
      Promise.resolve({ jobs: queue.list().map(viewOf), queue: queueView(queue.status()) }),
    'jobs.cancel': async ({ id }) => {
      if (!queue.get(id)) throw notFound();
      return viewOf(await queue.cancel(id));
    },
    'jobs.retry': async ({ id, payAgain }) => {
      const job = queue.get(id);
      if (!job) throw notFound();
      const retry = viewOf(job).retry;
      if (retry?.kind === 'costs-again' && payAgain !== true) {
        throw new PlainError(
          'costs_again',
          `Sending this job again costs ${retry.credits} credits again. Choose Send again to confirm.`,
        );
      }
      return viewOf(await queue.retry(id));
    },
    'jobs.remove': async ({ id }) => {
      if (!queue.get(id)) throw notFound();
      await queue.remove(id);
      return {};
    },
  };

  return {
    handlers,
    queue,
    setConcurrency(n) {
      queue.setConcurrency(n);
    },
    async close() {
      stopQueueEvents();
      executor.close();
      await queue.close();
    },
  };
}
