/**
 * Sending a file's bytes to the core from the browser shell, where one WebSocket message is at most
 * 1 MiB: the bytes go as base64 chunks of at most UPLOAD_CHUNK_CHARS characters, in order.
 * (In Electron a dropped file is sent by its path instead.)
 */
import { UPLOAD_CHUNK_CHARS } from '../../shared/api';

/** Raw bytes per chunk so that its base64 fits UPLOAD_CHUNK_CHARS. */
const CHUNK_BYTES = (UPLOAD_CHUNK_CHARS / 4) * 3;

function base64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

/** Calls `send` for each chunk of `bytes`, one after another, with its offset and base64 data. */
export async function sendInChunks(
  bytes: Uint8Array,
  send: (chunk: { offset: number; data: string }) => Promise<unknown>,
): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
    await send({ offset, data: base64(bytes.subarray(offset, offset + CHUNK_BYTES)) });
  }
}
