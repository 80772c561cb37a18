// Folding for multi-line attribute sets, lists, let blocks, strings, calls, comment blocks and
// `# region` / `# endregion` markers.
import type { Node, Tree } from 'web-tree-sitter';
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import { childrenOf } from '../syntax/nodes';

const FOLDABLE = new Set([
  'attrset_expression',
  'rec_attrset_expression',
  'list_expression',
  'let_expression',
  'formals',
  'parenthesized_expression',
  'string_expression',
  'indented_string_expression',
  'binding',
]);

/** Bracketed constructs fold up to the line before their closer, so the closer stays visible. */
const KEEPS_CLOSING_LINE = new Set(['attrset_expression', 'rec_attrset_expression', 'list_expression', 'formals', 'parenthesized_expression']);

const REGION_START = /^\s*#\s*region\b/;
const REGION_END = /^\s*#\s*endregion\b/;

export function foldingRanges(tree: Tree, limit = 5000): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const regionStarts: number[] = [];
  let commentRun: { start: number; end: number } | undefined;
  const flushComments = () => {
    if (commentRun && commentRun.end > commentRun.start) {
      ranges.push({ startLine: commentRun.start, endLine: commentRun.end, kind: FoldingRangeKind.Comment });
    }
    commentRun = undefined;
  };

  const stack: Node[] = [tree.rootNode];
  while (stack.length > 0 && ranges.length < limit) {
    const node = stack.pop()!;
    const startLine = node.startPosition.row;
    const endRow = node.endPosition.row;
    if (node.type === 'comment') {
      const text = node.text;
      if (REGION_START.test(text)) regionStarts.push(startLine);
      else if (REGION_END.test(text)) {
        const start = regionStarts.pop();
        if (start !== undefined && startLine > start) ranges.push({ startLine: start, endLine: startLine, kind: FoldingRangeKind.Region });
      } else if (text.startsWith('/*')) {
        if (endRow > startLine) ranges.push({ startLine, endLine: endRow, kind: FoldingRangeKind.Comment });
      } else if (commentRun && commentRun.end === startLine - 1) {
        commentRun.end = startLine;
        continue;
      } else {
        flushComments();
        commentRun = { start: startLine, end: startLine };
        continue;
      }
      continue;
    }
    if (endRow > startLine && FOLDABLE.has(node.type)) {
      const endLine = KEEPS_CLOSING_LINE.has(node.type) && closerStartsLine(node) ? endRow - 1 : endRow;
      // A binding whose value folds on the same line adds nothing.
      const redundant = node.type === 'binding' && valueFoldsFromSameLine(node);
      if (endLine > startLine && !redundant) ranges.push({ startLine, endLine });
    }
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) if (children[i].endPosition.row > children[i].startPosition.row || children[i].type === 'comment') stack.push(children[i]);
  }
  flushComments();
  return ranges;
}

function closerStartsLine(node: Node): boolean {
  const closer = node.lastChild;
  const before = closer?.previousSibling;
  return !!closer && !!before && before.endPosition.row < closer.startPosition.row;
}

function valueFoldsFromSameLine(binding: Node): boolean {
  const value = binding.childForFieldName('expression');
  return !!value && value.startPosition.row === binding.startPosition.row && FOLDABLE.has(value.type);
}
