// Every entry point, at every position of real-looking and cut-off code, must answer without
// throwing: the server calls them on whatever the user is in the middle of typing.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeTree, symbolAt } from '../../../server/src/analysis/analysis';
import { contextAt } from '../../../server/src/analysis/context';
import { knowledgeSites } from '../../../server/src/analysis/knowledgeSites';
import { importedModules } from '../../../server/src/analysis/modules';
import { definitionAt } from '../../../server/src/features/local/definition';
import { localDiagnostics } from '../../../server/src/features/local/diagnostics';
import { documentLinks } from '../../../server/src/features/local/documentLinks';
import { localQuickFixes } from '../../../server/src/features/local/quickFixes';
import { highlightsAt, referencesAt } from '../../../server/src/features/local/references';
import { prepareRename, renameAt } from '../../../server/src/features/local/rename';
import { nixParser } from './nixSnippets';

const SAMPLES = [
  `{ config, lib, pkgs, ... }:
let
  cfg = config.services.demo;
  inherit (lib) mkIf mkOption types;
in {
  options.services.demo.enable = mkOption { type = types.bool; default = false; };
  config = mkIf cfg.enable {
    environment.systemPackages = with pkgs; [ hello ripgrep ];
    services.nginx.virtualHosts."example.org" = { forceSSL = true; root = ./www; };
    users.users.alice = { isNormalUser = true; extraGroups = [ "wheel" ]; };
  };
}`,
  `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.nur.url = "github:nix-community/NUR";
  outputs = { self, nixpkgs, nur, ... }@inputs: {
    nixosConfigurations.host = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./configuration.nix { nixpkgs.overlays = [ nur.overlay ]; } ];
    };
    packages.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.hello;
  };
}`,
  `{ lib, stdenv, fetchFromGitHub, cmake ? null, ... }@args:
stdenv.mkDerivation rec {
  pname = "demo";
  version = "1.0";
  src = fetchFromGitHub { owner = "o"; repo = pname; rev = "v\${version}"; hash = lib.fakeHash; };
  nativeBuildInputs = [ cmake ];
  meta = with lib; { description = ''A "demo" \${pname}''; license = licenses.mit; };
  passthru.tests = { a.b = 1; a.c = 2; };
}`,
  `final: prev: rec { x = prev.hello.overrideAttrs (old: { pname = "x"; }); y = x; z = let s = { a = 1; }; in s.a; }`,
];

describe('robustness', () => {
  it('answers everywhere in complete and cut-off code', async () => {
    const parser = await nixParser();
    let checks = 0;
    for (const sample of SAMPLES) {
      for (let cut = sample.length; cut > 0; cut -= 13) {
        const text = sample.slice(0, cut);
        const tree = parser.parse(text)!;
        try {
          const analysis = analyzeTree(tree, text);
          const uri = pathToFileURL(join(tmpdir(), 'robustness', 'default.nix')).href;
          localDiagnostics(analysis, uri);
          documentLinks(analysis, uri, () => false);
          importedModules(analysis.root);
          knowledgeSites(analysis);
          localQuickFixes(analysis, uri, { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } });
          for (let offset = 0; offset <= text.length; offset += cut === sample.length ? 1 : 5) {
            contextAt(tree, text, offset, { parser });
            symbolAt(analysis, offset);
            definitionAt(analysis, uri, offset);
            referencesAt(analysis, uri, offset, true);
            highlightsAt(analysis, offset);
            prepareRename(analysis, offset);
            renameAt(analysis, uri, offset, 'renamed');
            checks++;
          }
        } finally {
          tree.delete();
        }
      }
    }
    expect(checks).toBeGreaterThan(1000);
  });
});
