// What the index keeps of a NixOS or Home Manager option, normalised from the shapes
// `options.json` has had over the years: descriptions as markdown strings, `mdDoc` objects or
// DocBook; defaults and examples as `literalExpression`/`literalMD`/`literalDocBook` or, in old
// files, as plain JSON values; declarations as paths or `{ name, url }` objects.

export type OptionTextKind = 'expression' | 'markdown' | 'docbook';

export interface OptionValueText {
  /** `expression`: Nix code; `markdown`/`docbook`: prose describing the value. */
  kind: OptionTextKind;
  text: string;
}

export interface OptionDeclaration {
  /** Relative to the source root (`nixos/modules/…`), or `<nixpkgs/…>`, or as given. */
  name: string;
  url?: string;
  /**
   * The file or directory as the evaluating Nix named it, when that is an absolute path (the
   * options of a workspace configuration, declared in store copies of its inputs).
   */
  path?: string;
}

/** The module file a declaration's path names: a module imported as a directory is its `default.nix`. */
export function declarationFile(path: string): string {
  return path.endsWith('.nix') ? path : `${path.replace(/\/+$/, '')}/default.nix`;
}

export interface OptionRecord {
  type?: string;
  description?: string;
  /** DocBook for descriptions from before nixpkgs switched to markdown. */
  descriptionFormat?: 'markdown' | 'docbook';
  default?: OptionValueText;
  example?: OptionValueText;
  readOnly?: boolean;
  declarations?: OptionDeclaration[];
  /** Attribute paths of related packages, dotted. */
  relatedPackages?: string[];
}

export interface OptionInfo extends OptionRecord {
  /** The option's path, one entry per attribute (`"net.ipv4.ip_forward"` stays one part). */
  loc: string[];
  /** The workspace configurations whose evaluated options it comes from (`nixosConfigurations.box`). */
  configurations?: string[];
}

/** The longest default or example text kept; a few option defaults are whole files. */
export const OPTION_VALUE_LIMIT = 4000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The option's path: its `loc` when present, else the name split with quotes respected. */
export function optionLoc(name: string, raw: unknown): string[] {
  if (isObject(raw) && Array.isArray(raw.loc) && raw.loc.length > 0 && raw.loc.every((p) => typeof p === 'string')) {
    return raw.loc as string[];
  }
  return splitOptionName(name);
}

/** Splits `boot.kernel.sysctl."net.ipv4.ip_forward"` into its four parts. */
export function splitOptionName(name: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (quoted) {
      if (c === '\\' && i + 1 < name.length) current += name[++i];
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === '.') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

export function toOptionRecord(raw: unknown): OptionRecord {
  const option = isObject(raw) ? raw : {};
  const record: OptionRecord = {};
  if (typeof option.type === 'string') record.type = option.type;
  const description = descriptionText(option.description);
  if (description) {
    record.description = description.text;
    if (description.docbook) record.descriptionFormat = 'docbook';
  }
  if ('default' in option) record.default = valueText(option.default);
  if ('example' in option) record.example = valueText(option.example);
  if (option.readOnly === true) record.readOnly = true;
  const declarations = normaliseDeclarations(option.declarations);
  if (declarations.length) record.declarations = declarations;
  const related = relatedPackagePaths(option.relatedPackages);
  if (related.length) record.relatedPackages = related;
  return record;
}

function descriptionText(value: unknown): { text: string; docbook: boolean } | undefined {
  let text: string | undefined;
  let docbook = false;
  if (typeof value === 'string') text = value;
  else if (isObject(value) && typeof value.text === 'string') {
    text = value.text;
    docbook = value._type === 'literalDocBook' || value._type === 'docbook';
  }
  if (!text?.trim()) return undefined;
  // Before the markdown switch descriptions were DocBook fragments without a marker.
  if (!docbook && /<(para|literal|link|option|filename|command|programlisting|itemizedlist|emphasis|xref|varname|code)\b/.test(text)) docbook = true;
  return { text: text.trim(), docbook };
}

function valueText(value: unknown): OptionValueText | undefined {
  if (isObject(value) && typeof value._type === 'string' && typeof value.text === 'string') {
    const kind: OptionTextKind =
      value._type === 'literalMD' || value._type === 'mdDoc' ? 'markdown' : value._type === 'literalDocBook' ? 'docbook' : 'expression';
    return { kind, text: cap(value.text) };
  }
  if (value === undefined) return undefined;
  // Old files: a plain JSON value, shown as the Nix value it stands for.
  return { kind: 'expression', text: cap(jsonToNix(value, '')) };
}

function cap(text: string): string {
  return text.length > OPTION_VALUE_LIMIT ? `${text.slice(0, OPTION_VALUE_LIMIT)}\n…` : text;
}

/** Renders a JSON value as Nix syntax (`{ a = 1; }`, `[ "x" ]`). */
export function jsonToNix(value: unknown, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/\$\{/g, '\\${');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[\n${value.map((v) => inner + jsonToNix(v, inner)).join('\n')}\n${indent}]`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{ }';
    const name = (k: string) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(k) ? k : JSON.stringify(k));
    return `{\n${keys.map((k) => `${inner}${name(k)} = ${jsonToNix(value[k], inner)};`).join('\n')}\n${indent}}`;
  }
  return String(value);
}

const STORE_PATH = /^\/nix\/store\/[0-9a-z]{32}-[^/]+\//;

function normaliseDeclarations(value: unknown): OptionDeclaration[] {
  if (!Array.isArray(value)) return [];
  const result: OptionDeclaration[] = [];
  for (const item of value) {
    if (typeof item === 'string') {
      result.push(item.startsWith('/') ? { name: item.replace(STORE_PATH, ''), path: item } : { name: item });
    } else if (isObject(item) && typeof item.name === 'string') {
      const declaration: OptionDeclaration = { name: item.name.replace(STORE_PATH, '') };
      if (typeof item.url === 'string') declaration.url = item.url;
      result.push(declaration);
    }
  }
  return result;
}

function relatedPackagePaths(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const result: string[] = [];
  for (const item of value) {
    if (typeof item === 'string') result.push(item);
    else if (Array.isArray(item) && item.every((p) => typeof p === 'string')) result.push(item.join('.'));
    else if (isObject(item)) {
      const path = item.path;
      if (typeof path === 'string') result.push(path);
      else if (Array.isArray(path) && path.every((p) => typeof p === 'string')) result.push(path.join('.'));
    }
  }
  return result;
}
