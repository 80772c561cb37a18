import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLenses } from '../../../server/src/features/build/buildLenses';
import { EXAMPLE_NAME } from '../../../server/src/nur/templates/context';
import { defaultNix } from '../../../server/src/nur/templates/entryPoints';
import { parseNix } from './recordings';

async function lensesOf(uri: string, text: string) {
  const tree = await parseNix(text);
  try {
    return buildLenses({ uri, tree }).map((lens) => ({ line: lens.range.start.line, attribute: lens.attribute, params: lens.params, title: lens.title }));
  } finally {
    tree.delete();
  }
}

const FLAKE = 'file:///project/proj/flake.nix';
const DEFAULT = 'file:///project/proj/default.nix';

describe('build lenses in flake.nix', () => {
  it('puts one on each package of packages.<system> = { … }', async () => {
    const lenses = await lensesOf(
      FLAKE,
      `{
  outputs = { self, nixpkgs }: {
    packages.x86_64-linux = {
      hello = nixpkgs.legacyPackages.x86_64-linux.hello;
      "my.tool" = self.packages.x86_64-linux.hello;
    };
    packages.aarch64-linux.hello = nixpkgs.legacyPackages.aarch64-linux.hello;
    devShells.x86_64-linux.default = null;
  };
}`,
    );
    expect(lenses).toEqual([
      { line: 3, attribute: 'hello', title: 'Build hello', params: { cwd: 'file:///project/proj', installable: '.#hello' } },
      { line: 4, attribute: 'my.tool', title: 'Build my.tool', params: { cwd: 'file:///project/proj', installable: '.#"my.tool"' } },
      { line: 6, attribute: 'hello', title: 'Build hello', params: { cwd: 'file:///project/proj', installable: '.#hello' } },
    ]);
  });

  it('handles packages keyed by system, forAllSystems, and eachDefaultSystem', async () => {
    const bySystem = await lensesOf(FLAKE, `{ outputs = { self }: { packages = { x86_64-linux = { a = 1; }; x86_64-darwin.b = 2; }; }; }`);
    expect(bySystem.map((lens) => lens.attribute)).toEqual(['a', 'b']);

    const forAll = await lensesOf(
      FLAKE,
      `{
  outputs = { self, nixpkgs }:
    let forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" ];
    in {
      packages = forAllSystems (system:
        let pkgs = nixpkgs.legacyPackages.\${system};
        in {
          tool = pkgs.callPackage ./tool { };
          inherit (pkgs) hello;
        });
    };
}`,
    );
    expect(forAll.map((lens) => [lens.line, lens.attribute])).toEqual([
      [7, 'tool'],
      [8, 'hello'],
    ]);

    const eachSystem = await lensesOf(
      FLAKE,
      `{
  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachDefaultSystem (system: {
      packages = { default = self.packages.\${system}.app; app = 1; };
      packages.\${system}.extra = 2;
    });
}`,
    );
    expect(eachSystem.map((lens) => lens.attribute)).toEqual(['default', 'app', 'extra']);
  });

  it('reads the test fixture flake', async () => {
    const text = readFileSync(join(__dirname, '..', '..', 'fixtures', 'build', 'projects', 'flake', 'flake.nix'), 'utf8');
    const lenses = await lensesOf(FLAKE, text);
    expect(lenses.map((lens) => lens.attribute)).toEqual(['liba', 'app', 'default', 'broken', 'evalFail', 'fixed', 'slow']);
  });

  it('gives nothing for a flake without packages or a broken file', async () => {
    expect(await lensesOf(FLAKE, `{ outputs = { self }: { nixosConfigurations = { }; }; }`)).toEqual([]);
    expect(await lensesOf(FLAKE, `{ outputs = { self }: { packages.x86_64-linux = { a = ; }`)).toEqual(expect.any(Array));
  });
});

describe('build lenses in default.nix and other files', () => {
  it('puts one on each package of a NUR default.nix, skipping lib, modules and overlays', async () => {
    const lenses = await lensesOf(
      DEFAULT,
      `{ pkgs ? import <nixpkgs> { } }:

{
  lib = import ./lib { inherit pkgs; };
  modules = import ./modules;
  overlays = import ./overlays;

  example-package = pkgs.callPackage ./pkgs/example-package { };
  other = pkgs.hello;
  notes = "text";
}`,
    );
    expect(lenses).toEqual([
      { line: 7, attribute: 'example-package', title: 'Build example-package', params: { cwd: 'file:///project/proj', file: 'default.nix', attr: 'example-package' } },
      { line: 8, attribute: 'other', title: 'Build other', params: { cwd: 'file:///project/proj', file: 'default.nix', attr: 'other' } },
    ]);
  });

  it('puts one only on the packages of the default.nix a new NUR repository gets', async () => {
    const text = defaultNix({ name: 'alice', owner: 'alice', githubRepo: 'nur-packages', today: new Date('2026-11-22T00:00:00Z') });
    expect((await lensesOf(DEFAULT, text)).map((lens) => lens.title)).toEqual([`Build ${EXAMPLE_NAME}`]);
  });

  it('follows `let self = { … }; in self` as in the test fixture', async () => {
    const text = readFileSync(join(__dirname, '..', '..', 'fixtures', 'build', 'projects', 'legacy', 'default.nix'), 'utf8');
    const lenses = await lensesOf(DEFAULT, text);
    expect(lenses.map((lens) => lens.attribute)).toEqual(['liba', 'app', 'fixed', 'evalFail']);
  });

  it('puts one on nested callPackage bindings with their attribute path', async () => {
    const lenses = await lensesOf(
      'file:///project/proj/pkgs/all.nix',
      `{ pkgs ? import <nixpkgs> { } }:
rec {
  callPackage = pkgs.lib.callPackageWith (pkgs // self);
  tool = callPackage ./tool { };
  pythonPackages = {
    "fancy.lib" = pkgs.python3Packages.callPackage ./fancy { };
  };
  plain = pkgs.hello;
}`,
    );
    expect(lenses).toEqual([
      { line: 3, attribute: 'tool', title: 'Build tool', params: { cwd: 'file:///project/proj/pkgs', file: 'all.nix', attr: 'tool' } },
      { line: 5, attribute: 'pythonPackages."fancy.lib"', title: 'Build pythonPackages."fancy.lib"', params: { cwd: 'file:///project/proj/pkgs', file: 'all.nix', attr: 'pythonPackages."fancy.lib"' } },
    ]);
  });

  it('gives nothing for package files and overlays, which nix-build cannot call', async () => {
    expect(await lensesOf('file:///w/pkgs/x/default.nix', `{ stdenv, callPackage }: { a = callPackage ./a { }; }`)).toEqual([]);
    expect(await lensesOf('file:///w/overlay.nix', `final: prev: { a = final.callPackage ./a { }; }`)).toEqual([]);
  });
});
