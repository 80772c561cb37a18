// Continuous integration of a new NUR repository: ci.nix (what to build and cache) and a GitHub
// workflow that evaluates the repository the way NUR will, builds it on several nixpkgs channels
// and then asks NUR to pick up the new commit.
import { nixFile } from '../nixText';
import { stableNixosRelease, type RepositoryTemplateContext } from './context';

export function ciNix(): string {
  return nixFile([
    '# What CI builds and pushes to a binary cache:',
    '#   nix-build ci.nix -A buildOutputs   every package that can be built',
    '#   nix-build ci.nix -A cacheOutputs   the subset worth caching',
    '# Packages marked broken, or with a licence that is not free, are not built. Packages that ask',
    '# to be built locally (preferLocalBuild: trivial wrappers, scripts) are built but not cached.',
    '{ pkgs ? import <nixpkgs> { } }:',
    '',
    'let',
    '  inherit (pkgs) lib;',
    '',
    '  repository = import ./default.nix { inherit pkgs; };',
    '  notPackages = [ "lib" "modules" "nixosModules" "homeModules" "hmModules" "overlays" ];',
    '',
    '  # The derivations at the top level, and inside sets marked with lib.recurseIntoAttrs.',
    '  derivationsIn = value:',
    '    if lib.isDerivation value then [ value ]',
    '    else if builtins.isAttrs value && (value.recurseForDerivations or false)',
    '    then lib.concatMap derivationsIn (builtins.attrValues value)',
    '    else [ ];',
    '',
    '  packages = lib.concatMap derivationsIn (builtins.attrValues (builtins.removeAttrs repository notPackages));',
    '',
    '  isFree = package: lib.all (license: license.free or true) (lib.toList (package.meta.license or [ ]));',
    '  isBuildable = package: !(package.meta.broken or false) && isFree package;',
    '  isCacheable = package: !(package.preferLocalBuild or false);',
    '',
    '  outputsOf = package: map (output: package.${output}) (package.outputs or [ "out" ]);',
    '',
    '  buildPackages = builtins.filter isBuildable packages;',
    '  cachePackages = builtins.filter isCacheable buildPackages;',
    'in',
    '{',
    '  inherit buildPackages cachePackages;',
    '  buildOutputs = lib.concatMap outputsOf buildPackages;',
    '  cacheOutputs = lib.concatMap outputsOf cachePackages;',
    '}',
  ]);
}

/** The nixpkgs channels CI builds against: the newest stable release and unstable. */
export function ciChannels(today: Date): string[] {
  return [`nixos-${stableNixosRelease(today)}`, 'nixos-unstable'];
}

export function buildWorkflow(context: RepositoryTemplateContext): string {
  const channels = ciChannels(context.today);
  return [
    'name: Build',
    '',
    'on:',
    '  push:',
    '  pull_request:',
    '  workflow_dispatch:',
    '  schedule:',
    '    # Once a day, so a change in nixpkgs that breaks a package shows up without a push.',
    "    - cron: '41 3 * * *'",
    '',
    'jobs:',
    '  build:',
    '    strategy:',
    '      fail-fast: false',
    '      matrix:',
    '        channel:',
    ...channels.map((channel) => `          - ${channel}`),
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '',
    '      - uses: cachix/install-nix-action@v31',
    '        with:',
    '          nix_path: nixpkgs=channel:${{ matrix.channel }}',
    '',
    '      - name: Show the nixpkgs version',
    "        run: nix-instantiate --eval --expr '(import <nixpkgs> { }).lib.version'",
    '',
    '      # NUR reads the repository in restricted evaluation mode: no network, no files outside',
    '      # the repository and nixpkgs. If this step fails, NUR will not take the commit.',
    '      - name: Evaluate like NUR',
    '        run: |',
    "          nix-env -f . -qa '*' --meta --json --drv-path --show-trace \\",
    '            --allowed-uris https://static.rust-lang.org \\',
    '            --option restrict-eval true \\',
    '            --option allow-import-from-derivation true \\',
    '            -I nixpkgs="$(nix-instantiate --find-file nixpkgs)" \\',
    '            -I "$PWD" > /dev/null',
    '',
    '      - name: Build the packages',
    '        run: nix-build ci.nix -A cacheOutputs --no-out-link',
    '',
    '  notify-nur:',
    '    # Ask NUR to fetch the new commit now instead of at its next scheduled update. Until the',
    '    # repository is listed in NUR this step fails harmlessly.',
    '    needs: build',
    "    if: github.event_name == 'push' && github.ref_name == github.event.repository.default_branch",
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - name: Notify NUR',
    `        run: curl -fsS -XPOST "https://nur-update.nix-community.org/update?repo=${context.name}"`,
    '',
  ].join('\n');
}
