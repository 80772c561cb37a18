// A compact, plain-JavaScript copy of the named nodes of a tree-sitter tree.
//
// Every property read on a web-tree-sitter node is a call into WebAssembly, which costs far more
// than reading a JavaScript field. Analysis reads each node many times (types, ranges, fields,
// parents), so the tree is copied once into these objects and everything else works on the copy.
// Anonymous tokens (`{`, `=`, `;`, keywords) are left out: the node types and the source text say
// all the analysis needs.
//
// Two ways to build it:
// - `buildSyntaxTree` copies the whole tree in one cursor walk (for whole-file analysis);
// - `lazySyntaxTree` copies a node's children only when they are first asked for, so a question
//   about one position in a huge file touches only the nodes around it. A lazy tree must be used
//   before its tree-sitter tree is deleted.
import type { Node as TsNode, Tree, TreeCursor } from 'web-tree-sitter';
import { fieldOf } from './fields';

/** The text and tree a syntax tree was built from. */
export interface SyntaxSource {
  readonly text: string;
  /** Only lazy trees keep the tree-sitter tree, to expand nodes later. */
  readonly tree: Tree | undefined;
}

const ERROR_TYPE_ID = 65535;

/** Named node types that never have named children, so a walk need not look inside them. */
const LEAF_TYPES: ReadonlySet<string> = new Set([
  'identifier', 'integer_expression', 'float_expression', 'string_fragment', 'escape_sequence', 'dollar_escape',
  'path_fragment', 'spath_expression', 'uri_expression', 'comment', 'ellipses', 'keyword',
]);

/** Shared by every childless node of an eager tree, so leaves cost no array each. */
const NO_CHILDREN: SyntaxNode[] = [];

export class SyntaxNode {
  /** @internal children when known; undefined until a lazy node is expanded. */
  kids: SyntaxNode[] | undefined;
  /** @internal true when this subtree holds an ERROR or MISSING node (eager trees only). */
  errorInside = false;

  constructor(
    readonly source: SyntaxSource,
    readonly type: string,
    /** The field this node fills in its parent (`attrpath`, `body`, …), or null. */
    readonly field: string | null,
    readonly start: number,
    readonly end: number,
    readonly parent: SyntaxNode | null,
    /** The tree-sitter node, kept by lazy trees until this node's children are copied. */
    private tsNode: TsNode | undefined,
    /** Index of this node among all (named and anonymous) children of its parent, for lazy access. */
    private readonly indexInParent: number,
  ) {}

  get text(): string {
    return this.source.text.slice(this.start, this.end);
  }

  get children(): readonly SyntaxNode[] {
    if (this.kids === undefined) this.kids = this.expand();
    return this.kids;
  }

  /** The first child filling `field`. */
  child(field: string): SyntaxNode | undefined {
    for (const c of this.children) if (c.field === field) return c;
    return undefined;
  }

  /** Every child filling `field`, in order. */
  childrenOf(field: string): SyntaxNode[] {
    return this.children.filter((c) => c.field === field);
  }

  /** The first child of the given type. */
  childOfType(type: string): SyntaxNode | undefined {
    for (const c of this.children) if (c.type === type) return c;
    return undefined;
  }

  /** A node tree-sitter inserted to recover from an error: it has no text. */
  get isMissing(): boolean {
    return this.start === this.end && this.parent !== null;
  }

  /** True when this node or anything inside it is an ERROR or a MISSING node. */
  get hasError(): boolean {
    if (this.source.tree === undefined) return this.errorInside;
    return this.type === 'ERROR' || this.tsHandle().hasError;
  }

  /** True when `offset` lies inside this node or touches one of its ends. */
  touches(offset: number): boolean {
    return this.start <= offset && offset <= this.end;
  }

  private tsHandle(): TsNode {
    if (!this.tsNode) {
      const parentTs = this.parent!.tsHandle();
      const found = parentTs.child(this.indexInParent);
      if (!found) throw new Error('syntax tree is out of step with its tree-sitter tree');
      this.tsNode = found;
    }
    return this.tsNode;
  }

  /** Copies the named children of a lazy node. */
  private expand(): SyntaxNode[] {
    const tree = this.source.tree;
    if (!tree) return [];
    const ts = this.tsHandle();
    const cursor = ts.walk();
    const result: SyntaxNode[] = [];
    try {
      if (!cursor.gotoFirstChild()) return result;
      let index = 0;
      let named = 0;
      let previous: string | null = null;
      do {
        const typeId = cursor.nodeTypeId;
        if (typeId === ERROR_TYPE_ID || cursor.nodeIsNamed) {
          const type = cursor.nodeType;
          const field = fieldOf(this.type, type, named, previous);
          if (type !== 'comment') {
            named++;
            previous = field;
          }
          result.push(new SyntaxNode(this.source, type, field, cursor.startIndex, cursor.endIndex, this, undefined, index));
        }
        index++;
      } while (cursor.gotoNextSibling());
    } finally {
      cursor.delete();
    }
    return result;
  }
}

/** Copies every named node of `tree` in one walk. The result holds no tree-sitter objects. */
export function buildSyntaxTree(tree: Tree, text: string = tree.rootNode.text): SyntaxNode {
  const source: SyntaxSource = { text, tree: undefined };
  const language = tree.language;
  const namedById: boolean[] = [];
  const leafById: boolean[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    namedById[id] = language.nodeTypeIsNamed(id);
    leafById[id] = LEAF_TYPES.has(language.types[id] ?? '');
  }
  const typeNames = language.types;

  // Missing tokens are looked for only in broken trees: asking every token costs two calls.
  const treeHasError = tree.rootNode.hasError;
  const cursor: TreeCursor = tree.walk();
  try {
    const root = new SyntaxNode(source, cursor.nodeType, null, cursor.startIndex, cursor.endIndex, null, undefined, 0);
    root.kids = [];
    if (!cursor.gotoFirstChild()) return root;
    const stack: SyntaxNode[] = [root];
    // For each open parent: how many non-comment named children it has so far, and the last one's field.
    const counts: number[] = [0];
    const previousFields: (string | null)[] = [null];
    for (;;) {
      const parent = stack[stack.length - 1]!;
      const typeId = cursor.nodeTypeId;
      const isError = typeId === ERROR_TYPE_ID;
      let descended = false;
      if (isError || namedById[typeId]) {
        const start = cursor.startIndex;
        const end = cursor.endIndex;
        const type = isError ? 'ERROR' : typeNames[typeId]!;
        const depth = stack.length - 1;
        const field = fieldOf(parent.type, type, counts[depth]!, previousFields[depth]!);
        if (type !== 'comment') {
          counts[depth]!++;
          previousFields[depth] = field;
        }
        const node = new SyntaxNode(source, type, field, start, end, parent, undefined, 0);
        node.kids = NO_CHILDREN;
        if (parent.kids === NO_CHILDREN) parent.kids = [];
        parent.kids!.push(node);
        if (isError || start === end) markError(node);
        if (!leafById[typeId] && cursor.gotoFirstChild()) {
          stack.push(node);
          counts[stack.length - 1] = 0;
          previousFields[stack.length - 1] = null;
          descended = true;
        }
      } else if (treeHasError && cursor.nodeIsMissing) {
        // A missing anonymous token (`;`, `}`) still makes the surrounding code broken.
        markError(parent);
      }
      if (descended) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || stack.length <= 1) return root;
        stack.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

function markError(node: SyntaxNode): void {
  for (let n: SyntaxNode | null = node; n && !n.errorInside; n = n.parent) n.errorInside = true;
}

/** A syntax tree whose nodes are copied on demand; use it before `tree` is deleted. */
export function lazySyntaxTree(tree: Tree, text: string = tree.rootNode.text): SyntaxNode {
  const source: SyntaxSource = { text, tree };
  const root = tree.rootNode;
  return new SyntaxNode(source, root.type, null, root.startIndex, root.endIndex, null, root, 0);
}

/**
 * The deepest node containing `offset`. When the offset sits between two nodes (the end of one
 * and the start of the next), the one ending there wins if `preferLeft`, as when a cursor sits just
 * after the word being typed.
 */
export function nodeAt(root: SyntaxNode, offset: number, preferLeft = true): SyntaxNode {
  let node = root;
  for (;;) {
    let next: SyntaxNode | undefined;
    for (const child of node.children) {
      if (child.start > offset) break;
      if (child.end < offset) continue;
      if (child.end === offset && child.start !== offset) {
        if (preferLeft) {
          next = child;
          break;
        }
        continue;
      }
      if (child.start === child.end && child.start !== offset) continue;
      next = child;
      if (!preferLeft || child.start < offset) break;
    }
    if (!next) return node;
    node = next;
  }
}

/** Every node of the subtree in document order (pre-order), `node` first. */
export function* descendantsOf(node: SyntaxNode): Generator<SyntaxNode> {
  const stack: SyntaxNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    const kids = n.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}
