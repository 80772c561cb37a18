// Ranges and edits shared by the local-code features: node ranges in LSP terms, and removals that
// take a whole line with them when the removed text stood alone on it.
import type { Location, Range, TextEdit } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import type { OffsetRange } from '../../analysis/lineIndex';
import { formatAttrName } from '../../analysis/names';
import type { SyntaxNode } from '../../analysis/syntaxTree';

export function rangeOf(analysis: Analysis, node: OffsetRange): Range {
  return analysis.lines.range(node);
}

export function locationOf(analysis: Analysis, uri: string, node: OffsetRange): Location {
  return { uri, range: rangeOf(analysis, node) };
}

export function replace(analysis: Analysis, range: OffsetRange, newText: string): TextEdit {
  return { range: rangeOf(analysis, range), newText };
}

/**
 * The text to delete to remove `[start, end)`: the whole line(s) when nothing else is on them,
 * otherwise the span plus the blanks after it (or before it, at the end of a line).
 */
export function removalRange(text: string, start: number, end: number): OffsetRange {
  let lineStart = start;
  while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === ' ' || text[lineEnd] === '\t')) lineEnd++;
  const atLineStart = lineStart === 0 || text[lineStart - 1] === '\n';
  const atLineEnd = lineEnd === text.length || text[lineEnd] === '\n' || text[lineEnd] === '\r';
  if (atLineStart && atLineEnd) {
    let after = lineEnd;
    if (text[after] === '\r') after++;
    if (text[after] === '\n') after++;
    return { start: lineStart, end: after };
  }
  if (lineEnd > end && !atLineEnd) return { start, end: lineEnd };
  return { start: lineStart, end: atLineEnd ? end : lineEnd };
}

/** Where the next non-blank, non-comment character after `offset` is. */
export function skipBlanks(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
      continue;
    }
    return i;
  }
}

/** Where the previous non-blank character before `offset` is (its index), or -1. */
export function skipBlanksBackward(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Removes one element of a comma-separated list (a formal): the element and one neighbouring
 * comma, chosen to keep the list's style — the comma after it when that comma is on the same line
 * (`{ a, b, ... }`, trailing-comma lists), otherwise the comma before it (leading-comma lists).
 */
export function removeListElement(text: string, element: OffsetRange): OffsetRange {
  const after = skipBlanks(text, element.end);
  const before = skipBlanksBackward(text, element.start);
  const commaAfter = text[after] === ',' ? after : -1;
  const commaBefore = before >= 0 && text[before] === ',' ? before : -1;
  if (commaAfter >= 0 && (commaBefore < 0 || lineOf(text, commaAfter) === lineOf(text, element.end))) {
    const removal = removalRange(text, element.start, commaAfter + 1);
    return removal;
  }
  if (commaBefore >= 0) return removalRange(text, commaBefore, element.end);
  return removalRange(text, element.start, element.end);
}

/**
 * Edits turning `inherit a;` (or one name of `inherit a b;`) into `a = newValue;`, for renames
 * that must keep the attribute name while the variable it reads changes.
 */
export function inheritToBinding(analysis: Analysis, statement: SyntaxNode, attr: SyntaxNode, name: string, newValue: string): TextEdit[] {
  const binding = `${formatAttrName(name)} = ${newValue};`;
  const attrs = statement.child('attrs')?.childrenOf('attr') ?? [];
  if (attrs.length <= 1) return [replace(analysis, statement, binding)];
  const index = attrs.indexOf(attr);
  const next = attrs[index + 1];
  const removal = next ? { start: attr.start, end: next.start } : { start: attrs[index - 1]!.end, end: attr.end };
  return [replace(analysis, removal, ''), replace(analysis, { start: statement.end, end: statement.end }, ` ${binding}`)];
}
