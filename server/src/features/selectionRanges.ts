// Expand selection by syntax: word → attribute path → binding → attribute set → … → file.
import type { Node, Tree } from 'web-tree-sitter';
import type { Position, SelectionRange } from 'vscode-languageserver-types';
import { rangeOf } from '../syntax/nodes';

export function selectionRanges(tree: Tree, positions: Position[]): SelectionRange[] {
  return positions.map((position) => selectionRangeAt(tree, position));
}

function selectionRangeAt(tree: Tree, position: Position): SelectionRange {
  const point = { row: position.line, column: position.character };
  const innermost = tree.rootNode.descendantForPosition(point) ?? tree.rootNode;
  // Outermost first, so each step can point at its parent.
  const chain: Node[] = [];
  for (let node: Node | null = innermost; node; node = node.parent) chain.push(node);
  let parent: SelectionRange | undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    const range = rangeOf(chain[i]);
    if (parent && sameRange(parent.range, range)) continue;
    parent = { range, parent };
  }
  return parent!;
}

function sameRange(a: SelectionRange['range'], b: SelectionRange['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
