import { describe, expect, it } from 'vitest';
import { contextAt, type ContextOptions, type CursorContext } from '../../../server/src/analysis/context';
import { importedModules } from '../../../server/src/analysis/modules';
import { analyze, cursor, nixParser, parse } from './nixSnippets';

async function contextOf(marked: string, options?: ContextOptions): Promise<CursorContext> {
  const { text, offset } = cursor(marked);
  const tree = await parse(text);
  try {
    return contextAt(tree, text, offset, { parser: await nixParser(), ...options });
  } finally {
    tree.delete();
  }
}

async function expectContext(marked: string, expected: Record<string, unknown>, options?: ContextOptions): Promise<CursorContext> {
  const context = await contextOf(marked, options);
  expect(context, marked).toMatchObject(expected);
  return context;
}

async function expectNone(marked: string, options?: ContextOptions) {
  const context = await contextOf(marked, options);
  expect(context.kind, `${marked} → ${JSON.stringify(context)}`).toBe('none');
}

async function expectNotKind(marked: string, kind: CursorContext['kind']) {
  const context = await contextOf(marked);
  expect(context.kind, `${marked} → ${JSON.stringify(context)}`).not.toBe(kind);
}

describe('nixpkgs attribute paths', () => {
  it('completes after pkgs. at any depth', async () => {
    await expectContext('{ pkgs, ... }: { x = pkgs.python313Packages.reque|; }', { kind: 'packages', path: ['python313Packages'], prefix: 'reque' });
    await expectContext('{ pkgs, ... }: { x = pkgs.|; }', { kind: 'packages', path: [], prefix: '' });
    await expectContext('{ pkgs, ... }: { x = pkgs.hel|; }', { kind: 'packages', path: [], prefix: 'hel', via: 'select' });
    await expectContext('{ pkgs, ... }: { x = pkgs.a.b.c.|; }', { kind: 'packages', path: ['a', 'b', 'c'], prefix: '' });
    await expectContext('{ pkgs, ... }: { x = [ pkgs.| ]; }', { kind: 'packages', path: [] });
    await expectContext('{ pkgs, ... }: [ pkgs.hello pkgs.rip| ]', { kind: 'packages', path: [], prefix: 'rip' });
    await expectContext('{ pkgs }: pkgs.python3Packages.|', { kind: 'packages', path: ['python3Packages'] });
    await expectContext('{ pkgs, ... }: { x = pkgs."hello-world".|; }', { kind: 'packages', path: ['hello-world'] });
  });

  it('gives hover the whole word, not only the typed prefix', async () => {
    await expectContext('{ pkgs, ... }: { x = pkgs.ripgr|ep; }', { kind: 'packages', path: [], prefix: 'ripgr', word: 'ripgrep', hoverPath: ['ripgrep'] });
    await expectContext('{ pkgs, ... }: { x = pkgs.ripgr|ep.meta; }', { hoverPath: ['ripgrep'] });
    await expectContext('{ pkgs, ... }: { x = pkgs.python3Packages.req|uests; }', { hoverPath: ['python3Packages', 'requests'] });
    await expectContext('{ pkgs, ... }: { x = pkgs.|hello; }', { prefix: '', word: 'hello', hoverPath: ['hello'] });
  });

  it('knows every usual way to get nixpkgs', async () => {
    await expectContext('let pkgs = import <nixpkgs> { }; in pkgs.hel|', { kind: 'packages', path: [] });
    await expectContext('let p = import <nixpkgs> { }; in p.hel|', { kind: 'packages', path: [] });
    await expectContext('{ pkgs ? import <nixpkgs> { } }: pkgs.hel|', { kind: 'packages', path: [] });
    await expectContext('{ nixpkgs ? import <nixpkgs> { } }: nixpkgs.hel|', { kind: 'packages', path: [] });
    await expectContext('let p = import nixpkgs { system = "x"; }; in p.hel|', { kind: 'packages', path: [] });
    await expectContext('(import <nixpkgs> { }).hel|', { kind: 'packages', path: [] });
    await expectContext('let p = pkgs.python3Packages; in p.req|', { kind: 'packages', path: ['python3Packages'] });
    await expectContext('let inherit (pkgs) python3Packages; in python3Packages.req|', { kind: 'packages', path: ['python3Packages'] });
    await expectContext('pkgs: pkgs.hel|', { kind: 'packages', path: [] });
  });

  it('knows overlays: final/prev and self/super are package sets', async () => {
    await expectContext('final: prev: { x = prev.hel|; }', { kind: 'packages', path: [] });
    await expectContext('final: prev: { x = final.python3Packages.|; }', { kind: 'packages', path: ['python3Packages'] });
    await expectContext('self: super: { x = super.python3Packages.|; }', { kind: 'packages', path: ['python3Packages'] });
    await expectContext('{ overlays.default = final: prev: { y = prev.li|; }; }', { kind: 'packages', path: [] });
  });

  it('follows flakes: legacyPackages of nixpkgs inputs, with any system', async () => {
    await expectContext('{ self, nixpkgs, ... }@inputs: { x = inputs.nixpkgs.legacyPackages.x86_64-linux.hel|; }', { kind: 'packages', path: [] });
    await expectContext('{ outputs = { self, nixpkgs, ... }: { x = nixpkgs.legacyPackages.${system}.hel|; }; }', { kind: 'packages', path: [] });
    await expectContext('{ outputs = { self, nixpkgs, ... }: { x = nixpkgs.legacyPackages."aarch64-darwin".python3Packages.|; }; }', {
      kind: 'packages',
      path: ['python3Packages'],
    });
    await expectContext('{ outputs = { self, ... }: { x = self.inputs.nixpkgs.legacyPackages.x86_64-linux.hel|; }; }', { kind: 'packages', path: [] });
    await expectContext('{ inputs, ... }: { x = inputs.nixpkgs.legacyPackages.${pkgs.system}.|; }', { kind: 'packages', path: [] });
    await expectContext('{ inputs.unstable.url = "github:NixOS/nixpkgs/nixos-unstable"; outputs = { unstable, ... }: { x = unstable.legacyPackages.x86_64-linux.|; }; }', {
      kind: 'packages',
      path: [],
    });
    await expectContext('{ outputs = { nixpkgs-unstable, ... }: { x = nixpkgs-unstable.legacyPackages.x86_64-linux.|; }; }', { kind: 'packages', path: [] });
    await expectContext('{ outputs = { nixpkgs, ... }: let pkgs = nixpkgs.legacyPackages.x86_64-linux; in { x = pkgs.hel|; }; }', { kind: 'packages', path: [] });
    await expectContext('{ outputs = { nixpkgs, ... }: let pkgs = import nixpkgs { system = "x86_64-linux"; }; in { x = pkgs.hel|; }; }', {
      kind: 'packages',
      path: [],
    });
  });

  it('maps pkgs.lib and nixpkgs.lib to lib', async () => {
    await expectContext('{ pkgs, ... }: pkgs.lib.strings.|', { kind: 'lib', path: ['strings'] });
    await expectContext('{ outputs = { nixpkgs, ... }: { x = nixpkgs.lib.nixosSys|; }; }', { kind: 'lib', path: [] });
    await expectContext('let lib = pkgs.lib; in lib.conc|', { kind: 'lib', path: [] });
    await expectContext('{ pkgs, ... }: pkgs.stdenv.lib.|', { kind: 'lib', path: [] });
  });

  it('does not guess for imports of other files', async () => {
    await expectNone('let pkgs = import ./foo.nix; in pkgs.hel|');
    await expectNone('let p = import <nixpkgs/nixos> { }; in p.hel|');
  });

  it('does not take a local pkgs that is not nixpkgs for nixpkgs', async () => {
    await expectContext('let pkgs = { a = 1; }; in pkgs.|', { kind: 'localAttrs', candidates: [{ name: 'a' }] });
    await expectNone('{ pkgs }: let pkgs = 1; in pkgs.|');
    await expectNone('let pkgs = foo.bar; in pkgs.hel|');
    await expectNone('{ pkgs, ... }: { x = pkgs.${name}.|; }');
  });
});

describe('with pkgs; bodies', () => {
  it('treats free names inside with pkgs as top-level packages', async () => {
    await expectContext('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ rip| ]; }', { kind: 'packages', path: [], prefix: 'rip', via: 'with' });
    await expectContext('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ | ]; }', { kind: 'packages', path: [], prefix: '' });
    await expectContext('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ hello rip| ]; }', { kind: 'packages', path: [] });
    await expectContext('{ pkgs }: with pkgs; rip|', { kind: 'packages', path: [] });
    await expectContext('{ pkgs }: with pkgs; stdenv.mkDerivation { buildInputs = [ zl| ]; }', { kind: 'packages', path: [] });
  });

  it('follows with of a sub-set of nixpkgs', async () => {
    await expectContext('{ pkgs, ... }: with pkgs.python3Packages; [ req| ]', { kind: 'packages', path: ['python3Packages'] });
    // `ps` is only known at evaluation time: a plain variable position.
    await expectContext('{ pkgs, ... }: pkgs.python3.withPackages (ps: with ps; [ req| ])', { kind: 'variable' });
  });

  it('selections on names from with pkgs continue in nixpkgs', async () => {
    await expectContext('{ pkgs, ... }: with pkgs; [ python3Packages.req| ]', { kind: 'packages', path: ['python3Packages'] });
    await expectContext('{ pkgs, ... }: with pkgs; [ nodePackages.| ]', { kind: 'packages', path: ['nodePackages'] });
  });

  it('uses the innermost with that is known', async () => {
    await expectContext('{ lib, pkgs, ... }: with pkgs; { meta = with lib; { license = licenses.m|; }; }', { kind: 'lib', path: ['licenses'] });
    await expectContext('{ lib, pkgs }: with lib; with pkgs; [ rip| ]', { kind: 'packages', path: [] });
    await expectContext('{ pkgs, other }: with pkgs; with other; [ rip| ]', { kind: 'packages', path: [] });
    // A free name inside `with pkgs` may itself be a package set: `with pkgs; with python3Packages;`.
    await expectContext('{ pkgs }: with pkgs; with python3Packages; [ req| ]', { kind: 'packages', path: ['python3Packages'] });
    await expectContext('{ lib, ... }: with lib; mkIf|', { kind: 'lib', path: [] });
  });

  it('lists visible local names alongside', async () => {
    const context = await expectContext('{ pkgs, myPkg }: with pkgs; [ my| ]', { kind: 'packages' });
    expect(context.kind === 'packages' && context.locals?.map((l) => l.name)).toEqual(['pkgs', 'myPkg']);
  });

  it('a with of something else is not nixpkgs', async () => {
    await expectContext('let x = with foo; [ rip| ]; in x', { kind: 'variable' });
    await expectContext('let s = { alpha = 1; }; in with s; [ al| ]', { kind: 'localAttrs', candidates: [{ name: 'alpha' }] });
    await expectNotKind('{ config, ... }: with config.services; [ ngi| ]', 'packages');
  });
});

describe('callPackage-style package files', () => {
  it('completes formals of a package file with top-level packages', async () => {
    await expectContext('{ stdenv, fetchFromGit| }: stdenv.mkDerivation { }', { kind: 'packages', path: [], via: 'formal', prefix: 'fetchFromGit' });
    await expectContext('{ lib, stdenv, op| }: stdenv.mkDerivation { }', { kind: 'packages', path: [] });
    await expectContext('{ lib\n, stdenv\n, |\n}: stdenv.mkDerivation { }', { kind: 'packages', path: [] });
    await expectContext('{ stdenv, |, ... }: stdenv.mkDerivation { }', { kind: 'packages', path: [] });
  });

  it('gives hover the formal name', async () => {
    await expectContext('{ std|env }: stdenv.mkDerivation { }', { kind: 'packages', hoverPath: ['stdenv'] });
  });

  it('does not complete formals of modules, inner functions or flake outputs', async () => {
    await expectNone('{ config, li| ... }: { }');
    await expectNone('{ config, pkgs, li|, ... }: { }');
    await expectNone('{ stdenv }: let f = { a, b| }: a; in f');
    await expectNone('{ outputs = { self, nixp| }: { }; }');
  });
});

describe('lib and builtins', () => {
  it('completes lib paths', async () => {
    await expectContext('{ lib, ... }: { x = lib.strings.conc|; }', { kind: 'lib', path: ['strings'], prefix: 'conc' });
    await expectContext('{ lib, ... }: { x = lib.|; }', { kind: 'lib', path: [] });
    await expectContext('{ lib, ... }: { x = lib.mkI|f true { }; }', { kind: 'lib', path: [], hoverPath: ['mkIf'] });
    await expectContext('{ lib, ... }: let inherit (lib) strings; in strings.|', { kind: 'lib', path: ['strings'] });
    await expectContext('{ lib, ... }: let inherit (lib) m|; in 1', { kind: 'lib', path: [] });
    await expectContext('lib.|', { kind: 'lib', path: [] });
    await expectContext('{ lib, ... }: { meta = with lib; { maintainers = [ maintainers.| ]; }; }', { kind: 'lib', path: ['maintainers'] });
    await expectContext('{ lib, ... }: { x = lib.attrsets.mapAttrs (n: v: lib.|) { }; }', { kind: 'lib', path: [] });
  });

  it('completes builtins', async () => {
    await expectContext('{ x = builtins.attrN|; }', { kind: 'builtins', path: [], prefix: 'attrN' });
    await expectContext('{ x = builtins.|; }', { kind: 'builtins', path: [] });
    await expectContext('builtins.toJ|SON { }', { kind: 'builtins', hoverPath: ['toJSON'] });
    await expectContext('let b = builtins; in b.|', { kind: 'builtins', path: [] });
  });
});

describe('NixOS option paths', () => {
  it('completes flat and nested option paths', async () => {
    await expectContext('{ config, ... }: { services.ngin| }', { kind: 'option', tree: 'nixos', path: ['services'], prefix: 'ngin' });
    await expectContext('{ config, ... }: { services.ngin| = { }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, ... }: { services.nginx.| }', { kind: 'option', path: ['services', 'nginx'], prefix: '' });
    await expectContext('{ config, ... }: { services = { openssh = { enab| }; }; }', { kind: 'option', path: ['services', 'openssh'] });
    await expectContext('{ config, ... }: { services = { openssh.enab| = true; }; }', { kind: 'option', path: ['services', 'openssh'] });
    await expectContext('{ config, ... }: { ser| }', { kind: 'option', path: [], prefix: 'ser' });
    await expectContext('{ config, ... }: {\n  networking.hostName = "x";\n  boot.loader.| \n}', { kind: 'option', path: ['boot', 'loader'] });
  });

  it('passes named submodules through with their literal names', async () => {
    await expectContext('{ config, lib, ... }: { services.nginx.virtualHosts."example.org".forceS| }', {
      kind: 'option',
      path: ['services', 'nginx', 'virtualHosts', 'example.org'],
      hoverPath: ['services', 'nginx', 'virtualHosts', 'example.org', 'forceS'],
    });
    await expectContext('{ config, ... }: { users.users.alice.extraGro| }', { kind: 'option', path: ['users', 'users', 'alice'] });
    await expectContext('{ config, ... }: { users.users.alice = { isNormalUser = true; extraGro| }; }', { kind: 'option', path: ['users', 'users', 'alice'] });
    await expectContext('{ config, ... }: { users.users = { alice = { ext| }; }; }', { kind: 'option', path: ['users', 'users', 'alice'] });
    await expectContext('{ config, name, ... }: { services.nginx.virtualHosts.${name}.ro| }', {
      kind: 'option',
      path: ['services', 'nginx', 'virtualHosts', '<name>'],
    });
    await expectContext('{ config, ... }: { fileSystems."/".dev| }', { kind: 'option', path: ['fileSystems', '/'] });
  });

  it('completes keys inside a quoted attribute name', async () => {
    await expectContext('{ config, ... }: { services."ngi|" = { }; }', { kind: 'option', path: ['services'], prefix: 'ngi', word: 'ngi' });
  });

  it('strips config in explicit modules and skips options declarations', async () => {
    await expectContext('{ config, ... }: { options.services.x = 1; config.services.ngi| = 1; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: { options = { }; config = { services.ngi| }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: { options = { }; config = lib.mkIf true { networking.| }; }', { kind: 'option', path: ['networking'] });
    await expectNone('{ config, ... }: { options.services.x| = 1; config = { }; }');
    await expectNone('{ config, ... }: { options = { }; conf| }');
    await expectNone('{ config, lib, ... }: { options = { foo = lib.mkOption { ty| }; }; config = { }; }');
  });

  it('sees through mkIf, mkMerge, mkDefault, mkForce, let, with and if', async () => {
    await expectContext('{ lib, pkgs, ... }: { config = lib.mkIf true { services.x| = 1; }; options = { }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: { config = lib.mkMerge [ { services.x| } (lib.mkIf true { boot.l = 1; }) ]; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: { config = lib.mkMerge [ { services.x = 1; } (lib.mkIf true { boot.l| }) ]; }', { kind: 'option', path: ['boot'] });
    await expectContext('{ config, lib, ... }: { services.nginx = lib.mkIf config.x { enab| }; }', { kind: 'option', path: ['services', 'nginx'] });
    await expectContext('{ config, lib, ... }: with lib; { services.nginx = mkIf config.x { enab| }; }', { kind: 'option', path: ['services', 'nginx'] });
    await expectContext('{ config, lib, ... }: { services = lib.mkForce { ngi| }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: { services = lib.mkDefault { ngi| }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: { services = lib.mkOverride 50 { ngi| }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: let cfg = config.x; in { services.ngi| }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: lib.mkIf true { services.ngi| }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, ... }: { services = if true then { ngi| } else { }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, ... }: { services = { a = 1; } // { ngi| }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: { services = lib.optionalAttrs true { ngi| }; }', { kind: 'option', path: ['services'] });
  });

  it('the condition of mkIf is ordinary code', async () => {
    await expectContext('{ config, lib, ... }: { services.nginx = lib.mkIf config.services.ngi|nx.enable { }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, lib, ... }: { services.nginx = lib.mkIf cf| { }; }', { kind: 'variable' });
  });

  it('reads option paths from config.*', async () => {
    await expectContext('{ config, ... }: { x = config.services.nginx.ena|; }', { kind: 'option', path: ['services', 'nginx'], confident: true });
    await expectContext('{ config, ... }: let cfg = config.services.nginx; in { x = cfg.|; }', { kind: 'option', path: ['services', 'nginx'] });
  });

  it('completes keys of attribute sets in lists as list-of-submodule options', async () => {
    await expectContext('{ config, ... }: { programs.git.includes = [ { pa| } ]; }', { kind: 'option', path: ['programs', 'git', 'includes', '*'] });
  });

  it('recognizes modules in imports, nixosSystem, nixosModules and specialisations', async () => {
    await expectContext('{ config, ... }: { imports = [ { services.x| } ]; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, ... }: { imports = [ ({ pkgs, ... }: { services.x| }) ]; }', { kind: 'option', path: ['services'] });
    await expectContext('{ nixosConfigurations.x = nixpkgs.lib.nixosSystem { modules = [ { services.ngi| } ]; }; }', { kind: 'option', tree: 'nixos', confident: true });
    await expectContext('{ nixosConfigurations.x = lib.nixosSystem { system = "x86_64-linux"; modules = [ ./a.nix { boot.| } ]; }; }', { kind: 'option', path: ['boot'] });
    await expectContext('{ outputs = { nixpkgs, ... }: { nixosConfigurations.h = nixpkgs.lib.nixosSystem { modules = [ ({ pkgs, ... }: { networking.| }) ]; }; }; }', {
      kind: 'option',
      path: ['networking'],
    });
    await expectContext('{ nixosModules.default = { config, ... }: { services.fo| }; }', { kind: 'option', path: ['services'], tree: 'nixos' });
    await expectContext('{ nixosModules = { a = { services.fo| }; }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ nixosModule = { services.fo| }; }', { kind: 'option', path: ['services'] });
    await expectContext('{ config, ... }: { specialisation.gaming.configuration = { services.x| }; }', { kind: 'option', path: ['services'], tree: 'nixos' });
    await expectContext('{ config, ... }: { containers.web.config = { services.x| }; }', { kind: 'option', path: ['services'] });
  });

  it('ordinary attribute sets are not option paths', async () => {
    await expectNone('{ services.ngin| }');
    await expectNone('{ pkgs, lib }: { services.ngin| }');
    await expectNone('let x = { services.ngi| = 1; }; in x');
    await expectNone('{ stdenv }: stdenv.mkDerivation { pna| }');
    await expectNone('{ outputs = { self }: { packages.x86_64-linux.| }; }');
  });

  it('flags confidence: confident for config/options/imports, not for { pkgs, ... }', async () => {
    await expectContext('{ config, ... }: { services.ngin| }', { confident: true });
    await expectContext('{ imports = [ ]; services.ngin| }', { kind: 'option', confident: true });
    await expectContext('{ pkgs, ... }: { services.ngin| }', { kind: 'option', confident: false });
    await expectContext('{ lib, pkgs, ... }: { imports = [ ]; services.ngin| }', { kind: 'option', confident: true });
    await expectContext('{ services.ngin| }', { kind: 'option', confident: true }, { module: { tree: 'nixos' } });
  });
});

describe('Home Manager modules', () => {
  it('detects Home Manager from arguments, keys and file names', async () => {
    await expectContext('{ pkgs, osConfig, ... }: { programs.gi| }', { kind: 'option', tree: 'home-manager', confident: true });
    await expectContext('{ pkgs, ... }: { home.packages = [ pkgs.hello ]; programs.gi| }', { kind: 'option', tree: 'home-manager' });
    await expectContext('{ config, pkgs, ... }: { home.stateVersion = "24.05"; xdg.| }', { kind: 'option', tree: 'home-manager', path: ['xdg'] });
    await expectContext('{ config, ... }: { programs.gi| }', { kind: 'option', tree: 'home-manager' }, { fileName: '/etc/nixos/home.nix' });
    await expectContext('{ config, ... }: { programs.gi| }', { kind: 'option', tree: 'home-manager' }, { fileName: 'file:///x/home-manager/git.nix' });
    await expectContext('{ config, ... }: { programs.gi| }', { kind: 'option', tree: 'home-manager' }, { module: { tree: 'home-manager' } });
    await expectContext('{ config, ... }: { programs.gi| }', { kind: 'option', tree: 'nixos' }, { fileName: '/etc/nixos/configuration.nix' });
  });

  it('NixOS signs win over Home Manager hints', async () => {
    await expectContext('{ config, ... }: { boot.loader.grub.enable = true; home.| }', { kind: 'option', tree: 'nixos' });
  });

  it('home-manager.users.<name> bodies are Home Manager modules', async () => {
    await expectContext('{ pkgs, ... }: { home-manager.users.alice = { home.packa| }; }', { kind: 'option', tree: 'home-manager', path: ['home'] });
    await expectContext('{ config, ... }: { home-manager.users.alice = { pkgs, ... }: { programs.gi| }; }', { kind: 'option', tree: 'home-manager', path: ['programs'] });
    await expectContext('{ config, ... }: { home-manager.users = { bob = { progr| }; }; }', { kind: 'option', tree: 'home-manager', path: [] });
    await expectContext('{ config, ... }: { home-manager.sharedModules = [ { programs.| } ]; }', { kind: 'option', tree: 'home-manager', path: ['programs'] });
    await expectContext('{ config, ... }: { home-manager.useGlobalPkgs = true; home-manager.| }', { kind: 'option', tree: 'nixos', path: ['home-manager'] });
  });

  it('homeManagerConfiguration modules and homeManagerModules outputs', async () => {
    await expectContext('{ homeConfigurations.x = home-manager.lib.homeManagerConfiguration { modules = [ { programs.gi| } ]; }; }', {
      kind: 'option',
      tree: 'home-manager',
      confident: true,
    });
    await expectContext('{ homeManagerModules.default = { programs.gi| }; }', { kind: 'option', tree: 'home-manager' });
    await expectContext('{ homeModules.default = { programs.gi| }; }', { kind: 'option', tree: 'home-manager' });
  });
});

describe('option values', () => {
  it('reports the option whose value is being typed', async () => {
    await expectContext('{ config, ... }: { services.nginx.enable = |; }', { kind: 'optionValue', path: ['services', 'nginx', 'enable'], inList: false, prefix: '' });
    await expectContext('{ config, ... }: { services.nginx.enable = | }', { kind: 'optionValue', path: ['services', 'nginx', 'enable'] });
    await expectContext('{ config, ... }: { services.nginx.enable = tr|; }', { kind: 'optionValue', prefix: 'tr' });
    await expectContext('{ config, lib, ... }: { services.nginx.enable = lib.mkDefault tr|; }', { kind: 'optionValue', path: ['services', 'nginx', 'enable'] });
    await expectContext('{ config, lib, ... }: { services.nginx.enable = lib.mkForce |; }', { kind: 'optionValue', path: ['services', 'nginx', 'enable'] });
    await expectContext('{ config, ... }: { services = { nginx = { enable = f| }; }; }', { kind: 'optionValue', path: ['services', 'nginx', 'enable'] });
    await expectContext('{ config, ... }: { networking.firewall.allowedTCPPorts = [ 80 | ]; }', {
      kind: 'optionValue',
      path: ['networking', 'firewall', 'allowedTCPPorts'],
      inList: true,
    });
    await expectContext('{ config, ... }: { services.x.enable = if true then tr| else false; }', { kind: 'optionValue', path: ['services', 'x', 'enable'] });
    await expectContext('{ config, ... }: { services.x.enable = let a = 1; in tr|; }', { kind: 'optionValue' });
  });

  it('reports the option inside the quotes of a string value', async () => {
    await expectContext('{ config, ... }: { services.x.mode = "|"; }', { kind: 'optionValue', path: ['services', 'x', 'mode'], inString: true, prefix: '' });
    await expectContext('{ config, ... }: { services.x.mode = "ab|c"; }', { kind: 'optionValue', inString: true, prefix: 'ab', word: 'abc' });
    await expectContext('{ config, ... }: { services.x.modes = [ "a|" ]; }', { kind: 'optionValue', inList: true, inString: true });
    await expectContext('{ config, ... }: { services.x.mode = "a${|x}"; }', { kind: 'variable' });
    await expectContext('{ config, ... }: { services.x.mode = f "a|"; }', { kind: 'none' });
  });

  it('packages win inside with pkgs and after pkgs.', async () => {
    await expectContext('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ rip| ]; }', { kind: 'packages' });
    await expectContext('{ pkgs, ... }: { environment.systemPackages = [ pkgs.rip| ]; }', { kind: 'packages' });
    await expectContext('{ config, ... }: { environment.systemPackages = [ rip| ]; }', { kind: 'optionValue', inList: true });
  });

  it('ordinary expressions inside a value are not the value', async () => {
    await expectContext('{ config, ... }: { services.x.port = builtins.add 1 |; }', { kind: 'variable' });
    await expectContext('{ config, ... }: { services.x.port = f: |; }', { kind: 'variable' });
  });
});

describe('NUR', () => {
  it('pkgs.nur.repos, nur.repos and config.nur.repos reach the NUR package index', async () => {
    await expectContext('{ pkgs, ... }: { x = pkgs.nur.repos.mic92.|; }', { kind: 'packages', path: ['nur', 'repos', 'mic92'] });
    await expectContext('{ pkgs, ... }: { x = pkgs.nur.repos.|; }', { kind: 'packages', path: ['nur', 'repos'] });
    await expectContext('{ pkgs, ... }: { x = pkgs.nur.|; }', { kind: 'packages', path: ['nur'] });
    await expectContext('{ nur, ... }: { x = nur.repos.mic|; }', { kind: 'packages', path: ['nur', 'repos'], hoverPath: ['nur', 'repos', 'mic'] });
    await expectContext('{ x = nur.repos.mic92.hel|; }', { kind: 'packages', path: ['nur', 'repos', 'mic92'] });
    await expectContext('{ config, ... }: { x = config.nur.repos.m|; }', { kind: 'packages', path: ['nur', 'repos'] });
    await expectContext('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ nur.repos.mic92.| ]; }', { kind: 'packages', path: ['nur', 'repos', 'mic92'] });
    await expectContext('{ pkgs, ... }: { environment.systemPackages = with pkgs.nur.repos.mic92; [ | ]; }', { kind: 'packages', path: ['nur', 'repos', 'mic92'] });
  });

  it('the NUR flake: legacyPackages.${system}.repos', async () => {
    await expectContext('{ inputs, ... }: { x = inputs.nur.legacyPackages.${system}.repos.|; }', { kind: 'packages', path: ['nur', 'repos'] });
    await expectContext('{ inputs.nur.url = "github:nix-community/NUR"; outputs = { nur, ... }: { x = nur.legacyPackages.x86_64-linux.repos.mic|; }; }', {
      kind: 'packages',
      path: ['nur', 'repos'],
    });
    await expectContext('{ inputs.n.url = "github:nix-community/NUR"; outputs = { n, ... }: { x = n.legacyPackages.x86_64-linux.repos.mic92.|; }; }', {
      kind: 'packages',
      path: ['nur', 'repos', 'mic92'],
    });
  });

  it('outputs of a flake input that may be a NUR repository', async () => {
    await expectContext('{ inputs.myrepo.url = "github:me/nur-packages"; outputs = { self, myrepo, ... }@inputs: { x = inputs.myrepo.packages.${system}.|; }; }', {
      kind: 'nurRepoOutputs',
      input: 'myrepo',
      inputUrl: 'github:me/nur-packages',
      path: ['packages', '${…}'],
    });
    await expectContext('{ inputs.mine.url = "github:me/nur"; outputs = { self, mine }: { nixosModules.x = mine.nixosModules.|; }; }', {
      kind: 'nurRepoOutputs',
      input: 'mine',
      path: ['nixosModules'],
    });
    await expectContext('{ outputs = { self, mine }: { x = mine.legacyPackages.x86_64-linux.fo|; }; }', {
      kind: 'nurRepoOutputs',
      input: 'mine',
      path: ['legacyPackages', 'x86_64-linux'],
      prefix: 'fo',
    });
    await expectContext('{ inputs = { mine = { url = "git+https://example.org/nur.git"; }; }; outputs = { mine, ... }: { x = mine.|; }; }', {
      kind: 'nurRepoOutputs',
      inputUrl: 'git+https://example.org/nur.git',
      path: [],
    });
    await expectContext('{ inputs, ... }: { environment.systemPackages = [ inputs.mine.packages.x86_64-linux.| ]; }', { kind: 'nurRepoOutputs', input: 'mine' });
  });

  it('lists the flake inputs after inputs.', async () => {
    await expectContext('{ inputs = { foo.url = "github:a/b"; bar = { url = "github:c/d"; }; }; inputs.baz.url = "x"; outputs = { self, ... }@inputs: { x = inputs.|; }; }', {
      kind: 'localAttrs',
      candidates: [{ name: 'foo' }, { name: 'bar' }, { name: 'baz' }],
    });
  });
});

describe('local attribute sets', () => {
  it('offers the attributes of let-bound sets after the dot', async () => {
    await expectContext('let s = { a = 1; }; in s.|', { kind: 'localAttrs', path: [], candidates: [{ name: 'a', isSet: false }] });
    await expectContext('let s = { a = 1; b.c = 2; }; in s.|', { kind: 'localAttrs', candidates: [{ name: 'a' }, { name: 'b', isSet: true }] });
    await expectContext('let s = { a = 1; b.c = 2; }; in s.b.|', { kind: 'localAttrs', path: ['b'], candidates: [{ name: 'c' }] });
    await expectContext('let s.a = 1; s.b = 2; in s.|', { kind: 'localAttrs', candidates: [{ name: 'a' }, { name: 'b' }] });
    await expectContext('let s = { a = { x = 1; }; }; t = s.a; in t.|', { kind: 'localAttrs', candidates: [{ name: 'x' }] });
    await expectContext('rec { s = { a = 1; }; b = s.|; }', { kind: 'localAttrs', candidates: [{ name: 'a' }] });
    await expectContext('let s = { inherit x; y = 2; }; in s.|', { kind: 'localAttrs', candidates: [{ name: 'x' }, { name: 'y' }] });
    await expectContext('let s = { a = 1; }; in s.a|', { kind: 'localAttrs', prefix: 'a' });
  });

  it('reports where each candidate is defined', async () => {
    const context = await expectContext('let s = { alpha = 1; }; in s.|', { kind: 'localAttrs' });
    expect(context.kind === 'localAttrs' && context.candidates[0]!.definedAt).toEqual({ start: 10, end: 15 });
  });

  it('unknown sets give nothing', async () => {
    await expectNone('let s = f { a = 1; }; in s.|');
    await expectNone('x: x.|');
  });
});

describe('variables', () => {
  it('ordinary expressions list the visible local names, innermost first', async () => {
    const context = await expectContext('{ a, b }: let c = 1; in x: [ | ]', { kind: 'variable', prefix: '' });
    expect(context.kind === 'variable' && context.locals.map((l) => l.name)).toEqual(['x', 'c', 'a', 'b']);
    await expectContext('let longName = 1; in long|', { kind: 'variable', prefix: 'long' });
    await expectContext('let a = 1; in a + |', { kind: 'variable' });
    await expectContext('let a = 1; in if | then 1 else 2', { kind: 'variable' });
  });

  it('says what the word under the cursor refers to', async () => {
    await expectContext('let longName = 1; in long|Name', { kind: 'variable', target: { kind: 'local', name: 'longName', definitionKind: 'let', definedAt: { start: 4, end: 12 } } });
    await expectContext('{ x = ma|p; }', { kind: 'variable', target: { kind: 'builtin', name: 'map', builtin: { name: 'map', args: ['f', 'list'] } } });
    await expectContext('{ x = nothing|; }', { kind: 'variable', target: { kind: 'undefined', name: 'nothing' } });
    await expectContext('{ x = with y; some|thing; }', { kind: 'variable', target: { kind: 'with', name: 'something' } });
  });

  it('the variable kind carries the module around it', async () => {
    await expectContext('{ config, ... }: { services.x.port = builtins.add 1 |; }', { kind: 'variable', module: { tree: 'nixos' } });
  });
});

describe('paths', () => {
  it('reports path literals with the text up to the cursor', async () => {
    await expectContext('{ x = ./fo|o.nix; }', { kind: 'path', text: './fo', word: './foo.nix' });
    await expectContext('{ imports = [ ./hard| ]; }', { kind: 'path', text: './hard' });
    await expectContext('import ../pkgs/|', { kind: 'path', text: '../pkgs/' });
    await expectContext('callPackage ./pkgs/x| { }', { kind: 'path', text: './pkgs/x' });
  });
});

describe('places with nothing to complete', () => {
  it('comments and strings', async () => {
    await expectNone('# pkgs.|');
    await expectNone('{ pkgs, ... }: { x = 1; # with pkgs; [ rip| ]\n}');
    await expectNone('/* services.ngi| */ { config, ... }: { }');
    await expectNone('{ x = "pkgs.|"; }');
    await expectNone("{ x = ''\n  pkgs.|\n''; }");
    // Inside an option's string value only the option's string values (an enum's) complete.
    await expectContext('{ config, ... }: { networking.hostName = "ho|st"; }', { kind: 'optionValue', inString: true });
  });

  it('code inside string interpolation is code', async () => {
    await expectContext('{ pkgs, ... }: { x = "${pkgs.hel|}/bin"; }', { kind: 'packages', path: [] });
    await expectContext("{ pkgs, ... }: { x = ''\n  ${pkgs.hel|}/bin\n''; }", { kind: 'packages', path: [] });
  });

  it('literals and keywords', async () => {
    await expectNone('{ x = 12|34; }');
    await expectNone('{ x = https://exa|mple.org; }');
    await expectNone('{ x = <nixp|kgs>; }');
    await expectNone('{ pkgs }: x|: x');
  });
});

describe('replace ranges', () => {
  it('covers the whole word and, for insertion, the part before the cursor', async () => {
    const context = await contextOf('{ pkgs, ... }:\n{ x = pkgs.ripgr|ep; }');
    expect(context).toMatchObject({
      replaceRange: { start: { line: 1, character: 11 }, end: { line: 1, character: 18 } },
      insertRange: { start: { line: 1, character: 11 }, end: { line: 1, character: 16 } },
      replaceOffsets: { start: 26, end: 33 },
    });
  });

  it('is empty at the cursor for an empty word', async () => {
    const context = await contextOf('{ pkgs, ... }: { x = pkgs.|; }');
    expect(context).toMatchObject({ replaceRange: { start: { line: 0, character: 26 }, end: { line: 0, character: 26 } } });
  });

  it('counts UTF-16 code units, as LSP does', async () => {
    const text = '{ pkgs, ... }: { d = "😀é"; x = pkgs.hel|; }';
    const start = text.indexOf('hel');
    expect(start).toBe(37); // the emoji counts twice
    const context = await contextOf(text);
    expect(context).toMatchObject({ replaceRange: { start: { line: 0, character: 37 }, end: { line: 0, character: 40 } } });
  });

  it('covers the inside of a quoted attribute name', async () => {
    const context = await contextOf('{ config, ... }: { services."ngi|nx" = { }; }');
    expect(context).toMatchObject({ kind: 'option', word: 'nginx', replaceOffsets: { start: 29, end: 34 } });
  });
});

describe('broken code around the cursor', () => {
  it('understands code while it is being typed', async () => {
    await expectContext('{ pkgs, ... }: {\n  environment.systemPackages = with pkgs; [ rip|\n}', { kind: 'packages', path: [] });
    await expectContext('{ pkgs, ... }: {\n  environment.systemPackages = [ pkgs.|\n  networking.hostName = "x";\n}', { kind: 'packages', path: [] });
    await expectContext('{ config, ... }: {\n  services.ngi|\n  networking.hostName = "x";\n}', { kind: 'option', path: ['services'] });
    await expectContext('{ config, ... }: {\n  services.nginx.|\n}', { kind: 'option', path: ['services', 'nginx'] });
    await expectContext('{ config, ... }: {\n  services.nginx.enable = |\n}', { kind: 'optionValue', path: ['services', 'nginx', 'enable'] });
    await expectContext('{ pkgs, ... }: { x = pkgs.hel| }', { kind: 'packages', path: [] });
    await expectContext('{ lib, ... }: { x = lib.strings.| y = 1; }', { kind: 'lib', path: ['strings'] });
    await expectContext('let s = { a = 1; }; in s.|', { kind: 'localAttrs' });
  });

  it('ignores errors elsewhere in the file', async () => {
    await expectContext('{ config, ... }: { services.ngi| = 1; broken = ; networking. }', { kind: 'option', path: ['services'] });
  });

  it('without a parser, reads broken code as tree-sitter recovered it', async () => {
    const { text, offset } = cursor('{ pkgs, ... }: { x = pkgs.|; }');
    const tree = await parse(text);
    try {
      expect(['none', 'packages']).toContain(contextAt(tree, text, offset).kind);
      const clean = cursor('{ pkgs, ... }: { x = pkgs.hel|; }');
      const cleanTree = await parse(clean.text);
      expect(contextAt(cleanTree, clean.text, clean.offset)).toMatchObject({ kind: 'packages', path: [] });
      cleanTree.delete();
    } finally {
      tree.delete();
    }
  });

  it('gives up cleanly on hopeless input', async () => {
    for (const text of ['|', '}}}|', '{ = = |', '"|', '${|', 'let in |']) {
      const context = await contextOf(text);
      expect(['none', 'variable']).toContain(context.kind);
    }
  });
});

describe('files used as modules', () => {
  async function imported(text: string) {
    return importedModules((await analyze(text)).root).map((m) => `${m.tree}:${m.path}`);
  }

  it('lists the paths of imports, nixosSystem modules and Home Manager users', async () => {
    expect(await imported('{ config, ... }: { imports = [ ./hardware-configuration.nix ../common (import ./x.nix) ]; }')).toEqual([
      'nixos:./hardware-configuration.nix',
      'nixos:../common',
      'nixos:./x.nix',
    ]);
    expect(await imported('{ outputs = { nixpkgs, ... }: { nixosConfigurations.h = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix { } ]; }; }; }')).toEqual([
      'nixos:./configuration.nix',
    ]);
    expect(await imported('{ config, ... }: { home-manager.users.alice = import ./home.nix; home-manager.sharedModules = [ ./shared.nix ]; }')).toEqual([
      'home-manager:./home.nix',
      'home-manager:./shared.nix',
    ]);
    expect(await imported('{ homeConfigurations.me = home-manager.lib.homeManagerConfiguration { modules = [ ./home.nix ]; }; }')).toEqual(['home-manager:./home.nix']);
    expect(await imported('{ pkgs, ... }: { home.packages = [ ]; imports = [ ./git.nix ]; }')).toEqual(['home-manager:./git.nix']);
  });

  it('ignores paths that are not modules', async () => {
    expect(await imported('{ pkgs }: { x = pkgs.callPackage ./pkgs/x { }; y = import ./lib.nix; }')).toEqual([]);
    expect(await imported('{ config, ... }: { services.x.configFile = ./x.conf; }')).toEqual([]);
  });
});
