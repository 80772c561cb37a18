// Expand selection by syntax: word → attribute path → binding → attribute set → … → file.
import type { Node, Tree } from 'web-tree-sitter';
import type { SelectionRange } from 'vscode-languageserver-types';
import { ancestorsAt, rangeOf } from '../syntax/nodes';

const MAX_STEPS = 200;

/** One chain per cursor, given as document offsets. */
export function selectionRanges(tree: Tree, offsets: number[]): SelectionRange[] {
  return offsets.map((offset) => selectionRangeAt(tree, offset));
}

function selectionRangeAt(tree: Tree, offset: number): SelectionRange {
  const ancestors = ancestorsAt(tree, offset);
  // Nobody expands a selection hundreds of times, and clients serialise the chain recursively:
  // keep the file and the innermost steps.
  const chain: Node[] = ancestors.length > MAX_STEPS ? [ancestors[0], ...ancestors.slice(-MAX_STEPS)] : ancestors;
  let parent: SelectionRange | undefined;
  for (let i = 0; i < chain.length; i++) {
    const range = rangeOf(chain[i]);
    if (parent && sameRange(parent.range, range)) continue;
    parent = { range, parent };
  }
  return parent!;
}

function sameRange(a: SelectionRange['range'], b: SelectionRange['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
