// The old `let { a = 1; body = a; }` form, which Nix still reads but has deprecated: its `body`
// attribute is the result. It is written as `let a = 1; in a` when `body` is one plain binding.
import { attrName } from '../../analysis/names';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { indentationAt, standsAlone, type AssistResult } from '../assists/assist';
import { removalRange } from '../local/textEdits';

export function isDeprecatedLet(node: SyntaxNode): boolean {
  return node.type === 'let_attrset_expression';
}

export function modernLet(node: SyntaxNode): AssistResult | undefined {
  if (node.hasError) return undefined;
  const bindings = node.childOfType('binding_set')?.children.filter((c) => c.type !== 'comment') ?? [];
  const named = (b: SyntaxNode) => b.child('attrpath')?.childrenOf('attr').map(attrName);
  const bodies = bindings.filter((b) => named(b)?.[0] === 'body' || (b.type !== 'binding' && (b.child('attrs')?.childrenOf('attr') ?? []).some((a) => attrName(a) === 'body')));
  const body = bodies[0];
  if (bodies.length !== 1 || body?.type !== 'binding' || named(body)!.length !== 1) return undefined;
  const value = body.child('expression');
  if (!value) return undefined;
  const text = node.source.text;
  const open = text.indexOf('{', node.start);
  const close = text.lastIndexOf('}', node.end);
  // The bindings without `body`, kept as they are written.
  const removal = removalRange(text, body.start, body.end);
  const inner = (text.slice(open + 1, removal.start) + text.slice(removal.end, close)).replace(/\s+$/, '');
  // Inside `let { }` the other bindings could read `body`; after the rewrite they could not.
  if (/(?<![\w'-])body(?![\w'-])/.test(inner)) return undefined;
  const indent = indentationAt(text, node.start);
  let newText: string;
  if (!inner.trim()) newText = value.text;
  else if (inner.includes('\n')) newText = `let${inner}\n${indent}in\n${indent}${value.text}`;
  else newText = `let ${inner.trim()} in ${value.text}`;
  if (!standsAlone(node)) newText = `(${newText})`;
  return { title: "Rewrite as 'let … in'", kind: 'quickfix', edits: [{ start: node.start, end: node.end, newText }] };
}
