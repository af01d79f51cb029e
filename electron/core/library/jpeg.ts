/**
 * JPEG: the XMP packet lives in an APP1 segment headed by the XMP namespace. We insert it after
 * the leading APP0/APP1 (JFIF/Exif) segments and never touch the compressed image data.
 * Also reads the EXIF UserComment where A1111 puts its parameters in JPEG files.
 */
import { LIBRARY_LIMITS } from './files';

const XMP_HEADER = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
const MAX_SEGMENT = 0xffff - 2;

interface Segment {
  marker: number;
  start: number;
  end: number;
  payloadStart: number;
}

/** The marker segments before the image data (up to SOS). */
function headerSegments(buf: Buffer): Segment[] {
  if (buf[0] !== 0xff || buf[1] !== 0xd8) throw new Error('not a JPEG file');
  const segments: Segment[] = [];
  const end = Math.min(buf.length, LIBRARY_LIMITS.jpegHeaderBytes);
  let o = 2;
  for (let step = 0; o + 4 <= end && step < LIBRARY_LIMITS.jpegHeaderSteps; step++) {
    if (buf[o] !== 0xff) throw new Error('JPEG marker expected');
    const marker = buf[o + 1] ?? 0;
    if (marker === 0xff) {
      o += 1;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break;
    const length = buf.readUInt16BE(o + 2);
    segments.push({ marker, start: o, end: o + 2 + length, payloadStart: o + 4 });
    o += 2 + length;
  }
  return segments;
}

function isXmpSegment(buf: Buffer, s: Segment): boolean {
  return (
    s.marker === 0xe1 &&
    buf.subarray(s.payloadStart, s.payloadStart + XMP_HEADER.length).equals(XMP_HEADER)
  );
}

export function readJpegXmp(bytes: Uint8Array): string | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const s of headerSegments(buf)) {
    if (isXmpSegment(buf, s))
      return buf.toString('utf8', s.payloadStart + XMP_HEADER.length, Math.min(s.end, buf.length));
  }
  return null;
}

/** Returns the JPEG with `xmp` as its (only) XMP segment. Throws if the packet is too large. */
export function setJpegXmp(bytes: Uint8Array, xmp: string): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const payload = Buffer.concat([XMP_HEADER, Buffer.from(xmp, 'utf8')]);
  if (payload.length > MAX_SEGMENT) throw new Error('XMP packet too large for one JPEG segment');
  const segment = Buffer.alloc(4);
  segment[0] = 0xff;
  segment[1] = 0xe1;
  segment.writeUInt16BE(payload.length + 2, 2);
  const segments = headerSegments(buf);
  const kept = segments.filter((s) => !isXmpSegment(buf, s));
  // After the leading JFIF/Exif segments, before everything else.
  let at = 0;
  while (at < kept.length && (kept[at]?.marker === 0xe0 || kept[at]?.marker === 0xe1)) at++;
  const headerEnd = segments.length > 0 ? (segments[segments.length - 1]?.end ?? 2) : 2;
  const parts: Buffer[] = [buf.subarray(0, 2)];
  kept.forEach((s, i) => {
    if (i === at) parts.push(segment, payload);
    parts.push(buf.subarray(s.start, s.end));
  });
  if (at >= kept.length) parts.push(segment, payload);
  parts.push(buf.subarray(headerEnd));
  return Buffer.concat(parts);
}

/** The EXIF UserComment (tag 0x9286) as text, if any. */
export function readJpegUserComment(bytes: Uint8Array): string | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const s of headerSegments(buf)) {
    if (s.marker !== 0xe1) continue;
    if (!buf.subarray(s.payloadStart, s.payloadStart + 6).equals(EXIF_HEADER)) continue;
    try {
      return userCommentFromTiff(buf.subarray(s.payloadStart + 6, s.end));
    } catch {
      return null;
    }
  }
  return null;
}

function userCommentFromTiff(tiff: Buffer): string | null {
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const findTag = (ifd: number, tag: number): { count: number; value: number } | null => {
    const n = u16(ifd);
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      if (u16(e) === tag) return { count: u32(e + 4), value: u32(e + 8) };
    }
    return null;
  };
  const exifPtr = findTag(u32(4), 0x8769);
  if (!exifPtr) return null;
  const comment = findTag(exifPtr.value, 0x9286);
  if (!comment || comment.count < 8) return null;
  const raw = tiff.subarray(comment.value, comment.value + comment.count);
  const code = raw.toString('latin1', 0, 8).replace(/\0+$/, '');
  const body = raw.subarray(8);
  if (code === 'UNICODE') {
    // The byte order is not fixed by the standard in practice: guess from the zero bytes.
    let evenZeros = 0;
    let oddZeros = 0;
    for (let i = 0; i + 1 < body.length && i < 200; i += 2) {
      if (body[i] === 0) evenZeros++;
      if (body[i + 1] === 0) oddZeros++;
    }
    const le = oddZeros >= evenZeros;
    const copy = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
    if (!le) copy.swap16();
    return copy.toString('utf16le').replace(/\0+$/, '');
  }
  return body.toString(code === 'ASCII' ? 'latin1' : 'utf8').replace(/\0+$/, '');
}
