// The statically known attributes of a binding set (`{ … }`, `rec { … }`, `let … in`): which names it
// defines, where, and what lies below them. `a.b = 1; a.c = 2;` and `a = { b = 1; }; a.c = 2;`
// describe one attribute `a` holding `b` and `c`, as Nix builds them.
//
// Nix merges two definitions of one name only when both are attribute sets written in place
// (a literal `{ … }` or an attribute path going through the name); anything else is a duplicate.
// Nix 2.8 rejected some deeper merges that later versions accept
// (`a = { b.c = 1; }; a = { b.d = 2; };`); the newer, more permissive rule is used so that valid
// code is never reported.
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
  if (bindingSet) addBindings(shape, bindingSet, [], duplicates);
  return shape;
}

/** `prefix` is the path from the analysed binding set down to `shape`, for duplicate messages. */
function addBindings(shape: AttrShape, bindingSet: SyntaxNode, prefix: readonly string[], duplicates: DuplicateAttr[] | undefined): void {
  for (const binding of bindingSet.children) {
    if (binding.type === 'binding') {
      const attrpath = binding.child('attrpath');
      if (!attrpath) continue;
      const attrs = attrpath.childrenOf('attr');
      if (attrs.length === 0) continue;
      addPath(shape, attrs, 0, binding.child('expression'), binding, prefix, duplicates);
    } else if (binding.type === 'inherit' || binding.type === 'inherit_from') {
      const from = binding.type === 'inherit_from' ? binding.child('expression') : undefined;
      const list = binding.child('attrs');
      if (!list) continue;
      for (const attr of list.childrenOf('attr')) {
        const name = attrName(attr);
        if (name === undefined) continue;
        const existing = shape.entries.get(name);
        if (existing) {
          reportDuplicate(duplicates, [...prefix, name], attr, existing);
          existing.nameNodes.push(attr);
          existing.inherits.push({ attr, statement: binding, from });
          continue;
        }
        shape.entries.set(name, {
          name,
          nameNodes: [attr],
          values: [],
          inherits: [{ attr, statement: binding, from }],
          bindings: [],
          nested: undefined,
        });
      }
    }
  }
}

function addPath(
  shape: AttrShape,
  attrs: SyntaxNode[],
  index: number,
  value: SyntaxNode | undefined,
  binding: SyntaxNode,
  prefix: readonly string[],
  duplicates: DuplicateAttr[] | undefined,
): void {
  const attr = attrs[index]!;
  const name = attrName(attr);
  if (name === undefined) {
    shape.dynamic.push(binding);
    return;
  }
  const last = index === attrs.length - 1;
  let entry = shape.entries.get(name);
  if (!entry) {
    entry = { name, nameNodes: [], values: [], inherits: [], bindings: [], nested: undefined };
    shape.entries.set(name, entry);
  } else {
    const mergeable =
      entry.inherits.length === 0 && entry.values.every((v) => isAttrSetLiteral(v)) && (!last || isAttrSetLiteral(value));
    if (!mergeable) reportDuplicate(duplicates, [...prefix, name], attr, entry);
  }
  entry.nameNodes.push(attr);
  entry.bindings.push(binding);
  // The path is only needed to describe duplicates; it is built only when they are collected.
  const path = duplicates ? [...prefix, name] : prefix;
  if (!last) {
    entry.nested ??= emptyShape();
    addPath(entry.nested, attrs, index + 1, value, binding, path, duplicates);
    return;
  }
  if (!value) return;
  entry.values.push(value);
  const literal = unparenthesize(value);
  if (literal && isAttrSetLiteral(literal)) {
    entry.nested ??= emptyShape();
    const inner = bindingSetOf(literal);
    if (inner) addBindings(entry.nested, inner, path, duplicates);
  }
}

function reportDuplicate(duplicates: DuplicateAttr[] | undefined, path: string[], node: SyntaxNode, entry: AttrEntry): void {
  if (!duplicates) return;
  const previous = entry.nameNodes[0];
  if (previous) duplicates.push({ path, node, previous });
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
