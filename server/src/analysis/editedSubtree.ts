// Where two versions of a document differ, as syntax: the smallest part of the tree that holds the
// whole text edit, such that everything outside it is the same syntax in both versions (the same
// nodes, at the same offsets before the edit and shifted by the edit's length after it). The part
// is one node, or a run of statements of a `let`, `rec` or attribute set (a binding pasted or
// deleted). Features that keep results per version recompute that part and carry the rest over.
//
// The versions are compared from the root down. At each level the child holding the edit must have
// the same type and field in both, and every other child must have the same type, field and span
// (moved by the edit's length after it). Over unchanged text, a node of the same type spanning the
// same text has the same syntax inside (as subtreeReuse.ts relies on), so only the spans along the
// way down are compared, never the subtrees beside it. That holds for subtrees without syntax
// errors only (how tree-sitter recovers can depend on what surrounds the error), so every node
// beside the way down must be free of them in both versions: an error the edit made or mended is
// inside the edited part.
import type { SyntaxNode } from './syntaxTree';
import { textDifference } from './textDifference';

/** A node of the earlier version and the node of the later one in its place. */
export interface NodePair {
  readonly before: SyntaxNode;
  readonly after: SyntaxNode;
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The part of the tree holding the edit, in both versions. */
export interface EditedPart {
  readonly before: Span;
  readonly after: Span;
  /** Set when the part is one node (else it is a run of statements of the last ancestor). */
  readonly node: NodePair | undefined;
}

export interface EditedSubtree {
  readonly edited: EditedPart;
  /** The nodes holding it, the root first. */
  readonly ancestors: readonly NodePair[];
  /** How much longer the later text is. */
  readonly shift: number;
}

/**
 * The edited part between the trees of two versions, or undefined when the roots differ in more
 * than their children. The same text gives the root.
 */
export function editedSubtree(before: SyntaxNode, after: SyntaxNode): EditedSubtree | undefined {
  if (before.type !== after.type) return undefined;
  const shift = after.source.text.length - before.source.text.length;
  const edit = { ...textDifference(before.source.text, after.source.text), shift };
  if (!sameOutside(before, after, edit)) return undefined;

  const ancestors: NodePair[] = [];
  let pair: NodePair = { before, after };
  for (;;) {
    const next = childHoldingEdit(pair, edit);
    if (next) {
      ancestors.push(pair);
      pair = next;
      continue;
    }
    const run = pair.after.type === 'binding_set' ? statementsHoldingEdit(pair, edit) : undefined;
    if (run) {
      ancestors.push(pair);
      return { edited: { ...run, node: undefined }, ancestors, shift };
    }
    return { edited: { before: pair.before, after: pair.after, node: pair }, ancestors, shift };
  }
}

interface TextEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
  shift: number;
}

/** Whether two nodes span the same text around the edit: the same start, the end moved by the edit. */
function sameOutside(before: SyntaxNode, after: SyntaxNode, edit: TextEdit): boolean {
  return before.start === after.start && after.end - before.end === edit.shift && before.start <= edit.start && edit.oldEnd <= before.end;
}

/** Whether two children are the same syntax at the same place: before the edit, or moved after it. */
function sameSibling(before: SyntaxNode, after: SyntaxNode, edit: TextEdit): boolean {
  if (before.type !== after.type || before.field !== after.field || before.hasError || after.hasError) return false;
  if (before.end <= edit.start) return after.start === before.start && after.end === before.end;
  return before.start >= edit.oldEnd && after.start === before.start + edit.shift && after.end === before.end + edit.shift;
}

/** The child holding the whole edit in both versions, when all its siblings are the same syntax. */
function childHoldingEdit({ before, after }: NodePair, edit: TextEdit): NodePair | undefined {
  const oldKids = before.children;
  const newKids = after.children;
  if (oldKids.length !== newKids.length) return undefined;
  let holder = -1;
  for (let i = 0; i < newKids.length; i++) {
    const oldKid = oldKids[i]!;
    const newKid = newKids[i]!;
    if (holder < 0 && oldKid.type === newKid.type && oldKid.field === newKid.field && sameOutside(oldKid, newKid, edit) && newKid.start <= edit.start && edit.newEnd <= newKid.end) {
      holder = i;
      continue;
    }
    if (!sameSibling(oldKid, newKid, edit)) return undefined;
  }
  return holder < 0 ? undefined : { before: oldKids[holder]!, after: newKids[holder]! };
}

/**
 * The statements of a binding set between those the edit left alone, as spans in both versions
 * that also cover the edit. A binding set is statements and the space between them, so whatever
 * the edit did lies among them.
 */
function statementsHoldingEdit({ before, after }: NodePair, edit: TextEdit): { before: Span; after: Span } | undefined {
  const oldKids = before.children;
  const newKids = after.children;
  let first = 0;
  while (first < oldKids.length && first < newKids.length && oldKids[first]!.end <= edit.start && sameSibling(oldKids[first]!, newKids[first]!, edit)) first++;
  let last = 0;
  while (
    last < oldKids.length - first &&
    last < newKids.length - first &&
    oldKids[oldKids.length - 1 - last]!.start >= edit.oldEnd &&
    sameSibling(oldKids[oldKids.length - 1 - last]!, newKids[newKids.length - 1 - last]!, edit)
  ) {
    last++;
  }
  const span = (kids: readonly SyntaxNode[], editEnd: number): Span => {
    const run = kids.slice(first, kids.length - last);
    return { start: Math.min(edit.start, run[0]?.start ?? edit.start), end: Math.max(editEnd, run[run.length - 1]?.end ?? editEnd) };
  };
  const spans = { before: span(oldKids, edit.oldEnd), after: span(newKids, edit.newEnd) };
  // The run's ends are where the versions part: the same offset at the start, moved at the end.
  if (spans.before.start !== spans.after.start || spans.after.end - spans.before.end !== edit.shift) return undefined;
  return spans;
}
