// Reads the package list `nix-env -qa --xml --meta` prints. NUR queries with --xml (with
// --drv-path, which only forces every derivation in that mode on older Nix), so the check does the
// same. Nix's XML writer is regular: one `<item>` per package with its attributes, `<meta>`
// children holding each meta attribute, values escaped as XML attributes.

export interface NixEnvItem {
  attrPath: string;
  name: string;
  pname?: string;
  version?: string;
  drvPath?: string;
  /** `meta` attributes that are plain strings (description, homepage, mainProgram, …). */
  meta: Record<string, string>;
}

const ITEM = /<item\b([^>]*?)(?:\/>|>([\s\S]*?)<\/item>)/g;
const META = /<meta\b([^>]*?)\/?>/g;
const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)="([^"]*)"/g;

/** The items of a `nix-env --xml` answer; undefined when the text is not such an answer. */
export function parseNixEnvXml(xml: string): NixEnvItem[] | undefined {
  if (!/<items\s*\/?>/.test(xml)) return undefined;
  const items: NixEnvItem[] = [];
  for (const match of xml.matchAll(ITEM)) {
    const attributes = attributesOf(match[1]);
    if (attributes.attrPath === undefined) continue;
    const meta: Record<string, string> = {};
    for (const metaMatch of (match[2] ?? '').matchAll(META)) {
      const metaAttributes = attributesOf(metaMatch[1]);
      if (metaAttributes.name !== undefined && metaAttributes.type === 'string' && metaAttributes.value !== undefined) {
        meta[metaAttributes.name] = metaAttributes.value;
      }
    }
    items.push({
      attrPath: attributes.attrPath,
      name: attributes.name ?? attributes.attrPath,
      pname: attributes.pname,
      version: attributes.version,
      drvPath: attributes.drvPath,
      meta,
    });
  }
  return items;
}

function attributesOf(text: string): Record<string, string | undefined> {
  const attributes: Record<string, string | undefined> = {};
  for (const [, key, value] of text.matchAll(ATTRIBUTE)) attributes[key] = unescapeXml(value);
  return attributes;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);/g, (entity, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return NAMED_ENTITIES[body] ?? entity;
  });
}
