/**
 * The boundary between a transport (Electron IPC, the browser shell's WebSocket) and the core.
 *
 * Every incoming call is checked against the contract in shared/api.ts before any handler sees it;
 * every answer is a CallResult. Nothing that comes in can crash the core: a bad payload gets a plain
 * sentence back, a handler's unexpected failure becomes an 'internal' error (logged, not leaked).
 */
import type { z } from 'zod';
import { fieldsFromIssues, PlainError } from '../errors';
import {
  calls,
  INTERNAL_ERROR_MESSAGE,
  isCallName,
  type CallName,
  type CallResponse,
  type CallResult,
} from '../../../shared/api';

/** The core's implementation of every call, given an already validated request. */
export type Handlers = {
  [C in CallName]: (request: z.output<(typeof calls)[C]['request']>) => Promise<CallResponse<C>>;
};

export interface DispatchOptions {
  /** Called with unexpected handler errors (bugs). Must not receive secrets; messages are not sent out. */
  onInternalError?: (call: string, error: unknown) => void;
}

export type Dispatch = (call: unknown, request: unknown) => Promise<CallResult>;

export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (call, request) => {
    if (!isCallName(call)) {
      return {
        ok: false,
        error: {
          code: 'unknown_call',
          message: `Atelier does not know the request "${String(call).slice(0, 80)}". Update the app, then try again.`,
        },
      };
    }
    const spec = calls[call];
    const parsed = spec.request.safeParse(request ?? {});
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
