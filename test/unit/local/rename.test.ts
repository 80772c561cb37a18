import { describe, expect, it } from 'vitest';
import type { TextEdit } from 'vscode-languageserver-types';
import { prepareRename, renameAt } from '../../../server/src/features/local/rename';
import { analyze, cursor } from '../analysis/nixSnippets';

const URI = 'file:///project/default.nix';

/** Renames the symbol at `|` and returns the new text, or the refusal message. */
async function rename(marked: string, newName: string): Promise<{ text?: string; error?: string }> {
  const { text, offset } = cursor(marked);
  const analysis = await analyze(text);
  const result = renameAt(analysis, URI, offset, newName);
  if ('error' in result) return { error: result.error };
  const edits: TextEdit[] = result.edit.changes![URI]!;
  const spans = edits
    .map((e) => ({ start: analysis.lines.offsetAt(e.range.start), end: analysis.lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < spans.length; i++) expect(spans[i]!.end <= spans[i - 1]!.start, 'edits must not overlap').toBe(true);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return { text: out };
}

async function expectRenamed(marked: string, newName: string, expected: string) {
  const result = await rename(marked, newName);
  expect(result, marked).toEqual({ text: expected });
}

async function expectRefused(marked: string, newName: string, message: RegExp) {
  const result = await rename(marked, newName);
  expect(result.error, `${marked} → ${newName}: ${JSON.stringify(result)}`).toMatch(message);
}

describe('rename', () => {
  it('renames a let binding and all its uses', async () => {
    await expectRenamed('let |a = 1; b = a; in a + b', 'x', 'let x = 1; b = x; in x + b');
    await expectRenamed('let a = 1; in |a + a', 'x', 'let x = 1; in x + x');
  });

  it('renames formals, parameters and @ names', async () => {
    await expectRenamed('{ |a, b ? a }: a + b', 'x', '{ x, b ? x }: x + b');
    await expectRenamed('x: y: |x', 'z', 'z: y: z');
    await expectRenamed('{ ... }@|args: args.a', 'all', '{ ... }@all: all.a');
  });

  it('renames every part of a nested-path definition', async () => {
    await expectRenamed('let |a.b = 1; a.c = 2; in a.b + a.c', 's', 'let s.b = 1; s.c = 2; in s.b + s.c');
  });

  it('renames rec attributes together with selections of them', async () => {
    await expectRenamed('let s = rec { |a = 1; b = a; }; in s.a', 'x', 'let s = rec { x = 1; b = x; }; in s.x');
  });

  it('keeps attribute names when an inherit reads the renamed variable', async () => {
    await expectRenamed('let |a = 1; in { inherit a; }', 'x', 'let x = 1; in { a = x; }');
    await expectRenamed('let |a = 1; b = 2; in { inherit a b; }', 'x', 'let x = 1; b = 2; in { inherit b; a = x; }');
    await expectRenamed('let |b = 1; a = 2; in { inherit a b; }', 'x', 'let x = 1; a = 2; in { inherit a; b = x; }');
  });

  it('renames attributes of let-bound sets and their selections', async () => {
    await expectRenamed('let s = { |a = 1; }; in s.a + s.a', 'x', 'let s = { x = 1; }; in s.x + s.x');
    await expectRenamed('let s = { a = 1; }; in s.|a', 'x', 'let s = { x = 1; }; in s.x');
    await expectRenamed('let s = { a = 1; }; in s.|a', 'needs quotes', 'let s = { "needs quotes" = 1; }; in s."needs quotes"');
  });

  it('refuses a new name that an inner binding would capture', async () => {
    await expectRefused('let |a = 1; in let b = 2; in a', 'b', /capture/);
    await expectRefused('{ |pkgs }: map (lib: pkgs.hello) [ ]', 'lib', /capture/);
    await expectRefused('let |a = 1; in { x ? a }: x', 'x', /capture/);
  });

  it('refuses a new name that would hide what another use relies on', async () => {
    await expectRefused('let b = 1; in let |a = 2; in a + b', 'b', /change what 'b'/);
    await expectRefused('let |a = 1; in map (x: a) [ ]', 'map', /change what 'map'/);
    await expectRefused('{ pkgs, |lib }: with pkgs; [ hello lib ]', 'hello', /change what 'hello'/);
    await expectRefused('let |a = 1; in a + undefinedThing', 'undefinedThing', /change what/);
  });

  it('refuses a name already bound in the same scope', async () => {
    await expectRefused('let |a = 1; b = 2; in a + b', 'b', /already defined/);
    await expectRefused('{ |a, b }: a', 'b', /already defined/);
  });

  it('allows names that only shadow unused outer bindings or live in other branches', async () => {
    await expectRenamed('let b = 1; in [ b (let |a = 2; in a) ]', 'b', 'let b = 1; in [ b (let b = 2; in b) ]');
    await expectRenamed('[ (let |a = 1; in a) (let b = 2; in b) ]', 'b', '[ (let b = 1; in b) (let b = 2; in b) ]');
  });

  it('refuses builtins, with names and inherited names', async () => {
    await expectRefused('|map (x: x) [ ]', 'm', /builtin/);
    await expectRefused('{ pkgs }: with pkgs; |hello', 'h', /with/);
    await expectRefused('{ lib }: let inherit (lib) |mkIf; in mkIf', 'm', /inherit/);
    await expectRefused('|undefinedThing', 'x', /not defined/);
  });

  it('refuses invalid identifiers and clashing attribute names', async () => {
    await expectRefused('let |a = 1; in a', 'in', /not a valid/);
    await expectRefused('let |a = 1; in a', '1x', /not a valid/);
    await expectRefused('let s = { |a = 1; b = 2; }; in s.a', 'b', /already an attribute/);
    await expectRefused('let s = { a = 1; }; inherit (s) a; in s.|a', 'x', /inherit/);
  });

  it('prepares renames with the range and current name, or says why not', async () => {
    const { text, offset } = cursor('let abc = 1; in a|bc');
    const analysis = await analyze(text);
    expect(prepareRename(analysis, offset)).toEqual({ range: { start: { line: 0, character: 16 }, end: { line: 0, character: 19 } }, placeholder: 'abc' });
    const builtin = cursor('|toString 1');
    expect(prepareRename(await analyze(builtin.text), builtin.offset)).toMatchObject({ error: expect.stringMatching(/builtin/) });
    const nothing = cursor('"st|ring"');
    expect(prepareRename(await analyze(nothing.text), nothing.offset)).toMatchObject({ error: expect.stringMatching(/Nothing to rename/) });
  });
});
