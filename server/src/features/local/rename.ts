// Rename for local code. A rename is refused, with a message saying why, whenever it would change
// what some name refers to:
// - a use of the renamed variable would be captured by an inner binding of the new name;
// - the renamed variable would hide an outer binding, builtin or `with` name some use relies on;
// - the new name is already bound next to it.
// Builtins and names that may come from `with` are not renamed (they are not defined here).
// `inherit a;` reading the renamed variable becomes `a = newName;`, so the attribute keeps its name.
import type { Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { locateAttrNode, type Analysis } from '../../analysis/analysis';
import type { AttrEntry } from '../../analysis/attrShapes';
import { formatAttrName, isIdentifier } from '../../analysis/names';
import type { Definition, Resolution } from '../../analysis/scopes';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { occurrencesOf, targetAt, type SymbolTarget } from './symbolTargets';
import { inheritToBinding, rangeOf, replace } from './textEdits';

export type PrepareRenameResult = { range: Range; placeholder: string } | { error: string };
export type RenameResult = { edit: WorkspaceEdit } | { error: string };

export function prepareRename(analysis: Analysis, offset: number): PrepareRenameResult {
  const target = targetAt(analysis, offset);
  if (!target) return { error: 'Nothing to rename here: place the cursor on a variable or attribute name.' };
  const refusal = refusalFor(target);
  if (refusal) return { error: refusal };
  return { range: rangeOf(analysis, target.node), placeholder: nameOf(target) };
}

export function renameAt(analysis: Analysis, uri: string, offset: number, newName: string): RenameResult {
  const target = targetAt(analysis, offset);
  if (!target) return { error: 'Nothing to rename here: place the cursor on a variable or attribute name.' };
  const refusal = refusalFor(target);
  if (refusal) return { error: refusal };
  let result: Edits;
  if (target.kind === 'definition') result = renameDefinition(analysis, target.definition, newName);
  else if (target.kind === 'attribute') result = renameAttribute(analysis, target, newName);
  else return { error: `'${nameOf(target)}' cannot be renamed.` };
  if ('error' in result) return result;
  return { edit: { changes: { [uri]: result.edits } } };
}

function nameOf(target: SymbolTarget): string {
  switch (target.kind) {
    case 'definition':
      return target.definition.name;
    case 'attribute':
      return target.entry.name;
    default:
      return target.name;
  }
}

function refusalFor(target: SymbolTarget): string | undefined {
  switch (target.kind) {
    case 'builtin':
      return `'${target.name}' is a Nix builtin; builtins cannot be renamed.`;
    case 'with':
      return `'${target.name}' may come from a 'with' expression, so it is not defined in this file and cannot be renamed safely.`;
    case 'undefined':
      return `'${target.name}' is not defined in this file.`;
    case 'definition':
      if (target.definition.entry?.inherits.length) {
        return `'${target.definition.name}' is brought in by 'inherit'; renaming it would change which attribute it takes.`;
      }
      return undefined;
    case 'attribute':
      if (target.definition || target.entry.inherits.length) {
        return `'${target.entry.name}' is brought in by 'inherit'; renaming it would change which attribute it takes.`;
      }
      return undefined;
  }
}

type Edits = { edits: TextEdit[] } | { error: string };

function position(analysis: Analysis, node: SyntaxNode): string {
  const p = analysis.lines.positionAt(node.start);
  return `${p.line + 1}:${p.character + 1}`;
}

function sameResolution(a: Resolution, b: Resolution): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'local' && b.kind === 'local') return a.definition === b.definition;
  if (a.kind === 'builtin' && b.kind === 'builtin') return a.name === b.name;
  return true;
}

function renameDefinition(analysis: Analysis, definition: Definition, newName: string): Edits {
  if (!isIdentifier(newName)) return { error: `'${newName}' is not a valid Nix identifier.` };
  if (newName === definition.name) return { edits: [] };
  const { scopes } = analysis;
  const clash = scopes.definitionsOf(definition.scope).get(newName);
  if (clash) return { error: `'${newName}' is already defined at ${position(analysis, clash.nameNodes[0]!)}.` };
  const renaming = { definition, newName };

  // Every use must still reach the renamed definition.
  for (const use of definition.uses) {
    const after = scopes.lookup(newName, use.node, { renaming, asBindingValue: !!use.inherit });
    if (after.kind !== 'local' || after.definition !== definition) {
      const capturedBy = after.kind === 'local' ? ` by the '${newName}' defined at ${position(analysis, after.definition.nameNodes[0]!)}` : '';
      return { error: `Renaming to '${newName}' would capture the use at ${position(analysis, use.node)}${capturedBy}.` };
    }
  }
  // No existing use of the new name may start reaching the renamed definition.
  for (const use of analysis.uses) {
    if (use.name !== newName) continue;
    const after = scopes.lookup(newName, use.node, { renaming });
    if (!sameResolution(after, use.resolution)) {
      return { error: `Renaming to '${newName}' would change what '${newName}' at ${position(analysis, use.node)} refers to.` };
    }
  }
  // A `rec` attribute or `let` name may also be selected from outside (`s.a`); those selections
  // follow the attribute, and must not run into an existing attribute of the new name.
  const edits: TextEdit[] = [];
  for (const node of definition.nameNodes) edits.push(replace(analysis, node, newName));
  for (const use of definition.uses) {
    if (use.inherit) edits.push(...inheritToBinding(analysis, use.inherit, use.node, use.name, newName));
    else edits.push(replace(analysis, use.node, newName));
  }
  if (definition.entry) {
    const target: SymbolTarget = { kind: 'definition', definition, node: definition.nameNodes[0]! };
    const covered = new Set<SyntaxNode>([...definition.nameNodes, ...definition.uses.map((u) => u.node)]);
    for (const node of occurrencesOf(analysis, target, true)) {
      if (covered.has(node)) continue;
      const reference = analysis.attrReferenceAt(node);
      if (reference?.viaInherit) {
        return { error: `'${definition.name}' is taken by 'inherit' at ${position(analysis, node)}; rename it there first.` };
      }
      edits.push(replace(analysis, node, newName));
    }
  }
  return { edits };
}

function renameAttribute(analysis: Analysis, target: SymbolTarget & { kind: 'attribute' }, newName: string): Edits {
  if (newName.length === 0) return { error: 'An attribute name cannot be empty.' };
  const entry: AttrEntry = target.entry;
  if (newName === entry.name) return { edits: [] };
  // The new name must be free in every attribute set the entry is written in.
  for (const node of entry.nameNodes) {
    const location = locateAttrNode(analysis, node);
    const clash = location?.shape.entries.get(newName);
    if (clash) return { error: `'${formatAttrName(newName)}' is already an attribute here (${position(analysis, clash.nameNodes[0]!)}).` };
  }
  const edits: TextEdit[] = [];
  const written = formatAttrName(newName);
  for (const node of occurrencesOf(analysis, target, true)) {
    const reference = analysis.attrReferenceAt(node);
    if (reference?.viaInherit) {
      return { error: `'${entry.name}' is taken by 'inherit' at ${position(analysis, node)}; renaming it would rename a variable too.` };
    }
    edits.push(replace(analysis, node, written));
  }
  return { edits };
}
