// Reading a lib member's documentation from the source on disk: what defines the attribute at a
// position (a binding or an `inherit`), and the comment right above it — RFC 145 `/** … */` doc
// comments (markdown, with `# Type` and `# Inputs` sections), the older `/* … */` comments with
// `Type:` lines, or runs of `#` lines.
import { type DocStyle } from './libIndex';

/** A source file's text with its line starts, for turning Nix positions into offsets. */
export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** The offset of a 1-based line and column (clamped to the text). */
  offsetOf(line: number, column: number): number {
    const start = this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1];
    const end = line < this.lineStarts.length ? this.lineStarts[line] - 1 : this.text.length;
    return Math.min(start + Math.max(column, 1) - 1, end);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}

/** What defines an attribute at a position. */
export type Definition =
  | { kind: 'binding'; start: number }
  | {
      kind: 'inherit';
      /** The offset of the `inherit` keyword. */
      start: number;
      /** The expression in parentheses, whitespace collapsed; absent for a plain `inherit`. */
      from?: string;
      /** Every name the statement inherits. */
      names: string[];
    };

const NAME_OR_STRING = /"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_'-]*/g;
const BINDING_AT = /^(?:"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_'-]*)\s*(?:\.|=(?!=))/;
const SCAN_LIMIT = 4000;

/**
 * Whether the attribute Nix places at `offset` is a binding (`name = …`) or comes from an
 * `inherit` statement. Nix 2.8 places inherited names at the parenthesis or the space before the
 * name, newer versions at the name itself: both lead back to the statement.
 */
export function definitionAt(text: string, offset: number): Definition | undefined {
  if (BINDING_AT.test(text.slice(offset, offset + 300))) return { kind: 'binding', start: offset };
  // Back to the start of the statement: a `;`, or the bracket that encloses it.
  let depth = 0;
  let i = offset - 1;
  const stop = Math.max(-1, offset - SCAN_LIMIT);
  for (; i > stop; i--) {
    const c = text[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) break;
      depth--;
    } else if (c === ';' && depth === 0) break;
  }
  const segmentStart = i + 1;
  const statement = withoutComments(text.slice(segmentStart, offset));
  // The last `inherit` keyword, followed only by what an inherit holds. (A `;` in a comment may
  // have stopped the scan early: the keyword need not start the segment.)
  if (!INHERIT_BODY.test(statement)) return undefined;
  const start = inheritKeyword(text, segmentStart, offset);
  if (start < 0) return undefined;
  let cursor = start + 'inherit'.length;
  while (cursor < text.length && /\s/.test(text[cursor])) cursor++;
  let from: string | undefined;
  if (text[cursor] === '(') {
    const close = matchingParenthesis(text, cursor);
    if (close < 0) return undefined;
    from = withoutComments(text.slice(cursor + 1, close)).replace(/\s+/g, ' ').trim();
    cursor = close + 1;
  }
  const end = statementEnd(text, cursor);
  const names = [...withoutComments(text.slice(cursor, end)).matchAll(NAME_OR_STRING)].map((m) => unquote(m[0]));
  return from === undefined ? { kind: 'inherit', start, names } : { kind: 'inherit', start, from, names };
}

const INHERIT_BODY = /(?:^|[^A-Za-z0-9_'-])inherit\s*(?:\([\s\S]*\))?[\sA-Za-z0-9_'".-]*$/;

/** The last `inherit` keyword between `from` and `to` outside brackets and comments; else -1. */
function inheritKeyword(text: string, from: number, to: number): number {
  let depth = 0;
  let found = -1;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? to : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? to : end + 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === 'i' && text.startsWith('inherit', i) && !WORD_CHAR.test(text[i - 1] ?? ' ') && !WORD_CHAR.test(text[i + 7] ?? ' ')) found = i;
  }
  return found;
}

const WORD_CHAR = /[A-Za-z0-9_'-]/;

function matchingParenthesis(text: string, open: number): number {
  let depth = 0;
  const limit = Math.min(text.length, open + SCAN_LIMIT);
  for (let i = open; i < limit; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function statementEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + SCAN_LIMIT);
  for (let i = from; i < limit; i++) if (text[i] === ';') return i;
  return limit;
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/\\(.)/g, '$1') : name;
}

/** Removes `/* … *\/` and `#` comments (a comment cut off at the start is removed up to its end). */
function withoutComments(text: string): string {
  let out = text;
  const firstClose = out.indexOf('*/');
  const firstOpen = out.indexOf('/*');
  if (firstClose >= 0 && (firstOpen < 0 || firstOpen > firstClose)) out = out.slice(firstClose + 2);
  out = out.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ');
  return out.replace(/#[^\n]*/g, ' ');
}

/** A comment as written in the source, before cleaning. */
export interface RawComment {
  /** `doc`: `/** … *\/`; `block`: `/* … *\/`; `lines`: a run of `#` lines. */
  form: 'doc' | 'block' | 'lines';
  text: string;
}

/**
 * The comment right above `start` (the start of a definition): a block comment separated from it
 * by whitespace with at most one blank line, or `#` lines ending on the line just above. A comment
 * that ends a line of code belongs to that code, not to the definition. Works backwards from
 * `start` only as far as the comment goes, so a file with thousands of members stays cheap.
 */
export function commentBefore(text: string, start: number): RawComment | undefined {
  let end = start;
  let newlines = 0;
  while (end > 0 && /\s/.test(text[end - 1])) {
    end--;
    if (text[end] === '\n') newlines++;
  }
  if (end >= 2 && text[end - 2] === '*' && text[end - 1] === '/') {
    if (newlines > 2) return undefined;
    const close = end - 2;
    const open = blockCommentOpening(text, close);
    if (open < 0) return undefined;
    const openerLine = text.lastIndexOf('\n', open - 1) + 1;
    if (text.slice(openerLine, open).trim()) return undefined;
    const isDoc = text.startsWith('/**', open) && open + 3 <= close;
    return { form: isDoc ? 'doc' : 'block', text: text.slice(open + (isDoc ? 3 : 2), close) };
  }
  // `#` lines ending on the line just above, with nothing but indentation before `start`.
  if (newlines !== 1) return undefined;
  const comment: string[] = [];
  let lineEnd = end;
  while (lineEnd > 0) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
    const line = text.slice(lineStart, lineEnd).trim();
    if (!line.startsWith('#')) break;
    comment.unshift(line.replace(/^#+ ?/, ''));
    if (lineStart === 0) break;
    lineEnd = lineStart - 1;
  }
  return comment.length ? { form: 'lines', text: comment.join('\n') } : undefined;
}

/** Where the block comment ending at `close` (its `*\/`) opens: the first `/*` after the previous `*\/`. */
function blockCommentOpening(text: string, close: number): number {
  let open = -1;
  const limit = Math.max(0, close - 20_000);
  for (let i = close - 1; i >= limit; i--) {
    if (text[i] === '*' && text[i + 1] === '/') {
      // `/*/` opens a comment; any other `*/` closes an earlier one.
      if (i > 0 && text[i - 1] === '/') {
        open = --i;
        continue;
      }
      break;
    }
    if (text[i] === '/' && text[i + 1] === '*') open = i;
  }
  return open;
}

/** At most this many lines of documentation are kept for each member. */
export const MAX_DOC_LINES = 40;

export interface DocComment {
  text: string;
  style: DocStyle;
  /** The signature from the type section (`foldl' :: (b -> a -> b) -> b -> [a] -> b`). */
  type?: string;
  /** Argument names from the inputs (or arguments) section. */
  args?: string[];
}

/**
 * Cleans a comment into documentation: the indentation and comment markers removed, the type
 * section taken out of markdown docs (it is shown as the signature), at most `MAX_DOC_LINES`
 * lines (a code block cut in two is closed).
 */
export function parseDocComment(raw: RawComment, maxLines = MAX_DOC_LINES): DocComment | undefined {
  const lines = raw.form === 'lines' ? raw.text.split('\n') : dedentBlock(raw.text);
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  if (!lines.length) return undefined;
  const style: DocStyle = raw.form === 'doc' ? 'markdown' : 'plain';
  let body = lines;
  let type: string | undefined;
  let args: string[] | undefined;
  if (style === 'markdown') {
    const typeSection = markdownSection(lines, /^(type|signature)$/i);
    if (typeSection) {
      type = signatureIn(lines.slice(typeSection.start + 1, typeSection.end));
      if (type) body = [...lines.slice(0, typeSection.start), ...lines.slice(typeSection.end)];
    }
    const inputs = markdownSection(lines, /^(inputs|arguments)$/i);
    if (inputs) args = argumentNames(lines.slice(inputs.start + 1, inputs.end));
  } else {
    const typeLines = plainType(lines);
    if (typeLines) {
      type = typeLines.text;
      body = [...lines.slice(0, typeLines.start), ...lines.slice(typeLines.end)];
    }
  }
  body = collapseBlankLines(body);
  const doc: DocComment = { text: truncate(body, maxLines), style };
  if (type) doc.type = type;
  if (args?.length) doc.args = args;
  return doc;
}

/** The documentation of the definition at `offset` (the start of a binding or `inherit`). */
export function docCommentAt(text: string, offset: number): DocComment | undefined {
  const raw = commentBefore(text, offset);
  return raw ? parseDocComment(raw) : undefined;
}

function dedentBlock(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const first = lines[0].trim();
  let rest = lines.slice(1);
  // A ` * ` column down the left side, as some old comments have.
  const nonEmpty = rest.filter((l) => l.trim());
  if (nonEmpty.length && nonEmpty.every((l) => /^\s*\*(\s|$)/.test(l))) rest = rest.map((l) => l.replace(/^\s*\*\s?/, ''));
  const indents = rest.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  rest = rest.map((l) => l.slice(Math.min(common, /^[ \t]*/.exec(l)![0].length)).trimEnd());
  return first ? [first, ...rest] : rest;
}

interface Section {
  start: number;
  end: number;
}

/** The lines of the markdown section whose heading matches (outside code blocks). */
function markdownSection(lines: string[], title: RegExp): Section | undefined {
  let fence: string | undefined;
  let found: { start: number; level: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (!fence) fence = marker;
      else if (line.startsWith(fence) && line.slice(fence.length).trim() === '') fence = undefined;
      continue;
    }
    if (fence) continue;
    const heading = /^(#{1,6})\s+(.*?)\s*#*$/.exec(line);
    if (!heading) continue;
    const level = heading[1].length;
    if (found && level <= found.level) return { start: found.start, end: i };
    if (!found && title.test(heading[2])) found = { start: i, level };
  }
  return found ? { start: found.start, end: lines.length } : undefined;
}

/** The first `name :: …` in a type section, a multi-line signature joined into one line. */
function signatureIn(lines: string[]): string | undefined {
  const collected: string[] = [];
  let inFence = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (/^(`{3,}|~{3,})/.test(line)) {
      if (inFence && collected.length) break;
      inFence = !inFence;
      continue;
    }
    if (!line) {
      if (collected.length) break;
      continue;
    }
    collected.push(line);
  }
  const text = collected.join(' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').replace(/\s+/g, ' ').trim();
  return text.includes('::') ? text : undefined;
}

/** `` `name` `` followed by a `: description` line, or `- [name] description`. */
function argumentNames(lines: string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const listed = /^[-*]\s+\[([A-Za-z_][A-Za-z0-9_'-]*)\]/.exec(line);
    if (listed) {
      names.push(listed[1]);
      continue;
    }
    const term = /^`([A-Za-z_][A-Za-z0-9_'-]*)`$/.exec(line);
    if (!term) continue;
    const next = lines.slice(i + 1).find((l) => l.trim());
    if (next?.trim().startsWith(':')) names.push(term[1]);
  }
  return [...new Set(names)];
}

/** `Type: name :: a -> b` in an older comment, continued on more indented lines. */
function plainType(lines: string[]): (Section & { text: string }) | undefined {
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)Type:\s*(.*)$/.exec(lines[i]);
    if (!match) continue;
    const indent = match[1].length;
    const parts = match[2].trim() ? [match[2].trim()] : [];
    let end = i + 1;
    for (; end < lines.length; end++) {
      const line = lines[end];
      if (!line.trim() || /^\s*/.exec(line)![0].length <= indent) break;
      parts.push(line.trim());
    }
    const text = parts.join(' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
    if (text.includes('::')) return { start: i, end, text };
  }
  return undefined;
}

function collapseBlankLines(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (!line.trim() && (!out.length || !out[out.length - 1].trim())) continue;
    out.push(line);
  }
  while (out.length && !out[out.length - 1].trim()) out.pop();
  return out;
}

function truncate(lines: string[], maxLines: number): string {
  if (lines.length <= maxLines) return lines.join('\n');
  const kept = lines.slice(0, maxLines);
  let fence: string | undefined;
  for (const line of kept) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (!marker) continue;
    if (!fence) fence = marker;
    else if (line.trim() === fence) fence = undefined;
  }
  if (fence) kept.push(fence);
  kept.push('…');
  return kept.join('\n');
}
