/**
 * The boundary between a transport (Electron IPC, the browser shell's WebSocket) and the core.
 *
 * Every incoming call is checked against the contract in shared/api.ts before any handler sees it;
 * every answer is a CallResult. Nothing that comes in can crash the core: a bad payload gets a plain
 * sentence back, a handler's unexpected failure becomes an 'internal' error (logged, not leaked).
 */
import type { z } from 'zod';
import { fieldsFromIssues, PlainError, shownName } from '../errors';
import {
  calls,
  INTERNAL_ERROR_MESSAGE,
  isCallName,
  type CallName,
  type CallResponse,
  type CallResult,
} from '../../../shared/api';
import { requestOutOfBounds } from './bounds';

/** The core's implementation of every call, given an already validated request. */
export type Handlers = {
  [C in CallName]: (request: z.output<(typeof calls)[C]['request']>) => Promise<CallResponse<C>>;
};

/**
 * zod's wording where it reads badly to a person or would echo the payload: a missing field is
 * "Required" (not "expected string, received undefined"), and unknown fields are named, shortened,
 * at most three of them.
 */
function plainIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined
      ? 'Required'
      : `Expected ${issue.expected}, not ${kindOf(issue.input)}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.slice(0, 3).map((key) => `"${shownName(key)}"`);
    const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : '';
    return `Unknown field${issue.keys.length === 1 ? '' : 's'} ${shown.join(', ')}${more}`;
  }
  return undefined;
}

/** What a value is, in a word (zod's own guess reads an object's `constructor`, which a payload sets). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

export interface DispatchOptions {
  /** Called with unexpected handler errors (bugs). Must not receive secrets; messages are not sent out. */
  onInternalError?: (call: string, error: unknown) => void;
}

export type Dispatch = (call: unknown, request: unknown) => Promise<CallResult>;

export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (call, request) => {
    if (!isCallName(call)) {
      // Never String(call): an object whose toString is not a function makes it throw.
      const named = typeof call === 'string' ? `the request "${shownName(call)}"` : 'that request';
      return {
        ok: false,
        error: {
          code: 'unknown_call',
          message: `Atelier does not know ${named}. Update the app, then try again.`,
        },
      };
    }
    // Before any schema looks at it: a huge or deep payload costs the schema time and memory.
    const outOfBounds = requestOutOfBounds(request);
    if (outOfBounds !== null) {
      return {
        ok: false,
        error: {
          code: 'too_large',
          message: `Atelier could not do "${call}" because the request is too large: ${outOfBounds}.`,
        },
      };
    }
    const spec = calls[call];
    const parsed = spec.request.safeParse(request ?? {}, { error: plainIssue });
    if (!parsed.success) {
      const fields = fieldsFromIssues(parsed.error.issues);
      return {
        ok: false,
        error: {
          code: 'invalid_request',
          message: `Atelier could not do "${call}": ${describeFields(fields)}.`,
          fields,
        },
      };
    }
    try {
      const handler = handlers[call] as (req: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      return { ok: true, value: spec.response.parse(value) };
    } catch (error) {
      if (error instanceof PlainError) return { ok: false, error: error.toBody() };
      options.onInternalError?.(call, error);
      return {
        ok: false,
        error: {
          code: 'internal',
          message: INTERNAL_ERROR_MESSAGE,
        },
      };
    }
  };
}

function describeFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .slice(0, 3)
    .map(([field, message]) => (field === '(request)' ? message : `${field}: ${message}`))
    .join('; ');
}
