/**
 * WebP: XMP lives in an `XMP ` chunk of an extended (VP8X) RIFF container. A simple (VP8/VP8L)
 * file is turned into an extended one by adding the VP8X header; the image data is untouched.
 */
import { LIBRARY_LIMITS } from './files';
import { ascii, imageInfo, u32le } from './imageinfo';

interface RiffChunk {
  fourcc: string;
  data: Buffer;
}

/** Far more chunks than a WebP file has (an animation has one per frame). */
const MAX_CHUNKS = 65_536;
const FLAG_XMP = 0x04;
const FLAG_ALPHA = 0x10;

function readRiffChunks(bytes: Uint8Array): RiffChunk[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(buf, 0, 4) !== 'RIFF' || ascii(buf, 8, 4) !== 'WEBP')
    throw new Error('not a WebP file');
  const end = Math.min(buf.length, u32le(buf, 4) + 8);
  const chunks: RiffChunk[] = [];
  let o = 12;
  while (o + 8 <= end) {
    if (chunks.length >= MAX_CHUNKS) throw new Error('WebP has more chunks than a picture has');
    const fourcc = ascii(buf, o, 4);
    const size = u32le(buf, o + 4);
    if (o + 8 + size > end) throw new Error('WebP chunk runs past the end of the file');
    chunks.push({ fourcc, data: buf.subarray(o + 8, o + 8 + size) });
    o += 8 + size + (size % 2);
  }
  return chunks;
}

function writeRiff(chunks: readonly RiffChunk[]): Buffer {
  const parts: Buffer[] = [];
  let size = 4;
  for (const chunk of chunks) {
    const head = Buffer.alloc(8);
    head.write(chunk.fourcc, 0, 'latin1');
    head.writeUInt32LE(chunk.data.length, 4);
    parts.push(head, chunk.data);
    size += 8 + chunk.data.length;
    if (chunk.data.length % 2 === 1) {
      parts.push(Buffer.alloc(1));
      size += 1;
    }
  }
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(size, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, ...parts]);
}

export function readWebpXmp(bytes: Uint8Array): string | null {
  const chunk = readRiffChunks(bytes).find((c) => c.fourcc === 'XMP ');
  if (!chunk || chunk.data.length > LIBRARY_LIMITS.xmpBytes) return null;
  return chunk.data.toString('utf8');
}

export function setWebpXmp(bytes: Uint8Array, xmp: string): Buffer {
  const chunks = readRiffChunks(bytes).filter((c) => c.fourcc !== 'XMP ');
  const first = chunks[0];
  if (!first) throw new Error('empty WebP file');
  let vp8x: RiffChunk;
  if (first.fourcc === 'VP8X') {
    vp8x = { fourcc: 'VP8X', data: Buffer.from(first.data) };
    chunks.shift();
  } else {
    const info = imageInfo(bytes);
    if (!info) throw new Error('unreadable WebP header');
    const data = Buffer.alloc(10);
    data[0] = info.hasAlpha || chunks.some((c) => c.fourcc === 'ALPH') ? FLAG_ALPHA : 0;
    data.writeUIntLE(info.width - 1, 4, 3);
    data.writeUIntLE(info.height - 1, 7, 3);
    vp8x = { fourcc: 'VP8X', data };
  }
  vp8x.data[0] = (vp8x.data[0] ?? 0) | FLAG_XMP;
  return writeRiff([vp8x, ...chunks, { fourcc: 'XMP ', data: Buffer.from(xmp, 'utf8') }]);
}
