// Reads what lies between two tokens — spaces, line breaks, `#` and `/* */` comments — and splits
// it the way the official style does: the comments on the rest of the token's line trail it, the
// rest lead the next token; a run of two or more line breaks is one empty line; a one-line block
// comment becomes a `#` comment; a multi-line one is re-indented to its own left edge.
import type { Trivium } from './ast';

const NO_TRIVIA: Trivium[] = [];

type RawTrivium =
  | { kind: 'newlines'; count: number }
  | { kind: 'line'; text: string; column: number }
  | { kind: 'block'; doc: boolean; lines: string[] };

export interface ScannedTrivia {
  trail: string | undefined;
  leading: Trivium[];
  /** Where the next token starts. */
  end: number;
}

/** Reads the trivia after position `from` (just after a token); `lineStart` is where that line starts. */
export function scanTrivia(text: string, from: number, lineStart: number, allLeading = false): ScannedTrivia {
  const raw: RawTrivium[] = [];
  let at = from;
  let currentLineStart = lineStart;
  const length = text.length;
  for (;;) {
    while (at < length && (text[at] === ' ' || text[at] === '\t' || (text[at] === '\r' && text[at + 1] !== '\n'))) at++;
    if (at >= length) break;
    const char = text[at];
    if (char === '\n' || (char === '\r' && text[at + 1] === '\n')) {
      let count = 0;
      while (at < length) {
        if (text[at] === '\r' && text[at + 1] === '\n') at++;
        if (text[at] !== '\n') break;
        at++;
        count++;
        currentLineStart = at;
        while (at < length && (text[at] === ' ' || text[at] === '\t')) at++;
      }
      raw.push({ kind: 'newlines', count });
    } else if (char === '#') {
      const column = at - currentLineStart;
      let end = at + 1;
      while (end < length && text[end] !== '\n' && text[end] !== '\r') end++;
      raw.push({ kind: 'line', text: text.slice(at + 1, end), column });
      at = end;
    } else if (char === '/' && text[at + 1] === '*') {
      const close = text.indexOf('*/', at + 2);
      if (close < 0) break;
      const column = at - currentLineStart;
      const doc = text[at + 2] === '*' && text[at + 3] !== '/' && close !== at + 2;
      const body = text.slice(at + (doc ? 3 : 2), close);
      raw.push({ kind: 'block', doc, lines: blockCommentLines(body, column) });
      for (let i = at; i < close; i++) if (text[i] === '\n') currentLineStart = i + 1;
      at = close + 2;
    } else {
      break;
    }
  }
  if (raw.length === 0) return { trail: undefined, leading: NO_TRIVIA, end: at };
  // A one-line block comment on the line of the string after it names the string's language.
  const last = raw[raw.length - 1]!;
  if (last.kind === 'block' && !last.doc && last.lines.length === 1 && lastBlockOnStringLine(text, at)) {
    raw.pop();
    const scanned = raw.length === 0 ? { trail: undefined, leading: [] as Trivium[] } : allLeading ? { trail: undefined, leading: convertLeading(raw) } : convertTrivia(raw, at - currentLineStart);
    return { trail: scanned.trail, leading: [...scanned.leading, { kind: 'languageAnnotation', text: last.lines[0]!.trim() }], end: at };
  }
  if (allLeading) return { trail: undefined, leading: convertLeading(raw), end: at };
  const { trail, leading } = convertTrivia(raw, at - currentLineStart);
  return { trail, leading, end: at };
}

/** Whether a string starts at `at` with only spaces between it and the `*\/` before it. */
function lastBlockOnStringLine(text: string, at: number): boolean {
  if (text[at] !== '"' && !text.startsWith("''", at)) return false;
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= 1 && text[i] === '/' && text[i - 1] === '*';
}

function isTrailing(item: RawTrivium): boolean {
  return item.kind === 'line' || (item.kind === 'block' && !item.doc && item.lines.length <= 1);
}

function convertTrivia(raw: RawTrivium[], nextColumn: number): { trail: string | undefined; leading: Trivium[] } {
  let split = 0;
  while (split < raw.length && isTrailing(raw[split]!)) split++;
  const trailing = raw.slice(0, split);
  const leading = raw.slice(split);
  const only = trailing.length === 1 ? trailing[0]! : undefined;
  if (only?.kind === 'line') {
    // A comment after a token that lines up with the comments below it belongs with them.
    const next = leading[1];
    if (leading[0]?.kind === 'newlines' && leading[0].count === 1 && next?.kind === 'line' && next.column === only.column) {
      return { trail: undefined, leading: convertLeading(raw) };
    }
    if (leading.length === 1 && leading[0]!.kind === 'newlines' && leading[0]!.count === 1 && only.column === nextColumn) {
      return { trail: undefined, leading: convertLeading(raw) };
    }
  }
  return { trail: convertTrailing(trailing), leading: convertLeading(leading) };
}

function convertTrailing(items: RawTrivium[]): string | undefined {
  const parts = items
    .map((item) => (item.kind === 'line' ? item.text.trim() : item.kind === 'block' && !item.doc && item.lines.length === 1 ? item.lines[0]!.trim() : ''))
    .filter((part) => part !== '');
  return parts.length === 0 ? undefined : parts.join(' ');
}

function convertLeading(items: RawTrivium[]): Trivium[] {
  const out: Trivium[] = [];
  for (const item of items) {
    if (item.kind === 'newlines') {
      if (item.count > 1) out.push({ kind: 'emptyLine' });
    } else if (item.kind === 'line') {
      out.push({ kind: 'lineComment', text: item.text });
    } else if (item.lines.length === 0) {
      continue;
    } else if (!item.doc && item.lines.length === 1) {
      out.push({ kind: 'lineComment', text: ` ${item.lines[0]!.trim()}` });
    } else {
      out.push({ kind: 'blockComment', doc: item.doc, lines: item.lines });
    }
  }
  return out;
}

const isSpaces = (line: string) => /^ *$/.test(line);

/** The lines of a block comment's body, re-indented relative to the column of its `/*`. */
function blockCommentLines(body: string, column: number): string[] {
  let lines = body.replace(/\r\n/g, '\n').split('\n');
  if (body.endsWith('\n')) lines.pop();
  lines = dropTrailingEmpty(lines.map((line) => line.trimEnd()));
  lines = dropTrailingEmpty(removeStars(lines, column).map((line) => line.trimEnd()));
  if (lines.length === 0) return [];
  const [head, ...tail] = lines as [string, ...string[]];
  const base = head.startsWith(' ') ? column + 3 : column + 2;
  const common = tail.filter((line) => !isSpaces(line)).reduce((min, line) => Math.min(min, line.search(/[^ ]|$/)), base);
  const fixed = [head.trim(), ...tail.map((line) => (line.startsWith(' '.repeat(common)) ? line.slice(common) : line.trimStart()))];
  while (fixed.length > 0 && fixed[0] === '') fixed.shift();
  return fixed;
}

function dropTrailingEmpty(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end--;
  return lines.slice(0, end);
}

/** When every line after the first starts with a ` *` under the opening `/*`, the stars go. */
function removeStars(lines: string[], column: number): string[] {
  if (lines.length === 0) return lines;
  const start = `${' '.repeat(column)} *`;
  const tail = lines.slice(1);
  if (!tail.every((line) => line.startsWith(start))) return lines;
  return [lines[0]!, ...tail.map((line) => ' '.repeat(column) + line.slice(start.length))];
}
