// Small readers over tree-sitter-nix nodes shared by the build features: literal strings,
// attribute names, the attrset an expression evaluates to when that is visible without evaluating.
import type { Node } from 'web-tree-sitter';
import type { Range } from 'vscode-languageserver-types';

export function rangeOfNode(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** The value of a `"…"` or `''…''` string without interpolations, or undefined. */
export function literalString(node: Node | null | undefined): string | undefined {
  if (!node || (node.type !== 'string_expression' && node.type !== 'indented_string_expression')) return undefined;
  let value = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_fragment') value += child.text;
    else if (child.type === 'escape_sequence') value += unescape(child.text, node.type === 'indented_string_expression');
    else return undefined; // an interpolation
  }
  return value;
}

function unescape(sequence: string, indented: boolean): string {
  if (indented) {
    if (sequence === "'''") return "''";
    if (sequence === "''$") return '$';
    sequence = sequence.replace(/^''/, '');
  }
  const char = sequence.slice(1);
  return char === 'n' ? '\n' : char === 't' ? '\t' : char === 'r' ? '\r' : char;
}

/** The static name of one attrpath element (`foo`, `"foo.bar"`), or undefined for `${…}`. */
export function attrName(node: Node): string | undefined {
  if (node.type === 'identifier') return node.text;
  return literalString(node);
}

/** All static names of a binding's attrpath (`a.b.c` → [a, b, c]); undefined elements are dynamic. */
export function attrPathNames(binding: Node): (string | undefined)[] {
  const path = binding.childForFieldName('attrpath');
  if (!path) return [];
  return path.childrenForFieldName('attr').filter((attr): attr is Node => !!attr).map(attrName);
}

/** The `binding` nodes directly in an attrset or let (not `inherit`). */
export function bindingsOf(container: Node): Node[] {
  const set = container.namedChildren.find((child) => child?.type === 'binding_set');
  if (!set) return [];
  return set.namedChildren.filter((child): child is Node => !!child && child.type === 'binding');
}

/** The value of the binding named `name` (single-element attrpath) in an attrset or let. */
export function bindingValue(container: Node, name: string): Node | undefined {
  for (const binding of bindingsOf(container)) {
    const names = attrPathNames(binding);
    if (names.length === 1 && names[0] === name) return binding.childForFieldName('expression') ?? undefined;
  }
  return undefined;
}

export function isAttrset(node: Node | null | undefined): boolean {
  return !!node && (node.type === 'attrset_expression' || node.type === 'rec_attrset_expression');
}

/** Looks through parentheses, `let … in`, `with …;` and `assert …;` to the expression they yield. */
export function unwrap(node: Node | null | undefined): Node | undefined {
  let current = node ?? undefined;
  for (let guard = 0; current && guard < 64; guard++) {
    if (current.type === 'parenthesized_expression') current = current.childForFieldName('expression') ?? undefined;
    else if (current.type === 'let_expression' || current.type === 'with_expression' || current.type === 'assert_expression') {
      current = current.childForFieldName('body') ?? undefined;
    } else return current;
  }
  return current;
}

/**
 * The attrset an expression visibly evaluates to: itself, through wrappers, through a `let`
 * variable (`let self = { … }; in self`), or the body of a function (`{ pkgs ? … }: { … }`) when
 * `throughFunctions` allows it.
 */
export function attrsetOf(node: Node | null | undefined, throughFunctions: boolean): Node | undefined {
  let current = node ?? undefined;
  for (let guard = 0; current && guard < 16; guard++) {
    if (isAttrset(current)) return current;
    if (current.type === 'let_expression') {
      const body = unwrap(current.childForFieldName('body'));
      if (body?.type === 'variable_expression') {
        const name = body.childForFieldName('name')?.text;
        const bound = name ? bindingValue(current, name) : undefined;
        if (bound) {
          current = bound;
          continue;
        }
      }
      current = body;
    } else if (current.type === 'function_expression' && throughFunctions) {
      current = current.childForFieldName('body') ?? undefined;
    } else {
      const inner = unwrap(current);
      if (inner === current) return undefined;
      current = inner;
    }
  }
  return undefined;
}

/** The last name of the function an application calls: `pkgs.callPackage ./x { }` → `callPackage`. */
export function calledFunctionName(node: Node | null | undefined): string | undefined {
  let current = unwrap(node);
  while (current?.type === 'apply_expression') current = unwrap(current.childForFieldName('function'));
  if (!current) return undefined;
  if (current.type === 'variable_expression') return current.childForFieldName('name')?.text;
  if (current.type === 'select_expression') {
    const attrs = current.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
    const last = attrs[attrs.length - 1];
    return last ? attrName(last) : undefined;
  }
  return undefined;
}
