// Which files are checked as modules, on the shapes real files take (nixpkgs and NixOS).
import { describe, expect, it } from 'vitest';
import { knowledgeSites } from '../../../server/src/analysis/knowledgeSites';
import { fileModule, type FileModuleHints } from '../../../server/src/analysis/modules';
import { analyze } from './nixSnippets';

/** `confident`, `tentative` or `none`, and how many option definitions an index would check. */
async function judge(text: string, hints: FileModuleHints = {}): Promise<string> {
  const analysis = await analyze(text);
  const module = fileModule(analysis.root, hints);
  const verdict = module ? (module.confident ? 'confident' : 'tentative') : 'none';
  return `${verdict} ${knowledgeSites(analysis, hints).options.length}`;
}

describe('files that are not modules', () => {
  it('never takes nixpkgs’ package collection for a module (all-packages.nix)', async () => {
    const allPackages = `/*
  The top-level package collection of nixpkgs.
*/
{
  lib,
  noSysDirs,
  config,
  overlays,
}:
let
  inherit (lib)
    lowPrio
    hiPrio
    ;
in

res: pkgs: super:

with pkgs;

{
  font-v = with python3Packages; toPythonApplication font-v;
  hello-wayland = callPackage ../applications/misc/hello-wayland { };
  gst_all_1 = recurseIntoAttrs (callPackage ../development/libraries/gstreamer { });
}`;
    expect(await judge(allPackages)).toBe('none 0');
  });

  it('never takes overlays, package sets or files for callPackage for modules', async () => {
    // An overlay.
    expect(await judge('final: prev: { hello = prev.hello.overrideAttrs (old: { doCheck = false; }); }')).toBe('none 0');
    // A package set (pkgs/top-level/python-packages.nix).
    expect(await judge('self: super: with self; { requests = callPackage ../development/python-modules/requests { }; }')).toBe('none 0');
    // pkgs/desktops/gnome/default.nix: a scope.
    expect(await judge('{\n  config,\n  pkgs,\n  lib,\n}:\nlib.makeScope pkgs.newScope (\n  self:\n  {\n    gvfs = pkgs.gvfs.override { gnomeSupport = true; };\n  }\n)')).toBe('none 0');
    // pkgs/stdenv/adapters.nix: a library of functions over nixpkgs' config.
    expect(await judge('{\n  lib,\n  pkgs,\n  config,\n}:\nlet\n  x = 1;\nin\nrec {\n  makeStatic = stdenv: stdenv;\n  services = { };\n}')).toBe('none 0');
    // pkgs/build-support/trivial-builders/default.nix and pkgs/applications/editors/eclipse/plugins.nix.
    expect(await judge('{\n  lib,\n  config,\n  stdenv,\n  stdenvNoCC,\n  jq,\n}:\n{\n  runCommand = name: env: null;\n  writeText = name: text: null;\n}')).toBe('none 0');
    expect(await judge('{ lib, stdenv, fetchurl, config, ... }: { plugins = { }; networking = { }; }')).toBe('none 0');
    // A file for callPackage: a derivation.
    expect(await judge('{ lib, stdenv, fetchurl, config }: stdenv.mkDerivation { pname = "x"; version = "1"; meta.description = "x"; }')).toBe('none 0');
    // A function of a function (pkgs/development/interpreters/python/passthrufun.nix).
    expect(await judge('{ lib, config, ... }: { implementation, libPrefix }: { services = { }; }')).toBe('none 0');
    // Arguments with defaults: a file run with nix-build.
    expect(await judge('{ pkgs ? import <nixpkgs> { }, config ? { } }: { boot = { }; }')).toBe('none 0');
  });

  it('never takes a helper called with module arguments for a module (no `...`)', async () => {
    // nixos/modules/services/monitoring/prometheus/exporters/mqtt.nix
    expect(await judge('{\n  config,\n  lib,\n  pkgs,\n  options,\n  utils,\n}:\n{\n  port = 9000;\n  serviceOpts = { };\n}')).toBe('none 0');
    // nixos/modules/services/networking/helpers.nix returns a string.
    expect(await judge("{ config, lib, ... }:\n''\n  ip46tables() { }\n''")).toBe('none 0');
  });
});

describe('files that are modules', () => {
  it('checks a function of the module arguments returning a set', async () => {
    expect(await judge('{ config, lib, pkgs, ... }: { services.nginx.enable = true; boot.loader.grub.enable = false; }')).toBe('confident 2');
    expect(await judge('{ lib, ... }: { imports = [ ./a.nix ]; networking.hostName = "h"; }')).toBe('confident 1');
    expect(await judge('{ imports = [ ./hardware-configuration.nix ]; networking.hostName = "h"; }')).toBe('confident 1');
    // Through `let`, `with` and the module system's own wrappers.
    expect(await judge('{ config, lib, ... }:\nlet cfg = config.services.x;\nin with lib; mkIf cfg.enable { services.y.enable = true; }')).toBe('confident 1');
    expect(await judge('{ config, lib, ... }: lib.mkMerge [ { services.y.enable = true; } { services.z.enable = true; } ]')).toBe('confident 2');
  });

  it('completes in a function of only module arguments, without checking it', async () => {
    expect(await judge('{ pkgs, ... }: { environment.systemPackages = [ pkgs.hello ]; }')).toBe('tentative 0');
  });

  it('checks any file another file imports as a module', async () => {
    expect(await judge('{ services.nginx.enable = true; }', { module: { tree: 'nixos' } })).toBe('confident 1');
  });
});
