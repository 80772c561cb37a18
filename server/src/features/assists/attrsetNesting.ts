// Flatten and pack attribute sets: `a = { b = 1; c = 2; };` ↔ `a.b = 1; a.c = 2;`.
// Nix merges the bindings of one path into one set, so both spellings mean the same. Flattening
// is offered for a plain (non-`rec`) set holding only `name = value;` bindings (an `inherit`
// inside would read its names from a different scope once moved out). Packing gathers every
// binding of the set starting with the same name, and is offered only when none of them binds
// that name whole (`a = …;` beside `a.b = …;`).
import { attrName } from '../../analysis/names';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { removalRange } from '../local/textEdits';
import { enclosing, indentationAt, reindent, type Assist, type AssistResult, type OffsetEdit } from './assist';

/** More bindings than this under one name are a file's structure (`services.…` of a big module), not a set to pack. */
const MAX_PACKED = 100;

export const attrsetNesting: Assist = (context) => {
  const binding = enclosing(context, 'binding');
  if (!binding || binding.hasError || binding.parent?.type !== 'binding_set') return [];
  const flat = flatten(binding);
  const packed = pack(binding);
  return [...(flat ? [flat] : []), ...(packed ? [packed] : [])];
};

function staticPath(binding: SyntaxNode): SyntaxNode[] | undefined {
  const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
  return attrs.length > 0 && attrs.every((a) => attrName(a) !== undefined) ? [...attrs] : undefined;
}

function flatten(binding: SyntaxNode): AssistResult | undefined {
  const path = staticPath(binding);
  const value = binding.child('expression');
  if (!path || value?.type !== 'attrset_expression') return undefined;
  const set = value.childOfType('binding_set');
  const inner = set?.children.filter((c) => c.type !== 'comment') ?? [];
  if (inner.length === 0 || inner.some((b) => b.type !== 'binding')) return undefined;
  const text = binding.source.text;
  const prefix = text.slice(path[0]!.start, path[path.length - 1]!.end);
  const outerIndent = indentationAt(text, binding.start);
  const multiline = value.text.includes('\n');
  const innerIndent = multiline ? indentationAt(text, inner[0]!.start) : outerIndent;
  const pieces: string[] = [];
  // Comments between the bindings move along with them.
  let previousEnd = value.start + 1;
  for (const b of [...inner, undefined]) {
    const gap = text.slice(previousEnd, b ? b.start : value.end - 1).trim();
    if (gap) pieces.push(reindent(gap, innerIndent, outerIndent));
    if (!b) break;
    pieces.push(`${prefix}.${reindent(b.text, innerIndent, outerIndent)}`);
    previousEnd = b.end;
  }
  const newText = pieces.join(multiline ? `\n${outerIndent}` : ' ');
  return { title: `Flatten '${prefix}' into dotted bindings`, kind: 'refactor.rewrite', edits: [{ start: binding.start, end: binding.end, newText }] };
}

function pack(binding: SyntaxNode): AssistResult | undefined {
  const path = staticPath(binding);
  if (!path || path.length < 2) return undefined;
  const name = attrName(path[0]!)!;
  const set = binding.parent!;
  const group: SyntaxNode[] = [];
  for (const sibling of set.children) {
    if (sibling.type === 'binding') {
      const first = sibling.child('attrpath')?.childrenOf('attr')[0];
      if (!first || attrName(first) !== name) continue;
      if (sibling.child('attrpath')!.childrenOf('attr').length < 2 || group.length >= MAX_PACKED) return undefined;
      group.push(sibling);
    } else if (sibling.type === 'inherit' || sibling.type === 'inherit_from') {
      if ((sibling.child('attrs')?.childrenOf('attr') ?? []).some((a) => attrName(a) === name)) return undefined;
    }
  }
  const text = binding.source.text;
  const outerIndent = indentationAt(text, group[0]!.start);
  const innerIndent = `${outerIndent}  `;
  const rests = group.map((b) => {
    const attrs = b.child('attrpath')!.childrenOf('attr');
    return reindent(text.slice(attrs[1]!.start, b.end), outerIndent, innerIndent);
  });
  const oneLine = rests.every((r) => !r.includes('\n')) && rests.join(' ').length <= 60;
  const key = path[0]!.text;
  const newText = oneLine ? `${key} = { ${rests.join(' ')} };` : `${key} = {\n${rests.map((r) => innerIndent + r).join('\n')}\n${outerIndent}};`;
  const edits: OffsetEdit[] = [{ start: group[0]!.start, end: group[0]!.end, newText }];
  for (const other of group.slice(1)) edits.push({ ...removalRange(text, other.start, other.end), newText: '' });
  return { title: `Pack '${key}.…' bindings into one attribute set`, kind: 'refactor.rewrite', edits };
}
