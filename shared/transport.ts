/**
 * The browser shell's wire protocol: JSON messages over one WebSocket at /api on the same origin as
 * the page, which proves itself with the session credential in the WebSocket subprotocol list (never
 * in a URL, never in a cookie). The Electron shell carries the same calls over IPC instead (see
 * IPC_INVOKE_CHANNEL in api.ts). Both end in the core's dispatch, which validates every payload.
 */
import { z } from 'zod';
import { CallResult } from './api';

/** The path of the WebSocket endpoint. */
export const WS_PATH = '/api';

/**
 * How the browser shell's page gets its credential: it is opened at `/#code=CODE` with a one-time
 * code (the only secret that ever appears in a process list or an address bar, and only until it
 * is used), and POSTs `{ code }` here; the answer is `{ token }`, kept in sessionStorage (which is
 * the page's origin's own, port included).
 */
export const SESSION_PATH = '/session';
export const SessionRequest = z.object({ code: z.string().min(1).max(200) }).strict();
export const SessionAnswer = z.object({ token: z.string().min(1).max(200) });

/** The subprotocol the socket speaks; the server chooses it. */
export const WS_PROTOCOL = 'atelier';
/** The credential rides in a second offered subprotocol: `atelier.token.<token>`. */
export const WS_TOKEN_PROTOCOL_PREFIX = 'atelier.token.';

/** Renderer -> core. */
export const ClientMessage = z
  .object({
    type: z.literal('call'),
    /** Chosen by the client, echoed in the result. */
    id: z.number().int().nonnegative(),
    call: z.string().max(200),
    request: z.unknown(),
  })
  .strict();
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Core -> renderer. */
export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int().nonnegative(), result: CallResult }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
  /** A message the server could not read at all (not JSON, wrong shape); the socket stays open. */
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** The largest message either side accepts (bytes). Image uploads use their own HTTP route later. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
