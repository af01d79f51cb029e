/**
 * A small PNG chunk reader/writer: enough to put our text chunks right after IHDR (where every
 * reader, sharp/libvips included, sees them) and to read tEXt/zTXt/iTXt back.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';

export interface PngChunk {
  type: string;
  data: Buffer;
}

export interface PngText {
  keyword: string;
  text: string;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function readPngChunks(bytes: Uint8Array): PngChunk[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error('not a PNG file');
  }
  const chunks: PngChunk[] = [];
  let o = 8;
  while (o + 12 <= buf.length) {
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

export function decodeTextChunk(chunk: PngChunk): PngText | null {
  const data = chunk.data;
  const nul = data.indexOf(0);
  if (nul <= 0) return null;
  const keyword = data.toString('latin1', 0, nul);
  try {
    if (chunk.type === 'tEXt') return { keyword, text: data.toString('latin1', nul + 1) };
    if (chunk.type === 'zTXt') {
      return { keyword, text: inflateSync(data.subarray(nul + 2)).toString('latin1') };
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
      return { keyword, text: (compressed ? inflateSync(body) : body).toString('utf8') };
    }
  } catch {
    return null;
  }
  return null;
}

export function readPngTexts(bytes: Uint8Array): PngText[] {
  const texts: PngText[] = [];
  for (const chunk of readPngChunks(bytes)) {
    if (chunk.type === 'tEXt' || chunk.type === 'zTXt' || chunk.type === 'iTXt') {
      const text = decodeTextChunk(chunk);
      if (text) texts.push(text);
    }
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
  const keywords = new Set(texts.map((t) => decodeTextChunk(t)?.keyword));
  const kept = chunks.slice(1).filter((chunk) => {
    if (chunk.type !== 'tEXt' && chunk.type !== 'zTXt' && chunk.type !== 'iTXt') return true;
    return !keywords.has(decodeTextChunk(chunk)?.keyword);
  });
  return writePngChunks([first, ...texts, ...kept]);
}
