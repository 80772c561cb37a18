// The Nix entry points of a new NUR repository: default.nix (what NUR imports), the overlay, and
// the collections of functions, overlays and modules it exposes.
import { nixFile } from '../nixText';
import { EXAMPLE_NAME, type RepositoryTemplateContext } from './context';

export function defaultNix(context: RepositoryTemplateContext): string {
  return nixFile([
    `# The ${context.name} NUR repository: nur.repos.${context.name}.`,
    '#',
    '# NUR imports this file and passes its own `pkgs`. Packages take what they need from that set',
    '# (through callPackage) and never import <nixpkgs> themselves; the default below only serves',
    '# builds from a checkout, e.g. `nix-build -A ' + EXAMPLE_NAME + '`.',
    '#',
    '# Every attribute except lib, modules, nixosModules, homeModules and overlays is a package.',
    '{ pkgs ? import <nixpkgs> { } }:',
    '',
    '{',
    `  # Nix functions for users of the repository: nur.repos.${context.name}.lib`,
    '  lib = import ./lib { inherit pkgs; };',
    '',
    '  # NixOS modules, under the name NUR documents (modules) and the flake one (nixosModules).',
    '  modules = import ./nixos-modules;',
    '  nixosModules = import ./nixos-modules;',
    '',
    '  # Home Manager modules.',
    '  homeModules = import ./home-modules;',
    '',
    '  # Overlays; `default` adds all of these packages to a package set.',
    '  overlays = import ./overlays;',
    '',
    '  # Packages, one directory each under pkgs/, in alphabetical order.',
    `  ${EXAMPLE_NAME} = pkgs.callPackage ./pkgs/${EXAMPLE_NAME} { };`,
    '}',
  ]);
}

export function overlayNix(): string {
  return nixFile([
    "# Adds this repository's packages to a package set:",
    '#   nixpkgs.overlays = [ (import ./overlay.nix) ];',
    '# Packages are called with the final set, so they see each other and your other overlays.',
    'final: prev:',
    '',
    'let',
    '  repository = import ./default.nix { pkgs = final; };',
    '  notPackages = [ "lib" "modules" "nixosModules" "homeModules" "hmModules" "overlays" ];',
    'in',
    'builtins.removeAttrs repository notPackages',
  ]);
}

export function overlaysNix(context: RepositoryTemplateContext): string {
  return nixFile([
    `# Overlays of this repository, by name: nur.repos.${context.name}.overlays.<name>.`,
    '{',
    '  # Every package of the repository.',
    '  default = import ../overlay.nix;',
    '}',
  ]);
}

export function libNix(context: RepositoryTemplateContext): string {
  return nixFile([
    `# Functions shared by the packages and offered to users as nur.repos.${context.name}.lib.`,
    '# Keep them independent of `pkgs` where possible: modules and overlays may be used by people',
    '# who import the repository without a package set.',
    '{ pkgs }:',
    '',
    '{',
    '  # The web page of a project hosted on GitHub, for `meta.homepage`.',
    '  githubHomepage = owner: repo: "https://github.com/${owner}/${repo}";',
    '}',
  ]);
}

export function nixosModulesNix(context: RepositoryTemplateContext): string {
  return nixFile([
    `# NixOS modules of this repository, by name: nur.repos.${context.name}.modules.<name>.`,
    '# A module must not depend on the repository\'s `pkgs`: NixOS passes its own.',
    '{',
    `  ${EXAMPLE_NAME} = import ./${EXAMPLE_NAME}.nix;`,
    '}',
  ]);
}

export function homeModulesNix(context: RepositoryTemplateContext): string {
  return nixFile([
    `# Home Manager modules of this repository, by name: nur.repos.${context.name}.homeModules.<name>.`,
    '{',
    '}',
  ]);
}
