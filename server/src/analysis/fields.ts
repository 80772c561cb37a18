// The field a child fills in its parent (`body`, `attrpath`, `expression`, …), worked out from the
// Nix grammar instead of asked from tree-sitter: asking costs a WebAssembly call per node, a fifth
// of the cost of copying a tree, while the grammar makes every field follow from the parent's type,
// the child's type and its position among the parent's named children (comments aside).
// `test/unit/analysis/syntaxTree.test.ts` checks the answers against tree-sitter's own fields.

const IF_FIELDS = ['condition', 'consequence', 'alternative'];

/**
 * The field of a named child of type `child`, the `index`-th non-comment named child of a
 * `parent` node, whose previous non-comment named sibling filled `previous`.
 */
export function fieldOf(parent: string, child: string, index: number, previous: string | null): string | null {
  if (child === 'comment') return null;
  switch (parent) {
    case 'source_code':
    case 'parenthesized_expression':
    case 'interpolation':
      return 'expression';
    case 'variable_expression':
      return 'name';
    case 'unary_expression':
      return 'argument';
    case 'function_expression':
      return child === 'identifier' ? 'universal' : child === 'formals' ? 'formals' : 'body';
    case 'formals':
      return child === 'formal' ? 'formal' : child === 'ellipses' ? 'ellipses' : null;
    case 'formal':
      return index === 0 && child === 'identifier' ? 'name' : 'default';
    case 'assert_expression':
      return index === 0 ? 'condition' : 'body';
    case 'with_expression':
      return index === 0 ? 'environment' : 'body';
    case 'let_expression':
      return child === 'binding_set' ? null : 'body';
    case 'if_expression':
      return IF_FIELDS[index] ?? null;
    case 'binary_expression':
      return index === 0 ? 'left' : 'right';
    case 'apply_expression':
      return index === 0 ? 'function' : 'argument';
    case 'select_expression':
    case 'has_attr_expression':
      if (index === 0) return 'expression';
      if (child === 'attrpath' && previous === 'expression') return 'attrpath';
      return previous === 'attrpath' ? 'default' : null;
    case 'binding_set':
      return 'binding';
    case 'binding':
      return child === 'attrpath' ? 'attrpath' : 'expression';
    case 'inherit':
      return 'attrs';
    case 'inherit_from':
      return child === 'inherited_attrs' ? 'attrs' : 'expression';
    case 'attrpath':
    case 'inherited_attrs':
      return 'attr';
    case 'list_expression':
      return 'element';
    default:
      return null;
  }
}
