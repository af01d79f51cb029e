/**
 * The XMP packet Atelier embeds in JPEG and WebP files: the plain-text parameters (also as
 * dc:description, which image viewers show) and the full recipe JSON.
 */
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

/** Reads our fields back from any XMP packet (ours or one rewritten by another program). */
export function parseXmp(xmp: string): XmpFields {
  const element = (name: string): string | null => {
    const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xmp);
    if (match?.[1] !== undefined) return unescapeXml(match[1]);
    // Some writers turn simple properties into attributes of rdf:Description.
    const attr = new RegExp(`\\s${name}="([^"]*)"`).exec(xmp);
    return attr?.[1] !== undefined ? unescapeXml(attr[1]) : null;
  };
  let parameters = element('atelier:parameters');
  if (parameters === null) {
    // Other tools: a dc:description or exif:UserComment holding the A1111 text.
    for (const name of ['dc:description', 'exif:UserComment']) {
      const block = element(name);
      if (block === null) continue;
      const li = /<rdf:li(?:\s[^>]*)?>([\s\S]*?)<\/rdf:li>/.exec(block);
      parameters = li?.[1] !== undefined ? unescapeXml(li[1]) : block;
      break;
    }
  }
  return { parameters, recipe: element('atelier:recipe') };
}
