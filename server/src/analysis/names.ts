// Names in Nix source: identifiers, attribute names written as strings, and how to write a name back.
import type { SyntaxNode } from './syntaxTree';

/** Words the Nix grammar reserves; they cannot name a variable. */
export const NIX_KEYWORDS: ReadonlySet<string> = new Set(['assert', 'else', 'if', 'in', 'inherit', 'let', 'or', 'rec', 'then', 'with']);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** Whether `name` can be written as a bare identifier (variable or attribute). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !NIX_KEYWORDS.has(name);
}

/** `name` as it must be written in an attribute path: bare when possible, quoted otherwise. */
export function formatAttrName(name: string): string {
  return isIdentifier(name) ? name : quoteString(name);
}

/** A Nix double-quoted string literal holding exactly `value`. */
export function quoteString(value: string): string {
  return `"${value.replace(/[\\"\n\r\t]|\$\{/g, (m) => STRING_ESCAPES[m] ?? m)}"`;
}

const STRING_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '${': '\\${' };

/** The value of a double-quoted string's escape sequence (`\n`, `\"`, `\$`). */
function unescapeDouble(sequence: string): string {
  const c = sequence.slice(1);
  if (c === 'n') return '\n';
  if (c === 't') return '\t';
  if (c === 'r') return '\r';
  return c;
}

/**
 * The literal value of a string node without interpolations, or undefined when the string is
 * built at run time (`"${x}"`). Handles both `"…"` and `''…''` strings.
 */
export function staticStringValue(node: SyntaxNode): string | undefined {
  if (node.type !== 'string_expression' && node.type !== 'indented_string_expression') return undefined;
  const indented = node.type === 'indented_string_expression';
  let value = '';
  for (const part of node.children) {
    if (part.type === 'string_fragment') value += part.text;
    else if (part.type === 'escape_sequence') value += indented ? unescapeIndented(part.text) : unescapeDouble(part.text);
    else if (part.type === 'dollar_escape') value += indented ? '$' : '$';
    else if (part.type === 'comment') continue;
    else return undefined;
  }
  return value;
}

function unescapeIndented(sequence: string): string {
  // `''$` is a literal `$`, `'''` a literal `''`, `''\n` an escaped character.
  if (sequence === "'''") return "''";
  if (sequence.startsWith("''\\")) return unescapeDouble(sequence.slice(2));
  return sequence.slice(2);
}

/**
 * The name an attribute node stands for: an identifier, a string without interpolation, or an
 * interpolation of such a string (`${"a"}` is as static as `a`). Undefined when the name is only
 * known at evaluation time.
 */
export function attrName(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'string_expression':
      return staticStringValue(node);
    case 'interpolation': {
      const inner = node.child('expression');
      return inner ? staticStringValue(inner) : undefined;
    }
    default:
      return undefined;
  }
}
