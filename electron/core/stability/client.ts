/**
 * The HTTP client of the Stability API (undici). One instance per base URL and key source.
 *
 * - Every POST is multipart/form-data (text-only too); files are streamed from disk (fs.openAsBlob).
 * - Parameters are checked against the endpoint table before anything is sent.
 * - Answers: image bytes with `seed` and `finish-reason` from the headers, or the JSON form decoded;
 *   CONTENT_FILTERED is its own outcome. Async jobs (creative upscale, relight) are polled with a
 *   backoff that respects the API's 10 s guidance, within an overall deadline.
 * - Failures are StabilityError with a kind and a plain sentence; the key never appears in one.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { openImage } from '../images/open';
import { Agent, request, type Dispatcher } from 'undici';
import {
  API_DEFAULT_BASE_URL,
  CLIENT_HEADER_MAX_LENGTH,
  ENDPOINTS,
  FINISH_REASONS,
  GENERATION_ID_LENGTH,
  IMAGE_CONTENT_TYPES,
  POLL_MIN_INTERVAL_MS,
  RATE_LIMIT,
  defaultAccept,
  findParam,
  validateParams,
  type EndpointId,
  type EndpointSpec,
  type FinishReason,
  type ImageFormat,
  type ImageInfo,
  type ParamValue,
} from '../../../shared/endpoints';
import {
  StabilityError,
  cancelledError,
  fromStatus,
  invalidParameters,
  invalidResponse,
  networkError,
  redact,
  timeoutError,
  unknownFinish,
  unreadableImage,
} from './errors';
import { multipart, type MultipartBody, type Part } from './multipart';

declare const __ATELIER_VERSION__: string | undefined;
const APP_VERSION = typeof __ATELIER_VERSION__ === 'string' ? __ATELIER_VERSION__ : '0.0.0-dev';

// ---------------------------------------------------------------------------------------------
// Types

/** An image to upload: a file on disk (streamed), or bytes already in memory. */
export type ImageInput =
  | { readonly path: string; readonly type?: string; readonly filename?: string }
  | { readonly bytes: Uint8Array; readonly type?: string; readonly filename?: string };

export type RequestValue = string | number | boolean | ImageInput | undefined;
export type RequestParams = Readonly<Record<string, RequestValue>>;

export type Accept = 'image/*' | 'application/json' | '*/*';

export interface CallOptions {
  /** `image/*` (default) for raw bytes, `application/json` for base64 in JSON. */
  readonly accept?: Accept;
  readonly signal?: AbortSignal;
}

export interface ImageResult {
  /** `image`: a picture. `filtered`: the output broke the content rules and came back blurred. */
  readonly outcome: 'image' | 'filtered';
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly format: ImageFormat | undefined;
  /** The seed used (from the `seed` header or the JSON body). */
  readonly seed: number | undefined;
  /** `SUCCESS` or `CONTENT_FILTERED` as Stability said it (anything else is an error). */
  readonly finishReason: FinishReason;
  readonly requestId: string | undefined;
  /** For `filtered`: a sentence for the person. */
  readonly message?: string;
}

export interface PollOptions {
  /** Wait before the first poll (default 10 s, the API's guidance). */
  readonly firstDelayMs?: number;
  /** Wait between polls at first (default 10 s), multiplied by `factor` up to `maxIntervalMs`. */
  readonly intervalMs?: number;
  readonly factor?: number;
  readonly maxIntervalMs?: number;
  /** Give up after this long in all (default 10 minutes). */
  readonly deadlineMs?: number;
  /** Transient failures (5xx, network) tolerated in a row while polling (default 3). */
  readonly maxTransientErrors?: number;
}

export interface WaitOptions extends CallOptions, PollOptions {
  /** Called after each poll that found the job still running. */
  readonly onPoll?: (attempt: number) => void;
}

export interface StabilityClientOptions {
  /** Base URL, already checked by the host; default https://api.stability.ai. */
  readonly baseUrl?: string | null;
  /** The API key, or a function that gives it (read from the vault at call time). */
  readonly apiKey: string | (() => string | Promise<string>);
  /** `stability-client-id` (default `atelier`). */
  readonly clientId?: string;
  /** `stability-client-version` (default the app version). */
  readonly clientVersion?: string;
  /** `stability-client-user-id` (optional). */
  readonly clientUserId?: string;
  /** Time to open a connection (default 15 s). */
  readonly connectTimeoutMs?: number;
  /** Time for a whole request, upload to last byte (default 5 minutes). */
  readonly requestTimeoutMs?: number;
  readonly poll?: PollOptions;
  /** Use another undici dispatcher (tests, proxies). The client then does not close it. */
  readonly dispatcher?: Dispatcher;
  /**
   * Check parameters against the table before sending (default true: a wrong value never costs a
   * request). Off only to see what the server itself says (tests, diagnostics).
   */
  readonly checkBeforeSending?: boolean;
  /** Called with one line per request (method, path, status, ms). Never holds the key. */
  readonly log?: (line: string) => void;
}

const DEFAULT_POLL: Required<PollOptions> = {
  firstDelayMs: POLL_MIN_INTERVAL_MS,
  intervalMs: POLL_MIN_INTERVAL_MS,
  factor: 1.5,
  maxIntervalMs: 30_000,
  deadlineMs: 10 * 60_000,
  maxTransientErrors: 3,
};

/**
 * The address given (the host resolves it from the settings or STABILITY_API_BASE, through the
 * address policy and the key's binding), else the official one; no trailing slash. The client never
 * reads the environment itself: an address reaches it only through that check.
 */
export function resolveBaseUrl(given?: string | null): string {
  return (given || API_DEFAULT_BASE_URL).replace(/\/+$/, '');
}

function isInput(value: RequestValue): value is ImageInput {
  return typeof value === 'object' && value !== null && ('path' in value || 'bytes' in value);
}

const FORMAT_BY_TYPE: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
};

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function clip(value: string): string {
  return value.slice(0, CLIENT_HEADER_MAX_LENGTH);
}

// ---------------------------------------------------------------------------------------------
// Images: facts for the check, parts for the body

interface PreparedImage {
  info: ImageInfo;
  part: Part;
}

async function prepareImage(field: string, input: ImageInput): Promise<PreparedImage> {
  try {
    if ('path' in input) {
      const [st, meta] = await Promise.all([stat(input.path), openImage(input.path).metadata()]);
      const format: string = meta.format;
      const type =
        input.type ?? IMAGE_CONTENT_TYPES[format as ImageFormat] ?? 'application/octet-stream';
      return {
        info: { kind: 'image', width: meta.width, height: meta.height, bytes: st.size, format },
        part: {
          name: field,
          filename: input.filename ?? basename(input.path),
          type,
          size: st.size,
          path: input.path,
        },
      };
    }
    const meta = await openImage(input.bytes).metadata();
    const format: string = meta.format;
    const type =
      input.type ?? IMAGE_CONTENT_TYPES[format as ImageFormat] ?? 'application/octet-stream';
    return {
      info: {
        kind: 'image',
        width: meta.width,
        height: meta.height,
        bytes: input.bytes.byteLength,
        format,
      },
      part: {
        name: field,
        filename: input.filename ?? `${field}.${format === 'jpeg' ? 'jpg' : format}`,
        type,
        size: input.bytes.byteLength,
        bytes: input.bytes,
      },
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadableImage(
      field,
      code === 'ENOENT' ? 'the file does not exist' : code ? `error ${code}` : 'not an image',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The client

export interface StabilityClient {
  readonly baseUrl: string;
  /** Runs a synchronous image endpoint (generate, fast/conservative upscale, edit, control). */
  send(id: EndpointId, params: RequestParams, options?: CallOptions): Promise<ImageResult>;
  /** Starts an async job (creative upscale, relight); answers its generation id. */
  start(
    id: EndpointId,
    params: RequestParams,
    options?: { signal?: AbortSignal },
  ): Promise<{ id: string }>;
  /** One poll of a job: still running, or the result. */
  result(
    generationId: string,
    options?: CallOptions & { endpoint?: 'results' | 'upscale.creative.result' },
  ): Promise<{ status: 'in-progress' } | { status: 'done'; result: ImageResult }>;
  /** Polls a job until done, with backoff and an overall deadline. */
  waitFor(generationId: string, options?: WaitOptions): Promise<ImageResult>;
  /** send() for sync endpoints, start() + waitFor() for async ones. */
  run(id: EndpointId, params: RequestParams, options?: WaitOptions): Promise<ImageResult>;
  /** Credits left on the account. */
  balance(options?: { signal?: AbortSignal }): Promise<{ credits: number }>;
  /** Checks parameters against the table without sending (reads image headers). */
  check(id: EndpointId, params: RequestParams): Promise<Record<string, string>>;
  close(): Promise<void>;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Bodies up to this size are written in one piece (text-only requests, small images). */
const SMALL_BODY_BYTES = 64 * 1024;

/** Error codes (Node, undici) that mean the connection to the API never opened. */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The code of a Node or undici error, or of its cause. */
function errorCode(error: unknown): string {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : '';
}

export function createStabilityClient(options: StabilityClientOptions): StabilityClient {
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const host = new URL(baseUrl).host;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 5 * 60_000;
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({
        connect: { timeout: connectTimeoutMs },
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
        headersTimeout: requestTimeoutMs,
        bodyTimeout: requestTimeoutMs,
      });
  const dispatcher: Dispatcher = options.dispatcher ?? (ownAgent as Agent);
  const pollDefaults = { ...DEFAULT_POLL, ...options.poll };
  const log = options.log;
  let lastKey = '';

  async function apiKey(): Promise<string> {
    const key = typeof options.apiKey === 'function' ? await options.apiKey() : options.apiKey;
    lastKey = key;
    return key;
  }

  const secrets = (): string[] => (lastKey ? [lastKey] : []);

  async function baseHeaders(accept: string | undefined): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await apiKey()}`,
      'stability-client-id': clip(options.clientId ?? 'atelier'),
      'stability-client-version': clip(options.clientVersion ?? APP_VERSION),
      'user-agent': `Atelier/${APP_VERSION}`,
    };
    if (options.clientUserId) headers['stability-client-user-id'] = clip(options.clientUserId);
    if (accept) headers.accept = accept;
    return headers;
  }

  /** One HTTP exchange, with the overall timeout and the caller's signal; errors typed. */
  async function exchange(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body: MultipartBody | undefined,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    // One timer per request, cleared at the end (cheaper than AbortSignal.timeout + any).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, requestTimeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = log ? performance.now() : 0;
    let gotHeaders = false;
    // Whether Stability may have received the whole request (and so may have charged it). A small
    // in-memory body counts as sent once dispatched; a streamed file once its last chunk went out.
    let sent = false;
    const charged = (): boolean => method === 'POST' && (sent || gotHeaders);
    const classify = (error: unknown): StabilityError => {
      if (error instanceof StabilityError) return error;
      if (signal?.aborted) return cancelledError(charged());
      if (timedOut) return timeoutError(requestTimeoutMs, charged());
      const code = errorCode(error);
      // The connection never opened: nothing reached Stability, whatever the body was.
      if (NEVER_CONNECTED.has(code)) return networkError(host, false, false);
      if (/TIMEOUT/i.test(code)) return timeoutError(requestTimeoutMs, charged());
      return networkError(host, gotHeaders, charged());
    };
    async function* tracked(stream: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
      yield* stream;
      sent = true;
    }
    try {
      if (signal?.aborted) throw cancelledError(false);
      // A small body goes out in one write: sent once dispatched. A larger one (an image in memory,
      // a file) is streamed, and counts as sent once its last piece went out.
      const whole = body?.buffer && body.length <= SMALL_BODY_BYTES ? body.buffer : undefined;
      if (whole) sent = true;
      const response = await request(`${baseUrl}${path}`, {
        method,
        headers: body
          ? {
              ...headers,
              'content-type': body.contentType,
              'content-length': String(body.length),
            }
          : headers,
        body: body
          ? (whole ?? Readable.from(tracked(body.stream()), { objectMode: false }))
          : undefined,
        dispatcher,
        signal: controller.signal,
      });
      gotHeaders = true;
      const bytes = Buffer.from(await response.body.arrayBuffer());
      log?.(
        `${method} ${path} ${response.statusCode} ${Math.round(performance.now() - started)}ms`,
      );
      return { status: response.statusCode, headers: response.headers, body: bytes };
    } catch (error) {
      const typed = classify(error);
      log?.(`${method} ${path} failed: ${typed.kind}`);
      throw typed;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  function apiError(response: RawResponse, method: 'GET' | 'POST'): StabilityError {
    let apiName: string | undefined;
    let requestId = headerString(response.headers['x-request-id']);
    const messages: string[] = [];
    try {
      const parsed = JSON.parse(response.body.toString('utf8')) as {
        id?: unknown;
        name?: unknown;
        errors?: unknown;
        message?: unknown;
      };
      if (typeof parsed.name === 'string') apiName = parsed.name;
      if (typeof parsed.id === 'string') requestId ??= parsed.id;
      if (Array.isArray(parsed.errors)) {
        for (const e of parsed.errors) if (typeof e === 'string') messages.push(e);
      }
      if (typeof parsed.message === 'string') messages.push(parsed.message);
    } catch {
      // not JSON: keep the status alone
    }
    const retryAfter = Number(headerString(response.headers['retry-after']));
    return fromStatus(
      {
        status: response.status,
        method,
        ...(apiName ? { apiName } : {}),
        ...(requestId ? { requestId } : {}),
        messages: messages.map((m) => redact(m, secrets())),
        ...(Number.isFinite(retryAfter) && retryAfter > 0
          ? { retryAfterMs: retryAfter * 1000 }
          : {}),
      },
      RATE_LIMIT.lockoutMs,
    );
  }

  function contentType(response: RawResponse): string {
    return headerString(response.headers['content-type']) ?? '';
  }

  function filteredMessage(): string {
    return "Stability's content filter blurred this picture, and it was charged. Change the prompt or the image; making it again costs again.";
  }

  /** SUCCESS or CONTENT_FILTERED; anything else (or nothing) is an error, never a success. */
  function knownFinish(reason: string | undefined): FinishReason {
    const known = FINISH_REASONS.find((r) => r === reason);
    if (!known) throw unknownFinish(reason === undefined ? undefined : redact(reason, secrets()));
    return known;
  }

  function imageFrom(response: RawResponse): ImageResult {
    const type = contentType(response);
    const requestId = headerString(response.headers['x-request-id']);
    if (type.startsWith('application/json')) {
      let parsed: { image?: unknown; finish_reason?: unknown; seed?: unknown };
      try {
        parsed = JSON.parse(response.body.toString('utf8')) as typeof parsed;
      } catch {
        throw invalidResponse('the JSON could not be parsed', true);
      }
      if (typeof parsed.image !== 'string') throw invalidResponse('no image in the JSON', true);
      const sub = /type=(image\/[a-z]+)/.exec(type)?.[1] ?? 'image/png';
      const finishReason = knownFinish(
        typeof parsed.finish_reason === 'string' ? parsed.finish_reason : undefined,
      );
      return {
        outcome: finishReason === 'CONTENT_FILTERED' ? 'filtered' : 'image',
        bytes: Buffer.from(parsed.image, 'base64'),
        contentType: sub,
        format: FORMAT_BY_TYPE[sub],
        seed: typeof parsed.seed === 'number' ? parsed.seed : undefined,
        finishReason,
        requestId,
        ...(finishReason === 'CONTENT_FILTERED' ? { message: filteredMessage() } : {}),
      };
    }
    if (!type.startsWith('image/')) {
      throw invalidResponse(`unexpected content type ${type || '(none)'}`, true);
    }
    const finishReason = knownFinish(headerString(response.headers['finish-reason']));
    const seedHeader = Number(headerString(response.headers.seed));
    const bare = type.split(';')[0]?.trim() ?? type;
    return {
      outcome: finishReason === 'CONTENT_FILTERED' ? 'filtered' : 'image',
      bytes: response.body,
      contentType: bare,
      format: FORMAT_BY_TYPE[bare],
      seed: Number.isFinite(seedHeader) ? seedHeader : undefined,
      finishReason,
      requestId,
      ...(finishReason === 'CONTENT_FILTERED' ? { message: filteredMessage() } : {}),
    };
  }

  async function buildBody(spec: EndpointSpec, params: RequestParams): Promise<MultipartBody> {
    const values: Record<string, ParamValue> = {};
    const images = new Map<string, PreparedImage>();
    await Promise.all(
      Object.entries(params).map(async ([name, value]) => {
        if (value === undefined || value === '') return;
        if (isInput(value)) {
          const prepared = await prepareImage(name, value);
          images.set(name, prepared);
          values[name] = prepared.info;
        } else {
          values[name] = value;
        }
      }),
    );
    const fields = validateParams(spec, values);
    if (Object.keys(fields).length > 0 && (options.checkBeforeSending ?? true)) {
      throw invalidParameters(fields, spec.label);
    }
    const parts: Part[] = [];
    // Table order: stable on the wire and easy to read in a capture.
    const names = [
      ...spec.params.map((p) => p.name),
      ...Object.keys(values).filter((name) => !findParam(spec, name)),
    ];
    for (const name of names) {
      const value = values[name];
      if (value === undefined) continue;
      const image = images.get(name);
      if (image) parts.push(image.part);
      else if (typeof value === 'string') parts.push({ name, value });
      else if (typeof value === 'number' || typeof value === 'boolean') {
        parts.push({ name, value: String(value) });
      }
    }
    return multipart(parts);
  }

  function specOf(id: EndpointId): EndpointSpec {
    const spec: EndpointSpec | undefined = ENDPOINTS[id];
    if (!spec) throw new Error(`Unknown endpoint ${id}`);
    return spec;
  }

  async function send(
    id: EndpointId,
    params: RequestParams,
    callOptions: CallOptions = {},
  ): Promise<ImageResult> {
    const spec = specOf(id);
    if (spec.method !== 'POST' || spec.async) {
      throw new Error(`${id} is not a synchronous image endpoint; use start() or run()`);
    }
    const accept = callOptions.accept ?? defaultAccept(spec);
    if (accept && !spec.accept.includes(accept)) {
      throw new Error(`${id} does not accept ${accept}`);
    }
    const body = await buildBody(spec, params);
    const response = await exchange(
      'POST',
      spec.path,
      await baseHeaders(accept),
      body,
      callOptions.signal,
    );
    if (response.status !== 200) throw apiError(response, 'POST');
    return imageFrom(response);
  }

  async function start(
    id: EndpointId,
    params: RequestParams,
    callOptions: { signal?: AbortSignal } = {},
  ): Promise<{ id: string }> {
    const spec = specOf(id);
    if (!spec.async) throw new Error(`${id} is not an async endpoint; use send()`);
    const body = await buildBody(spec, params);
    const response = await exchange(
      'POST',
      spec.path,
      await baseHeaders('application/json'),
      body,
      callOptions.signal,
    );
    // The API answers 200 {id}; some async starts answer 202: accept both.
    if (response.status !== 200 && response.status !== 202) throw apiError(response, 'POST');
    let parsed: { id?: unknown };
    try {
      parsed = JSON.parse(response.body.toString('utf8')) as { id?: unknown };
    } catch {
      throw invalidResponse('the job id could not be read', true);
    }
    if (typeof parsed.id !== 'string' || parsed.id.length === 0) {
      throw invalidResponse('no job id', true);
    }
    return { id: parsed.id };
  }

  async function result(
    generationId: string,
    callOptions: CallOptions & { endpoint?: 'results' | 'upscale.creative.result' } = {},
  ): Promise<{ status: 'in-progress' } | { status: 'done'; result: ImageResult }> {
    const spec = specOf(callOptions.endpoint ?? 'results');
    const accept = callOptions.accept ?? defaultAccept(spec);
    if (!/^[A-Za-z0-9_-]+$/.test(generationId) || generationId.length > GENERATION_ID_LENGTH * 2) {
      throw invalidParameters({ id: 'Not a job id.' }, spec.label);
    }
    const path = spec.path.replace('{id}', encodeURIComponent(generationId));
    const response = await exchange(
      'GET',
      path,
      await baseHeaders(accept),
      undefined,
      callOptions.signal,
    );
    if (response.status === 202) return { status: 'in-progress' };
    if (response.status !== 200) throw apiError(response, 'GET');
    return { status: 'done', result: imageFrom(response) };
  }

  async function waitFor(generationId: string, wait: WaitOptions = {}): Promise<ImageResult> {
    const poll = { ...pollDefaults, ...wait };
    const deadline = AbortSignal.timeout(poll.deadlineMs);
    const signal = wait.signal ? AbortSignal.any([wait.signal, deadline]) : deadline;
    const sleep = async (ms: number): Promise<void> => {
      try {
        await delay(ms, undefined, { signal });
      } catch {
        if (wait.signal?.aborted) throw cancelledError(true);
        throw timeoutError(poll.deadlineMs, true);
      }
    };
    let interval = poll.intervalMs;
    let transient = 0;
    let attempt = 0;
    await sleep(poll.firstDelayMs);
    for (;;) {
      attempt += 1;
      try {
        const answer = await result(generationId, {
          ...(wait.accept ? { accept: wait.accept } : {}),
          signal,
        });
        if (answer.status === 'done') return answer.result;
        transient = 0;
        wait.onPoll?.(attempt);
      } catch (error) {
        if (error instanceof StabilityError) {
          if (error.kind === 'cancelled' || (error.kind === 'timeout' && deadline.aborted)) {
            throw wait.signal?.aborted ? cancelledError(true) : timeoutError(poll.deadlineMs, true);
          }
          const retryable = error.kind === 'server_error' || error.kind === 'network';
          if (!retryable || ++transient > poll.maxTransientErrors) throw error;
        } else {
          throw error;
        }
      }
      await sleep(interval);
      interval = Math.min(poll.maxIntervalMs, Math.round(interval * poll.factor));
    }
  }

  async function run(
    id: EndpointId,
    params: RequestParams,
    wait: WaitOptions = {},
  ): Promise<ImageResult> {
    const spec = specOf(id);
    if (!spec.async) return send(id, params, wait);
    const job = await start(id, params, wait.signal ? { signal: wait.signal } : {});
    return waitFor(job.id, wait);
  }

  async function balance(callOptions: { signal?: AbortSignal } = {}): Promise<{ credits: number }> {
    const spec = specOf('account.balance');
    const response = await exchange(
      'GET',
      spec.path,
      await baseHeaders('application/json'),
      undefined,
      callOptions.signal,
    );
    if (response.status !== 200) throw apiError(response, 'GET');
    try {
      const parsed = JSON.parse(response.body.toString('utf8')) as { credits?: unknown };
      if (typeof parsed.credits === 'number') return { credits: parsed.credits };
    } catch {
      // fall through
    }
    throw invalidResponse('no credits in the balance', false);
  }

  async function check(id: EndpointId, params: RequestParams): Promise<Record<string, string>> {
    try {
      await buildBody(specOf(id), params);
      return {};
    } catch (error) {
      if (error instanceof StabilityError) return error.fields;
      throw error;
    }
  }

  return {
    baseUrl,
    send,
    start,
    result,
    waitFor,
    run,
    balance,
    check,
    async close() {
      await ownAgent?.close();
    },
  };
}
