// The text edits that pin an input of flake.nix to a commit, or unpin it back to a branch: the
// URL string is rewritten in place, or, for the attribute form, the `rev`/`ref` attributes are
// changed, added or removed. Everything else in the file stays as it was.
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { FlakeRefError, printFlakeRef, type FlakeRef } from '../../flake/flakeRef';
import { namedBranch, pinnedRevision, pinToRevision, unpinToBranch } from '../../flake/flakeRefPinning';
import { inputSource, isAttributeForm, type FlakeInputDecl, type InputAttribute } from '../../flake/flakeSyntax';
import { escapeForLiteral, replaceLiteralValue } from '../../flake/stringLiteral';

export type InputEditResult =
  | { readonly ok: true; readonly edits: readonly TextEdit[]; readonly before: string; readonly after: string }
  | { readonly ok: false; readonly reason: string; readonly notPinned?: boolean };

/** Edits that make `decl` name commit `rev`. `content` is the current flake.nix text. */
export function pinInputEdits(decl: FlakeInputDecl, rev: string, content: string): InputEditResult {
  const checked = editableSource(decl);
  if ('reason' in checked) return { ok: false, reason: checked.reason };
  const { source } = checked;
  let next: FlakeRef;
  try {
    next = pinToRevision(source, rev);
  } catch (error) {
    if (error instanceof FlakeRefError) return { ok: false, reason: error.message };
    throw error;
  }
  const before = printFlakeRef(source);
  const after = printFlakeRef(next);
  if (decl.url && !isAttributeForm(decl)) return { ok: true, edits: [replaceLiteralValue(decl.url, after)], before, after };

  // Attribute form. Forges cannot carry a branch next to a commit, so `ref` turns into `rev`.
  const isForge = source.type === 'github' || source.type === 'gitlab' || source.type === 'sourcehut';
  const revAttr = decl.attributes.get('rev');
  const refAttr = decl.attributes.get('ref');
  const edits: TextEdit[] = [];
  if (revAttr) {
    const edit = setStringAttribute(revAttr, rev);
    if (!edit) return { ok: false, reason: `the 'rev' of input '${decl.name}' is computed, so it cannot be rewritten` };
    edits.push(edit);
    if (isForge && refAttr) edits.push(deleteBinding(refAttr, content));
  } else if (isForge && refAttr) {
    edits.push({ range: refAttr.bindingRange, newText: binding(refAttr.pathPrefix, 'rev', rev) });
  } else {
    edits.push(insertAfterAttributes(decl, 'rev', rev));
  }
  return { ok: true, edits, before, after };
}

/** Edits that take the commit out of `decl`, following `branch` when given. */
export function unpinInputEdits(decl: FlakeInputDecl, branch: string | undefined, content: string): InputEditResult {
  const checked = editableSource(decl);
  if ('reason' in checked) return { ok: false, reason: checked.reason };
  const { source } = checked;
  if (!pinnedRevision(source) && (branch === undefined || namedBranch(source) === branch)) {
    return { ok: false, reason: `input '${decl.name}' is not pinned to a commit`, notPinned: true };
  }
  let next: FlakeRef;
  try {
    next = unpinToBranch(source, branch);
  } catch (error) {
    if (error instanceof FlakeRefError) return { ok: false, reason: error.message };
    throw error;
  }
  const before = printFlakeRef(source);
  const after = printFlakeRef(next);
  if (decl.url && !isAttributeForm(decl)) return { ok: true, edits: [replaceLiteralValue(decl.url, after)], before, after };

  const revAttr = decl.attributes.get('rev');
  const refAttr = decl.attributes.get('ref');
  const edits: TextEdit[] = [];
  if (branch !== undefined && refAttr) {
    const edit = setStringAttribute(refAttr, branch);
    if (!edit) return { ok: false, reason: `the 'ref' of input '${decl.name}' is computed, so it cannot be rewritten` };
    edits.push(edit);
    if (revAttr) edits.push(deleteBinding(revAttr, content));
  } else if (branch !== undefined && revAttr) {
    edits.push({ range: revAttr.bindingRange, newText: binding(revAttr.pathPrefix, 'ref', branch) });
  } else if (branch !== undefined) {
    edits.push(insertAfterAttributes(decl, 'ref', branch));
  } else if (revAttr) {
    edits.push(deleteBinding(revAttr, content));
  }
  return { ok: true, edits, before, after };
}

function editableSource(decl: FlakeInputDecl): { source: FlakeRef } | { reason: string } {
  if (decl.follows) return { reason: `input '${decl.name}' follows '${decl.follows.value}'; pin that input instead` };
  if (decl.implicit) return { reason: `input '${decl.name}' is only named in the outputs; declare it under 'inputs' to pin it` };
  if (decl.url && !decl.url.literal) return { reason: `the URL of input '${decl.name}' is computed, so it cannot be rewritten` };
  const source = inputSource(decl);
  if (!source) {
    return { reason: decl.url ? `the URL of input '${decl.name}' is not a flake reference` : `input '${decl.name}' has no URL to rewrite` };
  }
  return { source };
}

function binding(prefix: string, name: string, value: string): string {
  return `${prefix}${name} = "${escapeForLiteral(value, false)}";`;
}

function setStringAttribute(attribute: InputAttribute, value: string): TextEdit | undefined {
  if (attribute.value.kind !== 'string' || !attribute.value.string.literal) return undefined;
  return replaceLiteralValue(attribute.value.string, value);
}

/** A new attribute written after the input's last one, spelled with the same path prefix. */
function insertAfterAttributes(decl: FlakeInputDecl, name: string, value: string): TextEdit {
  const last = [...decl.attributes.values()].reduce((a, b) => (comparePositions(a.bindingRange, b.bindingRange) >= 0 ? a : b));
  const at = last.bindingRange.end;
  return { range: { start: at, end: at }, newText: ` ${binding(last.pathPrefix, name, value)}` };
}

function comparePositions(a: Range, b: Range): number {
  return a.end.line - b.end.line || a.end.character - b.end.character;
}

/** Removes a binding; a binding alone on its line takes the line with it. */
function deleteBinding(attribute: InputAttribute, content: string): TextEdit {
  const range = attribute.bindingRange;
  const lines = content.split('\n');
  const line = lines[range.start.line] ?? '';
  const endLine = lines[range.end.line] ?? '';
  const aloneOnLine = line.slice(0, range.start.character).trim() === '' && endLine.slice(range.end.character).trim() === '';
  if (aloneOnLine && range.end.line + 1 < lines.length) {
    return { range: { start: { line: range.start.line, character: 0 }, end: { line: range.end.line + 1, character: 0 } }, newText: '' };
  }
  // Otherwise take the spaces before it, so `{ a = 1; rev = "…"; }` becomes `{ a = 1; }`.
  let start = range.start.character;
  while (start > 0 && (line[start - 1] === ' ' || line[start - 1] === '\t')) start--;
  return { range: { start: { line: range.start.line, character: start }, end: range.end }, newText: '' };
}
