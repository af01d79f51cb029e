/**
 * Create in the core: the job queue whose executor prepares the input image, sends the request
 * through the queue's rate limiter, saves the result to the library (before anyone sees it), and
 * the calls behind the Create place (jobs.*, results.preview). Input pictures come staged, from
 * the inputs service (../inputs).
 *
 * Money is real: the queue never re-sends a job that may have been charged; only `jobs.retry`
 * (the person's click) does.
 */
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import sharp from 'sharp';
import type {
  CreateEndpoint,
  EventName,
  EventPayload,
  FormParams,
  JobView,
  QueueView,
} from '../../../shared/api';
import { JobResult } from '../../../shared/api';
import {
  ENDPOINTS,
  creditCost,
  findParam,
  modelOf,
  type EndpointSpec,
  type ImageFormat,
} from '../../../shared/endpoints';
import { InputImageError, prepareInput } from '../images';
import type { InputsService } from '../inputs';
import {
  createJobQueue,
  createOnlineWatch,
  JobFailure,
  probeHost,
  type ExecutorContext,
  type ExecutorOutcome,
  type Job,
  type JobQueue,
  type JsonObject,
  type QueueStatus,
} from '../jobs';
import { resolveLibraryFile, saveResult, type InputImage } from '../library';
import { PlainError, type Handlers } from '../rpc/dispatch';
import {
  StabilityError,
  type ImageResult,
  type RequestValue,
  type StabilityClient,
} from '../stability';

export type CreateCallName =
  'jobs.add' | 'jobs.list' | 'jobs.cancel' | 'jobs.retry' | 'jobs.remove' | 'results.preview';

export interface CreateOptions {
  /** The app's data folder: the queue lives in <dataDir>/jobs. */
  dataDir: string;
  /** Staged input pictures (jobs.add takes their ids). */
  inputs: InputsService;
  /** The library folder in force (null: the default, <Pictures>/Atelier). */
  libraryDir: () => string | null;
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
  log?: (line: string) => void;
}

export interface CreateService {
  handlers: Pick<Handlers, CreateCallName>;
  queue: JobQueue;
  setConcurrency(n: number): void;
  close(): Promise<void>;
}

/** <Pictures>/Atelier: where pictures go when no library folder is chosen. */
export function defaultLibraryDir(): string {
  return path.join(homedir(), 'Pictures', 'Atelier');
}

const KIND_OF_INPUT_ENDPOINT: Partial<Record<CreateEndpoint, 'image-to-image' | 'upscale'>> = {
  'generate.sd3': 'image-to-image',
  'generate.ultra': 'image-to-image',
  'upscale.fast': 'upscale',
  'upscale.conservative': 'upscale',
  'upscale.creative': 'upscale',
};

const FORMAT_BY_TYPE: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
};

function scalarParams(params: JsonObject): FormParams {
  const out: FormParams = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value;
    }
  }
  return out;
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
    ...(input?.name !== undefined ? { inputName: input.name } : {}),
    ...(result.success ? { result: result.data } : {}),
  };
}

function queueView(status: QueueStatus): QueueView {
  return {
    online: status.online,
    running: status.running,
    waiting: status.waiting,
    needsAttention: status.needsAttention,
    ...(status.message !== undefined ? { message: status.message } : {}),
  };
}

function abortError(): DOMException {
  return new DOMException('The job was stopped.', 'AbortError');
}

export async function createCreateService(options: CreateOptions): Promise<CreateService> {
  const log = options.log ?? (() => undefined);
  const envPoll = Number(process.env.ATELIER_CREATIVE_POLL_MS);
  const pollMs = options.pollMs ?? (Number.isFinite(envPoll) && envPoll > 0 ? envPoll : 10_000);
  const libraryDir = () => options.libraryDir() ?? defaultLibraryDir();

  // Offline: when a request cannot connect, the queue waits (and says so) until the API's host can
  // be reached again, instead of spending its retries.
  let apiBase: string | null = null;
  const network = createOnlineWatch({
    probe: () => (apiBase === null ? Promise.resolve(true) : probeHost(apiBase)),
    ...(options.offlineRetryMs !== undefined ? { retryMs: options.offlineRetryMs } : {}),
  });

  async function pollCreative(
    client: StabilityClient,
    generationId: string,
    context: ExecutorContext,
  ): Promise<ImageResult> {
    let wait = pollMs;
    for (;;) {
      await delay(wait, undefined, { signal: context.signal });
      await context.acquireRequestSlot();
      const answer = await client.result(generationId, { signal: context.signal });
      if (answer.status === 'done') return answer.result;
      wait = Math.min(Math.round(wait * 1.5), Math.max(pollMs, 30_000));
    }
  }

  async function execute(job: Job, context: ExecutorContext): Promise<ExecutorOutcome> {
    const endpointId = job.endpoint as CreateEndpoint;
    const spec: EndpointSpec = ENDPOINTS[endpointId];
    const params: Record<string, RequestValue> = { ...scalarParams(job.params) };
    const inputs: InputImage[] = [];
    for (const ref of job.inputs) {
      const limits = findParam(spec, ref.param)?.image;
      if (!limits) throw new JobFailure('input', `${spec.label} takes no image.`, 'final');
      try {
        const prepared = await prepareInput({ path: ref.path }, limits, {
          target: spec.label,
        });
        params[ref.param] = {
          bytes: prepared.bytes,
          type: prepared.mimeType,
          filename: prepared.fileName,
        };
        inputs.push({ role: ref.param, bytes: prepared.bytes });
      } catch (error) {
        if (error instanceof InputImageError) {
          throw new JobFailure(`input_${error.code}`, error.message, 'final', { cause: error });
        }
        throw error;
      }
    }
    if (context.signal.aborted) throw abortError();
    const { client, sandbox } = await options.client();
    apiBase = client.baseUrl;

    let result: ImageResult;
    if (spec.async) {
      await context.acquireRequestSlot();
      const started = await client.start(endpointId, params, { signal: context.signal });
      context.setState('generating');
      result = await pollCreative(client, started.id, context);
    } else {
      await context.acquireRequestSlot();
      context.setState('generating');
      result = await client.send(endpointId, params, { signal: context.signal });
    }

    if (result.outcome === 'filtered') {
      return {
        state: 'filtered',
        ...(result.message !== undefined ? { message: result.message } : {}),
      };
    }

    context.setState('saving');
    const dir = libraryDir();
    const format = result.format ?? FORMAT_BY_TYPE[result.contentType] ?? 'png';
    const saved = await saveResult(dir, {
      bytes: result.bytes,
      format,
      recipe: {
        operation: job.kind,
        endpoint: spec.path,
        model: modelOf(spec, scalarParams(job.params)) ?? null,
        params: scalarParams(job.params),
        seed: result.seed ?? null,
        finishReason: result.finishReason,
        credits: creditCost(spec, scalarParams(job.params)),
        sandbox,
        inputs,
      },
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : 'The picture could not be saved.';
      throw new JobFailure('save_failed', message, 'may-have-been-charged', { cause: error });
    });
    const view: JobResult = {
      id: saved.entry.id,
      path: saved.entry.path,
      width: saved.entry.width,
      height: saved.entry.height,
      seed: saved.entry.seed,
      format: saved.entry.format,
      libraryDir: dir,
    };
    return { state: 'done', result: view };
  }

  const queue = await createJobQueue({
    dataDir: path.join(options.dataDir, 'jobs'),
    executor: async (job, context) => {
      try {
        return await execute(job, context);
      } catch (error) {
        // Could not connect at all (nothing was sent, nothing charged): is the network down?
        if (
          error instanceof StabilityError &&
          error.kind === 'network' &&
          !error.mayHaveBeenCharged
        ) {
          network.suspect();
        }
        throw error;
      }
    },
    watchOnline: (listener) => network.watch(listener),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
  if (queue.loadProblem) log(`jobs: ${queue.loadProblem}`);

  const stopQueueEvents = queue.subscribe((event) => {
    try {
      if (event.type === 'job') options.emit('jobs.changed', viewOf(event.job));
      else if (event.type === 'removed') options.emit('jobs.removed', { id: event.id });
      else if (event.type === 'status') options.emit('jobs.queue', queueView(event.status));
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
    'jobs.add': async ({ kind, endpoint, params, count, input }) => {
      const expected = KIND_OF_INPUT_ENDPOINT[endpoint];
      if (kind !== 'text-to-image' && expected !== kind) {
        throw new PlainError('invalid_request', `${ENDPOINTS[endpoint].label} cannot do ${kind}.`);
      }
      const needsImage = kind !== 'text-to-image';
      if (needsImage && input === undefined) {
        throw new PlainError('no_image', 'Drop a picture first, or choose one with Choose file.');
      }
      const image = needsImage && input !== undefined ? options.inputs.require(input) : undefined;
      const batch = count > 1 ? randomUUID() : undefined;
      const jobs = await queue.addMany(
        Array.from({ length: count }, () => ({
          kind,
          endpoint,
          params: { ...params },
          inputs: image ? [{ param: 'image', path: image.file, name: image.name }] : [],
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
    'jobs.retry': async ({ id }) => {
      if (!queue.get(id)) throw notFound();
      return viewOf(await queue.retry(id));
    },
    'jobs.remove': async ({ id }) => {
      if (!queue.get(id)) throw notFound();
      await queue.remove(id);
      return {};
    },
    'results.preview': async ({ path: relative, size }) => {
      const resolved = await resolveLibraryFile(libraryDir(), relative);
      if (!resolved.ok) {
        throw new PlainError(
          'not_found',
          'That picture is not in the library folder any more. It may have been moved or deleted.',
        );
      }
      const side = size ?? 1024;
      let quality = 86;
      for (;;) {
        const { data, info } = await sharp(resolved.path)
          .rotate()
          .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
          .webp({ quality })
          .toBuffer({ resolveWithObject: true });
        // One WebSocket message is at most 1 MiB: keep the base64 well under it.
        if (data.length < 600 * 1024 || quality <= 40) {
          return {
            url: `data:image/webp;base64,${data.toString('base64')}`,
            width: info.width,
            height: info.height,
          };
        }
        quality -= 15;
      }
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
      network.close();
      await queue.close();
    },
  };
}
