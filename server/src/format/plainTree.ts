// The parse tree as plain objects, tokens included, in one fast walk: the formatter reads every
// node several times, and each read of a tree-sitter node is a call into WebAssembly. Comments are
// left out — the formatter reads them from the text between tokens, as trivia.
import type { Language, Tree } from 'web-tree-sitter';
import { walkTree } from '../syntax/treeWalker';

export interface PlainNode {
  /** The node type for named nodes (`binding`), the token itself for anonymous ones (`=`). */
  readonly type: string;
  readonly named: boolean;
  readonly start: number;
  readonly end: number;
  readonly children: PlainNode[];
  /** On the root: missing tokens the parser assumed, other than a formal's name (`{ a, }:`). */
  missingTokens?: number;
  /** On the root: how many ERROR nodes the tree holds, and its argument sets, in text order. */
  errorNodes?: number;
  formals?: PlainNode[];
}

const ERROR_TYPE_ID = 65535;
const namesByLanguage = new WeakMap<Language, { names: string[]; named: boolean[] }>();

function namesOf(language: Language): { names: string[]; named: boolean[] } {
  let kinds = namesByLanguage.get(language);
  if (!kinds) {
    kinds = { names: [], named: [] };
    for (let id = 0; id < language.nodeTypeCount; id++) {
      kinds.names[id] = language.types[id] ?? '';
      kinds.named[id] = language.nodeTypeIsNamed(id);
    }
    namesByLanguage.set(language, kinds);
  }
  return kinds;
}

/** Copies `tree`; missing (zero-width) tokens and comments are dropped. */
export function plainTree(tree: Tree): PlainNode {
  const { names, named } = namesOf(tree.language);
  const walker = walkTree(tree);
  try {
    const make = (): PlainNode => {
      const typeId = walker.nodeTypeId;
      const isError = typeId === ERROR_TYPE_ID;
      return {
        type: isError ? 'ERROR' : names[typeId]!,
        named: isError || named[typeId]!,
        start: walker.startIndex,
        end: walker.endIndex,
        children: [],
      };
    };
    const root = make();
    root.formals = [];
    root.errorNodes = 0;
    const stack: PlainNode[] = [root];
    if (!walker.gotoFirstChild()) return root;
    for (;;) {
      const node = make();
      const missing = walker.nodeIsMissing;
      // `{ a, }:` reads as a formal whose name is missing: code Nix accepts.
      const parent = stack[stack.length - 1]!;
      if (missing && !(parent.type === 'formal' && parent.children.length === 0)) root.missingTokens = (root.missingTokens ?? 0) + 1;
      const keep = node.type !== 'comment' && !missing;
      if (keep) {
        stack[stack.length - 1]!.children.push(node);
        // What checking a tree with errors needs, gathered here rather than in another whole walk.
        if (node.type === 'ERROR') root.errorNodes!++;
        else if (node.type === 'formals') root.formals!.push(node);
      }
      // Strings and paths are read from the text, but their interpolations are code.
      if (keep && walker.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
      while (!walker.gotoNextSibling()) {
        if (!walker.gotoParent()) return root;
        stack.pop();
        if (stack.length === 0) return root;
      }
    }
  } finally {
    walker.delete();
  }
}
