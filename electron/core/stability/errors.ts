/**
 * Every way a call to Stability can fail, as one typed error per kind. Each carries a plain sentence
 * for an artist (what happened and what to do). No error ever holds the API key or the
 * authorization header: messages are built here from known words and the API's own field messages,
 * and every text that came from outside is passed through `redact` first.
 */
import { SERVER_ERRORS_NOT_PROCESSED } from '../../../shared/endpoints';

export type StabilityErrorKind =
  /** Our own check against the endpoint table failed: nothing was sent, nothing was charged. */
  | 'invalid_parameters'
  | 'bad_request'
  | 'unauthorized'
  | 'payment_required'
  | 'content_moderation'
  | 'not_found'
  | 'too_large'
  | 'validation'
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'timeout'
  | 'cancelled'
  /** The answer could not be read (not the documented shape). */
  | 'invalid_response'
  /** A picture came without a finish reason Atelier knows: not a success, not saved. */
  | 'unknown_finish';

export interface StabilityErrorInit {
  kind: StabilityErrorKind;
  message: string;
  /** What the person can do, as a sentence (also part of `message`). */
  action: string;
  status?: number;
  /** The API's `name` (e.g. `content_moderation`, `public_figure`). */
  apiName?: string;
  /** The API's request id, for support. */
  requestId?: string;
  /** Field name -> message, from the API's `errors` or from our own check. */
  fields?: Record<string, string>;
  /** How long to wait before trying again (rate limit). */
  retryAfterMs?: number;
  /** The request reached Stability and may have been charged (never resend without asking). */
  mayHaveBeenCharged?: boolean;
}

export class StabilityError extends Error {
  readonly kind: StabilityErrorKind;
  readonly action: string;
  readonly status: number | undefined;
  readonly apiName: string | undefined;
  readonly requestId: string | undefined;
  readonly fields: Record<string, string>;
  readonly retryAfterMs: number | undefined;
  readonly mayHaveBeenCharged: boolean;

  constructor(init: StabilityErrorInit) {
    super(init.message);
    this.name = 'StabilityError';
    this.kind = init.kind;
    this.action = init.action;
    this.status = init.status;
    this.apiName = init.apiName;
    this.requestId = init.requestId;
    this.fields = init.fields ?? {};
    this.retryAfterMs = init.retryAfterMs;
    this.mayHaveBeenCharged = init.mayHaveBeenCharged ?? false;
  }

  /** The shape of shared/api.ts ApiErrorBody: `code` is the kind, `fields` when there are some. */
  toApiError(): { code: string; message: string; fields?: Record<string, string> } {
    return Object.keys(this.fields).length > 0
      ? { code: this.kind, message: this.message, fields: this.fields }
      : { code: this.kind, message: this.message };
  }

  /** A plain object safe to log or send to the renderer (no stack, no cause, no secrets). */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      action: this.action,
      status: this.status,
      apiName: this.apiName,
      requestId: this.requestId,
      fields: this.fields,
      retryAfterMs: this.retryAfterMs,
      mayHaveBeenCharged: this.mayHaveBeenCharged,
    };
  }
}

/** Removes anything that looks like a key or an authorization header from outside text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out
    .replace(/bearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/authorization\s*[:=]\s*\S+/gi, 'authorization: [redacted]')
    .replace(/sk-[A-Za-z0-9_-]{4,}/g, 'sk-[redacted]');
}

const seconds = (ms: number): string =>
  ms % 1000 === 0 ? `${ms / 1000} seconds` : `${(ms / 1000).toFixed(1)} seconds`;

function make(
  kind: StabilityErrorKind,
  what: string,
  action: string,
  extra: Omit<StabilityErrorInit, 'kind' | 'message' | 'action'> = {},
): StabilityError {
  return new StabilityError({ kind, message: `${what} ${action}`, action, ...extra });
}

/** Our own check failed; nothing was sent. */
export function invalidParameters(fields: Record<string, string>, label: string): StabilityError {
  const list = Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join(' ');
  return make(
    'invalid_parameters',
    `Some settings for ${label} are not accepted (${list}).`,
    'Fix them and try again; nothing was sent and nothing was charged.',
    { fields },
  );
}

/** Turns the API's `errors` list ("field: message") into field messages. */
export function fieldsFromApiErrors(errors: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of errors) {
    const match = /^\s*([A-Za-z0-9_.[\]-]+)\s*:\s*(.+)$/s.exec(line);
    const field = match?.[1] ?? '(request)';
    const message = match?.[2] ?? line;
    fields[field] = fields[field] ? `${fields[field]} ${message}` : message;
  }
  return fields;
}

export interface ApiErrorInfo {
  status: number;
  /** The request's method: a GET (a poll, the balance) is never charged. */
  method?: 'GET' | 'POST';
  apiName?: string;
  requestId?: string;
  messages: string[];
  retryAfterMs?: number;
}

/** The error for an HTTP error answer from Stability (or the Sandbox). */
export function fromStatus(
  info: ApiErrorInfo,
  defaultRateWaitMs: number,
  notProcessed: readonly number[] = SERVER_ERRORS_NOT_PROCESSED,
): StabilityError {
  const { status } = info;
  const said = info.messages.join(' ');
  const base = { status, apiName: info.apiName, requestId: info.requestId };
  if (status === 400) {
    const fields = fieldsFromApiErrors(info.messages);
    return make(
      'bad_request',
      `Stability did not accept the request${said ? ` (${said})` : ''}.`,
      'Check the settings and try again.',
      { ...base, fields },
    );
  }
  if (status === 401) {
    return make(
      'unauthorized',
      'Stability did not accept your API key.',
      'Check the key in Settings (it starts with "sk-"), or make a new one at platform.stability.ai.',
      base,
    );
  }
  if (status === 402) {
    return make(
      'payment_required',
      'Your Stability account is out of credits.',
      'Add credits at platform.stability.ai, then try again.',
      base,
    );
  }
  if (status === 403) {
    return make(
      'content_moderation',
      "Stability's content filter refused this request; you were not charged.",
      'Change the prompt or the image, then try again.',
      base,
    );
  }
  if (status === 404) {
    return make(
      'not_found',
      'Stability has no such result: it has expired (results are kept 24 hours) or was made with another key.',
      'Run the job again.',
      base,
    );
  }
  if (status === 413) {
    return make(
      'too_large',
      'The request was too big for Stability (at most 10 MB in all).',
      'Use a smaller image, or save it as JPEG, then try again.',
      base,
    );
  }
  if (status === 422) {
    const action =
      info.apiName === 'invalid_language'
        ? 'Write the prompt in English, then try again.'
        : info.apiName === 'public_figure'
          ? 'Use a picture without a recognisable public figure, then try again.'
          : 'Change the prompt or the image, then try again.';
    return make(
      'validation',
      `Stability could not work with this request${said ? ` (${said})` : ''}.`,
      action,
      { ...base, fields: fieldsFromApiErrors(info.messages) },
    );
  }
  if (status === 429) {
    const wait = info.retryAfterMs ?? defaultRateWaitMs;
    return make(
      'rate_limited',
      `Too many requests in a short time: Stability paused this key for ${seconds(wait)}.`,
      `Wait ${seconds(wait)}, then try again.`,
      { ...base, retryAfterMs: wait },
    );
  }
  if (status >= 500) {
    // What the queue does follows from mayHaveBeenCharged, so the sentence and the queue agree.
    if (notProcessed.includes(status) || info.method === 'GET') {
      return make(
        'server_error',
        info.method === 'GET'
          ? `Stability had a problem on its side (error ${status}); asking again costs nothing.`
          : `Stability could not take the request just now (error ${status}), so nothing was charged.`,
        'Try again in a few minutes.',
        { ...base, mayHaveBeenCharged: false },
      );
    }
    return make(
      'server_error',
      `Stability had a problem on its side (error ${status}) after the request arrived, so it may have been charged.`,
      'Check your credits at platform.stability.ai before you send it again.',
      { ...base, mayHaveBeenCharged: true },
    );
  }
  return make(
    'invalid_response',
    `Stability answered in a way Atelier does not understand (status ${status}).`,
    'Try again; if it keeps happening, check the API address in Settings.',
    { ...base, mayHaveBeenCharged: true },
  );
}

export function networkError(host: string, midBody: boolean, charged: boolean): StabilityError {
  return midBody
    ? make(
        'network',
        `The connection to ${host} broke before the whole answer arrived.`,
        'Check your internet connection, then try again.',
        { mayHaveBeenCharged: charged },
      )
    : make(
        'network',
        `Atelier could not reach ${host}.`,
        'Check your internet connection (or the API address in Settings), then try again.',
        { mayHaveBeenCharged: charged },
      );
}

export function timeoutError(ms: number, charged: boolean): StabilityError {
  return make(
    'timeout',
    `Stability took too long to answer (more than ${seconds(ms)}).`,
    'Try again; if it keeps happening, check your internet connection.',
    { mayHaveBeenCharged: charged },
  );
}

export function cancelledError(charged: boolean): StabilityError {
  return make('cancelled', 'The request was cancelled.', 'Start it again when you are ready.', {
    mayHaveBeenCharged: charged,
  });
}

export function invalidResponse(detail: string, charged: boolean): StabilityError {
  return make(
    'invalid_response',
    `Stability sent an answer Atelier could not read (${detail}).`,
    'Try again; if it keeps happening, check the API address in Settings.',
    { mayHaveBeenCharged: charged },
  );
}

/** A picture that came without a finish reason Atelier knows (see FINISH_REASONS). */
export function unknownFinish(reason: string | undefined): StabilityError {
  return make(
    'unknown_finish',
    reason === undefined
      ? 'Stability sent a picture without saying whether it finished properly (no finish reason), so Atelier did not keep it.'
      : `Stability sent a picture that finished as "${reason.slice(0, 40)}", which Atelier does not know, so it did not keep it.`,
    'It may have been charged: check your credits at platform.stability.ai before you send it again.',
    { mayHaveBeenCharged: true },
  );
}

export function unreadableImage(field: string, detail: string): StabilityError {
  return make(
    'invalid_parameters',
    `The file for ${field} could not be read as an image (${detail}).`,
    'Choose a PNG, JPEG or WebP file and try again; nothing was sent.',
    { fields: { [field]: 'This file could not be read as an image.' } },
  );
}
