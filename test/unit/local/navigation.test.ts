import { describe, expect, it } from 'vitest';
import { DocumentHighlightKind } from 'vscode-languageserver-types';
import { definitionAt } from '../../../server/src/features/local/definition';
import { highlightsAt, referencesAt } from '../../../server/src/features/local/references';
import { analyze, cursor } from '../analysis/nixSnippets';

const URI = 'file:///project/default.nix';

/** Offsets of the definitions found from the `|` cursor. */
async function definitionOffsets(marked: string): Promise<number[]> {
  const { text, offset } = cursor(marked);
  const analysis = await analyze(text);
  return definitionAt(analysis, URI, offset).map((l) => analysis.lines.offsetAt(l.range.start));
}

/** Start offsets of the references found from the `|` cursor. */
async function referenceOffsets(marked: string, includeDeclaration = true): Promise<number[]> {
  const { text, offset } = cursor(marked);
  const analysis = await analyze(text);
  return referencesAt(analysis, URI, offset, includeDeclaration).map((l) => analysis.lines.offsetAt(l.range.start));
}

/** Offsets marked with `^` in a snippet (after removing the `|` cursor). */
function carets(marked: string): number[] {
  const text = marked.replace('|', '');
  const result: number[] = [];
  let removed = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '^') {
      result.push(i - removed);
      removed++;
    }
  }
  return result;
}

async function expectDefinition(marked: string) {
  const expected = carets(marked);
  expect(await definitionOffsets(marked.replace(/\^/g, '')), marked).toEqual(expected);
}

async function expectReferences(marked: string, includeDeclaration = true) {
  const expected = carets(marked);
  expect(await referenceOffsets(marked.replace(/\^/g, ''), includeDeclaration), marked).toEqual(expected);
}

describe('go to definition', () => {
  it('finds let bindings, formals, parameters and rec attributes', async () => {
    await expectDefinition('let ^a = 1; in |a');
    await expectDefinition('let ^a = 1; b = |a; in b');
    await expectDefinition('{ ^stdenv, lib }: |stdenv.mkDerivation { }');
    await expectDefinition('{ a ? |b, ^b }: a');
    await expectDefinition('^x: y: |x');
    await expectDefinition('{ ... }@^args: |args');
    await expectDefinition('rec { ^a = 1; b = |a; }');
    await expectDefinition('let ^a.b = 1; a.c = 2; in |a.b');
  });

  it('jumps from a definition to itself', async () => {
    await expectDefinition('let ^|a = 1; in a');
  });

  it('finds the variable a plain inherit reads', async () => {
    await expectDefinition('let ^a = 1; in { inherit |a; }');
    await expectDefinition('let ^a = 1; in let inherit |a; in a');
  });

  it('finds names brought in by inherit, and from there the attribute they read', async () => {
    await expectDefinition('let s = { a = 1; }; inherit (s) ^a; in |a');
    await expectDefinition('let s = { ^a = 1; }; inherit (s) |a; in a');
  });

  it('jumps into attribute sets bound in let', async () => {
    await expectDefinition('let s = { ^a = 1; }; in s.|a');
    await expectDefinition('let s = { a = { ^b = 1; }; }; in s.a.|b');
    await expectDefinition('let s.^a = 1; s.b = 2; in s.|a');
    await expectDefinition('let s = { a.^b = 1; }; in s.a.|b');
    await expectDefinition('let s = rec { ^a = 1; }; in s.|a');
    await expectDefinition('let s = { ^a = 1; }; t = s; in t.|a');
    await expectDefinition('let s = { x = { ^a = 1; }; }; in s.x ? |a');
  });

  it('finds nothing for builtins, with names and unknown attributes', async () => {
    expect(await definitionOffsets('|map (x: x) [ ]')).toEqual([]);
    expect(await definitionOffsets('{ pkgs }: with pkgs; |hello')).toEqual([]);
    expect(await definitionOffsets('{ pkgs }: pkgs.|hello')).toEqual([]);
    expect(await definitionOffsets('let s = { a = 1; }; in s.|b')).toEqual([]);
    expect(await definitionOffsets('"st|ring"')).toEqual([]);
  });
});

describe('find references', () => {
  it('lists the definition and every use in the file', async () => {
    await expectReferences('let ^a = 1; b = ^a; in ^|a + ^a');
    await expectReferences('{ ^|stdenv }: { x = ^stdenv; y = ^stdenv.lib; }');
  });

  it('can leave the declaration out', async () => {
    await expectReferences('let a = 1; b = ^a; in ^|a', false);
  });

  it('keeps shadowed names apart', async () => {
    await expectReferences('let ^|a = 1; in [ ^a (let a = 2; in a) ]');
    await expectReferences('let a = 1; in [ a (let ^a = 2; in ^|a) ]');
    await expectReferences('^|x: [ ^x (x: x) ]');
  });

  it('includes plain inherits and attribute selections of rec sets', async () => {
    await expectReferences('let ^|a = 1; in { inherit ^a; }');
    await expectReferences('let s = rec { ^|a = 1; b = ^a; }; in s.^a');
  });

  it('finds attribute references through let-bound sets', async () => {
    await expectReferences('let s = { ^|a = 1; }; in [ s.^a s.^a ]');
    await expectReferences('let s = { ^a = 1; }; in [ s.^|a s.^a ]');
    await expectReferences('let s.^|a = 1; s.b = 2; in s.^a');
    await expectReferences('let s = { ^a = 1; }; s.^a = 2; in s.^|a');
  });

  it('groups builtins and with names by name', async () => {
    await expectReferences('[ (^|map f [ ]) (^map g [ ]) ]');
    await expectReferences('{ pkgs }: with pkgs; [ ^|hello ^hello ]');
  });

  it('highlights definitions as writes and uses as reads', async () => {
    const { text, offset } = cursor('let |a = 1; in a + a');
    const analysis = await analyze(text);
    const highlights = highlightsAt(analysis, offset);
    expect(highlights.map((h) => h.kind)).toEqual([DocumentHighlightKind.Write, DocumentHighlightKind.Read, DocumentHighlightKind.Read]);
  });
});
