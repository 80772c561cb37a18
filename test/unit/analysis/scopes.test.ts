import { describe, expect, it } from 'vitest';
import { symbolAt } from '../../../server/src/analysis/analysis';
import { analyze, cursor } from './nixSnippets';

/**
 * Resolves the variable at the `|` marker. The expected definition is written as `^name` in the
 * snippet (the caret is removed before parsing), or a kind: 'builtin', 'with', 'undefined'.
 */
async function resolution(marked: string): Promise<{ kind: string; at?: number; defKind?: string }> {
  const { text, offset } = cursor(marked.replace('^', ''));
  const analysis = await analyze(text);
  const symbol = symbolAt(analysis, offset);
  if (!symbol || symbol.kind !== 'use') return { kind: 'none' };
  const r = symbol.use.resolution;
  if (r.kind === 'local') return { kind: 'local', at: r.definition.nameNodes[0]!.start, defKind: r.definition.kind };
  return { kind: r.kind };
}

async function expectLocal(marked: string, defKind?: string) {
  const caret = marked.indexOf('^');
  const bar = marked.indexOf('|');
  if (caret < 0) throw new Error('expected ^ marker');
  // Offsets in the parsed text: both markers are removed.
  const expectedAt = caret < bar ? caret : caret - 1;
  const r = await resolution(marked);
  expect(r.kind, marked).toBe('local');
  expect(r.at, marked).toBe(expectedAt);
  if (defKind) expect(r.defKind, marked).toBe(defKind);
}

async function expectKind(marked: string, kind: 'builtin' | 'with' | 'undefined') {
  const r = await resolution(marked);
  expect(r.kind, marked).toBe(kind);
}

describe('name resolution', () => {
  it('let bindings are visible in the body and in each other', async () => {
    await expectLocal('let ^a = 1; in |a', 'let');
    await expectLocal('let ^a = 1; b = |a; in b', 'let');
    await expectLocal('let b = |a; ^a = 1; in b', 'let');
    await expectLocal('let ^a = |a; in a', 'let');
  });

  it('inner bindings shadow outer ones', async () => {
    await expectLocal('let a = 1; in let ^a = 2; in |a');
    await expectLocal('let ^a = 1; in (let b = 2; in |a)');
    await expectLocal('a: let f = ^a: |a; in f', 'parameter');
  });

  it('rec sets bind their attributes; plain sets do not', async () => {
    await expectLocal('rec { ^a = 1; b = |a; }', 'rec');
    await expectKind('{ a = 1; b = |a; }', 'undefined');
    await expectLocal('let ^a = 0; in { a = 1; b = |a; }', 'let');
  });

  it('function formals, defaults seeing other formals, and @ patterns on either side', async () => {
    await expectLocal('{ ^a, b }: |a', 'formal');
    await expectLocal('{ ^a, b ? |a }: b', 'formal');
    await expectLocal('{ a ? |b, ^b }: a', 'formal');
    await expectLocal('{ a, ... }@^args: |args', 'pattern');
    await expectLocal('^args@{ a, ... }: |args', 'pattern');
    await expectLocal('{ a ? |args }@^args: a', 'pattern');
    await expectLocal('^x: |x', 'parameter');
    await expectLocal('^x: y: |x', 'parameter');
  });

  it('plain inherit reads from outside its own let or rec set', async () => {
    await expectLocal('let ^a = 1; in let inherit |a; in a', 'let');
    await expectLocal('let ^a = 1; in rec { inherit |a; b = a; }', 'let');
    await expectLocal('let ^a = 1; in { inherit |a; }', 'let');
    await expectKind('let inherit |a; in a', 'undefined');
  });

  it('inherited names are bound in their let and rec set', async () => {
    await expectLocal('let x = { a = 1; }; inherit (x) ^a; in |a', 'let');
    await expectLocal('let ^x = { a = 1; }; inherit (|x) a; in a', 'let');
    await expectLocal('rec { inherit (|x) a; ^x = { a = 1; }; }', 'rec');
    await expectLocal('let outer = 1; in let inherit ^outer; in |outer', 'let');
  });

  it('nested attribute paths bind their first name once', async () => {
    await expectLocal('let ^a.b = 1; a.c = 2; in |a', 'let');
    await expectLocal('rec { ^a.b = 1; c = |a.b; }', 'rec');
  });

  it('interpolated attribute names are resolved in the enclosing scope', async () => {
    await expectLocal('let ^n = "x"; in { ${|n} = 1; }');
    await expectLocal('rec { ^n = "x"; ${|n} = 1; }');
  });

  it('with provides names only when nothing lexical binds them', async () => {
    await expectKind('with pkgs; |hello', 'with');
    await expectLocal('let ^hello = 1; in with pkgs; |hello');
    await expectLocal('^hello: with pkgs; |hello');
    await expectKind('{ pkgs }: with pkgs; [ |ripgrep ]', 'with');
  });

  it('the with environment itself is resolved outside the with', async () => {
    await expectLocal('{ ^pkgs }: with |pkgs; hello', 'formal');
    await expectKind('with |pkgs; hello', 'undefined');
  });

  it('builtins are global and win over with, but lexical bindings win over builtins', async () => {
    await expectKind('|map (x: x) [ ]', 'builtin');
    await expectKind('|builtins.map', 'builtin');
    await expectKind('with { map = 1; }; |map', 'builtin');
    await expectKind('|true', 'builtin');
    await expectKind('|__currentSystem', 'builtin');
    await expectKind('|__curPos', 'builtin');
    await expectLocal('let ^map = 1; in |map');
    await expectLocal('let ^true = 1; in |true');
  });

  it('names that exist only as builtins.* are not global', async () => {
    await expectKind('|attrNames { }', 'undefined');
    await expectKind('|currentSystem', 'undefined');
  });

  it('unknown names are undefined', async () => {
    await expectKind('|nothing', 'undefined');
    await expectKind('let a = 1; in |b', 'undefined');
    await expectKind('{ a }: |b', 'undefined');
  });

  it('survives broken code', async () => {
    await expectLocal('let ^a = 1; in { x = |a; y = ; }');
    await expectLocal('{ ^pkgs, ... }: { x = [ |pkgs. ]; }');
  });
});
