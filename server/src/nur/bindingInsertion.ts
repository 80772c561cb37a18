// Adds one binding to an attribute set of a Nix file as a single insertion, so the rest of the file
// stays byte for byte as it was: its layout, comments and the order of the other bindings.
import type { Node } from 'web-tree-sitter';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { attrpathNames, bindingsOf, lineIndent } from './nixTree';

export interface BindingInsertion {
  /** The full text of the file the attribute set is in. */
  text: string;
  attrset: Node;
  /** The new binding's name, used to find its place. */
  name: string;
  /** The binding as it should read, e.g. `foo = pkgs.callPackage ./pkgs/foo { };`. */
  binding: string;
  /**
   * The bindings the new one is sorted among (e.g. the callPackage ones). It goes before the first
   * of them whose name sorts after it, else after the last of them, else at the end of the set.
   */
  isPeer: (binding: Node) => boolean;
}

/** Alphabetical, ignoring case first so `Foo` and `foo` sit together, then by case. */
export function compareNames(a: string, b: string): number {
  const folded = a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  return folded !== 0 ? folded : a < b ? -1 : a > b ? 1 : 0;
}

export function bindingInsertion(input: BindingInsertion): TextEdit {
  const { text, attrset, name, binding } = input;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const all = bindingsOf(attrset);
  const peers = all.filter((node) => node.type === 'binding' && attrpathNames(node)?.length === 1 && input.isPeer(node));
  const at = (offset: number, newText: string): TextEdit => {
    const document = TextDocument.create('file:///insertion', 'nix', 0, text);
    const position = document.positionAt(offset);
    return { range: { start: position, end: position }, newText };
  };

  const following = peers.find((peer) => compareNames(attrpathNames(peer)![0], name) > 0);
  if (following) {
    const indent = lineIndent(text, following);
    return at(following.startIndex, indent === undefined ? `${binding} ` : `${binding}${eol}${indent}`);
  }
  const preceding = peers.length > 0 ? peers[peers.length - 1] : all[all.length - 1];
  if (preceding) return insertAfter(text, preceding, binding, eol, at);

  // An empty set: the binding goes on its own line before the closing brace.
  const closing = namedOrAnonymousChildren(attrset).find((child) => child.type === '}');
  if (!closing) throw new Error('The attribute set has no closing brace.');
  const closingIndent = lineIndent(text, closing);
  if (closingIndent === undefined) return at(closing.startIndex, `${binding} `);
  const lineStart = closing.startIndex - closingIndent.length;
  return at(lineStart, `${closingIndent}  ${binding}${eol}`);
}

/** After `node`, on a line of its own when `node` has one (past a comment that ends its line). */
function insertAfter(text: string, node: Node, binding: string, eol: string, at: (offset: number, newText: string) => TextEdit): TextEdit {
  const indent = lineIndent(text, node);
  if (indent === undefined) return at(node.endIndex, ` ${binding}`);
  let lineEnd = text.indexOf('\n', node.endIndex);
  if (lineEnd < 0) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd -= 1;
  const rest = text.slice(node.endIndex, lineEnd);
  const offset = /^[ \t]*(#.*)?$/.test(rest) ? lineEnd : node.endIndex;
  return at(offset, `${eol}${indent}${binding}`);
}

function namedOrAnonymousChildren(node: Node): Node[] {
  return node.children.filter((child): child is Node => child !== null);
}
