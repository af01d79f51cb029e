/**
 * A small PNG chunk reader/writer: enough to put our text chunks right after IHDR (where every
 * reader, sharp/libvips included, sees them) and to read tEXt/zTXt/iTXt back.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { LIBRARY_LIMITS } from './files';

export interface PngChunk {
  type: string;
  data: Buffer;
}

export interface PngText {
  keyword: string;
  text: string;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** More chunks than any real PNG has (libpng writes 8 KiB IDATs: 12,800 for 100 MB). */
const MAX_CHUNKS = 65_536;

export function readPngChunks(bytes: Uint8Array): PngChunk[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error('not a PNG file');
  }
  const chunks: PngChunk[] = [];
  let o = 8;
  while (o + 12 <= buf.length) {
    if (chunks.length >= MAX_CHUNKS) throw new Error('PNG has more chunks than a picture has');
    const length = buf.readUInt32BE(o);
    const type = buf.toString('latin1', o + 4, o + 8);
    if (o + 12 + length > buf.length) throw new Error('PNG chunk runs past the end of the file');
    chunks.push({ type, data: buf.subarray(o + 8, o + 8 + length) });
    o += 12 + length;
    if (type === 'IEND') break;
  }
  return chunks;
}

export function writePngChunks(chunks: readonly PngChunk[]): Buffer {
  const parts: Buffer[] = [SIGNATURE];
  for (const chunk of chunks) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(chunk.data.length, 0);
    head.write(chunk.type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(chunk.data, crc32(head.subarray(4, 8))) >>> 0, 0);
    parts.push(head, chunk.data, crc);
  }
  return Buffer.concat(parts);
}

function isLatin1(text: string): boolean {
  // tEXt is Latin-1 without control characters other than newline.
  return /^[\n\x20-\x7e\xa0-\xff]*$/.test(text);
}

/** tEXt when the text is Latin-1, otherwise uncompressed iTXt (as PIL and A1111 do). */
export function textChunk(keyword: string, text: string): PngChunk {
  if (isLatin1(text)) {
    return {
      type: 'tEXt',
      data: Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.from(text, 'latin1')]),
    };
  }
  return itxtChunk(keyword, text);
}

/** An iTXt chunk: keyword, flags, empty language and translated keyword, UTF-8 text. */
export function itxtChunk(keyword: string, text: string, compress = false): PngChunk {
  const body = Buffer.from(text, 'utf8');
  return {
    type: 'iTXt',
    data: Buffer.concat([
      Buffer.from(`${keyword}\0`, 'latin1'),
      Buffer.from([compress ? 1 : 0, 0, 0, 0]),
      compress ? deflateSync(body) : body,
    ]),
  };
}

const isTextChunk = (chunk: PngChunk) =>
  chunk.type === 'tEXt' || chunk.type === 'zTXt' || chunk.type === 'iTXt';

/** The keyword of a text chunk, read without decoding its text. */
export function textKeyword(chunk: PngChunk): string | null {
  const nul = chunk.data.indexOf(0);
  return nul > 0 && nul < 80 ? chunk.data.toString('latin1', 0, nul) : null;
}

/**
 * Inflates at most LIBRARY_LIMITS.textChunkBytes: a zip bomb (a 1 MB chunk that inflates to
 * 1 GB) stops at the limit with an error instead of filling the memory.
 */
function inflateBounded(data: Buffer): Buffer {
  return inflateSync(data, { maxOutputLength: LIBRARY_LIMITS.textChunkBytes });
}

/** The text of a tEXt/zTXt/iTXt chunk; null when it is damaged or larger than the limit. */
export function decodeTextChunk(chunk: PngChunk): PngText | null {
  const data = chunk.data;
  const keyword = textKeyword(chunk);
  if (keyword === null || data.length > LIBRARY_LIMITS.textChunkBytes) return null;
  const nul = keyword.length;
  try {
    if (chunk.type === 'tEXt') return { keyword, text: data.toString('latin1', nul + 1) };
    if (chunk.type === 'zTXt') {
      return { keyword, text: inflateBounded(data.subarray(nul + 2)).toString('latin1') };
    }
    if (chunk.type === 'iTXt') {
      const compressed = data[nul + 1] === 1;
      let o = nul + 3;
      const langEnd = data.indexOf(0, o);
      if (langEnd < 0) return null;
      const transEnd = data.indexOf(0, langEnd + 1);
      if (transEnd < 0) return null;
      o = transEnd + 1;
      const body = data.subarray(o);
      return { keyword, text: (compressed ? inflateBounded(body) : body).toString('utf8') };
    }
  } catch {
    return null;
  }
  return null;
}

/** The chunk types tEXt, zTXt and iTXt as big-endian numbers (compared without a string). */
const TEXT_TYPES = new Set([0x74455874, 0x7a545874, 0x69545874]);

/** Whether the `length` bytes at `at` start with `prefix` (a short keyword: a plain loop is fastest). */
function startsWith(buf: Buffer, at: number, length: number, prefix: Buffer): boolean {
  if (length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[at + i] !== prefix[i]) return false;
  return true;
}

/**
 * The first text chunk of each of `keywords`, decoded. One pass over the chunk headers that makes
 * nothing for the chunks it passes (a file of 65,000 tiny chunks costs a few milliseconds), and
 * only the chunks asked for are decoded (a thousand compressed chunks cost no more than two).
 */
export function readPngTexts(bytes: Uint8Array, keywords: readonly string[]): PngText[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  const wanted = keywords.map((k) => Buffer.from(`${k}\0`, 'latin1'));
  const texts: PngText[] = [];
  let o = 8;
  for (let n = 0; n < MAX_CHUNKS && o + 12 <= buf.length && wanted.length > 0; n++) {
    const length = buf.readUInt32BE(o);
    const type = buf.readUInt32BE(o + 4);
    const data = o + 8;
    if (data + length + 4 > buf.length) break;
    if (TEXT_TYPES.has(type)) {
      const at = wanted.findIndex((k) => startsWith(buf, data, length, k));
      if (at >= 0) {
        wanted.splice(at, 1);
        const chunk = {
          type: buf.toString('latin1', o + 4, o + 8),
          data: buf.subarray(data, data + length),
        };
        const text = decodeTextChunk(chunk);
        if (text) texts.push(text);
      }
    }
    if (type === 0x49454e44) break; // IEND
    o = data + length + 4;
  }
  return texts;
}

/**
 * Returns the PNG with the given text chunks placed right after IHDR, replacing any existing text
 * chunk with the same keyword. Pixel data is untouched.
 */
export function setPngTexts(bytes: Uint8Array, texts: readonly PngChunk[]): Buffer {
  const chunks = readPngChunks(bytes);
  const first = chunks[0];
  if (first?.type !== 'IHDR') throw new Error('PNG does not start with IHDR');
  const keywords = new Set(texts.map(textKeyword));
  const kept = chunks
    .slice(1)
    .filter((chunk) => !isTextChunk(chunk) || !keywords.has(textKeyword(chunk)));
  return writePngChunks([first, ...texts, ...kept]);
}
