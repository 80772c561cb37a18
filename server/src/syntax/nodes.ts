// Small helpers over tree-sitter nodes shared by the layers above.
import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from 'vscode-languageserver-types';

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** The attribute names of an `attrpath` as written: identifiers as is, strings unquoted, `${…}` as undefined. */
export function attrpathNames(attrpath: Node): (string | undefined)[] {
  return attrpath.childrenForFieldName('attr').flatMap((part) => (part ? [attrName(part)] : []));
}

/** The name of one attrpath element: `a`, `"a.b"` (without quotes), or undefined for `${…}`. */
export function attrName(part: Node): string | undefined {
  if (part.type === 'identifier') return part.text;
  if (part.type === 'string_expression') {
    // Only plain strings have a static name; "${x}" does not.
    if (part.namedChildren.some((child) => child?.type === 'interpolation')) return undefined;
    return part.namedChildren.map((child) => (child?.type === 'escape_sequence' ? unescape(child.text) : child?.text ?? '')).join('');
  }
  return undefined;
}

function unescape(sequence: string): string {
  const c = sequence.slice(1);
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

/** Named children without nulls (web-tree-sitter types them as nullable). */
export function namedChildrenOf(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

export function childrenOf(node: Node): Node[] {
  return node.children.filter((child): child is Node => child !== null);
}

/** The first leaf (token) at or after a node's start. */
export function firstLeaf(node: Node): Node {
  let current = node;
  while (current.childCount > 0) current = current.child(0)!;
  return current;
}

/**
 * The nodes containing an offset, root first; at the end of a token (a cursor right after a word)
 * the token on the left counts. Walks down from the root: \`Node.parent\` costs a walk from the root
 * in tree-sitter, so climbing parents would be quadratic in the depth.
 */
export function ancestorsAt(tree: Tree, offset: number): Node[] {
  const chain: Node[] = [tree.rootNode];
  for (;;) {
    const node = chain[chain.length - 1];
    let touching: Node | undefined;
    let containing: Node | undefined;
    for (const child of childrenOf(node)) {
      if (child.startIndex > offset) break;
      if (offset < child.endIndex) {
        containing = child;
        break;
      }
      if (child.endIndex === offset && child.startIndex < offset) touching = child;
    }
    const next = containing ?? touching;
    if (!next) return chain;
    chain.push(next);
  }
}
