// Nix string literals in a syntax tree — `"…"`, `''…''` and the old unquoted URL literals
// (`github:NixOS/nixpkgs`) — their value, where their text sits, and the edit that gives one a
// new value without touching anything around it.
import type { Node } from 'web-tree-sitter';
import type { Range, TextEdit } from 'vscode-languageserver-types';

export interface StringLiteral {
  /** The literal text; interpolations contribute nothing. */
  readonly value: string;
  /** False when the string contains `${…}`, so `value` is not the whole story. */
  readonly literal: boolean;
  /** `"…"`, `''…''`, or an unquoted URL literal. */
  readonly style: 'double' | 'indented' | 'bare';
  /** The whole literal, delimiters included. */
  readonly range: Range;
  /** Between the delimiters: what an edit replaces to change the value. */
  readonly contentRange: Range;
  /** False while the closing delimiter is still missing (the user is typing). */
  readonly closed: boolean;
}

export function nodeRange(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function isStringNode(node: Node | null | undefined): boolean {
  return node?.type === 'string_expression' || node?.type === 'indented_string_expression' || node?.type === 'uri_expression';
}

/** Reads a string, indented string or URL literal; undefined for anything else. */
export function readStringLiteral(node: Node): StringLiteral | undefined {
  if (!isStringNode(node)) return undefined;
  if (node.type === 'uri_expression') {
    const range = nodeRange(node);
    return { value: node.text, literal: true, style: 'bare', range, contentRange: range, closed: true };
  }
  const indented = node.type === 'indented_string_expression';
  let value = '';
  let literal = true;
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_fragment') value += child.text;
    else if (child.type === 'escape_sequence') value += unescape(child.text, indented);
    else if (child.type === 'interpolation') literal = false;
    else if (child.type === 'dollar_escape') value += '$';
  }
  const first = node.child(0);
  const last = node.child(node.childCount - 1);
  const closed = node.childCount >= 2 && last !== null && !last.isNamed && !last.isMissing && last.endIndex === node.endIndex;
  const contentStart = first && !first.isNamed ? first.endPosition : node.startPosition;
  const contentEnd = closed && last ? last.startPosition : node.endPosition;
  return {
    value,
    literal,
    style: indented ? 'indented' : 'double',
    range: nodeRange(node),
    contentRange: {
      start: { line: contentStart.row, character: contentStart.column },
      end: { line: contentEnd.row, character: contentEnd.column },
    },
    closed,
  };
}

function unescape(sequence: string, indented: boolean): string {
  if (indented) {
    // `''$` is a dollar, `'''` two quotes, `''\x` the escape `\x`.
    if (sequence === "''$") return '$';
    if (sequence === "'''") return "''";
    if (sequence.startsWith("''\\")) return unescapeBackslash(sequence.slice(2));
    return sequence;
  }
  return unescapeBackslash(sequence);
}

function unescapeBackslash(sequence: string): string {
  const char = sequence.slice(1);
  switch (char) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return char;
  }
}

/** `text` written so that it reads back unchanged between the delimiters of a string literal. */
export function escapeForLiteral(text: string, indented: boolean): string {
  if (indented) return text.replace(/''/g, "'''").replace(/\$\{/g, "''${");
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${');
}

/**
 * The edit that gives `literal` the value `text`. Quoted strings keep their delimiters and style;
 * an unquoted URL literal becomes a quoted string, as the new text might not be a valid URL literal.
 */
export function replaceLiteralValue(literal: StringLiteral, text: string): TextEdit {
  if (literal.style === 'bare') return { range: literal.range, newText: `"${escapeForLiteral(text, false)}"` };
  return { range: literal.contentRange, newText: escapeForLiteral(text, literal.style === 'indented') };
}
