// flake-parts in module detection: the module `mkFlake` is given (as a set or a function, called
// through the input or `inputs.`), `perSystem`'s body as the per-system submodule, the modules
// they import, and the NixOS modules and configurations written under `flake`. Flakes without
// flake-parts and ordinary calls stay what they were.
import { describe, expect, it } from 'vitest';
import { contextAt, type ContextOptions, type CursorContext } from '../../../server/src/analysis/context';
import { knowledgeSites, type OptionSite } from '../../../server/src/analysis/knowledgeSites';
import { fileModule, importedModules } from '../../../server/src/analysis/modules';
import { declaredOptions } from '../../../server/src/analysis/optionDeclarations';
import { analyze, cursor, nixParser, parse } from './nixSnippets';

async function contextOf(marked: string, options?: ContextOptions): Promise<CursorContext> {
  const { text, offset } = cursor(marked);
  const tree = await parse(text);
  try {
    return contextAt(tree, text, offset, { parser: await nixParser(), fileName: '/ws/flake.nix', ...options });
  } finally {
    tree.delete();
  }
}

/** A flake whose outputs call mkFlake with `module` (`|` marks the cursor). */
const flake = (module: string, call = 'flake-parts.lib.mkFlake') => `{
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  outputs = inputs@{ flake-parts, nixpkgs, ... }:
    ${call} { inherit inputs; } ${module};
}
`;

describe('the module mkFlake is given', () => {
  it('is a confident flake-parts module: its top-level names are options', async () => {
    expect(await contextOf(flake('{ syst| = [ "x86_64-linux" ]; }'))).toMatchObject({ kind: 'option', tree: 'flake-parts', path: [], prefix: 'syst', confident: true });
    expect(await contextOf(flake('{ systems = [ ]; flake.nixosModules.x = ./x.nix; perS| }'))).toMatchObject({ kind: 'option', tree: 'flake-parts', path: [] });
    expect(await contextOf(flake('{ flake.| }'))).toMatchObject({ kind: 'option', tree: 'flake-parts', path: ['flake'] });
  });

  it('is recognised as a function, through `inputs.`, and behind a `let`', async () => {
    expect(await contextOf(flake('({ withSystem, ... }: { perSystem = { }; syst| })'))).toMatchObject({ kind: 'option', tree: 'flake-parts', path: [] });
    expect(await contextOf(flake('{ deb| }', 'inputs.flake-parts.lib.mkFlake'))).toMatchObject({ kind: 'option', tree: 'flake-parts', path: [] });
    expect(await contextOf(flake('(let x = 1; in { syst| })'))).toMatchObject({ kind: 'option', tree: 'flake-parts', path: [] });
  });

  it('gives the body of perSystem the per-system options, as a function or a set', async () => {
    const perSystem = await contextOf(flake('{ perSystem = { pkgs, system, ... }: { devS| }; }'));
    expect(perSystem).toMatchObject({ kind: 'option', tree: 'flake-parts', path: ['perSystem'], prefix: 'devS', confident: true });
    expect(await contextOf(flake('{ perSystem = { packages.| }; }'))).toMatchObject({ kind: 'option', path: ['perSystem', 'packages'] });
    expect(await contextOf(flake('{ perSystem = { config, ... }: { config.devShells.| }; }'))).toMatchObject({ kind: 'option', path: ['perSystem', 'devShells'] });
    expect(await contextOf(flake('{ perSystem = { pkgs, ... }: lib.mkMerge [ { checks.| } ]; }'))).toMatchObject({ kind: 'option', path: ['perSystem', 'checks'] });
  });

  it('keeps pkgs. a package path inside perSystem', async () => {
    expect(await contextOf(flake('{ perSystem = { pkgs, ... }: { devShells.default = pkgs.mkSh|; }; }'))).toMatchObject({ kind: 'packages', path: [], prefix: 'mkSh' });
    expect(await contextOf(flake('{ perSystem = { pkgs, ... }: { packages.hello = pkgs.|; }; }'))).toMatchObject({ kind: 'packages', path: [] });
  });

  it('makes the modules under flake NixOS and Home Manager modules, and nixosSystem calls there configurations', async () => {
    expect(await contextOf(flake('{ flake.nixosModules.x = { config, ... }: { services.ngi| }; }'))).toMatchObject({ kind: 'option', tree: 'nixos', path: ['services'] });
    expect(await contextOf(flake('{ flake = { homeManagerModules = { git = { programs.gi| }; }; }; }'))).toMatchObject({ kind: 'option', tree: 'home-manager', path: ['programs'] });
    const system = flake('{ flake.nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ { networking.| } ]; }; }');
    expect(await contextOf(system)).toMatchObject({ kind: 'option', tree: 'nixos', path: ['networking'] });
  });

  it('leaves one-argument mkFlake calls (snowfall-lib, flake-utils-plus) and flakes without flake-parts alone', async () => {
    expect((await contextOf(flake('{ syst| }').replace('{ inherit inputs; } ', ''))).kind).not.toBe('option');
    expect((await contextOf('{ outputs = inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; syst| }; }')).kind).not.toBe('option');
    expect((await contextOf('{ outputs = { self, ... }: { packages.x86_64-linux.defa| = 1; }; }')).kind).not.toBe('option');
    expect((await contextOf('{ outputs = { self, ... }: { systems = [ ]; perSys| }; }')).kind).not.toBe('option');
  });

  it('takes mkFlake brought into scope by name for flake-parts', async () => {
    const text = '{ outputs = inputs: let inherit (inputs.flake-parts.lib) mkFlake; in mkFlake { inherit inputs; } { perSystem = { devS| }; }; }';
    expect(await contextOf(text)).toMatchObject({ kind: 'option', tree: 'flake-parts', path: ['perSystem'] });
  });
});

describe('flake-parts modules in their own files', () => {
  it('takes a file setting perSystem, or taking withSystem, for a flake-parts module', async () => {
    const perSystem = await analyze('{ inputs, ... }: { perSystem = { pkgs, ... }: { packages.x = pkgs.hello; }; }');
    expect(fileModule(perSystem.root)).toEqual({ tree: 'flake-parts', confident: false });
    const withSystem = await analyze('{ withSystem, config, ... }: { flake.nixosConfigurations = { }; }');
    expect(fileModule(withSystem.root)).toEqual({ tree: 'flake-parts', confident: true });
    // Without those signs a file stays what it looked like before.
    expect(fileModule((await analyze('{ pkgs, ... }: { packages.x = pkgs.hello; }')).root)).toEqual({ tree: 'nixos', confident: false });
  });

  it('reads a file imported as a flake-parts module with the tree it is imported as', async () => {
    const context = await contextOf('{ pkgs, ... }: { perSystem = { pkgs, ... }: { devShells.| }; }', { module: { tree: 'flake-parts' }, fileName: '/ws/parts/shells.nix' });
    expect(context).toMatchObject({ kind: 'option', tree: 'flake-parts', path: ['perSystem', 'devShells'] });
    const perSystemFile = await contextOf('{ pkgs, ... }: { devShells.| }', { module: { tree: 'flake-parts' }, fileName: '/ws/parts/shell.nix' });
    expect(perSystemFile).toMatchObject({ kind: 'option', tree: 'flake-parts', path: ['devShells'] });
  });
});

describe('modules imported through flake-parts', () => {
  const imported = async (text: string) => importedModules((await analyze(text)).root).map((m) => `${m.tree}:${(m.at ?? []).join('.')}:${m.path}`);

  it('lists the imports of the mkFlake module, of perSystem, and the modules under flake', async () => {
    const text = flake(`{
      imports = [ ./parts/shells.nix (import ./parts/checks.nix) ];
      perSystem = { ... }: { imports = [ ./parts/per-system.nix ]; };
      flake.nixosModules.default = ./modules/default.nix;
      flake.nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./hosts/box.nix ]; };
    }`);
    expect(await imported(text)).toEqual([
      'flake-parts::./parts/shells.nix',
      'flake-parts::./parts/checks.nix',
      'flake-parts:perSystem:./parts/per-system.nix',
      'nixos::./modules/default.nix',
      'nixos::./hosts/box.nix',
    ]);
  });
});

describe('options a flake-parts flake declares', () => {
  it('are not NixOS options, but those of the NixOS modules under flake are', async () => {
    const analysis = await analyze(
      flake(`{
      imports = [ ({ lib, ... }: { options.flake.tool = lib.mkOption { type = lib.types.str; }; }) ];
      perSystem = { lib, ... }: { options.helper = lib.mkEnableOption "helper"; };
      flake.nixosModules.x = { lib, ... }: { options.services.x.enable = lib.mkEnableOption "x"; };
    }`),
    );
    expect(declaredOptions(analysis.root).declarations.map((d) => d.path.join('.'))).toEqual(['services.x.enable']);
    const file = await analyze('{ lib, ... }: { options.perSystem = lib.mkOption { }; perSystem = { }; }');
    expect(declaredOptions(file.root).declarations).toEqual([]);
  });
});

describe('option sites of a flake-parts flake', () => {
  const describeSite = (site: OptionSite) => `${site.tree}: ${site.prefix.join('.')} | ${site.names.map((n) => n.name ?? '${…}').join('.')}`;

  it('checks the names set in the mkFlake module and in perSystem, and nothing of the flake around it', async () => {
    const analysis = await analyze(
      flake(`{
      systems = [ "x86_64-linux" ];
      perSystem = { pkgs, ... }: { devShell.default = pkgs.mkShell { }; };
      flake.nixosModules.x = { services.nginx.enable = true; };
    }`),
    );
    expect(knowledgeSites(analysis, { fileName: '/ws/flake.nix' }).options.map(describeSite)).toEqual([
      'flake-parts:  | systems',
      'flake-parts:  | perSystem',
      'flake-parts: perSystem | devShell.default',
      'flake-parts:  | flake.nixosModules.x',
      'nixos:  | services.nginx.enable',
    ]);
  });
});
