/**
 * Create in the core: the calls behind the Create place (jobs.*, inputs.*, results.preview) over the
 * job queue, whose executor lives in core/jobs/executor.ts.
 *
 * Money is real: the queue never re-sends a job that may have been charged; only `jobs.retry`
 * (the person's click) does, and one that costs again says so first.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { openImage } from '../images/open';
import type {
  CreateEndpoint,
  EventName,
  EventPayload,
  FormParams,
  InputView,
  JobView,
  QueueView,
} from '../../../shared/api';
import { JobResult, UPLOAD_MAX_BYTES } from '../../../shared/api';
import { ENDPOINTS, creditCost, seedOfImage } from '../../../shared/endpoints';
import { InputImageError, inspectBytes, readImageInput } from '../images';
import {
  createJobExecutor,
  createJobQueue,
  RETRYABLE_STATES,
  retryKindOf,
  scalarParams,
  type Job,
  type JobQueue,
  type QueueStatus,
} from '../jobs';
import { embeddedPrompt, readEmbedded, resolveLibraryFile } from '../library';
import { PlainError } from '../errors';
import type { Handlers } from '../rpc/dispatch';
import type { StabilityClient } from '../stability';

export type CreateCallName =
  | 'jobs.add'
  | 'jobs.list'
  | 'jobs.cancel'
  | 'jobs.retry'
  | 'jobs.remove'
  | 'inputs.begin'
  | 'inputs.chunk'
  | 'inputs.finish'
  | 'inputs.fromPath'
  | 'results.preview';

export interface CreateOptions {
  /** The app's data folder: the queue lives in <dataDir>/jobs, staged inputs in <dataDir>/inputs. */
  dataDir: string;
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
  log?: (line: string) => void;
}

export interface CreateService {
  handlers: Pick<Handlers, CreateCallName>;
  queue: JobQueue;
  /** The file of a picture taken as input (inputs.finish, inputs.fromPath), or null. */
  stagedFile(id: string): string | null;
  setConcurrency(n: number): void;
  close(): Promise<void>;
}

const KIND_OF_INPUT_ENDPOINT: Partial<Record<CreateEndpoint, 'image-to-image' | 'upscale'>> = {
  'generate.sd3': 'image-to-image',
  'generate.ultra': 'image-to-image',
  'upscale.fast': 'upscale',
  'upscale.conservative': 'upscale',
  'upscale.creative': 'upscale',
};

interface Staged {
  id: string;
  name: string;
  path: string;
  size: number;
  received: number;
  view?: InputView;
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

function queueView(status: QueueStatus): QueueView {
  return {
    online: status.online,
    running: status.running,
    waiting: status.waiting,
    needsAttention: status.needsAttention,
    ...(status.message !== undefined ? { message: status.message } : {}),
  };
}

export async function createCreateService(options: CreateOptions): Promise<CreateService> {
  const log = options.log ?? (() => undefined);
  const envPoll = Number(process.env.ATELIER_CREATIVE_POLL_MS);
  const pollMs = options.pollMs ?? (Number.isFinite(envPoll) && envPoll > 0 ? envPoll : 10_000);
  const stagingDir = path.join(options.dataDir, 'inputs');
  const staged = new Map<string, Staged>();
  const libraryDir = options.libraryDir;

  const executor = createJobExecutor({
    client: options.client,
    libraryDir,
    poll: { intervalMs: pollMs },
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

  function stagedInput(id: string): Staged {
    const input = staged.get(id);
    if (!input?.view) {
      throw new PlainError(
        'input_gone',
        'The picture you chose is no longer ready. Drop or choose it again.',
      );
    }
    return input;
  }

  async function describeStaged(input: Staged): Promise<InputView> {
    try {
      // Read once: measured (header only), and the prompt it carries, if any.
      const { bytes } = await readImageInput({ path: input.path });
      const { info } = await inspectBytes(bytes, input.name);
      const prompt = embeddedPrompt(readEmbedded(bytes));
      const view: InputView = {
        id: input.id,
        name: input.name,
        width: info.width,
        height: info.height,
        bytes: bytes.length,
        format: info.format,
        ...(prompt !== undefined ? { prompt } : {}),
      };
      input.view = view;
      return view;
    } catch (error) {
      staged.delete(input.id);
      await rm(input.path, { force: true });
      if (error instanceof InputImageError) throw new PlainError(error.code, error.message);
      throw error;
    }
  }

  function safeName(name: string): string {
    const base = path.basename(name.replaceAll('\\', '/'));
    let clean = '';
    for (let i = 0; i < base.length; i++) if (base.charCodeAt(i) >= 0x20) clean += base.charAt(i);
    return clean.slice(0, 200) || 'image';
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
      const image = needsImage && input !== undefined ? stagedInput(input) : undefined;
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
          inputs: image ? [{ param: 'image', path: image.path, name: image.name }] : [],
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
    'inputs.begin': async ({ name, size }) => {
      await mkdir(stagingDir, { recursive: true });
      const id = randomUUID();
      const file = path.join(stagingDir, `${id}.upload`);
      await (await open(file, 'w')).close();
      staged.set(id, { id, name: safeName(name), path: file, size, received: 0 });
      return { id };
    },
    'inputs.chunk': async ({ id, offset, data }) => {
      const input = staged.get(id);
      if (!input || input.view) throw new PlainError('input_gone', 'That upload is not open.');
      if (offset !== input.received) {
        throw new PlainError('bad_offset', 'The upload arrived out of order. Drop the file again.');
      }
      const bytes = Buffer.from(data, 'base64');
      if (input.received + bytes.length > Math.min(input.size, UPLOAD_MAX_BYTES)) {
        throw new PlainError(
          'too_big',
          'The upload is larger than announced. Drop the file again.',
        );
      }
      const handle = await open(input.path, 'a');
      try {
        await handle.write(bytes);
      } finally {
        await handle.close();
      }
      input.received += bytes.length;
      return { received: input.received };
    },
    'inputs.finish': async ({ id }) => {
      const input = staged.get(id);
      if (!input) throw new PlainError('input_gone', 'That upload is not open.');
      if (input.view) return input.view;
      if (input.received !== input.size) {
        throw new PlainError(
          'incomplete',
          'Only part of the picture arrived. Drop the file again.',
        );
      }
      return describeStaged(input);
    },
    'inputs.fromPath': async ({ path: source }) => {
      if (!path.isAbsolute(source)) {
        throw new PlainError('bad_path', 'Atelier needs the full path of the picture.');
      }
      await mkdir(stagingDir, { recursive: true });
      const id = randomUUID();
      const file = path.join(stagingDir, `${id}.upload`);
      try {
        await copyFile(source, file);
      } catch {
        throw new PlainError(
          'unreadable_file',
          `Atelier could not read “${path.basename(source)}”. Check that it still exists and that you may open it.`,
        );
      }
      const size = (await stat(file)).size;
      const input: Staged = { id, name: safeName(source), path: file, size, received: size };
      staged.set(id, input);
      return describeStaged(input);
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
        const { data, info } = await openImage(resolved.path)
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
    stagedFile(id) {
      const input = staged.get(id);
      return input?.view ? input.path : null;
    },
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
