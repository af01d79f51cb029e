/**
 * The XMP packet Atelier embeds in JPEG and WebP files: the plain-text parameters (also as
 * dc:description, which image viewers show) and the full recipe JSON.
 */
import { LIBRARY_LIMITS } from './files';

export const ATELIER_XMP_NS = 'https://atelier.invalid/ns/xmp/1.0/';

export interface XmpFields {
  parameters: string | null;
  recipe: string | null;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_all, entity: string) => {
    if (entity === 'amp') return '&';
    if (entity === 'lt') return '<';
    if (entity === 'gt') return '>';
    if (entity === 'quot') return '"';
    if (entity === 'apos') return "'";
    const code = entity.startsWith('#x')
      ? parseInt(entity.slice(2), 16)
      : parseInt(entity.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

export function buildXmp(fields: XmpFields): string {
  const lines = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    `  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atelier="${ATELIER_XMP_NS}">`,
  ];
  if (fields.parameters !== null) {
    const p = escapeXml(fields.parameters);
    lines.push(
      `   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${p}</rdf:li></rdf:Alt></dc:description>`,
      `   <atelier:parameters>${p}</atelier:parameters>`,
    );
  }
  if (fields.recipe !== null) {
    lines.push(`   <atelier:recipe>${escapeXml(fields.recipe)}</atelier:recipe>`);
  }
  lines.push('  </rdf:Description>', ' </rdf:RDF>', '</x:xmpmeta>', '<?xpacket end="w"?>');
  return lines.join('\n');
}

/**
 * The text of the first `<name …>…</name>` element from `from` on, or null. Linear: each
 * `indexOf` moves forward only, and when the first opening tag has no closing tag, no later one
 * has either. (The regular expression this replaces took quadratic time on a packet full of
 * unclosed tags: 25 s for 2 MB.)
 */
export function elementText(xml: string, name: string): string | null {
  const open = `<${name}`;
  let at = xml.indexOf(open);
  while (at >= 0) {
    const next = xml.charCodeAt(at + open.length);
    // `>`, `/` or whitespace ends the name; anything else is a longer name (e.g. dc:descriptionX).
    if (next === 0x3e || next === 0x2f || next === 0x20 || (next >= 0x09 && next <= 0x0d)) break;
    at = xml.indexOf(open, at + open.length);
  }
  if (at < 0) return null;
  const gt = xml.indexOf('>', at + open.length);
  if (gt < 0 || xml.charCodeAt(gt - 1) === 0x2f) return null;
  const close = xml.indexOf(`</${name}>`, gt + 1);
  return close < 0 ? null : xml.slice(gt + 1, close);
}

/** The value of the first ` name="…"` attribute, or null. Linear, like elementText. */
export function attributeText(xml: string, name: string): string | null {
  const key = `${name}="`;
  let at = xml.indexOf(key);
  while (at >= 0 && (at === 0 || !/\s/.test(xml.charAt(at - 1)))) {
    at = xml.indexOf(key, at + key.length);
  }
  if (at < 0) return null;
  const end = xml.indexOf('"', at + key.length);
  return end < 0 ? null : xml.slice(at + key.length, end);
}

/**
 * Reads our fields back from any XMP packet (ours or one rewritten by another program). A packet
 * larger than LIBRARY_LIMITS.xmpBytes is not read (ours are a few kilobytes).
 */
export function parseXmp(xmp: string): XmpFields {
  if (xmp.length > LIBRARY_LIMITS.xmpBytes) return { parameters: null, recipe: null };
  const element = (name: string): string | null => {
    const text = elementText(xmp, name);
    if (text !== null) return unescapeXml(text);
    // Some writers turn simple properties into attributes of rdf:Description.
    const attr = attributeText(xmp, name);
    return attr !== null ? unescapeXml(attr) : null;
  };
  let parameters = element('atelier:parameters');
  if (parameters === null) {
    // Other tools: a dc:description or exif:UserComment holding the A1111 text.
    for (const name of ['dc:description', 'exif:UserComment']) {
      const block = element(name);
      if (block === null) continue;
      const li = elementText(block, 'rdf:li');
      parameters = li !== null ? unescapeXml(li) : block;
      break;
    }
  }
  return { parameters, recipe: element('atelier:recipe') };
}
