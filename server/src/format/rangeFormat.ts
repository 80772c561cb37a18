// Formats part of a file: the smallest whole bindings or expression covering a selection, laid
// out as the formatter would lay it out on its own and re-indented to where it stands.
import type { Parser, Tree } from 'web-tree-sitter';
import { DEFAULT_WIDTH, formatChecked, formatTree, type FormatResult } from './formatter';
import { plainTree, type PlainNode } from './plainTree';

export type RangeFormatResult = { ok: true; start: number; end: number; text: string } | Extract<FormatResult, { ok: false }>;

const BINDINGS = new Set(['binding', 'inherit', 'inherit_from']);

/** Formats what covers `[start, end)` of `text` (parsed as `tree`); `parser` parses the piece. */
export function formatRange(text: string, tree: Tree, parser: Parser, start: number, end: number, width = DEFAULT_WIDTH): RangeFormatResult {
  // A selection of whole lines starts and ends in blank space: only its code counts.
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  const unit = coveringUnit(plainTree(tree), start, Math.max(end, start));
  if (!unit || unit.whole) {
    const result = formatTree(text, tree, width);
    return result.ok ? { ok: true, start: 0, end: text.length, text: result.text } : result;
  }
  const lineStart = text.lastIndexOf('\n', unit.start - 1) + 1;
  const indentation = /^[ \t]*/.exec(text.slice(lineStart, unit.start))![0];
  const snippet = text.slice(unit.start, unit.end);
  if (unit.bindings) {
    // Bindings are formatted inside a set of their own, which indents them by two.
    const result = formatChecked(`{\n${snippet}\n}\n`, parser, Math.max(20, width - indentation.length + 2));
    if (!result.ok) return result;
    const lines = result.text.split('\n').slice(1, -2);
    const text = lines.map((line) => (line === '' ? '' : indentation + line.slice(2))).join('\n');
    return { ok: true, start: unit.start, end: unit.end, text: text.slice(indentation.length) };
  }
  const column = unit.start - lineStart;
  const result = formatChecked(snippet, parser, Math.max(20, width - column));
  if (!result.ok) return result;
  const lines = result.text.replace(/\n$/, '').split('\n');
  return { ok: true, start: unit.start, end: unit.end, text: lines.map((line, index) => (index === 0 || line === '' ? line : indentation + line)).join('\n') };
}

interface Unit {
  start: number;
  end: number;
  bindings: boolean;
  whole: boolean;
}

/** The smallest bindings or expression around `[start, end]`. */
function coveringUnit(root: PlainNode, start: number, end: number): Unit | undefined {
  const path: PlainNode[] = [root];
  for (;;) {
    const node = path[path.length - 1]!;
    const child = node.children.find((kid) => kid.start <= start && kid.end >= end && kid.end > kid.start);
    if (!child) break;
    path.push(child);
  }
  for (let index = path.length - 1; index >= 0; index--) {
    const node = path[index]!;
    if (node.type === 'source_code') return { start: node.start, end: node.end, bindings: false, whole: true };
    if (node.type === 'binding_set') {
      const touched = node.children.filter((kid) => kid.end > start && kid.start < Math.max(end, start + 1));
      if (touched.length === 0) continue;
      return { start: touched[0]!.start, end: touched[touched.length - 1]!.end, bindings: true, whole: false };
    }
    if (BINDINGS.has(node.type)) return { start: node.start, end: node.end, bindings: true, whole: false };
    if (node.type.endsWith('_expression') && !insideStringText(path, index)) return { start: node.start, end: node.end, bindings: false, whole: false };
  }
  return undefined;
}

/** Whether a node is the text of a string or path rather than code. */
function insideStringText(path: PlainNode[], index: number): boolean {
  const node = path[index]!;
  return node.type === 'string_expression' && path[index - 1]?.type === 'attrpath';
}
