// What an option declaration says about itself when it is written with literals, read without
// evaluating anything: the type (`types.listOf types.str` described as the manual does, "list of
// string"), the description (a string, `mdDoc "…"`), and the default and example (the code as
// written, or the text of a `literalExpression "…"` / `literalMD "…"`).
import { unparenthesize } from './attrShapes';
import { callOf } from './modules';
import { attrName, staticStringValue } from './names';
import type { SyntaxNode } from './syntaxTree';

/** The longest default or example text kept: a default can be a whole file. */
export const LITERAL_TEXT_LIMIT = 4000;

export interface LiteralText {
  /** `expression`: Nix code; `markdown`: prose describing the value. */
  kind: 'expression' | 'markdown';
  text: string;
}

/** Types without arguments, as the NixOS manual describes them. */
const SIMPLE_TYPES: Record<string, string> = {
  bool: 'boolean',
  str: 'string',
  nonEmptyStr: 'non-empty string',
  singleLineStr: '(optionally newline-terminated) single-line string',
  int: 'signed integer',
  float: 'floating point number',
  number: 'signed integer or floating point number',
  port: '16 bit unsigned integer; between 0 and 65535 (both inclusive)',
  path: 'absolute path',
  pathInStore: 'path in the Nix store',
  package: 'package',
  lines: 'strings concatenated with "\\n"',
  commas: 'strings concatenated with ","',
  envVar: 'strings concatenated with ":"',
  attrs: 'attribute set',
  anything: 'anything',
  raw: 'raw value',
  unspecified: 'unspecified value',
  shellPackage: 'shell package',
  submodule: 'submodule',
  deferredModule: 'module',
  unsigned: 'unsigned integer, meaning >=0',
  positive: 'positive integer, meaning >0',
  u8: '8 bit unsigned integer; between 0 and 255 (both inclusive)',
  u16: '16 bit unsigned integer; between 0 and 65535 (both inclusive)',
  u32: '32 bit unsigned integer; between 0 and 4294967295 (both inclusive)',
};

/** Types of one type argument: how the description wraps the argument's. */
const WRAPPING_TYPES: Record<string, (inner: string) => string> = {
  listOf: (inner) => `list of ${inner}`,
  attrsOf: (inner) => `attribute set of ${inner}`,
  lazyAttrsOf: (inner) => `lazy attribute set of ${inner}`,
  nullOr: (inner) => `null or ${inner}`,
  uniq: (inner) => inner,
  unique: (inner) => inner,
  functionTo: (inner) => `function that evaluates to a(n) ${inner}`,
  coercedTo: (inner) => inner,
};

/** How deep a type expression is described; deeper parts are shown as written. */
const MAX_TYPE_DEPTH = 8;

/** The name a type is referred to by: `bool` for `types.bool`, `lib.types.bool` or `bool`. */
function typeName(node: SyntaxNode): string | undefined {
  if (node.type === 'variable_expression') return node.child('name')?.text;
  if (node.type !== 'select_expression') return undefined;
  const attrs = node.child('attrpath')?.childrenOf('attr') ?? [];
  const last = attrs[attrs.length - 1];
  return last ? attrName(last) : undefined;
}

/** The manual's description of a type expression, or the expression as written. */
export function describeType(node: SyntaxNode | undefined, depth = 0): string | undefined {
  const type = unparenthesize(node);
  if (!type) return undefined;
  const written = () => type.text.replace(/\s+/g, ' ').replace(/\b(lib\.)?types\./g, '');
  if (depth > MAX_TYPE_DEPTH) return written();
  if (type.type !== 'apply_expression') {
    const name = typeName(type);
    return (name && SIMPLE_TYPES[name]) ?? written();
  }
  const { head, args } = callOf(type);
  if (!head) return written();
  const wrap = WRAPPING_TYPES[head];
  if (wrap && args.length >= 1) return wrap(describeType(args[args.length - 1], depth + 1) ?? written());
  switch (head) {
    case 'enum': {
      const members = listElements(args[0]);
      if (!members) return written();
      return `one of ${members.map((m) => m.text.replace(/\s+/g, ' ')).join(', ')}`;
    }
    case 'either':
      if (args.length === 2) return `${describeType(args[0], depth + 1)} or ${describeType(args[1], depth + 1)}`;
      return written();
    case 'oneOf': {
      const members = listElements(args[0]);
      return members ? members.map((m) => describeType(m, depth + 1)).join(' or ') : written();
    }
    case 'submodule':
    case 'submoduleWith':
      return 'submodule';
    case 'between':
      return args.length === 2 ? `integer between ${args[0]!.text} and ${args[1]!.text} (both inclusive)` : written();
    case 'strMatching': {
      const pattern = args[0] && stringValue(args[0]);
      return pattern !== undefined ? `string matching the pattern ${pattern}` : written();
    }
    case 'separatedString': {
      const separator = args[0] && stringValue(args[0]);
      return separator !== undefined ? `strings concatenated with ${JSON.stringify(separator)}` : written();
    }
    default:
      return written();
  }
}

function listElements(node: SyntaxNode | undefined): SyntaxNode[] | undefined {
  const list = unparenthesize(node);
  return list?.type === 'list_expression' ? list.children.filter((c) => c.type !== 'comment') : undefined;
}

/** A string literal's value (also through `mdDoc`, `lib.mdDoc`), or undefined. */
export function stringValue(node: SyntaxNode | undefined): string | undefined {
  let value = unparenthesize(node);
  if (value?.type === 'apply_expression') {
    const { head, args } = callOf(value);
    if (head !== 'mdDoc' || args.length !== 1) return undefined;
    value = unparenthesize(args[0]);
  }
  if (!value) return undefined;
  const text = staticStringValue(value);
  if (text === undefined) return undefined;
  return value.type === 'indented_string_expression' ? stripIndentation(text) : text;
}

/** What Nix does to an indented string: the common indentation of its lines goes. */
function stripIndentation(text: string): string {
  const lines = text.split('\n');
  let common = Infinity;
  for (const line of lines) {
    if (line.trim() === '') continue;
    common = Math.min(common, line.length - line.trimStart().length);
  }
  const stripped = lines.map((line) => line.slice(Math.min(common, line.length - line.trimStart().length)));
  // The line break after the opening `''` is not part of the value.
  if (stripped[0] === '') stripped.shift();
  return stripped.join('\n').trimEnd();
}

/**
 * A default or example: the text inside `literalExpression "…"` / `literalMD "…"`, else the code as
 * written (strings shown as Nix writes them).
 */
export function literalText(node: SyntaxNode | undefined): LiteralText | undefined {
  const value = unparenthesize(node);
  if (!value) return undefined;
  if (value.type === 'apply_expression') {
    const { head, args } = callOf(value);
    if ((head === 'literalExpression' || head === 'literalExample' || head === 'literalMD') && args.length === 1) {
      const text = stringValue(args[0]);
      if (text !== undefined) return { kind: head === 'literalMD' ? 'markdown' : 'expression', text: limited(text) };
    }
  }
  return { kind: 'expression', text: limited(value.text) };
}

function limited(text: string): string {
  return text.length > LITERAL_TEXT_LIMIT ? `${text.slice(0, LITERAL_TEXT_LIMIT)}…` : text;
}
