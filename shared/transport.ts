/**
 * The browser shell's wire protocol: JSON messages over one WebSocket at /api?token=TOKEN on the
 * same origin as the page. The Electron shell carries the same calls over IPC instead (see
 * IPC_INVOKE_CHANNEL in api.ts). Both end in the core's dispatch, which validates every payload.
 */
import { z } from 'zod';
import { CallResult } from './api';

/** The path of the WebSocket endpoint; the token travels as the `token` query parameter. */
export const WS_PATH = '/api';

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
