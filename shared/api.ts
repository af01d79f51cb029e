/**
 * The one contract between the renderer and the core.
 *
 * Every call the renderer can make and every event it can receive is named here with the schema of
 * its payload. Both shells (Electron IPC and the browser shell's WebSocket) validate every payload
 * against these schemas at the boundary, in the core, and reject the rest with a clear error.
 *
 * No Node, no DOM: this file is imported by the renderer, the core and both shells.
 */
import { z } from 'zod';
import { accountCalls, accountEvents } from './calls/account';
import { appCalls, appEvents } from './calls/app';
import { settingsCalls, settingsEvents } from './calls/settings';
import { createCalls, createEvents } from './calls/create';
import { libraryCalls, libraryEvents } from './calls/library';
import { compareCalls, compareEvents } from './calls/compare';
import { referenceCalls, referenceEvents } from './calls/reference';
import { batchCalls, batchEvents } from './calls/batch';

// ---------------------------------------------------------------------------------------------
// Groups of calls: each lives in shared/calls/<group>.ts with its schemas; this file joins them.

export * from './calls/account';
export * from './calls/app';
export * from './calls/settings';
export * from './calls/create';
export * from './calls/library';
export * from './calls/compare';
export * from './calls/reference';
export * from './calls/batch';
export { Empty } from './calls/common';
export * from './api-address';

// ---------------------------------------------------------------------------------------------
// Calls

/**
 * Every call: its request and response schema. Add a call to its group in shared/calls/, spread the
 * group here, implement it in the core's host (`electron/core/host`), and both shells carry it with
 * no further wiring.
 */
export const calls = {
  ...appCalls,
  ...settingsCalls,
  ...accountCalls,
  ...createCalls,
  ...libraryCalls,
  ...compareCalls,
  ...referenceCalls,
  ...batchCalls,
} as const;

export type CallName = keyof typeof calls;
export type CallRequest<C extends CallName> = z.input<(typeof calls)[C]['request']>;
export type CallResponse<C extends CallName> = z.output<(typeof calls)[C]['response']>;

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(calls, value);
}

// ---------------------------------------------------------------------------------------------
// Events (core -> renderer)

export const events = {
  ...appEvents,
  ...settingsEvents,
  ...accountEvents,
  ...createEvents,
  ...libraryEvents,
  ...compareEvents,
  ...referenceEvents,
  ...batchEvents,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(events, value);
}

// ---------------------------------------------------------------------------------------------
// Results and errors on the wire

/**
 * Why a call failed, as a kind the renderer can act on. `message` is always a plain sentence for
 * the person: what happened and what to do. It never holds a key, a stack trace or a status code
 * alone.
 */
export const ErrorCode = z.enum([
  'invalid_request', // the payload broke the contract
  'unknown_call', // no such call
  'not_available', // this call cannot run here (e.g. a desktop-only feature in the browser shell)
  'internal', // a bug: something the core did not expect
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  /** Field-level problems, e.g. { "concurrency": "must be at most 8" }. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** What the person reads when something failed inside Atelier itself (never the details). */
export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong inside Atelier. Try again; if it keeps happening, restart the app.';

export const CallResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorBody }),
]);
export type CallResult = z.infer<typeof CallResult>;

/** Thrown in the renderer when a call fails; carries the plain sentence for the person. */
export class AtelierError extends Error {
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'AtelierError';
    this.code = body.code;
    this.fields = body.fields;
  }
}

/**
 * What the renderer sees of the core, in either shell: `window.atelier` in Electron (from the
 * preload), a WebSocket client in the browser shell.
 */
export interface AtelierBridge {
  /** Make a call. Resolves with the response value, or rejects with an AtelierError. */
  invoke<C extends CallName>(call: C, request: CallRequest<C>): Promise<CallResponse<C>>;
  /** Listen to an event; returns a function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * The raw shape the Electron preload exposes as `window.atelier`: untyped transport functions.
 * The renderer wraps it into an AtelierBridge; the preload stays tiny and dumb.
 */
export interface PreloadBridge {
  invoke(call: string, request: unknown): Promise<unknown>;
  on(listener: (event: string, payload: unknown) => void): () => void;
  /**
   * Stages a dropped or chosen file by its path on disk (the preload takes it with Electron's
   * webUtils.getPathForFile and hands it to the main process): a CallResult of its InputView, or
   * null when the file has no path (a pasted picture, a File made in the page), which the renderer
   * then uploads as bytes. Absent in the browser shell, which always uploads.
   */
  stageFile?(file: Blob): Promise<unknown>;
}

/** Names of the IPC channels the Electron shell uses (in ./ipc so the preload stays free of zod). */
export { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_STAGE_CHANNEL } from './ipc';
