import { describe, expect, it } from 'vitest';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES, type SemanticTokenOptions } from '../../../server/src/features/semanticTokens';
import { analyze, cursor } from '../analysis/nixSnippets';

/** The token covering the `|` cursor, as `type modifier…`; `none` when there is none. */
async function tokenAt(marked: string, options: SemanticTokenOptions = { fileName: 'file:///project/default.nix' }): Promise<string> {
  const { text, offset } = cursor(marked);
  const analysis = await analyze(text);
  const { data } = semanticTokens(analysis, options);
  const position = analysis.lines.positionAt(offset);
  for (let i = 0; i < data.length; i += 5) {
    const [line, character, length, type, modifiers] = data.slice(i, i + 5) as [number, number, number, number, number];
    if (line === position.line && character <= position.character && position.character < character + length) {
      return [TOKEN_TYPES[type], ...TOKEN_MODIFIERS.filter((_, bit) => modifiers & (1 << bit))].join(' ');
    }
  }
  return 'none';
}

describe('semantic tokens', () => {
  it('colours variables by what they resolve to', async () => {
    expect(await tokenAt('let a = 1; in |a')).toBe('variable');
    expect(await tokenAt('let |a = 1; in a')).toBe('variable declaration');
    expect(await tokenAt('let |a = 1; in 2')).toBe('variable declaration unused');
    expect(await tokenAt('let f = x: x; in |f 1')).toBe('function');
    expect(await tokenAt('{ |stdenv }: stdenv')).toBe('parameter declaration');
    expect(await tokenAt('{ stdenv }: |stdenv')).toBe('parameter');
    expect(await tokenAt('{ |lib }: 1')).toBe('parameter declaration unused');
    expect(await tokenAt('{ |lib }: 1', { unusedFormals: false })).toBe('parameter declaration');
    expect(await tokenAt('let |_a = 1; in 2')).toBe('variable declaration');
    expect(await tokenAt('|x: x')).toBe('parameter declaration');
    expect(await tokenAt('{ ... }@|args: args')).toBe('parameter declaration');
    expect(await tokenAt('|undefinedName')).toBe('variable');
  });

  it('marks builtins as the default library', async () => {
    expect(await tokenAt('|map (x: x) [ ]')).toBe('function defaultLibrary');
    expect(await tokenAt('|true')).toBe('variable readonly defaultLibrary');
    expect(await tokenAt('|builtins.map')).toBe('namespace defaultLibrary');
    expect(await tokenAt('builtins.|attrNames { }')).toBe('function defaultLibrary');
    expect(await tokenAt('builtins.|currentSystem')).toBe('variable readonly defaultLibrary');
  });

  it('tells names a with provides, packages, options and plain attributes apart', async () => {
    expect(await tokenAt('{ pkgs }: with pkgs; [ |hello ]')).toBe('property defaultLibrary');
    expect(await tokenAt('let s = { a = 1; }; in with s; |a')).toBe('property');
    expect(await tokenAt('{ pkgs }: [ pkgs.|hello ]')).toBe('property defaultLibrary');
    expect(await tokenAt('{ config, pkgs, ... }: { services.|nginx.enable = true; }')).toBe('property modification');
    expect(await tokenAt('{ config, pkgs, ... }: { services.nginx.|enable = true; }')).toBe('property modification');
    expect(await tokenAt('{ |a = 1; }')).toBe('property declaration');
    expect(await tokenAt('{ "|a b" = 1; }')).toBe('property declaration');
    expect(await tokenAt('let s = { a = 1; }; in s.|a')).toBe('property');
    expect(await tokenAt('{ lib }: lib.|mkIf true 1')).toBe('property defaultLibrary');
    expect(await tokenAt('{ pkgs }: let l = pkgs.lib; in l.|mkIf true 1')).toBe('property defaultLibrary');
    expect(await tokenAt('{ lib }: lib.strings.|concatStrings')).toBe('property');
    expect(await tokenAt('rec { |a = 1; b = a; }')).toBe('property declaration');
    expect(await tokenAt('let a = 1; in { inherit |a; }')).toBe('property declaration');
    expect(await tokenAt('{ pkgs }: { inherit (pkgs) |hello; }')).toBe('property defaultLibrary');
  });

  it('marks paths, URLs, interpolations and keywords', async () => {
    expect(await tokenAt('import |./a.nix')).toBe('string path');
    expect(await tokenAt('import |<nixpkgs>')).toBe('string path');
    expect(await tokenAt('|https://example.org')).toBe('string url');
    expect(await tokenAt('"a |${"b"}"')).toBe('operator');
    expect(await tokenAt('"a ${"b"|}"')).toBe('operator');
    expect(await tokenAt('./a/${"b"}/|c')).toBe('string path');
    expect(await tokenAt('|let a = 1; in a')).toBe('keyword');
    expect(await tokenAt('let a = 1; |in a')).toBe('keyword');
    expect(await tokenAt('|rec { }')).toBe('keyword');
    expect(await tokenAt('|with { }; 1')).toBe('keyword');
    expect(await tokenAt('|if true |then 1 else 2'.replace('|then', 'then'))).toBe('keyword');
    expect(await tokenAt('if true then 1 |else 2')).toBe('keyword');
    expect(await tokenAt('|assert true; 1')).toBe('keyword');
    expect(await tokenAt('{ a = 1; }.b |or 2')).toBe('keyword');
    expect(await tokenAt('let a = 1; in { |inherit a; }')).toBe('keyword');
  });

  it('leaves strings and comments to the grammar and gives nothing for a keyword-like attribute', async () => {
    expect(await tokenAt('"|let"')).toBe('none');
    expect(await tokenAt('# |let\n1')).toBe('none');
  });

  it('answers a range with the tokens inside it only', async () => {
    const analysis = await analyze('let\n  a = 1;\n  b = 2;\nin a + b\n');
    const { data } = semanticTokens(analysis, { range: { start: 6, end: 12 } });
    expect(data).toEqual([1, 2, 1, TOKEN_TYPES.indexOf('variable'), 1]);
  });

  it('keeps tokens in document order across nested keywords and interpolations', async () => {
    const analysis = await analyze('let x = "${let y = 1; in toString y}"; in with { }; if x == "" then x else x\n');
    const { data } = semanticTokens(analysis);
    const starts: number[] = [];
    for (let i = 0; i < data.length; i += 5) starts.push(data[i]! * 1000 + data[i + 1]!);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(starts).size).toBe(starts.length);
  });
});
