import { describe, expect, it } from 'vitest';
import { syntaxProblems } from '../../server/src/syntax/syntaxErrors';
import { parseNix } from '../support/parse';

/** Problems as `line:col-col code message`, compact enough to compare in one line. */
async function problems(source: string): Promise<string[]> {
  const tree = await parseNix(source);
  try {
    return syntaxProblems(tree).map(
      (p) => `${p.range.start.line}:${p.range.start.character}-${p.range.end.character} ${p.code} ${p.message}`,
    );
  } finally {
    tree.delete();
  }
}

describe('syntax problems', () => {
  it('finds nothing in valid code', async () => {
    expect(await problems('{ pkgs, lib, ... }: { a = 1; b = "x${pkgs.hello}"; c = let x = 1; in x; }')).toEqual([]);
  });

  it('describes problems thousands of levels deep without asking tree-sitter for parents', async () => {
    // An `inherit` left without names or `;` in a long package set: tree-sitter recovers with a
    // tree thousands of levels deep, where finding a node's parent (a search down from the root)
    // overflowed the WebAssembly stack, and every parse after that failed too.
    const blocks = Array.from({ length: 130 }, (_, i) => [
      `  services.s${i} = {`,
      '    enable = true;',
      `    settings = { port = ${8000 + i}; tags = [ "a" "b${i}" ]; };`,
      '  };',
      `  packages.p${i} = pkgs.stdenv.mkDerivation rec {`,
      `    pname = "p${i}";`,
      `    src = ./src/p${i};`,
      ...(i === 1 ? ['      inherit'] : []),
      '    buildInputs = with pkgs; [ zlib openssl ];',
      "    installPhase = ''",
      '      mkdir -p $out/bin',
      `      cp p${i} $out/bin/\${pname}`,
      "    '';",
      `    meta.description = "Package number ${i}";`,
      '  };',
    ]);
    const source = ['{ pkgs, ... }:', '{', ...blocks.flat(), '}', ''].join('\n');
    const found = await problems(source);
    expect(found.length).toBeGreaterThan(0);
    // The parser still works afterwards.
    expect(await problems('{ a = 1; b = 2 }')).toEqual(["0:13-14 missing-semicolon Missing ';' at the end of this binding"]);
  });

  it('accepts a trailing comma in formals, as Nix does', async () => {
    expect(await problems('{ a, b, }: a')).toEqual([]);
  });

  it('accepts what nixfmt writes and the grammar alone rejects (shapes from nixpkgs)', async () => {
    // ci/eval/compare/maintainers.nix: a single argument with a trailing comma.
    expect(await problems('# Dependencies coming from the CI-pinned Nixpkgs\n{\n  lib,\n}:\nlib')).toEqual([]);
    // nixos/modules/hardware/facter/fingerprint/update.nix: a default, then a trailing comma.
    expect(await problems('{\n  pkgs ? import ../../../../.. { },\n}:\npkgs')).toEqual([]);
    expect(await problems('{ pkgs ? import <nixpkgs> { }, }: pkgs')).toEqual([]);
    // lib/types.nix: the argument set bound with `@`, inside a binding.
    expect(await problems('{\n  deferredModuleWith =\n    attrs@{\n      staticModules ? [ ],\n    }:\n    attrs;\n}')).toEqual([]);
    // maintainers/scripts/check-hydra-by-maintainer.nix: a comment after the trailing comma.
    expect(await problems('{\n  maintainer, # --argstr\n  short ? false, # use --arg short true\n  extra ? "", # --argstr\n}:\nmaintainer')).toEqual([]);
    expect(await problems('{\n  a,\n  b,\n  # c\n}: a + b')).toEqual([]);
    // `lib ? import ../.,`: a default ending in a path that ends in a dot.
    expect(await problems('{\n  lib ? import ../.,\n}:\nlib')).toEqual([]);
    // `inherit (x.meta);` and `inherit;` bring in nothing, and Nix accepts them.
    expect(await problems('{ meta }: { inherit (meta.x); a = 1; }')).toEqual([]);
    expect(await problems('let x = { }; in { inherit; inherit (x); }')).toEqual([]);
  });

  it('still reports commas Nix rejects', async () => {
    expect(await problems('{ a, ..., }: a')).toEqual(["0:8-9 unexpected-token Unexpected ','"]);
    expect((await problems('{ a, , }: a')).length).toBeGreaterThan(0);
    expect((await problems('{ , }: 1')).length).toBeGreaterThan(0);
    // In an attribute set, not an argument set.
    expect((await problems('{ a = 1, }')).length).toBeGreaterThan(0);
    expect((await problems('{ a = 1;, }')).length).toBeGreaterThan(0);
    expect((await problems('{ a = { }, }')).length).toBeGreaterThan(0);
    expect((await problems('{ inherit a, }')).length).toBeGreaterThan(0);
    // A comma inside an interpolation, a string or a comment is not an argument set's.
    expect((await problems('"${ a, }"')).length).toBeGreaterThan(0);
    expect(await problems('{ a = "x, }"; b = \'\'y, }\'\'; } # z, }')).toEqual([]);
    // `inherit (x)` without its `;`.
    expect(await problems('{ inherit (x) }')).not.toEqual([]);
  });

  it('accepts an empty inherit, as Nix does', async () => {
    expect(await problems('{ inherit; inherit (x); a = 1; }')).toEqual([]);
    expect(await problems('{ inherit a; b = }')).not.toEqual([]);
  });

  it("reports a missing ';' at the end of the value", async () => {
    expect(await problems('{ a = 1; b = 2 }')).toEqual(["0:13-14 missing-semicolon Missing ';' at the end of this binding"]);
  });

  it("reports a missing ';' between two bindings on one line", async () => {
    expect(await problems('{ a = 1 b = 2; }')).toEqual(["0:6-7 missing-semicolon Missing ';' before 'b'"]);
  });

  it("reports a missing ';' after inherit", async () => {
    expect(await problems('{ a = 1; inherit b }')).toEqual(["0:17-18 missing-semicolon Missing ';' at the end of this binding"]);
  });

  it('reports an unclosed brace on the brace itself', async () => {
    expect(await problems('{ a = 1;')).toEqual(["0:0-1 unclosed-delimiter '{' is never closed: expected '}'"]);
  });

  it('reports unclosed lists and parentheses', async () => {
    expect(await problems('[ 1 2')).toEqual(["0:0-1 unclosed-delimiter '[' is never closed: expected ']'"]);
    expect(await problems('f (a')).toEqual(["0:2-3 unclosed-delimiter '(' is never closed: expected ')'"]);
  });

  it("reports 'b = ;' as a missing value", async () => {
    expect(await problems('{ a = 1; b = ; }')).toEqual(["0:11-12 missing-expression Expected an expression after '='"]);
  });

  it('reports a let whose binding lacks its semicolon and whose body is unclosed', async () => {
    const found = await problems('let x = 1 in { a = x');
    expect(found).toContain("0:8-9 missing-semicolon Missing ';' after this value");
    expect(found).toContain("0:13-14 unclosed-delimiter '{' is never closed: expected '}'");
  });

  it('reports an operator without its right operand', async () => {
    expect(await problems('{ a = (1 + ; }')).toContain("0:9-10 missing-expression Expected an expression after '+'");
  });

  it('reports an unterminated string', async () => {
    const found = await problems('"abc');
    expect(found.some((p) => p.includes('unterminated-string'))).toBe(true);
  });

  it('reports a stray closing brace as unexpected', async () => {
    expect(await problems('{ a = 1; } }')).toEqual(["0:11-12 unexpected-token Unexpected '}'"]);
  });

  it('reports a lambda without a body', async () => {
    expect(await problems('x: ')).toEqual(["0:1-2 missing-expression Expected an expression after ':'"]);
  });

  it('never reports tree-sitter node names', async () => {
    const inputs = ['{ a.b. = 1; }', 'if a then b', 'let a = 1; in', '{ = 1; }', 'a: b: { c = ', ']]]', '{{{{', "''abc"];
    for (const input of inputs) {
      const found = await problems(input);
      expect(found.length, input).toBeGreaterThan(0);
      for (const line of found) expect(line, input).not.toMatch(/ERROR|MISSING|_expression|identifier/);
    }
  });

  it('survives deeply nested input without overflowing the stack', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(4999);
    const found = await problems(deep);
    expect(found.length).toBeGreaterThan(0);
  });
});
