// The statically known attributes of a binding set (`{ … }`, `rec { … }`, `let … in`): which names it
// defines, where, and what lies below them. `a.b = 1; a.c = 2;` and `a = { b = 1; }; a.c = 2;`
// describe one attribute `a` holding `b` and `c`, as Nix builds them.
//
// Nix merges two definitions of one name only when both are attribute sets written in place
// (a literal `{ … }` or an attribute path going through the name); anything else is a duplicate.
// Nix 2.8 rejected some deeper merges that later versions accept
// (`a = { b.c = 1; }; a = { b.d = 2; };`); the newer, more permissive rule is used so that valid
// code is never reported.
import { MAX_SET_NESTING } from './depthLimits';
import { attrName } from './names';
import type { SyntaxNode } from './syntaxTree';

export interface InheritSite {
  /** The attribute node inside `inherit … ;`. */
  attr: SyntaxNode;
  /** The `inherit` or `inherit_from` node. */
  statement: SyntaxNode;
  /** The expression in `inherit (from) …`, undefined for a plain `inherit`. */
  from: SyntaxNode | undefined;
}

export interface AttrEntry {
  readonly name: string;
  /** Every attribute node naming this key: path parts of bindings and inherited attributes. */
  readonly nameNodes: SyntaxNode[];
  /** Right-hand sides of bindings whose path ends at this key. */
  readonly values: SyntaxNode[];
  readonly inherits: InheritSite[];
  /** The `binding` nodes whose path goes through or ends at this key. */
  readonly bindings: SyntaxNode[];
  /** Keys below this one, from longer paths and from attribute-set literal values. */
  nested: AttrShape | undefined;
}

export interface AttrShape {
  readonly entries: Map<string, AttrEntry>;
  /** Bindings at this level whose name is computed at evaluation time (`${x} = …`). */
  readonly dynamic: SyntaxNode[];
}

export interface DuplicateAttr {
  /** The full attribute path of the duplicated name, from the binding set being analysed. */
  path: string[];
  /** The later definition's name node. */
  node: SyntaxNode;
  /** The first definition's name node. */
  previous: SyntaxNode;
}

function emptyShape(): AttrShape {
  return { entries: new Map(), dynamic: [] };
}

/** Strips parentheses: `({ a = 1; })` is the attribute set itself to Nix. */
export function unparenthesize(node: SyntaxNode | undefined): SyntaxNode | undefined {
  while (node && node.type === 'parenthesized_expression') node = node.child('expression') ?? node.children[0];
  return node;
}

export function isAttrSetLiteral(node: SyntaxNode | undefined): boolean {
  const inner = unparenthesize(node);
  return !!inner && (inner.type === 'attrset_expression' || inner.type === 'rec_attrset_expression');
}

/** The `binding_set` of an attribute set, `rec` set or `let`; undefined for an empty one. */
export function bindingSetOf(owner: SyntaxNode): SyntaxNode | undefined {
  return owner.childOfType('binding_set');
}

/** Builds the shape of `bindingSet`, reporting duplicate names to `duplicates` when given. */
export function shapeOfBindingSet(bindingSet: SyntaxNode | undefined, duplicates?: DuplicateAttr[]): AttrShape {
  const shape = emptyShape();
  if (bindingSet) addBindings(shape, bindingSet, undefined, duplicates);
  return shape;
}

/**
 * The path from the analysed binding set down to a shape, innermost name first. Shared links keep
 * deep nesting linear; the path is spelled out only for a duplicate's message.
 */
type PathLink = { readonly name: string; readonly up: PathLink } | undefined;

function pathOf(link: PathLink, last: string): string[] {
  const names = [last];
  for (let l = link; l; l = l.up) names.push(l.name);
  return names.reverse();
}

/** A binding set waiting to be added to a shape. */
interface PendingSet {
  shape: AttrShape;
  bindings: readonly SyntaxNode[];
  next: number;
  prefix: PathLink;
}

/**
 * Adds the bindings of `bindingSet` to `shape`, and those of attribute sets written as values,
 * depth first and in document order (which decides which of two definitions is the duplicate).
 * The nested sets are kept on an explicit stack: generated code nests thousands deep.
 */
function addBindings(shape: AttrShape, bindingSet: SyntaxNode, prefix: PathLink, duplicates: DuplicateAttr[] | undefined): void {
  const stack: PendingSet[] = [{ shape, bindings: bindingSet.children, next: 0, prefix }];
  while (stack.length) {
    const pending = stack[stack.length - 1]!;
    if (pending.next >= pending.bindings.length) {
      stack.pop();
      continue;
    }
    const binding = pending.bindings[pending.next++]!;
    if (binding.type === 'binding') {
      const nested = addBindingPath(pending.shape, binding, pending.prefix, duplicates);
      if (nested && stack.length < MAX_SET_NESTING) stack.push({ ...nested, next: 0 });
    } else if (binding.type === 'inherit' || binding.type === 'inherit_from') {
      addInherit(pending.shape, binding, pending.prefix, duplicates);
    }
  }
}

function addInherit(shape: AttrShape, statement: SyntaxNode, prefix: PathLink, duplicates: DuplicateAttr[] | undefined): void {
  const from = statement.type === 'inherit_from' ? statement.child('expression') : undefined;
  const list = statement.child('attrs');
  if (!list) return;
  for (const attr of list.childrenOf('attr')) {
    const name = attrName(attr);
    if (name === undefined) continue;
    const existing = shape.entries.get(name);
    if (existing) {
      reportDuplicate(duplicates, prefix, name, attr, existing);
      existing.nameNodes.push(attr);
      existing.inherits.push({ attr, statement, from });
      continue;
    }
    shape.entries.set(name, {
      name,
      nameNodes: [attr],
      values: [],
      inherits: [{ attr, statement, from }],
      bindings: [],
      nested: undefined,
    });
  }
}

/**
 * Adds one binding's attribute path to `shape`. When the value is an attribute set literal, its
 * bindings still have to be added below the path's last entry: they are returned, not added here.
 */
function addBindingPath(
  shape: AttrShape,
  binding: SyntaxNode,
  prefix: PathLink,
  duplicates: DuplicateAttr[] | undefined,
): { shape: AttrShape; bindings: readonly SyntaxNode[]; prefix: PathLink } | undefined {
  const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
  if (attrs.length === 0) return undefined;
  const value = binding.child('expression');
  let current = shape;
  let path = prefix;
  for (let index = 0; index < attrs.length; index++) {
    const attr = attrs[index]!;
    const name = attrName(attr);
    if (name === undefined) {
      current.dynamic.push(binding);
      return undefined;
    }
    const last = index === attrs.length - 1;
    let entry = current.entries.get(name);
    if (!entry) {
      // Arrays written with their first element: most names are defined once, and an array grown
      // from empty by `push` reserves room for 17 (a 10,000-line file has tens of thousands).
      entry = { name, nameNodes: [attr], values: last && value ? [value] : [], inherits: [], bindings: [binding], nested: undefined };
      current.entries.set(name, entry);
    } else {
      const mergeable =
        entry.inherits.length === 0 && entry.values.every((v) => isAttrSetLiteral(v)) && (!last || isAttrSetLiteral(value));
      if (!mergeable) reportDuplicate(duplicates, path, name, attr, entry);
      entry.nameNodes.push(attr);
      entry.bindings.push(binding);
      if (last && value) entry.values.push(value);
    }
    path = { name, up: path };
    if (!last) {
      current = entry.nested ??= emptyShape();
      continue;
    }
    if (!value) return undefined;
    const literal = unparenthesize(value);
    if (!literal || !isAttrSetLiteral(literal)) return undefined;
    const nested = (entry.nested ??= emptyShape());
    const inner = bindingSetOf(literal);
    return inner ? { shape: nested, bindings: inner.children, prefix: path } : undefined;
  }
  return undefined;
}

function reportDuplicate(duplicates: DuplicateAttr[] | undefined, prefix: PathLink, name: string, node: SyntaxNode, entry: AttrEntry): void {
  if (!duplicates) return;
  const previous = entry.nameNodes[0];
  if (previous) duplicates.push({ path: pathOf(prefix, name), node, previous });
}

/** The entry reached by following `path` from `shape`, if every step is statically known. */
export function entryAt(shape: AttrShape | undefined, path: readonly string[]): AttrEntry | undefined {
  let entry: AttrEntry | undefined;
  let current = shape;
  for (const name of path) {
    entry = current?.entries.get(name);
    if (!entry) return undefined;
    current = entry.nested;
  }
  return entry;
}
