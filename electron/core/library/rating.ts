/**
 * Star ratings in the image itself, as `xmp:Rating` (the XMP basic schema), where Lightroom,
 * Bridge, digiKam and exiftool read and write them:
 *
 *   PNG   the XMP packet in the iTXt chunk `XML:com.adobe.xmp` (replaced, or added after IHDR)
 *   JPEG  the XMP packet in its APP1 segment (see jpeg.ts)
 *   WebP  the XMP packet in the RIFF `XMP ` chunk, with the VP8X flag set (see webp.ts)
 *
 * An existing packet is edited in place (the rating replaced, or added to its first
 * rdf:Description), so what other programs wrote stays. Only metadata bytes change: the
 * compressed image data is copied as it is.
 */
import { detectFormat } from './imageinfo';
import { readJpegXmp, setJpegXmp } from './jpeg';
import { isRating } from './format';
import { LIBRARY_LIMITS } from './files';
import { itxtChunk, readPngTexts, setPngTexts } from './png';
import { readWebpXmp, setWebpXmp } from './webp';
import { attributeText, elementText } from './xmp';

/** The PNG keyword of an XMP packet (the XMP specification, part 3). */
export const PNG_XMP_KEYWORD = 'XML:com.adobe.xmp';
export const XMP_BASIC_NS = 'http://ns.adobe.com/xap/1.0/';

/**
 * The rating a packet holds, 0–5, or null when it holds none (or one that is not a number).
 * Lightroom's "rejected" (-1) reads as 0; anything above 5 as 5. Bounded as parseXmp is.
 */
export function parseXmpRating(xmp: string): number | null {
  if (xmp.length > LIBRARY_LIMITS.xmpBytes) return null;
  const raw = elementText(xmp, 'xmp:Rating') ?? quotedAttribute(xmp, 'xmp:Rating');
  if (raw === null) return null;
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value)) return null;
  return Math.min(5, Math.max(0, Math.round(value)));
}

/** An attribute in double quotes (ours) or single quotes (exiftool's). */
function quotedAttribute(xml: string, name: string): string | null {
  const double = attributeText(xml, name);
  if (double !== null) return double;
  const key = `${name}='`;
  const at = xml.indexOf(key);
  if (at < 0) return null;
  const end = xml.indexOf("'", at + key.length);
  return end < 0 ? null : xml.slice(at + key.length, end);
}

/** A packet holding only a rating. */
function ratingPacket(rating: number): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    `  <rdf:Description rdf:about="" xmlns:xmp="${XMP_BASIC_NS}" xmp:Rating="${rating}"/>`,
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

/**
 * `xmp` with its rating set to `rating`: the value replaced where the packet has one (element or
 * attribute), else added as an attribute of its first rdf:Description; a packet of our own when
 * there is none, or it is too large or not one we can edit.
 */
export function setXmpRating(xmp: string | null, rating: number): string {
  if (xmp === null || xmp.length > LIBRARY_LIMITS.xmpBytes) return ratingPacket(rating);
  const element = /<xmp:Rating>[^<]*<\/xmp:Rating>/;
  if (element.test(xmp)) return xmp.replace(element, `<xmp:Rating>${rating}</xmp:Rating>`);
  const attribute = /(\sxmp:Rating=)("[^"]*"|'[^']*')/;
  if (attribute.test(xmp)) return xmp.replace(attribute, `$1"${rating}"`);
  const open = /<rdf:Description(?=[\s>/])/.exec(xmp);
  if (!open) return ratingPacket(rating);
  const declared = /\sxmlns:xmp=("[^"]*"|'[^']*')/.exec(xmp);
  // The prefix must name the XMP basic schema: bound to anything else, the packet is not ours to fix.
  if (declared && declared[1]?.slice(1, -1) !== XMP_BASIC_NS) return ratingPacket(rating);
  const added = `${declared ? '' : ` xmlns:xmp="${XMP_BASIC_NS}"`} xmp:Rating="${rating}"`;
  const at = open.index + open[0].length;
  return `${xmp.slice(0, at)}${added}${xmp.slice(at)}`;
}

/** The XMP packet an image carries, or null (none, or not a PNG, JPEG or WebP we can read). */
export function readImageXmp(bytes: Uint8Array): string | null {
  try {
    const format = detectFormat(bytes);
    if (format === 'png') return readPngTexts(bytes, [PNG_XMP_KEYWORD])[0]?.text ?? null;
    if (format === 'jpeg') return readJpegXmp(bytes);
    if (format === 'webp') return readWebpXmp(bytes);
  } catch {
    // A damaged file carries no rating.
  }
  return null;
}

/** The rating an image carries in its XMP, or null. Never throws. */
export function readImageRating(bytes: Uint8Array): number | null {
  const xmp = readImageXmp(bytes);
  return xmp === null ? null : parseXmpRating(xmp);
}

/**
 * The image with `xmp:Rating` set, its pixels' bytes untouched. Throws when the file is not a PNG,
 * JPEG or WebP whose structure can be rewritten.
 */
export function writeImageRating(bytes: Uint8Array, rating: number): Buffer {
  if (!isRating(rating)) throw new RangeError('a rating is an integer from 0 to 5');
  const format = detectFormat(bytes);
  const xmp = setXmpRating(readImageXmp(bytes), rating);
  if (format === 'png') return setPngTexts(bytes, [itxtChunk(PNG_XMP_KEYWORD, xmp)]);
  if (format === 'jpeg') return setJpegXmp(bytes, xmp);
  if (format === 'webp') return setWebpXmp(bytes, xmp);
  throw new Error('not a PNG, JPEG or WebP file');
}

/** The sidecar's rating field for a picture coming in: its XMP rating, when it carries one. */
export function ratingField(bytes: Uint8Array): { rating?: number } {
  const rating = readImageRating(bytes);
  return rating === null ? {} : { rating };
}
