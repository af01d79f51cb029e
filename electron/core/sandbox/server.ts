/**
 * The Sandbox: a local stand-in for the Stability API on 127.0.0.1 (random port), driven by the same
 * endpoint table as the client. Same wire format, same error shapes and status codes, real images,
 * a credit ledger, a rate limit and fault injection. No key needed beyond the test key, no cost.
 *
 * Keys: any `authorization: Bearer sk-…` of 20 to 200 characters is accepted, except the configured
 * bad keys (by default SANDBOX_BAD_KEY). SANDBOX_API_KEY is the documented key that always works.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { openImage } from '../images/open';
import {
  ASYNC_FAILURE_STATUS,
  GENERATION_ID_LENGTH,
  IMAGE_CONTENT_TYPES,
  MAX_REQUEST_BYTES,
  RATE_LIMIT,
  RESULT_RETENTION_MS,
  SEED_MAX,
  creditCost,
  findEndpoint,
  findParam,
  validateParams,
  type EndpointSpec,
  type ImageFormat,
  type ImageInfo,
  type ParamValue,
} from '../../../shared/endpoints';
import { faultsFromEnv, type Faults } from './faults';
import { random } from './images';
import { render, type RenderRequest, type Rendered } from './render';

/** The key that always works in the Sandbox (tests and the app's Sandbox mode use it). */
export const SANDBOX_API_KEY = 'sk-sandbox-atelier-000000000000000000000000000000000000';
/** A key the Sandbox refuses with 401 (by default). */
export const SANDBOX_BAD_KEY = 'sk-sandbox-bad-key-0000000000000000000000000000000000000';

export interface Triggers {
  /** A prompt containing one of these words -> 403 content_moderation (not charged). */
  moderation: string[];
  /** -> 200 with finish-reason CONTENT_FILTERED and a blurred picture (charged). */
  filtered: string[];
  /** -> 422 public_figure. */
  publicFigure: string[];
  /** -> 422 invalid_language. */
  invalidLanguage: string[];
}

export const DEFAULT_TRIGGERS: Triggers = {
  moderation: ['sandbox-moderate'],
  filtered: ['sandbox-filter'],
  publicFigure: ['sandbox-public-figure'],
  invalidLanguage: ['sandbox-language'],
};

export interface SandboxOptions {
  /** Port to listen on (default 0: a free one). Always 127.0.0.1. */
  port?: number;
  /** Credits at the start (default 1000). */
  startingCredits?: number;
  /** Keys refused with 401 (default [SANDBOX_BAD_KEY]). */
  badKeys?: string[];
  /** Requests per window per key, then a lockout (default from the table: 150 / 10 s / 60 s). */
  rateLimit?: { requests: number; windowMs: number; lockoutMs: number };
  /** Largest request body (default 10 MiB from the table). */
  maxRequestBytes?: number;
  triggers?: Partial<Triggers>;
  /** How many polls of an async job answer 202 before the result (default 2; see faults.asyncMs). */
  pollsBeforeDone?: number;
  /** Faults at the start (default: ATELIER_SANDBOX_FAULTS). */
  faults?: Faults;
  /** The clock (tests can move time). */
  now?: () => number;
  /** How long results are kept (default 24 h). */
  retentionMs?: number;
  /** How many recent requests to keep in `requests` (default 500). */
  recordLimit?: number;
  /**
   * Keep each file part's bytes in `requests` (default false: only name, type and size), so a test
   * can decode what went on the wire (a mask, which picture went to which field).
   */
  recordFileBytes?: boolean;
}

export interface RecordedField {
  name: string;
  kind: 'text' | 'file';
  /** Text fields: the value. */
  value?: string;
  /** File parts: filename, content type and size. */
  filename?: string;
  type?: string;
  size?: number;
  /** File parts' bytes, when the Sandbox was started with `recordFileBytes`. */
  bytes?: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Request headers; `authorization` is replaced by its scheme and `[redacted]`. */
  headers: Record<string, string>;
  /** The multipart fields in the order they came. */
  fields: RecordedField[];
  status: number;
  /** The client went away before the answer (e.g. cancelled mid-upload). */
  aborted: boolean;
  /** Body bytes received. */
  bytesReceived: number;
}

export interface LedgerEntry {
  endpoint: string;
  credits: number;
  at: number;
}

export interface Ledger {
  readonly balance: number;
  readonly entries: readonly LedgerEntry[];
  set(credits: number): void;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:43117 — pass as the client's baseUrl. */
  readonly url: string;
  readonly port: number;
  readonly ledger: Ledger;
  /** Recent requests as the Sandbox saw them, oldest first. */
  readonly requests: readonly RecordedRequest[];
  setFaults(faults: Faults): void;
  /** Called when a request starts (before its body is read). Returns an unsubscribe function. */
  onRequest(listener: (request: RecordedRequest) => void): () => void;
  close(): Promise<void>;
}

interface Job {
  key: string;
  createdAt: number;
  polls: number;
  rendered: Promise<Rendered>;
  filtered: boolean;
  seed: number;
  /** Fails after it started (faults.asyncFail): every poll answers 500. */
  fails: boolean;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function isPlausibleKey(key: string): boolean {
  return key.startsWith('sk-') && key.length >= 20 && key.length <= 200;
}

/** Reads the whole body; keeps at most `limit` bytes (the rest is drained and counted). */
function readBody(
  req: IncomingMessage,
  limit: number,
  onBytes: (total: number) => void,
): Promise<{ body: Buffer; total: number; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      onBytes(total);
      if (total <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve({ body: Buffer.concat(chunks), total, tooLarge: total > limit });
    });
    req.on('aborted', () => reject(new Error('aborted')));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('aborted'));
    });
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const badKeys = new Set(options.badKeys ?? [SANDBOX_BAD_KEY]);
  const rate = options.rateLimit ?? RATE_LIMIT;
  const maxBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const triggers: Triggers = { ...DEFAULT_TRIGGERS, ...options.triggers };
  const pollsBeforeDone = options.pollsBeforeDone ?? 2;
  const retentionMs = options.retentionMs ?? RESULT_RETENTION_MS;
  const recordLimit = options.recordLimit ?? 500;
  let faults: Faults = options.faults ?? faultsFromEnv();
  let rng = random(faults.seed ?? 1);

  let balance = options.startingCredits ?? 1000;
  const entries: LedgerEntry[] = [];
  const ledger: Ledger = {
    get balance() {
      return balance;
    },
    get entries() {
      return entries;
    },
    set(credits: number) {
      balance = credits;
    },
  };
  const charge = (spec: EndpointSpec, credits: number): void => {
    balance = Math.round((balance - credits) * 1000) / 1000;
    entries.push({ endpoint: spec.id, credits, at: now() });
  };

  const requests: RecordedRequest[] = [];
  const listeners = new Set<(request: RecordedRequest) => void>();
  const windows = new Map<string, number[]>();
  const lockedUntil = new Map<string, number>();
  const jobs = new Map<string, Job>();

  // The same request makes the same picture: keep the last few (tests and benches repeat a lot).
  const cache = new Map<string, Promise<Rendered>>();
  function renderCached(request: RenderRequest): Promise<Rendered> {
    const hash = createHash('sha256');
    hash.update(JSON.stringify([request.spec.id, request.text, request.seed, request.format]));
    hash.update(request.filtered ? 'filtered' : 'clean');
    for (const [name, file] of Object.entries(request.files)) hash.update(name).update(file.bytes);
    const key = hash.digest('hex');
    const hit = cache.get(key);
    if (hit) return hit;
    const made = render(request);
    made.catch(() => cache.delete(key));
    cache.set(key, made);
    if (cache.size > 8) cache.delete(cache.keys().next().value as string);
    return made;
  }

  // --- answers ---------------------------------------------------------------------------------

  function json(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-request-id': hex(16),
      ...headers,
    });
    res.end(text);
  }

  function fail(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    name: string,
    errors: string[],
    headers: Record<string, string> = {},
  ): void {
    // v1 answers {id,name,message}; v2beta answers {id,name,errors} (stability-api.md §2.5, §5).
    const body = record.path.startsWith('/v1/')
      ? { id: hex(16), name, message: errors.join(' ') }
      : { id: name === 'rate_limit_exceeded' ? name : hex(16), name, errors };
    json(res, record, status, body, headers);
  }

  async function sendBody(
    res: ServerResponse,
    record: RecordedRequest,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    record.status = 200;
    const socket: Socket | null = res.socket;
    res.writeHead(200, { ...headers, 'content-length': body.length, 'x-request-id': hex(16) });
    const half = Math.floor(body.length / 2);
    if (faults.reset && rng() < faults.reset) {
      res.write(body.subarray(0, half), () => socket?.destroy());
      return;
    }
    if (faults.truncate && rng() < faults.truncate) {
      res.write(body.subarray(0, half), () => socket?.end());
      return;
    }
    if (faults.slowChunkDelayMs) {
      const step = 16 * 1024;
      for (let offset = 0; offset < body.length; offset += step) {
        if (res.destroyed) return;
        res.write(body.subarray(offset, offset + step));
        await delay(faults.slowChunkDelayMs);
      }
      res.end();
      return;
    }
    res.end(body);
  }

  async function sendImage(
    res: ServerResponse,
    record: RecordedRequest,
    accept: string,
    rendered: Rendered,
    seed: number,
    filtered: boolean,
  ): Promise<void> {
    const type = IMAGE_CONTENT_TYPES[rendered.format];
    const finishReason = filtered ? 'CONTENT_FILTERED' : 'SUCCESS';
    // faults.omitHeaders: the answer says neither how the job finished nor which seed it used.
    const bare = faults.omitHeaders !== undefined && rng() < faults.omitHeaders;
    if (accept === 'application/json') {
      const body = Buffer.from(
        JSON.stringify({
          image: rendered.bytes.toString('base64'),
          ...(bare ? {} : { finish_reason: finishReason, seed }),
        }),
      );
      await sendBody(res, record, { 'content-type': `application/json; type=${type}` }, body);
      return;
    }
    await sendBody(
      res,
      record,
      bare
        ? { 'content-type': type }
        : { 'content-type': type, 'finish-reason': finishReason, seed: String(seed) },
      rendered.bytes,
    );
  }

  // --- checks ----------------------------------------------------------------------------------

  /** Counts the request; answers the wait in ms when the key is over its limit. */
  function rateLimited(key: string): number | undefined {
    const t = now();
    const until = lockedUntil.get(key) ?? 0;
    if (until > t) return until - t;
    const recent = (windows.get(key) ?? []).filter((at) => at > t - rate.windowMs);
    recent.push(t);
    windows.set(key, recent);
    if (recent.length > rate.requests) {
      lockedUntil.set(key, t + rate.lockoutMs);
      windows.set(key, []);
      return rate.lockoutMs;
    }
    return undefined;
  }

  function triggered(list: readonly string[], text: Readonly<Record<string, string>>): boolean {
    const words = list.map((w) => w.toLowerCase());
    return Object.entries(text).some(
      ([name, value]) =>
        /prompt$/.test(name) && words.some((word) => value.toLowerCase().includes(word)),
    );
  }

  async function imageFacts(bytes: Buffer): Promise<ImageInfo> {
    try {
      const meta = await openImage(bytes).metadata();
      return {
        kind: 'image',
        width: meta.width,
        height: meta.height,
        bytes: bytes.length,
        format: meta.format,
      };
    } catch {
      return { kind: 'image', bytes: bytes.length, format: 'unknown' };
    }
  }

  // --- the handler -----------------------------------------------------------------------------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(', ') : value;
      headers[name] =
        name === 'authorization' ? `${text.split(/\s+/)[0] ?? ''} [redacted]`.trim() : text;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers,
      fields: [],
      status: 0,
      aborted: false,
      bytesReceived: 0,
    };
    requests.push(record);
    if (requests.length > recordLimit) requests.splice(0, requests.length - recordLimit);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    for (const listener of listeners) listener(record);

    if (faults.latencyMs) await delay(faults.latencyMs);
    if (res.destroyed || req.destroyed) {
      record.aborted = true;
      return;
    }

    const method = record.method.toUpperCase();
    const match = findEndpoint(method, url.pathname);
    const drain = async (): Promise<boolean> => {
      try {
        const { total } = await readBody(req, 0, (n) => (record.bytesReceived = n));
        record.bytesReceived = total;
        return true;
      } catch {
        record.aborted = true;
        return false;
      }
    };

    if (!match) {
      if (!(await drain())) return;
      fail(res, record, 404, 'not_found', [`path: ${method} ${url.pathname} does not exist`]);
      return;
    }
    const { spec } = match;

    const key = bearer(req.headers.authorization);
    if (!key) {
      if (!(await drain())) return;
      fail(res, record, 401, 'unauthorized', ['authorization: missing authorization header']);
      return;
    }
    if (!isPlausibleKey(key) || badKeys.has(key)) {
      if (!(await drain())) return;
      fail(res, record, 401, 'unauthorized', ['authorization: invalid API key']);
      return;
    }
    const forced429 = faults.error429 !== undefined && rng() < faults.error429;
    const wait = forced429 ? rate.lockoutMs : rateLimited(key);
    if (wait !== undefined) {
      if (!(await drain())) return;
      fail(
        res,
        record,
        429,
        'rate_limit_exceeded',
        [
          `You have exceeded the rate limit of ${rate.requests} requests within a ${rate.windowMs / 1000} second period, and have been timed out for ${rate.lockoutMs / 1000} seconds.`,
        ],
        faults.noRetryAfter ? {} : { 'retry-after': String(Math.ceil(wait / 1000)) },
      );
      return;
    }
    if (faults.error500 && rng() < faults.error500) {
      if (!(await drain())) return;
      fail(res, record, 500, 'internal_error', [
        'An unexpected server error has occurred, please try again later.',
      ]);
      return;
    }
    if (faults.error503 && rng() < faults.error503) {
      if (!(await drain())) return;
      fail(res, record, 503, 'service_unavailable', [
        'The service is temporarily unavailable, please try again later.',
      ]);
      return;
    }

    const acceptHeader = (req.headers.accept ?? '').split(',')[0]?.trim() ?? '';
    const accept = acceptHeader === '' ? (spec.accept[0] ?? '*/*') : acceptHeader;
    if (spec.accept.length > 0 && !spec.accept.includes(accept)) {
      if (!(await drain())) return;
      fail(res, record, 400, 'bad_request', [`accept: must be one of ${spec.accept.join(', ')}`]);
      return;
    }

    if (method === 'GET') {
      if (spec.id === 'account.balance') {
        json(res, record, 200, { credits: balance });
        return;
      }
      const id = match.id ?? '';
      const job = jobs.get(id);
      if (!job || job.key !== key || now() - job.createdAt > retentionMs) {
        if (job && now() - job.createdAt > retentionMs) jobs.delete(id);
        fail(res, record, 404, 'generation_not_found', [
          'id: the generation either does not exist or has expired.',
        ]);
        return;
      }
      if (job.fails) {
        fail(res, record, ASYNC_FAILURE_STATUS, 'internal_error', [
          'An unexpected server error has occurred, please try again later.',
        ]);
        return;
      }
      const running =
        faults.asyncMs !== undefined
          ? now() - job.createdAt < faults.asyncMs
          : job.polls < pollsBeforeDone;
      if (running) {
        job.polls += 1;
        json(res, record, 202, { id, status: 'in-progress' });
        return;
      }
      const rendered = await job.rendered;
      await sendImage(
        res,
        record,
        accept === '*/*' ? 'image/*' : accept,
        rendered,
        job.seed,
        job.filtered,
      );
      return;
    }

    // POST: multipart only.
    const contentType = req.headers['content-type'] ?? '';
    const announced = Number(req.headers['content-length'] ?? NaN);
    if (faults.resetOversize && announced > maxBytes) {
      // A proxy's way with a body that is too large: the connection breaks halfway through it.
      record.aborted = true;
      await new Promise<void>((resolve) => {
        let seen = 0;
        req.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          record.bytesReceived = seen;
          if (seen >= announced / 2) {
            req.socket.destroy();
            resolve();
          }
        });
        req.on('close', () => resolve());
      });
      return;
    }
    let body: Buffer;
    try {
      const read = await readBody(req, maxBytes, (n) => (record.bytesReceived = n));
      record.bytesReceived = read.total;
      if (read.tooLarge) {
        fail(res, record, 413, 'payload_too_large', [
          `body: payloads cannot be larger than ${Math.round(maxBytes / 1024 / 1024) || maxBytes}${maxBytes >= 1024 * 1024 ? 'MiB' : ' bytes'} in size`,
        ]);
        return;
      }
      body = read.body;
    } catch {
      record.aborted = true;
      return;
    }
    if (!contentType) {
      fail(res, record, 400, 'bad_request', ['content-type: required']);
      return;
    }
    if (!/^multipart\/form-data\s*;\s*boundary=/i.test(contentType)) {
      fail(res, record, 400, 'bad_request', ['content-type: must be multipart/form-data']);
      return;
    }
    let form: FormData;
    try {
      const parsing = new Request('http://sandbox.invalid/', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
      // The Sandbox reads bodies of at most 10 MiB whole anyway; the built-in parser is enough here.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      form = await parsing.formData();
    } catch {
      fail(res, record, 400, 'bad_request', ['body: could not be read as multipart/form-data']);
      return;
    }

    const text: Record<string, string> = {};
    const files: Record<string, { bytes: Buffer; info: ImageInfo }> = {};
    const values: Record<string, ParamValue> = {};
    const duplicates: string[] = [];
    for (const [name, value] of form.entries()) {
      if (name in values) duplicates.push(name);
      if (typeof value === 'string') {
        record.fields.push({ name, kind: 'text', value });
        text[name] = value;
        values[name] = value;
      } else {
        const bytes = Buffer.from(await value.arrayBuffer());
        record.fields.push({
          name,
          kind: 'file',
          filename: value.name,
          type: value.type,
          size: bytes.length,
          ...(options.recordFileBytes === true ? { bytes } : {}),
        });
        if (name === 'none') continue;
        const info = await imageFacts(bytes);
        files[name] = { bytes, info };
        values[name] = info;
      }
    }
    const fields = validateParams(spec, values, { ignore: ['none'] });
    for (const name of duplicates) fields[name] ??= 'Given more than once.';
    if (Object.keys(fields).length > 0) {
      fail(
        res,
        record,
        400,
        'bad_request',
        Object.entries(fields).map(([field, message]) => `${field}: ${message}`),
      );
      return;
    }

    if (triggered(triggers.moderation, text)) {
      fail(res, record, 403, 'content_moderation', [
        'Your request was flagged by our content moderation system, as a result your request was denied and you were not charged.',
      ]);
      return;
    }
    if (triggered(triggers.publicFigure, text)) {
      fail(res, record, 422, 'public_figure', [
        'Our system detected the likeness of a public figure in your image. To comply with our guidelines, this request cannot be processed. Please upload a different image.',
      ]);
      return;
    }
    if (triggered(triggers.invalidLanguage, text)) {
      fail(res, record, 422, 'invalid_language', [
        'English is the only supported language for this service.',
      ]);
      return;
    }

    const cost = creditCost(spec, values);
    if (balance < cost) {
      fail(res, record, 402, 'payment_required', [
        `credits: this request costs ${cost} credits and the account has ${balance}. Add credits to continue.`,
      ]);
      return;
    }

    const askedSeed = Number(text.seed ?? '0');
    // As the API: seed 0 or none means a random seed, so the same prompt twice gives two pictures.
    const seed = askedSeed > 0 ? askedSeed : randomInt(1, SEED_MAX + 1);
    const formatParam = findParam(spec, 'output_format');
    const format = (text.output_format ?? formatParam?.default ?? 'png') as ImageFormat;
    const filtered = triggered(triggers.filtered, text);
    const renderRequest = { spec, text, files, seed, format, filtered };

    if (spec.async) {
      for (const [old, job] of jobs) {
        if (now() - job.createdAt > retentionMs) jobs.delete(old);
      }
      const id = hex(GENERATION_ID_LENGTH / 2);
      const rendered = renderCached(renderRequest);
      rendered.catch(() => undefined);
      const fails = faults.asyncFail !== undefined && rng() < faults.asyncFail;
      jobs.set(id, { key, createdAt: now(), polls: 0, rendered, filtered, seed, fails });
      charge(spec, cost);
      json(res, record, 200, { id });
      return;
    }

    const rendered = await renderCached(renderRequest);
    if (res.destroyed) return;
    charge(spec, cost);
    await sendImage(res, record, accept, rendered, seed, filtered);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: hex(16),
            name: 'internal_error',
            errors: ['An unexpected server error has occurred, please try again later.'],
          }),
        );
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ledger,
    requests,
    setFaults(next: Faults) {
      faults = { ...next };
      rng = random(next.seed ?? 1);
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
