// Walking a whole tree-sitter tree, fast. Copying a tree for analysis visits every node, and
// web-tree-sitter's TreeCursor passes its four-word state to WebAssembly and back on every call
// through emscripten's generic `setValue`/`getValue` (a type switch and a DataView access per
// word): that bookkeeping is about half the cost of a walk. A `TreeWalker` makes the same calls
// into the same WebAssembly functions, moving the state with plain Int32Array stores.
//
// It relies on two details of web-tree-sitter's runtime: the object given to `Parser.init` becomes
// the emscripten module (with `HEAP32` and the exported `_ts_*` functions), and `_ts_init` returns
// the address of the transfer buffer (calling it again only rewrites two version words). Both are
// checked when the runtime is registered: the direct walk must see exactly what a TreeCursor sees
// on a sample tree, else every walk uses TreeCursor as before.
import type { Node, Parser, Tree, TreeCursor } from 'web-tree-sitter';

/** The part of a tree cursor a whole-tree walk needs; web-tree-sitter's TreeCursor has it too. */
export interface TreeWalker {
  readonly nodeTypeId: number;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

/** The exports of web-tree-sitter's emscripten module that a walk uses. */
interface TreeSitterRuntime {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_named_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const RUNTIME_FUNCTIONS = [
  '_ts_init',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_node_is_named_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
] as const;

let registered: { runtime: TreeSitterRuntime; transfer: number } | undefined;
let enabled = true;

/** Web-tree-sitter objects keep their WebAssembly handles in numbered fields. */
type Handles = Record<number, number>;

class DirectWalker implements TreeWalker {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private readonly tree: number;

  constructor(
    private readonly runtime: TreeSitterRuntime,
    private readonly transfer: number,
    private readonly cursor: TreeCursor,
    tree: Tree,
  ) {
    const state = cursor as unknown as Handles;
    this.s0 = state[0]!;
    this.s1 = state[1]!;
    this.s2 = state[2]!;
    this.s3 = state[3]!;
    this.tree = (tree as unknown as Handles)[0]!;
  }

  /** Writes the state where the next call reads it. HEAP32 is read each time: memory can grow. */
  private put(): number {
    const heap = this.runtime.HEAP32;
    const at = this.transfer;
    heap[at] = this.s0;
    heap[at + 1] = this.s1;
    heap[at + 2] = this.s2;
    heap[at + 3] = this.s3;
    return this.tree;
  }

  private take(): void {
    const heap = this.runtime.HEAP32;
    const at = this.transfer;
    this.s0 = heap[at]!;
    this.s1 = heap[at + 1]!;
    this.s2 = heap[at + 2]!;
    this.s3 = heap[at + 3]!;
  }

  get nodeTypeId(): number {
    return this.runtime._ts_tree_cursor_current_node_type_id_wasm(this.put());
  }

  get nodeIsNamed(): boolean {
    return this.runtime._ts_tree_cursor_current_node_is_named_wasm(this.put()) === 1;
  }

  get nodeIsMissing(): boolean {
    return this.runtime._ts_tree_cursor_current_node_is_missing_wasm(this.put()) === 1;
  }

  get startIndex(): number {
    return this.runtime._ts_tree_cursor_start_index_wasm(this.put());
  }

  get endIndex(): number {
    return this.runtime._ts_tree_cursor_end_index_wasm(this.put());
  }

  gotoFirstChild(): boolean {
    const moved = this.runtime._ts_tree_cursor_goto_first_child_wasm(this.put());
    this.take();
    return moved === 1;
  }

  gotoNextSibling(): boolean {
    const moved = this.runtime._ts_tree_cursor_goto_next_sibling_wasm(this.put());
    this.take();
    return moved === 1;
  }

  gotoParent(): boolean {
    const moved = this.runtime._ts_tree_cursor_goto_parent_wasm(this.put());
    this.take();
    return moved === 1;
  }

  /** Hands the state back to the TreeCursor, which frees what WebAssembly holds for it. */
  delete(): void {
    const state = this.cursor as unknown as Handles;
    state[0] = this.s0;
    state[1] = this.s1;
    state[2] = this.s2;
    state[3] = this.s3;
    this.cursor.delete();
  }
}

/** A walker at the root of `tree`: the direct one when the runtime passed its check, else a TreeCursor. */
export function walkTree(tree: Tree): TreeWalker {
  return walkerOf(tree.walk(), tree);
}

/** A walker over the subtree of `node` (it cannot leave it, as a TreeCursor cannot). */
export function walkNode(node: Node): TreeWalker {
  return walkerOf(node.walk(), node.tree);
}

function walkerOf(cursor: TreeCursor, tree: Tree): TreeWalker {
  return registered && enabled ? new DirectWalker(registered.runtime, registered.transfer, cursor, tree) : cursor;
}

/** Every node a walk sees, as `type start end named missing` lines. */
function walkTrace(walker: TreeWalker): string[] {
  const seen: string[] = [];
  try {
    for (;;) {
      seen.push(`${walker.nodeTypeId} ${walker.startIndex} ${walker.endIndex} ${walker.nodeIsNamed} ${walker.nodeIsMissing}`);
      if (walker.gotoFirstChild()) continue;
      while (!walker.gotoNextSibling()) if (!walker.gotoParent()) return seen;
    }
  } finally {
    walker.delete();
  }
}

/** Code with the node kinds a walk meets: nesting, tokens, an error and a missing token. */
const SAMPLE = '{ a = [ 1 "x${b}" ./p ]; c = x: x.y or 2; d = { e = f; }\n';

/**
 * Registers the emscripten module `Parser.init` was given (see above) after checking that walking
 * directly sees what a TreeCursor sees on a sample parsed with `parser`. Returns whether it is used.
 */
export function registerTreeSitterRuntime(candidate: object, parser: Parser): boolean {
  registered = undefined;
  const runtime = candidate as Partial<TreeSitterRuntime>;
  if (!(runtime.HEAP32 instanceof Int32Array) || RUNTIME_FUNCTIONS.some((name) => typeof runtime[name] !== 'function')) return false;
  // The heap is read word by word as the host orders bytes; WebAssembly memory is little-endian.
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) return false;
  const tree = parser.parse(SAMPLE);
  if (!tree) return false;
  try {
    const address = (runtime as TreeSitterRuntime)._ts_init();
    if (!Number.isInteger(address) || address <= 0 || address % 4 !== 0) return false;
    const expected = walkTrace(tree.walk());
    const actual = walkTrace(new DirectWalker(runtime as TreeSitterRuntime, address / 4, tree.walk(), tree));
    if (expected.length < 10 || expected.join('\n') !== actual.join('\n')) return false;
    registered = { runtime: runtime as TreeSitterRuntime, transfer: address / 4 };
    return true;
  } catch {
    return false;
  } finally {
    tree.delete();
  }
}

/** Whether walks go straight to WebAssembly. */
export function directWalks(): boolean {
  return registered !== undefined && enabled;
}

/** Lets benchmarks and tests compare with TreeCursor walks; on by default. */
export function useDirectWalks(on: boolean): void {
  enabled = on;
}
