// The parts of a Nix string literal as Nix's own lexer reads them — literal text (escapes already
// decoded) and interpolations — and the indentation Nix strips from an indented string. The
// tree-sitter grammar splits escapes differently from Nix (`''$` comes back as two nodes), so
// only the interpolations are taken from the tree; the text between them is lexed here.
import type { SyntaxNode } from '../../analysis/syntaxTree';

export type StringPart = { kind: 'text'; value: string } | { kind: 'interpolation'; source: string };

/** The parts of a `"…"` string, or undefined for anything else. */
export function doubleQuotedParts(node: SyntaxNode): StringPart[] | undefined {
  if (node.type !== 'string_expression') return undefined;
  return splitAround(node, node.start + 1, node.end - 1, decodeDouble);
}

/**
 * The parts of a `''…''` string after Nix has stripped its indentation, or undefined for anything
 * else. Text parts stay separate as the lexer made them, which the stripping depends on.
 */
export function indentedParts(node: SyntaxNode): StringPart[] | undefined {
  if (node.type !== 'indented_string_expression') return undefined;
  const text = node.source.text;
  // The opening `''` takes the blanks and the line break right after it.
  let start = node.start + 2;
  const afterBlanks = /^ *\n/.exec(text.slice(start, Math.min(node.end - 2, start + 200)));
  if (afterBlanks) start += afterBlanks[0].length;
  return stripIndentation(splitAround(node, start, node.end - 2, decodeIndented));
}

function splitAround(node: SyntaxNode, start: number, end: number, decode: (raw: string) => string[]): StringPart[] {
  const text = node.source.text;
  const parts: StringPart[] = [];
  let at = start;
  for (const child of node.children) {
    if (child.type !== 'interpolation' || child.start < start) continue;
    for (const value of decode(text.slice(at, child.start))) parts.push({ kind: 'text', value });
    parts.push({ kind: 'interpolation', source: child.text });
    at = child.end;
  }
  for (const value of decode(text.slice(at, end))) parts.push({ kind: 'text', value });
  return parts;
}

function decodeDouble(raw: string): string[] {
  if (!raw) return [];
  return [raw.replace(/\\([\s\S])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c))];
}

/** Indented-string text as Nix's lexer tokenises it: runs of plain text, and each escape alone. */
function decodeIndented(raw: string): string[] {
  const tokens: string[] = [];
  let plain = '';
  const flush = () => {
    if (plain) tokens.push(plain);
    plain = '';
  };
  for (let i = 0; i < raw.length; ) {
    if (raw.startsWith("'''", i)) {
      flush();
      tokens.push("''");
      i += 3;
    } else if (raw.startsWith("''$", i)) {
      flush();
      tokens.push('$');
      i += 3;
    } else if (raw.startsWith("''\\", i) && i + 3 < raw.length) {
      flush();
      const c = raw[i + 3]!;
      tokens.push(c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c);
      i += 4;
    } else {
      plain += raw[i];
      i++;
    }
  }
  flush();
  return tokens;
}

/** Nix's indentation stripping, over the parts of an indented string. */
function stripIndentation(parts: StringPart[]): StringPart[] {
  let minIndent = Infinity;
  let atLineStart = true;
  let indent = 0;
  for (const part of parts) {
    if (part.kind === 'interpolation') {
      if (atLineStart) minIndent = Math.min(minIndent, indent);
      atLineStart = false;
      continue;
    }
    for (const c of part.value) {
      if (atLineStart) {
        if (c === ' ') indent++;
        else if (c === '\n') indent = 0;
        else {
          atLineStart = false;
          minIndent = Math.min(minIndent, indent);
        }
      } else if (c === '\n') {
        atLineStart = true;
        indent = 0;
      }
    }
  }
  if (minIndent === Infinity) minIndent = 0;
  const result: StringPart[] = [];
  atLineStart = true;
  let dropped = 0;
  parts.forEach((part, index) => {
    if (part.kind === 'interpolation') {
      atLineStart = false;
      dropped = 0;
      result.push(part);
      return;
    }
    let value = '';
    for (const c of part.value) {
      if (atLineStart) {
        if (c === ' ') {
          if (dropped++ >= minIndent) value += c;
        } else if (c === '\n') {
          dropped = 0;
          value += c;
        } else {
          atLineStart = false;
          dropped = 0;
          value += c;
        }
      } else {
        value += c;
        if (c === '\n') atLineStart = true;
      }
    }
    // A last line of nothing but spaces is dropped.
    if (index === parts.length - 1) {
      const newline = value.lastIndexOf('\n');
      if (newline >= 0 && /^ *$/.test(value.slice(newline + 1))) value = value.slice(0, newline + 1);
    }
    result.push({ kind: 'text', value });
  });
  return result;
}

/** Neighbouring text parts as one: what a `$` is followed by may be in the next. */
function merged(parts: readonly StringPart[]): StringPart[] {
  const result: StringPart[] = [];
  for (const part of parts) {
    const last = result[result.length - 1];
    if (part.kind === 'text' && last?.kind === 'text') result[result.length - 1] = { kind: 'text', value: last.value + part.value };
    else result.push(part);
  }
  return result;
}

/** The parts written as a `"…"` string. */
export function writeDoubleQuoted(textParts: readonly StringPart[]): string {
  const parts = merged(textParts);
  let out = '"';
  parts.forEach((part, index) => {
    if (part.kind === 'interpolation') {
      out += part.source;
      return;
    }
    const beforeInterpolation = parts[index + 1]?.kind === 'interpolation';
    out += part.value.replace(/[\\"\n\r\t]|\$(?=\{)|\$$/g, (m, at: number) => {
      // `${` would start an interpolation, and so would a `$` before one.
      if (m === '$') return part.value[at + 1] === '{' || beforeInterpolation ? '\\$' : '$';
      return DOUBLE_ESCAPES[m]!;
    });
  });
  return `${out}"`;
}

const DOUBLE_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The parts written as a `''…''` string, or undefined when Nix would read that string back
 * differently: its indentation stripping would eat leading spaces, or drop a last line of spaces.
 */
export function writeIndented(textParts: readonly StringPart[]): string | undefined {
  const parts = merged(textParts);
  const first = parts[0];
  if (first?.kind === 'text' && /^[ \n]/.test(first.value)) return undefined;
  const last = parts[parts.length - 1];
  if (last?.kind === 'text' && /\n +$/.test(last.value)) return undefined;
  const pieces: string[] = [];
  parts.forEach((part, index) => {
    if (part.kind === 'interpolation') {
      pieces.push(part.source);
      return;
    }
    const beforeInterpolation = parts[index + 1]?.kind === 'interpolation';
    const value = part.value;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (c === "'" && value[i + 1] === "'") {
        pieces.push("'''");
        i++;
      } else if (c === '$' && (value[i + 1] === '{' || (i === value.length - 1 && beforeInterpolation))) pieces.push("''$");
      else if (c === '\r') pieces.push("''\\r");
      else if (c === '\t') pieces.push("''\\t");
      else pieces.push(c);
    }
  });
  // A lone `'` before anything starting with `'` (an escape, the closing `''`) would join it.
  pieces.push("''");
  let out = "''";
  for (let i = 0; i < pieces.length - 1; i++) out += pieces[i] === "'" && pieces[i + 1]!.startsWith("'") ? "''\\'" : pieces[i];
  return `${out}''`;
}
