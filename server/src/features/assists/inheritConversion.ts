// `a = a;` ↔ `inherit a;` and `a = x.a;` ↔ `inherit (x) a;`.
// Meaning is kept: `inherit a;` reads `a` from outside the binding set, which is where `a = a;`
// reads it only in a plain (non-`rec`) attribute set, so that pair is offered only there; `inherit
// (x)` evaluates `x` in the same scope as the binding's value, so it is offered in every set.
import { attrName } from '../../analysis/names';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { enclosing, type Assist, type AssistResult } from './assist';

export const inheritConversion: Assist = (context) => {
  const node = enclosing(context, 'binding', 'inherit', 'inherit_from');
  if (!node || node.hasError) return [];
  const result = node.type === 'binding' ? toInherit(node) : toBindings(node);
  return result ? [result] : [];
};

/** The node the bindings of a binding set belong to (`attrset_expression`, `let_expression`, …). */
function ownerOf(statement: SyntaxNode): SyntaxNode | undefined {
  return statement.parent?.parent ?? undefined;
}

function toInherit(binding: SyntaxNode): AssistResult | undefined {
  const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
  const value = binding.child('expression');
  if (attrs.length !== 1 || !value) return undefined;
  const key = attrs[0]!;
  const name = attrName(key);
  if (name === undefined) return undefined;
  if (value.type === 'variable_expression' && value.text === name) {
    if (ownerOf(binding)?.type !== 'attrset_expression') return undefined;
    return { title: `Convert to 'inherit ${key.text};'`, kind: 'refactor.rewrite', edits: [{ start: binding.start, end: binding.end, newText: `inherit ${key.text};` }] };
  }
  if (value.type !== 'select_expression' || value.child('default')) return undefined;
  const path = value.child('attrpath')?.childrenOf('attr') ?? [];
  const last = path[path.length - 1];
  const base = value.child('expression');
  if (!last || !base || attrName(last) !== name) return undefined;
  // `x.y.a`: the base is everything before the last `.`.
  const baseText = path.length === 1 ? unparenthesizedText(base) : binding.source.text.slice(base.start, path[path.length - 2]!.end);
  const newText = `inherit (${baseText}) ${key.text};`;
  return { title: `Convert to '${shorten(newText)}'`, kind: 'refactor.rewrite', edits: [{ start: binding.start, end: binding.end, newText }] };
}

function toBindings(statement: SyntaxNode): AssistResult | undefined {
  const attrs = statement.child('attrs')?.childrenOf('attr') ?? [];
  if (attrs.length === 0 || attrs.some((a) => attrName(a) === undefined)) return undefined;
  let bindings: string[];
  if (statement.type === 'inherit') {
    if (ownerOf(statement)?.type !== 'attrset_expression') return undefined;
    // A quoted name cannot be read as a variable: `inherit "a-b";` has no `x = x;` form.
    if (attrs.some((a) => a.type !== 'identifier')) return undefined;
    bindings = attrs.map((a) => `${a.text} = ${a.text};`);
  } else {
    const base = statement.child('expression');
    if (!base) return undefined;
    const baseText = selectable(base) ? base.text : `(${base.text})`;
    bindings = attrs.map((a) => `${a.text} = ${baseText}.${a.text};`);
  }
  const newText = bindings.join(' ');
  return {
    title: attrs.length === 1 ? `Convert to '${shorten(newText)}'` : 'Convert inherit to bindings',
    kind: 'refactor.rewrite',
    edits: [{ start: statement.start, end: statement.end, newText }],
  };
}

/** Expressions that can be followed by `.a` as they are. */
function selectable(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'variable_expression':
    case 'parenthesized_expression':
    case 'attrset_expression':
    case 'rec_attrset_expression':
    case 'list_expression':
      return true;
    case 'select_expression':
      return !node.child('default');
    default:
      return false;
  }
}

function unparenthesizedText(node: SyntaxNode): string {
  return node.type === 'parenthesized_expression' ? (node.child('expression')?.text ?? node.text) : node.text;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
