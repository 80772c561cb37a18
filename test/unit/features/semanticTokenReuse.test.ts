import { describe, expect, it } from 'vitest';
import { reusedSemanticTokens } from '../../../server/src/features/semanticTokenReuse';
import { semanticTokens } from '../../../server/src/features/semanticTokens';
import { analyze } from '../analysis/nixSnippets';

const BEFORE = `{ pkgs, lib, ... }:
# A comment about it
let
  name = "hello world";
  unused = ''
    indented text
  '';
in {
  description = "A package \${name}";
  packages = with pkgs; [ ripgrep ];
  "quoted" = lib.mkIf true name;
}
`;

/** Edits `BEFORE` (replacing the first `find` with `replace`): the reused tokens, and the fresh ones. */
async function afterEdit(find: string, replace: string, text = BEFORE) {
  if (!text.includes(find)) throw new Error(`no ${find}`);
  const before = await analyze(text);
  const after = await analyze(text.replace(find, replace));
  const reused = reusedSemanticTokens({ analysis: before, tokens: semanticTokens(before) }, after);
  return { reused: reused?.data, fresh: semanticTokens(after).data };
}

describe('semantic tokens moved over an edit', () => {
  it('reuses the tokens for text typed in strings and comments, and they equal fresh ones', async () => {
    for (const [find, replace] of [
      ['hello world', 'hello, world'],
      ['"hello world', '"hello world!'],
      ['hello world"', 'hello worl"'],
      ['about it', 'about it, at length'],
      ['indented text', 'indented\n    text'],
      ['A package', 'The package'],
    ]) {
      const { reused, fresh } = await afterEdit(find!, replace!);
      expect(reused, `${find} → ${replace}`).toEqual(fresh);
    }
  });

  it('computes them afresh when the edit may change what names mean or the structure', async () => {
    for (const [find, replace] of [
      ['unused = ', 'used = '],
      ['ripgrep', 'ripgre'],
      ['"quoted"', '"quote"'],
      ['hello world', 'hello" world'],
      ['A package', 'A ${pkgs} package'],
      ['about it', 'about\nit'],
    ]) {
      expect((await afterEdit(find!, replace!)).reused, `${find} → ${replace}`).toBeUndefined();
    }
    const flake = '{ inputs.nixpkgs.url = "github:NixOS/nixpkgs"; outputs = { nixpkgs, ... }: with nixpkgs; a; }';
    expect((await afterEdit('NixOS/nixpkgs', 'NixOS/other', flake)).reused).toBeUndefined();
  });
});
