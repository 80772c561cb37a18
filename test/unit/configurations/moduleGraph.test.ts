// Which files belong to which configuration, read from flake.nix and the modules' imports alone.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSyntaxTree } from '../../../server/src/analysis/syntaxTree';
import { flakePartsConfiguration, moduleMemberships, writtenConfigurations } from '../../../server/src/configurations/moduleGraph';
import { parseNix } from '../../support/parse';

const root = mkdtempSync(join(tmpdir(), 'nix-nur-module-graph-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function workspace(files: Record<string, string>): Promise<{ dir: string; read: (file: string) => ReturnType<typeof buildSyntaxTree> | undefined; trees: Map<string, ReturnType<typeof buildSyntaxTree>> }> {
  const dir = mkdtempSync(join(root, 'ws-'));
  const trees = new Map<string, ReturnType<typeof buildSyntaxTree>>();
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    trees.set(path, buildSyntaxTree(await parseNix(text), text));
  }
  return { dir, trees, read: (file) => trees.get(file) };
}

const FLAKE = `{
  outputs = { self, nixpkgs, home-manager, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      modules = [ ./hosts/box.nix home-manager.nixosModules.home-manager ];
    };
    nixosConfigurations = {
      tower = nixpkgs.lib.nixosSystem { modules = [ ./hosts/tower.nix (import ./common) ]; };
    };
    homeConfigurations."alice@box" = home-manager.lib.homeManagerConfiguration { modules = [ ./home.nix ]; };
    darwinConfigurations.mac = darwin.lib.darwinSystem { modules = [ ./mac.nix ]; };
  };
}
`;

describe('module graph', () => {
  it('reads each configuration and the workspace modules it lists from flake.nix', async () => {
    const ws = await workspace({ 'flake.nix': FLAKE, 'hosts/box.nix': '{ }', 'hosts/tower.nix': '{ }', 'common/default.nix': '{ }', 'home.nix': '{ }', 'mac.nix': '{ }' });
    const flake = join(ws.dir, 'flake.nix');
    const written = writtenConfigurations(ws.read(flake)!, flake);
    expect(written.map((w) => [w.id, w.modules.map((m) => m.slice(ws.dir.length + 1))])).toEqual([
      ['nixosConfigurations.box', ['hosts/box.nix']],
      ['nixosConfigurations.tower', ['hosts/tower.nix', 'common/default.nix']],
      ['homeConfigurations.alice@box', ['home.nix']],
      ['darwinConfigurations.mac', ['mac.nix']],
    ]);
  });

  it('follows imports transitively; a shared file belongs to both hosts; Home Manager modules of a user sit below home-manager.users', async () => {
    const ws = await workspace({
      'flake.nix': FLAKE,
      'hosts/box.nix': '{ ... }: { imports = [ ../common ./hardware.nix ]; home-manager.users.alice = import ../users/alice.nix; }',
      'hosts/hardware.nix': '{ ... }: { }',
      'hosts/tower.nix': '{ ... }: { imports = [ ../common ]; }',
      'common/default.nix': '{ ... }: { imports = [ ./nested.nix ./missing.nix ]; }',
      'common/nested.nix': '{ config, ... }: { }',
      'users/alice.nix': '{ ... }: { imports = [ ./git.nix ]; }',
      'users/git.nix': '{ ... }: { programs.git.enable = true; }',
      'home.nix': '{ ... }: { imports = [ ./users/git.nix ]; }',
      'mac.nix': '{ }',
      'unrelated.nix': '{ }',
    });
    const flake = join(ws.dir, 'flake.nix');
    const members = moduleMemberships(writtenConfigurations(ws.read(flake)!, flake), ws.read);
    const of = (file: string) => (members.get(join(ws.dir, file)) ?? []).map((m) => `${m.configuration}:${m.tree}:${m.prefix.join('.')}`).sort();
    expect(of('hosts/hardware.nix')).toEqual(['nixosConfigurations.box:nixos:']);
    expect(of('common/nested.nix')).toEqual(['nixosConfigurations.box:nixos:', 'nixosConfigurations.tower:nixos:']);
    expect(of('users/alice.nix')).toEqual(['nixosConfigurations.box:home-manager:home-manager.users.<name>']);
    expect(of('users/git.nix')).toEqual(['homeConfigurations.alice@box:home-manager:', 'nixosConfigurations.box:home-manager:home-manager.users.<name>']);
    expect(of('unrelated.nix')).toEqual([]);
    expect(members.has(join(ws.dir, 'common/missing.nix'))).toBe(false);
    expect(readFileSync(join(ws.dir, 'mac.nix'), 'utf8')).toBe('{ }');
    expect(of('mac.nix')).toEqual(['darwinConfigurations.mac:nixos:']);
  });

  it('stops at import cycles', async () => {
    const ws = await workspace({
      'flake.nix': '{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./a.nix ]; }; }; }',
      'a.nix': '{ ... }: { imports = [ ./b.nix ]; }',
      'b.nix': '{ ... }: { imports = [ ./a.nix ]; }',
    });
    const flake = join(ws.dir, 'flake.nix');
    const members = moduleMemberships(writtenConfigurations(ws.read(flake)!, flake), ws.read);
    expect([...members.keys()].map((file) => file.slice(ws.dir.length + 1)).sort()).toEqual(['a.nix', 'b.nix']);
  });

  it("makes flake.nix the flake-parts configuration's inline module, and the flake-parts modules it imports members", async () => {
    const ws = await workspace({
      'flake.nix': `{
  outputs = inputs@{ flake-parts, nixpkgs, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } ({ withSystem, ... }: {
      imports = [ ./parts/shells.nix ];
      perSystem = { ... }: { imports = [ ./parts/packages.nix ]; };
      flake.nixosModules.default = ./modules/default.nix;
      flake.nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./hosts/box.nix ]; };
    });
}`,
      'parts/shells.nix': '{ ... }: { imports = [ ./nested.nix ]; perSystem = { ... }: { imports = [ ./per-system.nix ]; }; }',
      'parts/nested.nix': '{ ... }: { }',
      'parts/per-system.nix': '{ pkgs, ... }: { devShells.default = pkgs.mkShell { }; }',
      'parts/packages.nix': '{ pkgs, ... }: { packages.hello = pkgs.hello; }',
      'modules/default.nix': '{ config, ... }: { }',
      'hosts/box.nix': '{ config, ... }: { imports = [ ../modules/default.nix ]; }',
    });
    const flake = join(ws.dir, 'flake.nix');
    const written = [...writtenConfigurations(ws.read(flake)!, flake), flakePartsConfiguration(flake)];
    expect(written.map((w) => `${w.id}:${w.tree}`)).toEqual(['nixosConfigurations.box:nixos', 'flake-parts:flake-parts']);
    const members = moduleMemberships(written, ws.read);
    const of = (file: string) =>
      (members.get(join(ws.dir, file)) ?? []).map((m) => `${m.configuration}:${m.tree}:${m.prefix.join('.')}${m.inline ? ':inline' : ''}`).sort();
    expect(of('flake.nix')).toEqual(['flake-parts:flake-parts::inline']);
    expect(of('parts/shells.nix')).toEqual(['flake-parts:flake-parts:']);
    expect(of('parts/nested.nix')).toEqual(['flake-parts:flake-parts:']);
    expect(of('parts/per-system.nix')).toEqual(['flake-parts:flake-parts:perSystem']);
    expect(of('parts/packages.nix')).toEqual(['flake-parts:flake-parts:perSystem']);
    // NixOS modules written under `flake` are no part of the flake-parts options.
    expect(of('modules/default.nix')).toEqual(['nixosConfigurations.box:nixos:']);
    expect(of('hosts/box.nix')).toEqual(['nixosConfigurations.box:nixos:']);
  });
});
