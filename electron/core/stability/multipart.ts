/**
 * A multipart/form-data body written by hand so files stream from disk in 64 KiB chunks with
 * backpressure, and the length is known up front (content-length, no chunked encoding).
 * (undici's FormData with a file Blob held several copies of a 10 MB file in memory at once.)
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';

export type Part =
  | { readonly name: string; readonly value: string }
  | {
      readonly name: string;
      readonly filename: string;
      readonly type: string;
      readonly size: number;
      readonly path?: string;
      readonly bytes?: Uint8Array;
    };

export interface MultipartBody {
  readonly contentType: string;
  readonly length: number;
  /** A fresh iterator over the body each call. */
  stream(): AsyncGenerator<Uint8Array>;
  /** The whole body in one buffer when it has no file to stream (text-only requests). */
  readonly buffer: Buffer | undefined;
}

/** Quotes a header parameter as browsers do (WHATWG: ", CR and LF percent-encoded). */
function quote(text: string): string {
  return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

const BOUNDARY_PREFIX = `----AtelierFormBoundary${randomBytes(8).toString('hex')}`;
let counter = 0;

const PIECE = 64 * 1024;

export function multipart(parts: readonly Part[]): MultipartBody {
  // Unique per body without asking the OS for randomness on every request.
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  const boundary = `${BOUNDARY_PREFIX}${counter.toString(36)}`;
  const chunks: (Uint8Array | { path: string })[] = [];
  let length = 0;
  let text = '';
  const flush = (): void => {
    if (text === '') return;
    const chunk = Buffer.from(text, 'utf8');
    chunks.push(chunk);
    length += chunk.byteLength;
    text = '';
  };
  for (const part of parts) {
    if ('value' in part) {
      text += `--${boundary}\r\ncontent-disposition: form-data; name="${quote(part.name)}"\r\n\r\n${part.value}\r\n`;
    } else {
      text += `--${boundary}\r\ncontent-disposition: form-data; name="${quote(part.name)}"; filename="${quote(part.filename)}"\r\ncontent-type: ${part.type}\r\n\r\n`;
      flush();
      if (part.bytes) {
        chunks.push(part.bytes);
        length += part.bytes.byteLength;
      } else if (part.path) {
        chunks.push({ path: part.path });
        length += part.size;
      }
      text += '\r\n';
    }
  }
  text += `--${boundary}--\r\n`;
  flush();
  const inMemory = chunks.filter((chunk): chunk is Uint8Array => chunk instanceof Uint8Array);
  const only = inMemory.length === 1 ? inMemory[0] : undefined;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    buffer:
      inMemory.length !== chunks.length
        ? undefined
        : only && Buffer.isBuffer(only)
          ? only
          : Buffer.concat(inMemory),
    async *stream() {
      for (const chunk of chunks) {
        if (chunk instanceof Uint8Array) {
          // In pieces, so the caller can tell how much of a large in-memory file went out.
          for (let at = 0; at < chunk.length; at += PIECE) yield chunk.subarray(at, at + PIECE);
        } else {
          for await (const piece of createReadStream(chunk.path, { highWaterMark: PIECE })) {
            yield piece as Buffer;
          }
        }
      }
    },
  };
}
