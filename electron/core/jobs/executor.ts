/**
 * The executor of Create's jobs: prepares the input images, sends the request through the queue's
 * rate limiter, fetches an async result, and saves the picture to the library before anyone sees it.
 *
 * Money is real. An async job (creative upscale, relight) is paid for when Stability takes it, so
 * its generation id is saved with the job (on disk) before the first poll. From then on every
 * attempt of the job (after a failed poll, a restart, the person's Retry) polls that generation
 * again and never starts the job a second time, until Stability says it no longer has the result.
 * Polls that fail for a while (network, 5xx, 429) are waited out, within a deadline per attempt.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { JobResult } from '../../../shared/api';
import {
  ENDPOINTS,
  POLL_MIN_INTERVAL_MS,
  creditCost,
  findParam,
  modelOf,
  type EndpointId,
  type EndpointSpec,
  type ImageFormat,
} from '../../../shared/endpoints';
import { InputImageError, prepareInput } from '../images';
import { saveResult, type InputImage, type ResultPlace } from '../library';
import {
  StabilityError,
  type ImageResult,
  type RequestValue,
  type StabilityClient,
} from '../stability';
import { JobFailure } from './classify';
import { expiresAt, resumableGeneration } from './generation';
import { createOnlineWatch, probeHost } from './online';
import type {
  Executor,
  ExecutorContext,
  ExecutorOutcome,
  Generation,
  Job,
  JsonObject,
} from './types';

/** A form value as a request field (images travel as job inputs). */
export type ScalarParams = Record<string, string | number | boolean>;

export interface PollTiming {
  /** Wait before the first poll and between the first polls (default 10 s, the API's guidance). */
  readonly intervalMs?: number;
  /** The wait grows by half each time up to this (default 30 s, or intervalMs if longer). */
  readonly maxIntervalMs?: number;
  /** How long one attempt keeps asking before the job waits for the person (default 15 min). */
  readonly deadlineMs?: number;
}

export interface JobExecutorOptions {
  /** The Stability client in force, and whether it is the Sandbox. */
  readonly client: () => Promise<{ client: StabilityClient; sandbox: boolean }>;
  /** The library folder in force. */
  readonly libraryDir: () => string;
  readonly poll?: PollTiming;
  /** While offline, how often to check whether the API can be reached again (default 5 s). */
  readonly offlineRetryMs?: number;
  readonly now?: () => number;
  /** Where a job's result goes when not the day folder (a batch's folder; see core/batch). */
  readonly placeOf?: (job: Job) => ResultPlace | undefined;
}

export interface JobExecutor {
  readonly execute: Executor;
  /** Network changes as the executor learns them (a request that could not connect). */
  watchOnline(listener: (online: boolean) => void): () => void;
  close(): void;
}

const FORMAT_BY_TYPE: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
};

/** Poll failures worth waiting out: nothing is charged by asking again. */
const TRANSIENT_KINDS: ReadonlySet<string> = new Set([
  'server_error',
  'network',
  'timeout',
  'rate_limited',
  'invalid_response',
]);

export function scalarParams(params: JsonObject): ScalarParams {
  const out: ScalarParams = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value;
    }
  }
  return out;
}

function abortError(): DOMException {
  return new DOMException('The job was stopped.', 'AbortError');
}

function hoursLeft(generation: Generation, now: number): string {
  const hours = Math.max(1, Math.ceil((expiresAt(generation) - now) / 3_600_000));
  return hours === 1 ? 'about one more hour' : `about ${hours} more hours`;
}

function minutes(ms: number): string {
  const m = Math.max(1, Math.round(ms / 60_000));
  return m === 1 ? 'a minute' : `${m} minutes`;
}

export function createJobExecutor(options: JobExecutorOptions): JobExecutor {
  const now = options.now ?? Date.now;
  const intervalMs = options.poll?.intervalMs ?? POLL_MIN_INTERVAL_MS;
  const maxIntervalMs = Math.max(intervalMs, options.poll?.maxIntervalMs ?? 30_000);
  const deadlineMs = options.poll?.deadlineMs ?? 15 * 60_000;

  // Offline: when a request cannot connect, the queue waits (and says so) until the API's host can
  // be reached again, instead of spending its retries.
  let apiBase: string | null = null;
  const network = createOnlineWatch({
    probe: () => (apiBase === null ? Promise.resolve(true) : probeHost(apiBase)),
    ...(options.offlineRetryMs !== undefined ? { retryMs: options.offlineRetryMs } : {}),
  });

  /** Polls a saved generation until the result comes, it is gone, or this attempt's deadline. */
  async function pollGeneration(
    client: StabilityClient,
    spec: EndpointSpec,
    job: Job,
    generation: Generation,
    resumed: boolean,
    context: ExecutorContext,
  ): Promise<ImageResult> {
    const cost = creditCost(spec, scalarParams(job.params));
    const deadline = Math.min(expiresAt(generation), now() + deadlineMs);
    let wait = resumed ? 0 : intervalMs;
    let lastProblem: StabilityError | undefined;
    for (;;) {
      if (now() + wait > deadline) {
        const said = lastProblem ? ` The last answer was: ${lastProblem.message}` : '';
        throw new JobFailure(
          'still_generating',
          `Stability has not sent this ${spec.label} picture yet (Atelier asked for ${minutes(deadlineMs)}).${said} ` +
            `It was paid for, and Stability keeps the result for ${hoursLeft(generation, now())}: ` +
            'choose Retry to ask again. That costs nothing.',
          'may-have-been-charged',
          { cause: lastProblem },
        );
      }
      await delay(wait, undefined, { signal: context.signal });
      const release = await context.acquireRequestSlot();
      try {
        const answer = await client.result(generation.id, { signal: context.signal });
        if (generation.missing === true) {
          // Found after all (the key that started it is back).
          generation = { id: generation.id, startedAt: generation.startedAt };
          await context.saveGeneration(generation);
        }
        if (answer.status === 'done') return answer.result;
        lastProblem = undefined;
        wait = wait === 0 ? intervalMs : Math.min(maxIntervalMs, Math.round(wait * 1.5));
      } catch (error) {
        if (context.signal.aborted || !(error instanceof StabilityError)) throw error;
        if (TRANSIENT_KINDS.has(error.kind)) {
          lastProblem = error;
          wait = Math.max(intervalMs, error.retryAfterMs ?? 0);
          continue;
        }
        if (error.kind === 'unauthorized') {
          throw new JobFailure(
            'unauthorized',
            `Stability did not accept the API key while Atelier was fetching this ${spec.label} picture. ` +
              `It was paid for, and Stability keeps it for ${hoursLeft(generation, now())}, for the key ` +
              'that started it: check the key in Settings, then choose Retry to fetch it (that costs nothing).',
            'may-have-been-charged',
            { cause: error },
          );
        }
        const again = `Choose Retry to send it again, which costs ${cost} credits again.`;
        if (error.kind === 'not_found' && generation.missing !== true) {
          // Not found, the first time: results are kept only for the key that started the job,
          // so the person may put that key back; the next Retry asks once more, for free.
          await context.saveGeneration({ ...generation, missing: true });
          throw new JobFailure(
            'result_missing',
            'Stability says it has no such picture: results are kept 24 hours, and only for the API ' +
              'key that started the job. If you changed the key since, put the old one back in ' +
              'Settings, then choose Retry to ask once more (that costs nothing).',
            'may-have-been-charged',
            { cause: error },
          );
        }
        // Gone (404 again), or failed at Stability: a Retry must send the job again, and says so.
        await context.saveGeneration({ ...generation, gone: true });
        if (error.kind === 'not_found') {
          throw new JobFailure(
            'result_gone',
            'Stability no longer has this picture: results are kept 24 hours, and only for the API key ' +
              `that started the job. ${again}`,
            'final',
            { cause: error },
          );
        }
        throw new JobFailure(
          'generation_failed',
          `Stability reported that this ${spec.label} job failed after it started: ${error.message} ${again}`,
          'final',
          { cause: error },
        );
      } finally {
        release();
      }
    }
  }

  async function requestParams(job: Job, spec: EndpointSpec) {
    const params: Record<string, RequestValue> = { ...scalarParams(job.params) };
    const inputs: InputImage[] = [];
    for (const ref of job.inputs) {
      const limits = findParam(spec, ref.param)?.image;
      if (!limits) throw new JobFailure('input', `${spec.label} takes no image.`, 'final');
      try {
        const prepared = await prepareInput({ path: ref.path }, limits, { target: spec.label });
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
    return { params, inputs };
  }

  async function execute(job: Job, context: ExecutorContext): Promise<ExecutorOutcome> {
    const endpointId = job.endpoint as EndpointId;
    const spec: EndpointSpec | undefined = ENDPOINTS[endpointId];
    if (!spec) throw new JobFailure('unknown_endpoint', 'Atelier cannot run this job.', 'final');
    const resumable = spec.async ? resumableGeneration(job, now()) : undefined;
    // Only a poll left to do: the inputs are for the recipe, and a missing one must not stop the
    // fetch of a picture that was paid for.
    const { params, inputs } = await requestParams(job, spec).catch((error: unknown) => {
      if (resumable) return { params: {}, inputs: [] };
      throw error;
    });
    if (context.signal.aborted) throw abortError();
    const { client, sandbox } = await options.client();
    apiBase = client.baseUrl;

    let result: ImageResult;
    if (spec.async) {
      let generation = resumable;
      const resumed = generation !== undefined;
      if (!generation) {
        const release = await context.acquireRequestSlot();
        let started: { id: string };
        try {
          started = await client.start(endpointId, params, { signal: context.signal });
        } finally {
          release();
        }
        generation = { id: started.id, startedAt: now() };
        // On disk before the first poll: from here on, nothing sends this job again by itself.
        await context.saveGeneration(generation);
      }
      context.setState('generating');
      result = await pollGeneration(client, spec, job, generation, resumed, context);
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
    const dir = options.libraryDir();
    const format = result.format ?? FORMAT_BY_TYPE[result.contentType] ?? 'png';
    const values = scalarParams(job.params);
    const place = options.placeOf?.(job);
    const saved = await saveResult(dir, {
      ...(place ? { place } : {}),
      bytes: result.bytes,
      format,
      recipe: {
        operation: job.kind,
        endpoint: spec.path,
        model: modelOf(spec, values) ?? null,
        params: values,
        seed: result.seed ?? null,
        finishReason: result.finishReason,
        credits: creditCost(spec, values),
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

  return {
    async execute(job, context) {
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
    close() {
      network.close();
    },
  };
}
