// Remove what says nothing: a `let in` without bindings, an `inherit;` (or `inherit (x);`) without
// names. Shared with the lints that report them.
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { removalRange } from '../local/textEdits';
import { enclosing, type Assist, type AssistResult } from './assist';

/** Whether `node` is a `let … in` binding nothing. */
export function isEmptyLet(node: SyntaxNode): boolean {
  if (node.type !== 'let_expression' || !node.child('body')) return false;
  return !node.children.some((c) => c.type === 'binding_set' && c.children.some((b) => b.type !== 'comment'));
}

/** Whether `node` is an `inherit` naming nothing (tree-sitter reads it with a missing name). */
export function isEmptyInherit(node: SyntaxNode): boolean {
  if (node.type !== 'inherit' && node.type !== 'inherit_from') return false;
  const attrs = node.child('attrs')?.childrenOf('attr') ?? [];
  return attrs.every((a) => a.isMissing) && !(node.type === 'inherit_from' && node.child('expression')?.hasError);
}

export function removeEmptyLet(node: SyntaxNode): AssistResult {
  const body = node.child('body')!;
  return { title: "Remove the empty 'let in'", kind: 'refactor.rewrite', edits: [{ start: node.start, end: body.start, newText: '' }] };
}

export function removeEmptyInherit(node: SyntaxNode): AssistResult {
  const removal = removalRange(node.source.text, node.start, node.end);
  return { title: "Remove the empty 'inherit'", kind: 'refactor.rewrite', edits: [{ ...removal, newText: '' }] };
}

export const emptyConstructs: Assist = (context) => {
  const node = enclosing(context, 'let_expression', 'inherit', 'inherit_from');
  if (!node) return [];
  if (isEmptyLet(node) && !node.hasError) return [removeEmptyLet(node)];
  if (isEmptyInherit(node)) return [removeEmptyInherit(node)];
  return [];
};
