import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { findLints, lintDiagnostics } from '../../../server/src/features/lints/lints';
import { builtinLookup, defaultBuiltins, mergeBuiltinTables } from '../../../server/src/analysis/builtins';
import { analyze } from '../analysis/nixSnippets';
import { applyEdits } from '../assists/assistHarness';

/** The lints as `code:text` strings, `text` being what each covers. */
async function lints(text: string): Promise<string[]> {
  return findLints(await analyze(text)).map((l) => `${l.code}:${text.slice(l.start, l.end)}`);
}

/** The text after the first fix of the lint coded `code`. */
async function fixed(text: string, code: string, which = 0): Promise<string> {
  const lint = findLints(await analyze(text)).find((l) => l.code === code);
  if (!lint) throw new Error(`no ${code} in ${text}`);
  const fix = lint.fixes()[which];
  if (!fix) throw new Error(`no fix for ${code}`);
  return applyEdits(text, fix.edits);
}

describe('lints', () => {
  it('duplicate function argument', async () => {
    expect(await lints('{ a, b, a }: a + b')).toEqual(['duplicate-argument:a']);
    expect(await fixed('{ a, b, a }: a + b', 'duplicate-argument')).toBe('{ a, b }: a + b');
  });

  it('unused with', async () => {
    expect(await lints('{ lib }: with lib; { a = 1; }')).toEqual(['unused-with:with lib;']);
    expect(await lints('{ lib }: with lib; { a = mkIf; }')).toEqual([]);
    expect(await lints('with a; with b; x')).toEqual([]);
    expect(await fixed('{ lib }: with lib; { a = 1; }', 'unused-with')).toBe('{ lib }: { a = 1; }');
  });

  it('needless rec', async () => {
    expect(await lints('rec { a = 1; b = 2; }')).toEqual(['needless-rec:rec']);
    expect(await lints('rec { a = 1; b = a; }')).toEqual([]);
    expect(await lints('rec { inherit a; }')).toEqual(['needless-rec:rec']);
    expect(await fixed('rec { a = 1; }', 'needless-rec')).toBe('{ a = 1; }');
  });

  it('empty let and inherit', async () => {
    expect(await lints('let in 1')).toEqual(['empty-let:let in ']);
    expect(await fixed('let in 1', 'empty-let')).toBe('1');
    expect(await lints('{ inherit; inherit (x); a = 1; }')).toEqual(['empty-inherit:inherit;', 'empty-inherit:inherit (x);']);
    expect(await fixed('{ inherit; a = 1; }', 'empty-inherit')).toBe('{ a = 1; }');
  });

  it('URL literals', async () => {
    expect(await lints('{ url = https://example.org; }')).toEqual(['url-literal:https://example.org']);
    expect(await fixed('{ url = https://example.org; }', 'url-literal')).toBe('{ url = "https://example.org"; }');
  });

  it('the deprecated let { body }', async () => {
    expect(await lints('let { a = 1; body = a; }')).toEqual(['deprecated-let:let']);
    expect(await fixed('let { a = 1; body = a; }', 'deprecated-let')).toBe('let a = 1; in a');
    expect(await fixed('let {\n  a = 1;\n  body = a;\n}', 'deprecated-let')).toBe('let\n  a = 1;\nin\na');
    expect(await fixed('f let { body = 2; }', 'deprecated-let')).toBe('f (2)');
    expect(findLints(await analyze('let { a = body; body = 1; }'))[0]!.fixes()).toEqual([]);
  });

  it('unknown builtins, with the nearest names', async () => {
    expect(await lints('[ builtins.attrNames builtins.atrNames builtins.nope or null (builtins.foo or 1) ]')).toEqual(['unknown-builtin:atrNames']);
    expect(await fixed('builtins.atrNames { }', 'unknown-builtin')).toBe('builtins.attrNames { }');
    expect(await lints('let builtins = { x = 1; }; in builtins.x')).toEqual(['shadowed-builtin:builtins']);
    expect(await lints('if builtins ? atrNames then builtins.atrNames { } else [ ]')).toEqual([]);
  });

  it('checks builtins against the installed Nix, not only the documented ones', async () => {
    const installed = { source: 'nix (Nix) 2.8.0', builtins: Object.fromEntries(Object.entries(defaultBuiltins.builtins).filter(([name]) => name !== 'convertHash')) };
    const merged = mergeBuiltinTables(defaultBuiltins, installed);
    expect(merged.builtins.convertHash).toBeDefined();
    const found = findLints(await analyze('builtins.convertHash { }', { builtins: merged }));
    expect(found.map((l) => l.code)).toEqual(['unknown-builtin']);
  });

  it('checks builtins against the installed table', async () => {
    const table = { ...defaultBuiltins, builtins: { ...defaultBuiltins.builtins } };
    delete table.builtins.attrNames;
    expect(builtinLookup(table).attribute('attrNames')).toBeUndefined();
    const found = findLints(await analyze('builtins.attrNames { }', { builtins: table }));
    expect(found.map((l) => l.code)).toEqual(['unknown-builtin']);
  });

  it('bindings that hide a builtin', async () => {
    expect(await lints('let map = 1; in map')).toEqual(['shadowed-builtin:map']);
    expect(await lints('{ toString, ... }: toString')).toEqual(['shadowed-builtin:toString']);
    expect(await lints('rec { map = 1; x = map; }')).toEqual([]);
    expect(await lints('let inherit (builtins) map; in map')).toEqual([]);
  });

  it('as diagnostics, with codes, severities and tags', async () => {
    const analysis = await analyze('rec { u = https://x.org; }');
    expect(lintDiagnostics(analysis)).toEqual([
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, severity: DiagnosticSeverity.Warning, code: 'needless-rec', source: 'nix-nur', message: expect.any(String), tags: [DiagnosticTag.Unnecessary] },
      { range: { start: { line: 0, character: 10 }, end: { line: 0, character: 23 } }, severity: DiagnosticSeverity.Warning, code: 'url-literal', source: 'nix-nur', message: expect.any(String), tags: [DiagnosticTag.Deprecated] },
    ]);
  });

  it('near a cursor, looks only at the nodes around it', async () => {
    const analysis = await analyze('[ https://a.org (rec { x = 1; }) https://b.org ]');
    expect(findLints(analysis, 3, 3).map((l) => l.code)).toEqual(['url-literal']);
    expect(findLints(analysis, 17, 17).map((l) => l.code)).toEqual(['needless-rec']);
  });
});
