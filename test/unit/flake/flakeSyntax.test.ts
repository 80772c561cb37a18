import { describe, expect, it } from 'vitest';
import { printFlakeRef } from '../../../server/src/flake/flakeRef';
import { inputSource, type FlakeInputDecl } from '../../../server/src/flake/flakeSyntax';
import { parseFlake, readFixture, textAt } from './nixSource';

const byName = (inputs: readonly FlakeInputDecl[], name: string) => {
  const decl = inputs.find((input) => input.name === name);
  if (!decl) throw new Error(`no input ${name}`);
  return decl;
};

describe('inputs read from flake.nix', () => {
  it('reads every form of input in the fixture, in document order', async () => {
    const content = readFixture('all-forms', 'flake.nix');
    const { syntax } = await parseFlake(content);
    expect(syntax.recognized).toBe(true);
    expect(syntax.complete).toBe(true);
    expect(syntax.inputs.map((input) => input.name)).toEqual([
      'nixpkgs', 'flake-utils', 'home-manager', 'nur', 'my-src', 'pkgs-follow', 'systems', 'patchelf', 'pinned', 'registry-only',
    ]);

    const nixpkgs = byName(syntax.inputs, 'nixpkgs');
    expect(nixpkgs.url?.value).toBe('github:NixOS/nixpkgs/nixos-unstable');
    expect(textAt(content, nixpkgs.nameRanges[0])).toBe('nixpkgs');
    expect(textAt(content, nixpkgs.url!.contentRange)).toBe('github:NixOS/nixpkgs/nixos-unstable');
    expect(textAt(content, nixpkgs.url!.range)).toBe('"github:NixOS/nixpkgs/nixos-unstable"');

    const hm = byName(syntax.inputs, 'home-manager');
    expect(hm.url?.value).toBe('github:nix-community/home-manager');
    expect(hm.overrides).toHaveLength(1);
    expect(hm.overrides[0].path).toEqual(['nixpkgs']);
    expect(hm.overrides[0].follows?.value).toBe('nixpkgs');
    expect(textAt(content, hm.overrides[0].nameRange)).toBe('nixpkgs');

    const nur = byName(syntax.inputs, 'nur');
    expect(nur.nameRanges).toHaveLength(2);
    expect(nur.overrides[0].follows?.value).toBe('nixpkgs');

    const src = byName(syntax.inputs, 'my-src');
    expect(src.flake).toBe(false);
    expect(textAt(content, src.nameRanges[0])).toBe('"my-src"');
    expect(printFlakeRef(inputSource(src)!)).toBe('git+https://example.org/src.git?ref=main');

    expect(byName(syntax.inputs, 'pkgs-follow').follows?.value).toBe('nixpkgs');
    expect(byName(syntax.inputs, 'systems').follows?.value).toBe('flake-utils/systems');

    const patchelf = byName(syntax.inputs, 'patchelf');
    expect(patchelf.url).toBeUndefined();
    expect([...patchelf.attributes.keys()]).toEqual(['type', 'owner', 'repo', 'ref']);
    expect(printFlakeRef(inputSource(patchelf)!)).toBe('github:NixOS/patchelf/master');
    expect(textAt(content, patchelf.attributes.get('ref')!.bindingRange)).toBe('ref = "master";');

    const implicit = byName(syntax.inputs, 'registry-only');
    expect(implicit.implicit).toBe(true);
    expect(printFlakeRef(inputSource(implicit)!)).toBe('registry-only');
  });

  it('reads overrides of inputs of inputs, several levels deep', async () => {
    const content = '{\n  inputs.hm.url = "github:nix-community/home-manager";\n  inputs.hm.inputs.a.inputs.b.follows = "nixpkgs";\n  inputs.hm.inputs = { c.url = "path:/srv/c"; };\n  outputs = _: { };\n}\n';
    const { syntax } = await parseFlake(content);
    const hm = byName(syntax.inputs, 'hm');
    expect(hm.overrides.map((o) => [o.path, o.follows?.value, o.url?.value])).toEqual([
      [['a', 'b'], 'nixpkgs', undefined],
      [['c'], undefined, 'path:/srv/c'],
    ]);
    expect(textAt(content, hm.overrides[0].nameRange)).toBe('b');
  });

  it('reads the outputs signature', async () => {
    const content = readFixture('all-forms', 'flake.nix');
    const { syntax } = await parseFlake(content);
    const outputs = syntax.outputs!;
    expect(outputs.formals?.map((formal) => formal.name)).toEqual(['self', 'nixpkgs', 'flake-utils', 'registry-only']);
    expect(outputs.ellipsis).toBe(true);
    expect(outputs.universal?.name).toBe('inputs');
    expect(textAt(content, outputs.formals![1].range)).toBe('nixpkgs');
  });

  it('reads attribute-form inputs written as separate bindings, with their path prefix', async () => {
    const content = `{
  inputs.src.type = "gitlab";
  inputs.src.owner = "o";
  inputs.src.repo = "r";
  outputs = inputs: { };
}`;
    const { syntax } = await parseFlake(content);
    const src = byName(syntax.inputs, 'src');
    expect(src.attributes.get('repo')?.pathPrefix).toBe('inputs.src.');
    expect(printFlakeRef(inputSource(src)!)).toBe('gitlab:o/r');
    expect(syntax.outputs?.formals).toBeUndefined();
    expect(syntax.outputs?.universal?.name).toBe('inputs');
  });

  it('looks through let, rec and parentheses, and reads unquoted URLs and indented strings', async () => {
    const content = `let
  version = "1";
in (rec {
  inputs.old.url = github:NixOS/nixpkgs;
  inputs.indented.url = ''git+https://h/x?ref=a'';
  inputs.computed.url = "github:o/r/\${version}";
  outputs = { self, ... }: { };
})`;
    const { syntax } = await parseFlake(content);
    expect(syntax.recognized).toBe(true);
    expect(byName(syntax.inputs, 'old').url).toMatchObject({ value: 'github:NixOS/nixpkgs', style: 'bare' });
    expect(byName(syntax.inputs, 'indented').url).toMatchObject({ value: 'git+https://h/x?ref=a', style: 'indented' });
    const computed = byName(syntax.inputs, 'computed');
    expect(computed.url?.literal).toBe(false);
    expect(inputSource(computed)).toBeUndefined();
  });

  it('decodes escapes in strings', async () => {
    const { syntax } = await parseFlake('{ inputs.x.url = "path:/a\\"b\\\\c"; outputs = _: { }; }');
    expect(byName(syntax.inputs, 'x').url?.value).toBe('path:/a"b\\c');
  });

  it('says when some inputs cannot be seen', async () => {
    expect((await parseFlake('{ inputs = import ./inputs.nix; outputs = _: { }; }')).syntax.complete).toBe(false);
    expect((await parseFlake('{ inputs.${"x"}.url = "nixpkgs"; outputs = _: { }; }')).syntax.complete).toBe(false);
    expect((await parseFlake('{ inputs = { inherit (x) a; }; outputs = _: { }; }')).syntax.complete).toBe(false);
    expect((await parseFlake('{ inputs.a.url = "nixpkgs"; outputs = _: { }; }')).syntax.complete).toBe(true);
  });

  it('reads what it can from broken code and never throws', async () => {
    const broken = `{
  inputs.a.url = "github:o/a";
  inputs.b.url = "gith
  inputs.c.follows = "a";
  outputs = { self, a, }: {`;
    const { syntax } = await parseFlake(broken);
    expect(syntax.inputs.map((input) => input.name)).toContain('a');
    for (const text of ['', '{', 'x: x', '[ 1 2 ]', '{ inputs = ; }', '{ inputs.x = { url = ; }; }']) {
      const parsed = await parseFlake(text);
      expect(Array.isArray(parsed.syntax.inputs)).toBe(true);
    }
    expect((await parseFlake('x: x')).syntax.recognized).toBe(false);
  });
});
