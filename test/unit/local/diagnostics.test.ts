import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { localDiagnostics } from '../../../server/src/features/local/diagnostics';
import { localQuickFixes } from '../../../server/src/features/local/quickFixes';
import { analyze } from '../analysis/nixSnippets';

const URI = 'file:///project/default.nix';

async function diagnose(text: string): Promise<Diagnostic[]> {
  return localDiagnostics(await analyze(text), URI);
}

/** The diagnostics as `code:word` strings, where `word` is the text the diagnostic covers. */
async function summary(text: string): Promise<string[]> {
  const analysis = await analyze(text);
  return localDiagnostics(analysis, URI).map((d) => {
    const start = analysis.lines.offsetAt(d.range.start);
    const end = analysis.lines.offsetAt(d.range.end);
    return `${d.code}:${text.slice(start, end)}`;
  });
}

/** Applies non-overlapping edits to a text. */
function apply(text: string, edits: TextEdit[], offsetAt: (p: TextEdit['range']['start']) => number): string {
  const sorted = edits.map((e) => ({ start: offsetAt(e.range.start), end: offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let result = text;
  for (const e of sorted) result = result.slice(0, e.start) + e.text + result.slice(e.end);
  return result;
}

/** Runs the quick fix titled `title` for the diagnostic covering `word`, returning the new text. */
async function fix(text: string, word: string, title: RegExp): Promise<string> {
  const analysis = await analyze(text);
  const start = text.indexOf(word);
  const range = { start: analysis.lines.positionAt(start), end: analysis.lines.positionAt(start + word.length) };
  const actions = localQuickFixes(analysis, URI, range);
  const action = actions.find((a) => title.test(a.title));
  if (!action) throw new Error(`no fix ${title} among ${actions.map((a) => a.title).join(', ')}`);
  const edits = action.edit!.changes![URI]!;
  return apply(text, edits, (p) => analysis.lines.offsetAt(p));
}

describe('undefined variables', () => {
  it('reports names nothing defines, as errors', async () => {
    const d = (await diagnose('let a = 1; in b')).find((x) => x.code === 'undefined-variable');
    expect(d).toMatchObject({ code: 'undefined-variable', severity: DiagnosticSeverity.Error, source: 'nix-nur', message: "Undefined variable 'b'." });
    expect(d!.range).toEqual({ start: { line: 0, character: 14 }, end: { line: 0, character: 15 } });
    expect(await summary('{ a }: a + b + c')).toEqual(['undefined-variable:b', 'undefined-variable:c']);
    expect(await summary('{ x = { a = 1; b = a; }; }')).toEqual(['undefined-variable:a']);
    expect(await summary('let inherit missing; in missing')).toEqual(['undefined-variable:missing']);
  });

  it('never reports inside a with', async () => {
    expect(await summary('{ pkgs }: with pkgs; [ hello ripgrep ]')).toEqual([]);
    expect(await summary('with import <nixpkgs> { }; [ hello ]')).toEqual([]);
    expect(await summary('{ lib }: { meta = with lib; { license = licenses.mit; }; }')).toEqual([]);
  });

  it('reads nothing from an empty inherit', async () => {
    expect(await summary('{ inherit; a = 1; }')).toEqual([]);
  });

  it('knows the builtins', async () => {
    expect(await summary('[ map toString import throw abort baseNameOf dirOf derivation fetchTarball fetchGit isNull removeAttrs true false null __currentSystem builtins ]')).toEqual([]);
    expect(await summary('[ __curPos __add __nixPath ]')).toEqual([]);
    expect(await summary('attrNames { }')).toEqual(['undefined-variable:attrNames']);
  });

  it('does not report attribute names or selected attributes', async () => {
    expect(await summary('let s = { a = 1; }; in s.a + s.b or 2')).toEqual([]);
    expect(await summary('{ a.b.c = 1; "d" = 2; }')).toEqual([]);
  });
});

describe('unused bindings and arguments', () => {
  it('reports unused let names as faded hints', async () => {
    const [d] = await diagnose('let a = 1; b = 2; in b');
    expect(d).toMatchObject({ code: 'unused-binding', severity: DiagnosticSeverity.Hint, tags: [DiagnosticTag.Unnecessary], message: "'a' is defined but never used." });
    expect(await summary('let a = 1; in 2')).toEqual(['unused-binding:a']);
    expect(await summary('{ lib }: let inherit (lib) mkIf mkOption; in mkIf')).toEqual(['unused-binding:mkOption']);
  });

  it('does not count a binding reading itself as a use', async () => {
    expect(await summary('let f = x: f x; in 1')).toEqual(['unused-binding:f']);
    expect(await summary('let f = x: f x; in f')).toEqual([]);
  });

  it('counts uses from other bindings, nested scopes and inherit', async () => {
    expect(await summary('let a = 1; b = a; in b')).toEqual([]);
    expect(await summary('let a = 1; in { inherit a; }')).toEqual([]);
    expect(await summary('let a = 1; in x: a')).toEqual(['unused-argument:x']);
    expect(await summary('let a = 1; in "${toString a}"')).toEqual([]);
  });

  it('never reports _-prefixed names', async () => {
    expect(await summary('let _a = 1; in 2')).toEqual([]);
    expect(await summary('_x: 1')).toEqual([]);
    expect(await summary('{ _unused, ... }: 1')).toEqual([]);
  });

  it('does not report rec attributes: they are the set itself', async () => {
    expect(await summary('rec { a = 1; b = 2; }')).toEqual([]);
  });

  it('reports unused formals, parameters and @ names', async () => {
    expect(await summary('{ lib, stdenv, fetchurl }: stdenv.mkDerivation { }')).toEqual(['unused-argument:lib', 'unused-argument:fetchurl']);
    expect(await summary('{ config, lib, pkgs, ... }: { x = pkgs.hello; }')).toEqual(['unused-argument:config', 'unused-argument:lib']);
    expect(await summary('x: 1')).toEqual(['unused-argument:x']);
    expect(await summary('{ a, ... }@args: a')).toEqual(['unused-argument:args']);
  });

  it('can leave unused formals out', async () => {
    const analysis = await analyze('{ lib, stdenv }: let a = 1; in stdenv');
    expect(localDiagnostics(analysis, URI, { unusedFormals: false }).map((d) => d.code)).toEqual(['unused-binding']);
  });

  it('keeps quiet about conventional one-argument names unless asked', async () => {
    for (const name of ['finalAttrs', 'self', 'super', 'final', 'prev']) expect(await summary(`${name}: { }`)).toEqual([]);
    expect(await summary('final: prev: { }')).toEqual([]);
    expect(await summary('{ self, ... }: 1')).toEqual(['unused-argument:self']);
    const analysis = await analyze('finalAttrs: { }');
    expect(localDiagnostics(analysis, URI, { unusedConventionalArguments: true }).map((d) => d.code)).toEqual(['unused-argument']);
  });

  it('keeps quiet about formals when the @ name is used', async () => {
    expect(await summary('{ a, b, ... }@args: args')).toEqual([]);
    expect(await summary('args@{ stdenv, ... }: stdenv.mkDerivation (args // { })')).toEqual([]);
  });
});

describe('duplicate attributes', () => {
  it('reports names defined twice, pointing at the first definition', async () => {
    const [d] = await diagnose('{ a = 1; a = 2; }');
    expect(d).toMatchObject({ code: 'duplicate-attribute', severity: DiagnosticSeverity.Error, message: "Attribute 'a' is already defined." });
    expect(d!.range.start.character).toBe(9);
    expect(d!.relatedInformation?.[0]?.location).toEqual({ uri: URI, range: { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } } });
  });

  it('follows Nix: paths and attribute-set literals merge, anything else clashes', async () => {
    expect(await summary('{ a.b = 1; a.b = 2; }')).toEqual(['duplicate-attribute:b']);
    expect(await summary('{ a.b = 1; a.c = 2; }')).toEqual([]);
    expect(await summary('{ a = { b = 1; }; a.c = 2; }')).toEqual([]);
    expect(await summary('{ a = { b = 1; }; a = { c = 2; }; }')).toEqual([]);
    expect(await summary('{ a = { b = 1; }; a.b = 2; }')).toEqual(['duplicate-attribute:b']);
    expect(await summary('{ a.b = 1; a = x; }')).toEqual(['duplicate-attribute:a', 'undefined-variable:x']);
    expect(await summary('let a = 1; in { inherit a; a = 1; }')).toEqual(['duplicate-attribute:a']);
    expect(await summary('{ "a" = 1; a = 2; }')).toEqual(['duplicate-attribute:a']);
    expect(await summary('{ ${"a"} = 1; a = 2; }')).toEqual(['duplicate-attribute:a']);
    expect(await summary('let a = 1; a = 2; in a')).toEqual(['duplicate-attribute:a']);
    expect(await summary('rec { a = 1; a = 2; }')).toEqual(['duplicate-attribute:a']);
  });

  it('reports a duplicate once even inside nested literals', async () => {
    expect(await summary('{ x = { a = 1; a = 2; }; }')).toEqual(['duplicate-attribute:a']);
  });

  it('leaves computed names alone, but still looks inside their values', async () => {
    expect(await summary('n: { ${n} = 1; ${n} = 2; }')).toEqual([]);
    expect(await summary('n: { ${n} = { a = 1; a = 2; }; }')).toEqual(['duplicate-attribute:a']);
  });
});

describe('large and broken files', () => {
  it('skips analysis above the size limit', async () => {
    const text = `let a = 1; in b ${' '.repeat(200)}`;
    const analysis = await analyze(text, { maxAnalysisSize: 100 });
    expect(analysis.skipped).toBe(true);
    expect(localDiagnostics(analysis, URI)).toEqual([]);
    expect(analysis.root.children).toEqual([]);
  });

  it('still reports what it can in broken code, without crashing', async () => {
    expect(await summary('let a = 1; in { x = b; y = ; }')).toContain('undefined-variable:b');
    for (const text of ['', '{', 'let', 'let in', '{ a = }', '"${', 'x: ', '{ a, b ? }: 1', 'with ; x']) {
      await expect(diagnose(text)).resolves.toBeInstanceOf(Array);
    }
  });
});

describe('quick fixes', () => {
  it('removes an unused let binding with its line', async () => {
    expect(await fix('let\n  a = 1;\n  b = 2;\nin b', 'a', /Remove/)).toBe('let\n  b = 2;\nin b');
    expect(await fix('let a = 1; b = 2; in b', 'a', /Remove/)).toBe('let b = 2; in b');
  });

  it('removes every binding of a nested-path name', async () => {
    expect(await fix('let\n  a.x = 1;\n  a.y = 2;\n  b = 3;\nin b', 'a', /Remove/)).toBe('let\n  b = 3;\nin b');
  });

  it('prefixes an unused binding with _', async () => {
    expect(await fix('let a = 1; in 2', 'a', /Prefix/)).toBe('let _a = 1; in 2');
    expect(await fix('let f = x: f x; in 1', 'f', /Prefix/)).toBe('let _f = x: _f x; in 1');
  });

  it('removes an unused name from an inherit', async () => {
    expect(await fix('let inherit (lib) mkIf mkOption; in mkIf', 'mkOption', /Remove/)).toBe('let inherit (lib) mkIf; in mkIf');
    expect(await fix('let inherit (lib) mkOption mkIf; in mkIf', 'mkOption', /Remove/)).toBe('let inherit (lib) mkIf; in mkIf');
    expect(await fix('let\n  inherit (lib) mkOption;\n  x = 1;\nin x', 'mkOption', /Remove/)).toBe('let\n  x = 1;\nin x');
  });

  it('removes unused formals only when ... keeps callers working', async () => {
    expect(await fix('{ config, lib, pkgs, ... }: { x = pkgs.hello; }', 'config', /Remove/)).toBe('{ lib, pkgs, ... }: { x = pkgs.hello; }');
    expect(await fix('{ pkgs, lib, ... }: pkgs', 'lib', /Remove/)).toBe('{ pkgs, ... }: pkgs');
    expect(await fix('{\n  lib,\n  stdenv,\n  ...\n}: stdenv', 'lib', /Remove/)).toBe('{\n  stdenv,\n  ...\n}: stdenv');
    expect(await fix('{ stdenv\n, lib\n, ...\n}: stdenv', 'lib', /Remove/)).toBe('{ stdenv\n, ...\n}: stdenv');
    expect(await fix('{ lib\n, stdenv\n, ...\n}: stdenv', 'lib', /Remove/)).toBe('{ stdenv\n, ...\n}: stdenv');
    await expect(fix('{ lib, stdenv }: stdenv', 'lib', /Remove/)).rejects.toThrow(/no fix/);
  });

  it('replaces an unused last formal with ... when there is none', async () => {
    expect(await fix('{ stdenv, lib }: stdenv', 'lib', /Replace/)).toBe('{ stdenv, ... }: stdenv');
    expect(await fix('{ stdenv, lib ? null }: stdenv', 'lib', /Replace/)).toBe('{ stdenv, ... }: stdenv');
    await expect(fix('{ lib, stdenv }: stdenv', 'lib', /Replace/)).rejects.toThrow(/no fix/);
  });

  it('removes an unused @ name on either side', async () => {
    expect(await fix('{ a, ... }@args: a', 'args', /Remove/)).toBe('{ a, ... }: a');
    expect(await fix('args@{ a, ... }: a', 'args', /Remove/)).toBe('{ a, ... }: a');
  });

  it('prefixes an unused lambda parameter with _', async () => {
    expect(await fix('map (x: 1) [ ]', 'x', /Prefix/)).toBe('map (_x: 1) [ ]');
  });

  it('adds an undefined name to the formals of a package file', async () => {
    expect(await fix('{ stdenv }: stdenv.mkDerivation { src = fetchurl { }; }', 'fetchurl', /Add/)).toBe('{ stdenv, fetchurl }: stdenv.mkDerivation { src = fetchurl { }; }');
    expect(await fix('{ stdenv, ... }: fetchurl', 'fetchurl', /Add/)).toBe('{ stdenv, fetchurl, ... }: fetchurl');
    expect(await fix('{ lib\n, stdenv\n}: fetchurl', 'fetchurl', /Add/)).toBe('{ lib\n, stdenv\n, fetchurl\n}: fetchurl');
    expect(await fix('{\n  lib,\n  stdenv,\n  ...\n}: fetchurl', 'fetchurl', /Add/)).toBe('{\n  lib,\n  stdenv,\n  fetchurl,\n  ...\n}: fetchurl');
    expect(await fix('{ }: fetchurl', 'fetchurl', /Add/)).toBe('{ fetchurl }: fetchurl');
  });

  it('offers nothing to add outside a formals function', async () => {
    await expect(fix('let a = 1; in fetchurl', 'fetchurl', /Add/)).rejects.toThrow(/no fix/);
  });

  it('marks the fixes as quick fixes attached to their diagnostic', async () => {
    const analysis = await analyze('let a = 1; in 2');
    const [action] = localQuickFixes(analysis, URI, { start: { line: 0, character: 4 }, end: { line: 0, character: 4 } });
    expect(action).toMatchObject({ kind: 'quickfix', isPreferred: true, diagnostics: [{ code: 'unused-binding' }] });
  });
});

describe('diagnostics while the code is broken', () => {
  const body = '  other = helper 2;\nin { a = cfg; b = helper 1; c = other; }';

  it('reports nothing undefined, unused or duplicate that only the break made so', async () => {
    // A missing `;`, a missing value, an unclosed `{`, a `pkgs.` being typed: each cuts the `let`.
    for (const broken of ['  name = "a"\n', '  name = ;\n', '  name = { x = cfg;\n', '  name = cfg.\n']) {
      const text = `{ pkgs, ... }:\nlet\n  cfg = pkgs.hello;\n  helper = x: x + 1;\n${broken}${body}`;
      expect(await summary(text), broken).toEqual([]);
    }
  });

  it("does not take the next line's dotted key for a variable when a `;` is deleted", async () => {
    const text = '{ config, lib, pkgs, ... }:\n{\n  networking.hostName = "workstation"\n  time.timeZone = "Europe/Berlin";\n  services.nginx.enable = config.networking.hostName != "";\n  users.users."alice".isNormalUser = lib.id true;\n  environment.systemPackages = [ pkgs.git ];\n}';
    expect(await summary(text)).toEqual([]);
    // A dotted key is no binding of its first name when the code is whole.
    expect(await summary('{ a = time.zone; b.c = 1; }')).toEqual(['undefined-variable:time']);
  });

  it('still reports a name bound nowhere in the text', async () => {
    const text = '{ pkgs, ... }:\nlet\n  cfg = pkgs.hello;\n  name = "a"\n  other = helpr 2;\nin { a = cfg; c = other; }';
    expect(await summary(text)).toEqual(['undefined-variable:helpr']);
  });

  it('reports the same names once the code is whole again', async () => {
    const text = `{ pkgs, ... }:\nlet\n  cfg = 1;\n  helper = x: x + 1;\n  unused = 2;\n${body.replace('cfg;', 'cfg; a = 2;')}`;
    expect(await summary(text)).toEqual(['unused-argument:pkgs', 'unused-binding:unused', 'duplicate-attribute:a']);
  });
});

describe('files that start with whitespace', () => {
  it('name what is really there behind a blank line, spaces, CRLF or tabs', async () => {
    for (const prefix of ['\n', '  ', '\r\n', '\t\n\t']) {
      expect(await summary(`${prefix}{ a = 1; b = 2; }`), JSON.stringify(prefix)).toEqual([]);
      expect(await summary(`${prefix}let a=1; b=2; in a+b`), JSON.stringify(prefix)).toEqual([]);
      expect(await summary(`${prefix}{ a, b }: a + b`), JSON.stringify(prefix)).toEqual([]);
      expect(await summary(`${prefix}{ a = 1; a = 2; }`), JSON.stringify(prefix)).toEqual(['duplicate-attribute:a']);
      expect(await summary(`${prefix}let a=1; b=2; in a+c`), JSON.stringify(prefix)).toEqual(['unused-binding:b', 'undefined-variable:c']);
    }
  });
});

describe('code the grammar alone would call broken (nixfmt style)', () => {
  it('checks it as the valid code it is', async () => {
    expect(await summary('{\n  lib,\n}:\nlib')).toEqual([]);
    expect(await summary('{\n  pkgs ? import <nixpkgs> { },\n}:\npkgs.hello')).toEqual([]);
    // Not held back as broken code: the unused argument is reported.
    expect(await summary('{\n  a,\n  b, # note\n}:\na')).toEqual(['unused-argument:b']);
    expect(await summary('{ meta }: { inherit (meta.x); a = 1; }')).toEqual([]);
    expect(await summary('let x = { }; y = { }; in { inherit; inherit (x); }')).toEqual(['unused-binding:y']);
  });
});
