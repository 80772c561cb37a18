// A compact, plain-JavaScript copy of the named nodes of a tree-sitter tree.
//
// Every property read on a web-tree-sitter node is a call into WebAssembly, which costs far more
// than reading a JavaScript field. Analysis reads each node many times (types, ranges, fields,
// parents), so the tree is copied once into these objects and everything else works on the copy.
// Anonymous tokens (`{`, `=`, `;`, keywords) are left out: the node types and the source text say
// all the analysis needs.
//
// Two ways to build it:
// - `buildSyntaxTree` copies the whole tree in one cursor walk (for whole-file analysis), taking
//   what did not change from the copy of the document's previous version when given one;
// - `lazySyntaxTree` copies a node's children only when they are first asked for, so a question
//   about one position in a huge file touches only the nodes around it. A lazy tree must be used
//   before its tree-sitter tree is deleted.
import type { Language, Node as TsNode, Tree } from 'web-tree-sitter';
import { walkNode, walkTree, type TreeWalker } from '../syntax/treeWalker';
import { fieldOf } from './fields';
import { SubtreeReuse } from './subtreeReuse';

/** The text and tree a syntax tree was built from. */
export interface SyntaxSource {
  readonly text: string;
  /** Only lazy trees keep the tree-sitter tree, to expand nodes later. */
  readonly tree: Tree | undefined;
}

const ERROR_TYPE_ID = 65535;
const INHERITED_ATTRS = 'inherited_attrs';

/**
 * `inherit;` and `inherit (x);` name nothing, which Nix accepts (nixfmt keeps
 * `inherit (x.meta);`), but the grammar wants a name and puts a zero-width MISSING identifier
 * there. The copy leaves that list of names out, so the statement reads as what it is: no names,
 * and no error (syntaxErrors.ts does not report it either).
 */
function isNamesOfEmptyInherit(node: SyntaxNode): boolean {
  return node.type === INHERITED_ATTRS && node.start === node.end;
}

/** Named node types that never have named children, so a walk need not look inside them. */
const LEAF_TYPES: ReadonlySet<string> = new Set([
  'identifier', 'integer_expression', 'float_expression', 'string_fragment', 'escape_sequence', 'dollar_escape',
  'path_fragment', 'spath_expression', 'uri_expression', 'comment', 'ellipses', 'keyword',
]);

/** Shared by every childless node of an eager tree, so leaves cost no array each. */
const NO_CHILDREN: SyntaxNode[] = [];

// Fields are declared and set in the constructor, not initialised as class fields: tens of
// thousands of nodes are made per copy, and a class field is defined, then assigned.
export class SyntaxNode {
  declare readonly source: SyntaxSource;
  declare readonly type: string;
  /** The field this node fills in its parent (`attrpath`, `body`, …), or null. */
  declare readonly field: string | null;
  declare readonly start: number;
  declare readonly end: number;
  declare readonly parent: SyntaxNode | null;
  /** @internal children when known; undefined until a lazy node is expanded. */
  declare kids: SyntaxNode[] | undefined;
  /** @internal true when this subtree holds an ERROR or MISSING node (eager trees only). */
  declare errorInside: boolean;

  constructor(source: SyntaxSource, type: string, field: string | null, start: number, end: number, parent: SyntaxNode | null) {
    this.source = source;
    this.type = type;
    this.field = field;
    this.start = start;
    this.end = end;
    this.parent = parent;
    this.kids = undefined;
    this.errorInside = false;
  }

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
  childrenOf(field: string): readonly SyntaxNode[] {
    const kids = this.children;
    // Often every child fills it (the names of a path, the bindings of a set): no new array then.
    let i = 0;
    while (i < kids.length && kids[i]!.field === field) i++;
    return i === kids.length ? kids : kids.filter((c) => c.field === field);
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
    return this.errorInside;
  }

  /** True when `offset` lies inside this node or touches one of its ends. */
  touches(offset: number): boolean {
    return this.start <= offset && offset <= this.end;
  }

  /** The children of a node copied without them; an eager copy always has them. */
  protected expand(): SyntaxNode[] {
    return NO_CHILDREN;
  }
}

/**
 * A node of a lazy tree: it keeps its way back to the tree-sitter node (found again from its
 * parent's when first needed) until its children are copied.
 */
class LazySyntaxNode extends SyntaxNode {
  declare private tsNode: TsNode | undefined;
  /** Index of this node among all (named and anonymous) children of its parent. */
  declare private readonly indexInParent: number;

  constructor(
    source: SyntaxSource,
    type: string,
    field: string | null,
    start: number,
    end: number,
    parent: LazySyntaxNode | null,
    tsNode: TsNode | undefined,
    indexInParent: number,
  ) {
    super(source, type, field, start, end, parent);
    this.tsNode = tsNode;
    this.indexInParent = indexInParent;
  }

  override get hasError(): boolean {
    return this.type === 'ERROR' || this.tsHandle().hasError;
  }

  private tsHandle(): TsNode {
    if (this.tsNode) return this.tsNode;
    // Up to the nearest ancestor that has its handle, then down again.
    const unresolved: LazySyntaxNode[] = [];
    let node: LazySyntaxNode = this;
    while (!node.tsNode) {
      unresolved.push(node);
      node = node.parent as LazySyntaxNode;
    }
    let handle = node.tsNode;
    for (let i = unresolved.length - 1; i >= 0; i--) {
      const found = handle.child(unresolved[i]!.indexInParent);
      if (!found) throw new Error('syntax tree is out of step with its tree-sitter tree');
      unresolved[i]!.tsNode = found;
      handle = found;
    }
    return handle;
  }

  /** Copies the named children. */
  protected override expand(): SyntaxNode[] {
    const handle = this.tsHandle();
    const { names, named: isNamed } = nodeKinds(handle.tree.language);
    const cursor = walkNode(handle);
    const result: SyntaxNode[] = [];
    try {
      if (!cursor.gotoFirstChild()) return result;
      let index = 0;
      let named = 0;
      let previous: string | null = null;
      do {
        const typeId = cursor.nodeTypeId;
        if (typeId === ERROR_TYPE_ID || isNamed[typeId]) {
          const type = typeId === ERROR_TYPE_ID ? 'ERROR' : names[typeId]!;
          if (type === INHERITED_ATTRS && cursor.startIndex === cursor.endIndex) {
            // The names of an inherit without names: not copied, as in an eager copy.
            index++;
            continue;
          }
          const field = fieldOf(this.type, type, named, previous);
          if (type !== 'comment') {
            named++;
            previous = field;
          }
          result.push(new LazySyntaxNode(this.source, type, field, cursor.startIndex, cursor.endIndex, this, undefined, index));
        }
        index++;
      } while (cursor.gotoNextSibling());
    } finally {
      cursor.delete();
    }
    return result;
  }
}

/** What the copy needs to know about each node type of a language, worked out once per language. */
interface NodeKinds {
  /** Type names by id, as interned strings: the analysis compares types constantly, and V8 compares interned strings by identity. */
  names: string[];
  named: boolean[];
  leaf: boolean[];
  /** Types whose end can be read from the text after their start (see `tokenEnd`). */
  lexed: Uint8Array;
}

const LEXED_IDENTIFIER = 1;
const LEXED_INTEGER = 2;

const kindsByLanguage = new WeakMap<Language, NodeKinds>();

function nodeKinds(language: Language): NodeKinds {
  let kinds = kindsByLanguage.get(language);
  if (kinds) return kinds;
  const count = language.nodeTypeCount;
  kinds = { names: [], named: [], leaf: [], lexed: new Uint8Array(count) };
  for (let id = 0; id < count; id++) {
    const name = language.types[id] ?? '';
    kinds.names[id] = intern(name);
    kinds.named[id] = language.nodeTypeIsNamed(id);
    kinds.leaf[id] = LEAF_TYPES.has(name);
    if (name === 'identifier') kinds.lexed[id] = LEXED_IDENTIFIER;
    else if (name === 'integer_expression') kinds.lexed[id] = LEXED_INTEGER;
  }
  kindsByLanguage.set(language, kinds);
  return kinds;
}

/** The same string, interned (property keys always are). */
function intern(name: string): string {
  return Object.keys({ [name]: 0 })[0] ?? name;
}

/**
 * Where an identifier or integer starting at `start` ends, read from the text with the grammar's
 * own token rules (`[A-Za-z_][A-Za-z0-9_'-]*`, `[0-9]+`). Only used on trees without errors, where
 * no token is a zero-width MISSING one.
 */
function tokenEnd(text: string, start: number, lexed: number): number {
  let at = start + 1;
  const length = text.length;
  if (lexed === LEXED_IDENTIFIER) {
    for (; at < length; at++) {
      const c = text.charCodeAt(at);
      // A-Z a-z 0-9 _ ' -
      if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 39 || c === 45)) break;
    }
  } else {
    for (; at < length; at++) {
      const c = text.charCodeAt(at);
      if (c < 48 || c > 57) break;
    }
  }
  return at;
}

/** An open parent while the tree is copied. */
interface OpenNode {
  node: SyntaxNode;
  /** Where its children start in the shared list of copied children. */
  base: number;
  /** Non-comment named children so far, and the field of the last one (for `fieldOf`). */
  count: number;
  previousField: string | null;
  /** The first child's start when that child is anonymous; -1 when it is a copied node. */
  firstTokenStart: number;
  /** Whether the child the cursor was last on is a copied node (else an anonymous token). */
  lastCopied: boolean;
}

/**
 * Copies every named node of `tree` in one walk. The result holds no tree-sitter objects.
 * `previous`, an eager copy of an earlier version of the same document, lends the subtrees over
 * text the edit did not touch (see subtreeReuse.ts).
 *
 * Each cursor call crosses into WebAssembly and copies the cursor's state both ways, which is
 * most of the cost, so the walk asks as little as it can: a parent's span is the span of its
 * children (the first child's start, the last child's end), so it is read only when an anonymous
 * token begins or ends it; identifiers and integers end where the grammar's token rule stops in
 * the text; and leaves are never asked for children.
 */
export function buildSyntaxTree(tree: Tree, text: string, previous?: SyntaxNode): SyntaxNode {
  const source: SyntaxSource = { text, tree: undefined };
  const reuse = previous && previous.source.tree === undefined ? new SubtreeReuse(previous, text) : undefined;
  const { names, named, leaf, lexed } = nodeKinds(tree.language);
  // Missing tokens are looked for only in broken trees: asking every token costs a call, and
  // a missing token has no text, so ends are read from tree-sitter there.
  const treeHasError = tree.rootNode.hasError;
  const cursor = walkTree(tree);
  try {
    const rootType = cursor.nodeTypeId;
    const root = new SyntaxNode(source, rootType === ERROR_TYPE_ID ? 'ERROR' : names[rootType]!, null, cursor.startIndex, cursor.endIndex, null);
    root.kids = NO_CHILDREN;
    // Code tree-sitter could make nothing of at all comes back as one ERROR root.
    if (rootType === ERROR_TYPE_ID) root.errorInside = true;
    if (!cursor.gotoFirstChild()) return root;
    // Children of every open parent, in order; each parent takes its slice when it is closed.
    const copied: SyntaxNode[] = [];
    // Its length in use: the array itself is only ever grown, never cut, so it is never reallocated.
    let copiedCount = 0;
    const open: OpenNode[] = [{ node: root, base: 0, count: 0, previousField: null, firstTokenStart: -1, lastCopied: false }];
    let top = open[0]!;
    let firstChild = true;
    for (;;) {
      const typeId = cursor.nodeTypeId;
      const isError = typeId === ERROR_TYPE_ID;
      let descended = false;
      if (isError || named[typeId]) {
        const type = isError ? 'ERROR' : names[typeId]!;
        const parent = top.node;
        const field = fieldOf(parent.type, type, top.count, top.previousField);
        if (type !== 'comment') {
          top.count++;
          top.previousField = field;
        }
        top.lastCopied = true;
        if (!isError && leaf[typeId]) {
          const start = cursor.startIndex;
          const kind = lexed[typeId]!;
          const end = kind !== 0 && !treeHasError ? tokenEnd(text, start, kind) : cursor.endIndex;
          const node = new SyntaxNode(source, type, field, start, end, parent);
          node.kids = NO_CHILDREN;
          copied[copiedCount++] = node;
          if (start === end && parent.type !== INHERITED_ATTRS) markError(node);
        } else {
          const reused = reuse && !isError ? reusedSubtree(reuse, cursor, type, field, source, parent) : undefined;
          if (reused) {
            copied[copiedCount++] = reused;
          } else {
            // The span is filled in when the node is closed, from its children.
            const node = new SyntaxNode(source, type, field, -1, -1, parent);
            node.kids = NO_CHILDREN;
            copied[copiedCount++] = node;
            if (isError) markError(node);
            if (cursor.gotoFirstChild()) {
              top = { node, base: copiedCount, count: 0, previousField: null, firstTokenStart: -1, lastCopied: false };
              open.push(top);
              descended = true;
            } else {
              setSpan(node, cursor.startIndex, cursor.endIndex);
              if (node.start === node.end) markError(node);
            }
          }
        }
      } else {
        top.lastCopied = false;
        if (firstChild) top.firstTokenStart = cursor.startIndex;
        // A missing anonymous token (`;`, `}`) still makes the surrounding code broken.
        if (treeHasError && cursor.nodeIsMissing) markError(top.node);
      }
      firstChild = descended;
      if (descended) continue;
      while (!cursor.gotoNextSibling()) {
        // The cursor is still on the last child of `top`: close `top`.
        const node = top.node;
        const kids = copiedCount > top.base ? copied.slice(top.base, copiedCount) : NO_CHILDREN;
        copiedCount = top.base;
        node.kids = kids;
        let dropped = false;
        if (node !== root) {
          const start = top.firstTokenStart >= 0 ? top.firstTokenStart : kids[0]!.start;
          const end = top.lastCopied ? kids[kids.length - 1]!.end : cursor.endIndex;
          setSpan(node, start, end);
          if (isNamesOfEmptyInherit(node)) {
            // Not copied: the statement holds no names (see isNamesOfEmptyInherit).
            copiedCount--;
            dropped = true;
          } else if (start === end || (node.type === INHERITED_ATTRS && kids.some((k) => k.start === k.end))) markError(node);
        }
        open.pop();
        if (open.length === 0 || !cursor.gotoParent()) return root;
        top = open[open.length - 1]!;
        top.lastCopied = !dropped;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The node at the cursor copied from the earlier version's copy, if its text did not change. */
function reusedSubtree(
  reuse: SubtreeReuse,
  cursor: TreeWalker,
  type: string,
  field: string | null,
  source: SyntaxSource,
  parent: SyntaxNode,
): SyntaxNode | undefined {
  const start = cursor.startIndex;
  const old = reuse.find(type, start, cursor.endIndex);
  return old && copyShifted(old, source, parent, field, start - old.start);
}

/**
 * A copy of `old`'s subtree under `parent`, every offset moved by `shift`. Nodes are made in
 * document order, as a fresh copy makes them, so that walks over the copy find them close
 * together in memory.
 */
function copyShifted(old: SyntaxNode, source: SyntaxSource, parent: SyntaxNode, field: string | null, shift: number): SyntaxNode {
  const top = new SyntaxNode(source, old.type, field, old.start + shift, old.end + shift, parent);
  top.kids = copyOfKids(old.children);
  // Nodes still to copy, last first, with the copies of their parents and their places there.
  const originals: SyntaxNode[] = [];
  const parents: SyntaxNode[] = [];
  const places: number[] = [];
  for (let i = old.children.length - 1; i >= 0; i--) {
    originals.push(old.children[i]!);
    parents.push(top);
    places.push(i);
  }
  while (originals.length) {
    const original = originals.pop()!;
    const into = parents.pop()!;
    const copy = new SyntaxNode(source, original.type, original.field, original.start + shift, original.end + shift, into);
    const kids = original.children;
    copy.kids = copyOfKids(kids);
    into.kids![places.pop()!] = copy;
    for (let i = kids.length - 1; i >= 0; i--) {
      originals.push(kids[i]!);
      parents.push(copy);
      places.push(i);
    }
  }
  return top;
}

/**
 * An array of exactly the length of `kids`, its slots overwritten with the copies as they are made:
 * an array grown by `push` reserves room for 17, and a large subtree has tens of thousands of them.
 */
function copyOfKids(kids: readonly SyntaxNode[]): SyntaxNode[] {
  return kids.length ? kids.slice() : NO_CHILDREN;
}

/** Fills in the span of a node copied before its children. */
function setSpan(node: SyntaxNode, start: number, end: number): void {
  const writable = node as { start: number; end: number };
  writable.start = start;
  writable.end = end;
}

function markError(node: SyntaxNode): void {
  for (let n: SyntaxNode | null = node; n && !n.errorInside; n = n.parent) n.errorInside = true;
}

/** A syntax tree whose nodes are copied on demand; use it before `tree` is deleted. */
export function lazySyntaxTree(tree: Tree, text: string): SyntaxNode {
  const source: SyntaxSource = { text, tree };
  const root = tree.rootNode;
  return new LazySyntaxNode(source, root.type, null, root.startIndex, root.endIndex, null, root, 0);
}

/** Texts up to this long keep their lazy copy between questions (see `sharedLazySyntaxTree`). */
const SHARED_LAZY_MAX_LENGTH = 200_000;
/** How many trees (documents, or versions of one) keep their lazy copy. */
const SHARED_LAZY_TREES = 4;

/**
 * The lazy copies kept, most recently asked first. A short list held strongly rather than a
 * WeakMap keyed by the tree: a copy refers to its tree, and V8's young-generation collections keep
 * such entries alive, so every keystroke's copy would be promoted and pile up until a full
 * collection (each young collection copying megabytes); a copy dropped from this list is ordinary
 * garbage at once.
 */
const sharedLazyTrees: { tree: Tree; text: string; root: SyntaxNode }[] = [];

/**
 * The lazy copy of `tree` that every question about this version of the text shares: the nodes one
 * hover or completion copied out of tree-sitter are there for the next (hovers follow the mouse
 * over the same names; completion, hover and signature help ask about the same spot). A new
 * version has a new tree, and so a new copy. Large texts get a fresh copy each time, so that
 * questions all over a huge file never add up to a second full copy.
 */
export function sharedLazySyntaxTree(tree: Tree, text: string): SyntaxNode {
  if (text.length > SHARED_LAZY_MAX_LENGTH) return lazySyntaxTree(tree, text);
  const at = sharedLazyTrees.findIndex((shared) => shared.tree === tree && shared.text === text);
  const shared = at >= 0 ? sharedLazyTrees.splice(at, 1)[0]! : { tree, text, root: lazySyntaxTree(tree, text) };
  sharedLazyTrees.unshift(shared);
  if (sharedLazyTrees.length > SHARED_LAZY_TREES) sharedLazyTrees.pop();
  return shared.root;
}

/**
 * The deepest node containing `offset`, at most `maxDepth` levels below `root`. When the offset
 * sits between two nodes (the end of one and the start of the next), the one ending there wins if
 * `preferLeft`, as when a cursor sits just after the word being typed.
 */
export function nodeAt(root: SyntaxNode, offset: number, preferLeft = true, maxDepth = Infinity): SyntaxNode {
  let node = root;
  for (let depth = 0; depth < maxDepth; depth++) {
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
  return node;
}

/** How many levels below the root `node` is. */
export function depthOf(node: SyntaxNode): number {
  let depth = 0;
  for (let n = node.parent; n; n = n.parent) depth++;
  return depth;
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
