// Inline a `let` binding: every use of the name becomes its value (in parentheses where needed)
// and the binding goes; so does the `let in` when nothing is left in it. Offered when each use
// sees every name the value reads as the binding does (nothing shadows them there), the value does
// not read the name itself, and no use is an `inherit`.
import type { Analysis } from '../../analysis/analysis';
import type { Definition, Resolution } from '../../analysis/scopes';
import { nodeAt } from '../../analysis/syntaxTree';
import { removalRange } from '../local/textEdits';
import { asOperand, type Assist, type OffsetEdit } from './assist';

export const inlineLet: Assist = (context) => {
  const { analysis } = context;
  const node = nodeAt(analysis.root, context.start, true);
  const definition = analysis.definitionNamedBy(node) ?? definitionUsedAt(analysis, node);
  if (!definition || definition.kind !== 'let' || !definition.entry) return [];
  const { bindings, inherits } = definition.entry;
  const binding = bindings[0];
  if (bindings.length !== 1 || inherits.length || binding?.type !== 'binding') return [];
  if (binding.child('attrpath')!.childrenOf('attr').length !== 1) return [];
  const value = binding.child('expression');
  const letNode = definition.scope;
  if (!value || value.hasError || letNode.hasError || definition.uses.length === 0) return [];
  if (definition.uses.some((use) => use.inherit || (use.node.start >= binding.start && use.node.end <= binding.end))) return [];
  const read = analysis.uses.filter((use) => use.node.start >= value.start && use.node.end <= value.end);
  for (const use of definition.uses) {
    for (const r of read) if (!sameResolution(analysis.scopes.lookup(r.name, use.node), r.resolution)) return [];
  }
  const replacement = asOperand(value);
  const edits: OffsetEdit[] = definition.uses.map((use) => ({ start: use.node.start, end: use.node.end, newText: replacement }));
  const others = letNode.childOfType('binding_set')!.children.filter((c) => c.type !== 'comment' && c !== binding);
  const body = letNode.child('body');
  if (others.length === 0 && body) edits.push({ start: letNode.start, end: body.start, newText: '' });
  else edits.push({ ...removalRange(analysis.text, binding.start, binding.end), newText: '' });
  return [{ title: `Inline '${definition.name}'`, kind: 'refactor.inline', edits }];
};

function definitionUsedAt(analysis: Analysis, node: Parameters<Analysis['useAt']>[0]): Definition | undefined {
  const use = analysis.useAt(node);
  return use?.resolution.kind === 'local' ? use.resolution.definition : undefined;
}

function sameResolution(a: Resolution, b: Resolution): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'local' && b.kind === 'local') return a.definition === b.definition;
  if (a.kind === 'with' && b.kind === 'with') return a.withs.length === b.withs.length && a.withs.every((w, i) => w === b.withs[i]);
  return true;
}
