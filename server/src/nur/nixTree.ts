// Small questions about tree-sitter-nix trees that the NUR code asks again and again: "which
// attribute set does this file evaluate to", "what are its bindings", "is this a call of
// callPackage". They read the tree only; nothing here evaluates Nix.
import type { Node } from 'web-tree-sitter';
import { attrName, namedChildrenOf, rangeOf } from '../syntax/nodes';

export { rangeOf, namedChildrenOf as namedChildren };

/** Looks through parentheses, `let … in`, `with …;` and `assert …;` to the expression that gives the value. */
export function unwrapExpression(node: Node | null): Node | null {
  let current = node;
  while (current) {
    switch (current.type) {
      case 'parenthesized_expression':
        current = current.childForFieldName('expression');
        break;
      case 'let_expression':
      case 'with_expression':
      case 'assert_expression':
        current = current.childForFieldName('body');
        break;
      default:
        return current;
    }
  }
  return null;
}

export type AttrsetNode = Node & { type: 'attrset_expression' | 'rec_attrset_expression' };

export function isAttrset(node: Node | null | undefined): node is AttrsetNode {
  return !!node && (node.type === 'attrset_expression' || node.type === 'rec_attrset_expression');
}

/**
 * The attribute set a file evaluates to: the body of its top-level function (for files like
 * `{ pkgs ? import <nixpkgs> { } }: { … }`) or the file itself, seen through `let`/`with`.
 */
export function topLevelAttrset(root: Node): Node | null {
  let expression = unwrapExpression(root.type === 'source_code' ? root.childForFieldName('expression') ?? firstNamed(root) : root);
  if (expression?.type === 'function_expression') expression = unwrapExpression(expression.childForFieldName('body'));
  return isAttrset(expression) ? expression : null;
}

function firstNamed(node: Node): Node | null {
  return namedChildrenOf(node).find((child) => child.type !== 'comment') ?? null;
}

/** The `binding` and `inherit` nodes of an attribute set (or `let`), in source order. */
export function bindingsOf(attrset: Node): Node[] {
  const set = namedChildrenOf(attrset).find((child) => child.type === 'binding_set');
  return set ? namedChildrenOf(set).filter((child) => child.type !== 'comment') : [];
}

const PLAIN_ATTRPATH = /^[A-Za-z_][A-Za-z0-9_'-]*(?:\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

/** The attribute names of a binding's path as written, `a.b."c"` → `['a', 'b', 'c']`; undefined for dynamic parts. */
export function attrpathNames(binding: Node): string[] | undefined {
  const attrpath = binding.childForFieldName('attrpath');
  if (!attrpath) return undefined;
  // Most paths are plain identifiers: read them from the text instead of visiting each node.
  const text = attrpath.text;
  if (PLAIN_ATTRPATH.test(text)) return text.split('.');
  const names: string[] = [];
  for (const attr of attrpath.childrenForFieldName('attr')) {
    if (!attr) return undefined;
    const name = attrName(attr);
    if (name === undefined) return undefined;
    names.push(name);
  }
  return names;
}

/** Every name an attribute set (or `let`) defines at its first level, including inherited ones. */
export function definedNames(attrset: Node): Set<string> {
  const names = new Set<string>();
  for (const binding of bindingsOf(attrset)) {
    if (binding.type === 'binding') {
      const path = attrpathNames(binding);
      if (path) names.add(path[0]);
    } else {
      for (const name of inheritedNames(binding)) names.add(name);
    }
  }
  return names;
}

/** The names an `inherit a b;` or `inherit (x) a b;` binds. */
export function inheritedNames(inherit: Node): string[] {
  const attrs = inherit.childForFieldName('attrs');
  const names: string[] = [];
  for (const attr of attrs ? attrs.childrenForFieldName('attr') : []) {
    const name = attr && attrName(attr);
    if (name) names.push(name);
  }
  return names;
}

/** The single-name binding `name = …;` of an attribute set, if there is one. */
export function findBinding(attrset: Node, name: string): Node | undefined {
  return bindingsOf(attrset).find((binding) => {
    const path = binding.type === 'binding' ? attrpathNames(binding) : undefined;
    return path?.length === 1 && path[0] === name;
  });
}

/** `f a b` → `{ callee: f, args: [a, b] }`, following the curried applications. */
export function flattenApplication(node: Node): { callee: Node; args: Node[] } | undefined {
  if (node.type !== 'apply_expression') return undefined;
  const args: Node[] = [];
  let current: Node | null = node;
  while (current?.type === 'apply_expression') {
    const argument = current.childForFieldName('argument');
    if (argument) args.unshift(argument);
    current = current.childForFieldName('function');
  }
  return current ? { callee: current, args } : undefined;
}

/**
 * The dotted name of a callee, `pkgs.callPackage` → `['pkgs', 'callPackage']`,
 * `callPackage` → `['callPackage']`; undefined when it is not a plain name.
 */
export function calleeName(callee: Node): string[] | undefined {
  if (callee.type === 'variable_expression') {
    const name = callee.childForFieldName('name');
    return name ? [name.text] : undefined;
  }
  if (callee.type === 'select_expression' && !callee.childForFieldName('default')) {
    const base = callee.childForFieldName('expression');
    const attrpath = callee.childForFieldName('attrpath');
    if (!base || !attrpath) return undefined;
    const prefix = calleeName(unwrapExpression(base) ?? base);
    if (!prefix) return undefined;
    const rest: string[] = [];
    for (const attr of attrpath.childrenForFieldName('attr')) {
      const name = attr && attrName(attr);
      if (!name) return undefined;
      rest.push(name);
    }
    return [...prefix, ...rest];
  }
  return undefined;
}

/** The innermost function of a (curried) call, without visiting the arguments: `f` of `f a b`. */
export function calleeOf(expression: Node | null): Node | null {
  let current = expression;
  if (current?.type !== 'apply_expression') return null;
  while (current?.type === 'apply_expression') current = current.childForFieldName('function');
  return current;
}

const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_'-]*(?:\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

/** The dotted name a callee spells, from its text: `pkgs.callPackage` → `['pkgs', 'callPackage']`. */
export function calleeText(callee: Node | null): string[] | undefined {
  if (!callee || (callee.type !== 'variable_expression' && callee.type !== 'select_expression')) return undefined;
  const text = callee.text.replace(/\s+/g, '');
  return DOTTED_NAME.test(text) ? text.split('.') : calleeName(callee);
}

/** True for `callPackage ./x { }`, `pkgs.callPackage ./x { }` and the like. */
export function isCallPackage(expression: Node | null): boolean {
  const callee = calleeOf(expression && unwrapExpression(expression));
  if (!callee) return false;
  // Cheap test on the text first; only a match is looked at closely.
  if (!callee.text.endsWith('callPackage')) return false;
  const name = calleeText(callee);
  return !!name && name[name.length - 1] === 'callPackage';
}

/** The text of a path literal without interpolation (`./pkgs/foo`), else undefined. */
export function literalPath(node: Node | null): string | undefined {
  if (!node || node.type !== 'path_expression') return undefined;
  const parts = namedChildrenOf(node);
  if (!parts.every((part) => part.type === 'path_fragment')) return undefined;
  return node.text;
}

/** The whitespace before a node on its line, when the node starts the line (else undefined). */
export function lineIndent(text: string, node: Node): string | undefined {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const before = text.slice(lineStart, node.startIndex);
  return /^[ \t]*$/.test(before) ? before : undefined;
}
