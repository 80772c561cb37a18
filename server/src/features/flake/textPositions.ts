// LSP positions and edits over plain text (LSP and tree-sitter both count UTF-16 code units, as
// JavaScript strings do, so offsets need no conversion).
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';

/** The offset of a position; positions past the end of a line or of the text are clamped. */
export function offsetAt(content: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = content.indexOf('\n', offset);
    if (next < 0) return content.length;
    offset = next + 1;
  }
  const lineEnd = content.indexOf('\n', offset);
  const limit = lineEnd < 0 ? content.length : lineEnd;
  return Math.min(offset + position.character, limit);
}

export function positionAt(content: string, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, content.length));
  let line = 0;
  let lineStart = 0;
  for (let next = content.indexOf('\n'); next >= 0 && next < clamped; next = content.indexOf('\n', next + 1)) {
    line++;
    lineStart = next + 1;
  }
  return { line, character: clamped - lineStart };
}

/** The text after applying non-overlapping edits (given in any order), as an editor would. */
export function applyTextEdits(content: string, edits: readonly TextEdit[]): string {
  const located = edits
    .map((edit) => ({ start: offsetAt(content, edit.range.start), end: offsetAt(content, edit.range.end), text: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = content;
  for (const edit of located) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/** One edit turning `from` into `to`, covering only the span where they differ. */
export function differenceEdit(from: string, to: string): TextEdit {
  let prefix = 0;
  const shorter = Math.min(from.length, to.length);
  while (prefix < shorter && from[prefix] === to[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && from[from.length - 1 - suffix] === to[to.length - 1 - suffix]) suffix++;
  const range: Range = { start: positionAt(from, prefix), end: positionAt(from, from.length - suffix) };
  return { range, newText: to.slice(prefix, to.length - suffix) };
}
