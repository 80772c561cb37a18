// Remove a `with` no name is taken from, and the `rec` of a set none of whose attributes is read
// inside it. Shared with the lints that report them.
import type { Analysis } from '../../analysis/analysis';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { enclosing, type Assist, type AssistResult } from './assist';

const usedWithsOf = new WeakMap<Analysis, Set<SyntaxNode>>();

/** The `with` expressions some name may be taken from. */
function usedWiths(analysis: Analysis): Set<SyntaxNode> {
  let used = usedWithsOf.get(analysis);
  if (!used) {
    used = new Set();
    for (const use of analysis.uses) if (use.resolution.kind === 'with') for (const w of use.resolution.withs) used.add(w);
    usedWithsOf.set(analysis, used);
  }
  return used;
}

export function isUnusedWith(analysis: Analysis, node: SyntaxNode): boolean {
  return node.type === 'with_expression' && !!node.child('body') && !node.hasError && !usedWiths(analysis).has(node);
}

export function isNeedlessRec(analysis: Analysis, node: SyntaxNode): boolean {
  if (node.type !== 'rec_attrset_expression' || node.hasError) return false;
  for (const definition of analysis.scopes.definitionsOf(node).values()) if (definition.uses.length > 0) return false;
  return true;
}

export function removeWith(node: SyntaxNode): AssistResult {
  return { title: "Remove the unused 'with'", kind: 'refactor.rewrite', edits: [{ start: node.start, end: node.child('body')!.start, newText: '' }] };
}

export function removeRec(node: SyntaxNode): AssistResult {
  const text = node.source.text;
  let end = node.start + 3;
  while (end < text.length && /\s/.test(text[end]!)) end++;
  return { title: "Remove the needless 'rec'", kind: 'refactor.rewrite', edits: [{ start: node.start, end, newText: '' }] };
}

export const needlessConstructs: Assist = (context) => {
  const node = enclosing(context, 'with_expression', 'rec_attrset_expression');
  if (!node) return [];
  const { analysis } = context;
  // Only while the cursor is on the keyword part, not anywhere in a big body.
  if (node.type === 'with_expression' && isUnusedWith(analysis, node) && context.start <= node.child('body')!.start) return [removeWith(node)];
  if (node.type === 'rec_attrset_expression' && context.start <= node.start + 5 && isNeedlessRec(analysis, node)) return [removeRec(node)];
  return [];
};
