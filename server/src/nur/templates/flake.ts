// flake.nix of a new NUR repository: the same default.nix, offered to flake users.
import { nixFile, nixString } from '../nixText';
import type { RepositoryTemplateContext } from './context';

export const FLAKE_SYSTEMS: readonly string[] = ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'];

export function flakeNix(context: RepositoryTemplateContext): string {
  return nixFile([
    '{',
    `  description = ${nixString(`The ${context.name} NUR repository`)};`,
    '',
    '  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";',
    '',
    '  outputs = { self, nixpkgs }:',
    '    let',
    `      systems = [ ${FLAKE_SYSTEMS.map((system) => `"${system}"`).join(' ')} ];`,
    '      forEachSystem = nixpkgs.lib.genAttrs systems;',
    '      # The repository exactly as NUR sees it, for one system.',
    '      repositoryFor = system: import ./default.nix { pkgs = import nixpkgs { inherit system; }; };',
    '    in',
    '    {',
    '      # Everything default.nix has, including lib and the module sets: `nix build .#<package>`.',
    '      legacyPackages = forEachSystem repositoryFor;',
    '',
    '      # Only the derivations, which is what `nix flake check` and `nix flake show` expect here.',
    '      packages = forEachSystem (system: nixpkgs.lib.filterAttrs (_: nixpkgs.lib.isDerivation) (repositoryFor system));',
    '',
    '      overlays = import ./overlays;',
    '      nixosModules = import ./nixos-modules;',
    '      homeModules = import ./home-modules;',
    '    };',
    '}',
  ]);
}
