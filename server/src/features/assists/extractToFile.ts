// Extract an attribute set to a new file beside the document, replaced by `import ./name.nix`.
// The names it reads from around it become the new file's arguments (`{ lib, cfg }: { … }`,
// called as `import ./name.nix { inherit lib cfg; }`, which reads them from the same scope); a
// set taking names from a `with` is not offered, since nothing could pass them on. Paths inside
// it stay correct, as the new file is in the same directory.
import { attrName } from '../../analysis/names';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { enclosing, selectedNode, shiftTail, standsAlone, type Assist, type AssistContext } from './assist';

export const extractToFile: Assist = (context) => {
  if (!context.canCreateFiles) return [];
  const set = setAtCursor(context);
  if (!set || set.hasError) return [];
  const { analysis } = context;
  const free = new Set<string>();
  for (const use of analysis.uses) {
    if (use.node.start < set.start || use.node.end > set.end) continue;
    const { resolution } = use;
    if (resolution.kind === 'with') return [];
    if (resolution.kind === 'local' && !inside(resolution.definition.scope, set)) free.add(use.name);
  }
  const name = fileName(context, set);
  const args = [...free].sort();
  const body = `${shiftTail(set.text, '')}\n`;
  const fileText = args.length ? `{ ${args.join(', ')} }:\n\n${body}` : body;
  let call = args.length ? `import ./${name} { inherit ${args.join(' ')}; }` : `import ./${name}`;
  if (!standsAlone(set)) call = `(${call})`;
  return [{ title: `Extract the attribute set to ./${name}`, kind: 'refactor.extract', edits: [{ start: set.start, end: set.end, newText: call }], newFile: { name, text: fileText } }];
};

/** A set the selection covers, or whose binding's name the cursor is on. */
function setAtCursor(context: AssistContext): SyntaxNode | undefined {
  const selected = selectedNode(context);
  if (selected) return isSet(selected) ? selected : undefined;
  const binding = enclosing(context, 'binding');
  const path = binding?.child('attrpath');
  const value = binding?.child('expression');
  if (!path || !value || context.start > path.end || !isSet(value)) return undefined;
  return value;
}

function isSet(node: SyntaxNode): boolean {
  return node.type === 'attrset_expression' || node.type === 'rec_attrset_expression';
}

function inside(node: SyntaxNode, container: SyntaxNode): boolean {
  return node.start >= container.start && node.end <= container.end;
}

/** `<last name of the binding>.nix`, or `extracted.nix`, numbered when such a file exists. */
function fileName(context: AssistContext, set: SyntaxNode): string {
  const binding = set.parent?.type === 'binding' ? set.parent : undefined;
  const attrs = binding?.child('attrpath')?.childrenOf('attr') ?? [];
  const last = attrs.length ? attrName(attrs[attrs.length - 1]!) : undefined;
  const base = last && /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(last) ? last : 'extracted';
  const exists = context.siblingExists ?? (() => false);
  if (!exists(`${base}.nix`)) return `${base}.nix`;
  for (let i = 2; ; i++) if (!exists(`${base}-${i}.nix`)) return `${base}-${i}.nix`;
}

