// The calls and operators module detection sees through: `mkIf c { … }` is the set, `a // b` is
// both sides. Shared by the detection of whole-file modules (moduleFile.ts) and the module state
// along a path (modules.ts).
import { unparenthesize } from './attrShapes';
import { attrName } from './names';
import type { SyntaxNode } from './syntaxTree';

/** The most arguments of any call the module detection recognises (`mkIf c v`, `mkOrder n v`). */
const MAX_CALL_ARGS = 2;

/** Wrappers whose last argument is the value itself, with the number of arguments they take. */
export const TRANSPARENT_CALLS: ReadonlyMap<string, number> = new Map([
  ['mkIf', 2],
  ['mkDefault', 1],
  ['mkForce', 1],
  ['mkOverride', 2],
  ['mkBefore', 1],
  ['mkAfter', 1],
  ['mkOrder', 2],
  ['mkVMOverride', 1],
  ['mkOptionDefault', 1],
  ['mkImageMediaOverride', 1],
  ['mkFixStrictness', 1],
  ['optionalAttrs', 2],
  ['optionals', 2],
]);

/**
 * The name of the function an application calls (`mkIf` for `lib.mkIf c v`), and its arguments;
 * no name for a call with more arguments than any function recognised here takes.
 */
export function callOf(apply: SyntaxNode): { head: string | undefined; args: SyntaxNode[] } {
  const args: SyntaxNode[] = [];
  let fn: SyntaxNode | undefined = apply;
  while (fn && fn.type === 'apply_expression') {
    // Every function asked about takes at most MAX_CALL_ARGS arguments. Stopping there keeps this
    // short where broken code (an unclosed string) parses as one call with thousands of arguments
    // and every one of its nested calls is asked about.
    if (args.length > MAX_CALL_ARGS) return { head: undefined, args: args.reverse() };
    const argument = fn.child('argument');
    if (argument) args.push(argument);
    fn = unparenthesize(fn.child('function'));
  }
  args.reverse();
  let head: string | undefined;
  if (fn?.type === 'variable_expression') head = fn.child('name')?.text;
  else if (fn?.type === 'select_expression') {
    const attrs = fn.child('attrpath')?.childrenOf('attr') ?? [];
    head = attrs.length ? attrName(attrs[attrs.length - 1]!) : undefined;
  }
  return { head, args };
}

/** The operator of a binary expression, read from the text between its operands. */
export function operatorOf(node: SyntaxNode, text: string): string {
  const left = node.child('left');
  const right = node.child('right');
  if (!left || !right) return '';
  return text.slice(left.end, right.start).replace(/#[^\n]*|\/\*[\s\S]*?\*\//g, '').trim();
}
