# The package set: `callPackage`, a `stdenv.mkDerivation` that runs its phases with the host's
# /bin/sh and coreutils (no compilers, no downloads), and a few named packages for the demo's
# NixOS configuration.
{ system ? builtins.currentSystem, ... }:
let
  lib = import ./lib;

  mkDerivation = argument:
    let
      attrs = if builtins.isFunction argument then argument attrs else argument;
      name = attrs.name or "${attrs.pname}-${attrs.version}";
      phases = builtins.removeAttrs attrs [ "meta" "passthru" "name" "pname" "version" ];
    in
    derivation (phases // {
      inherit name system;
      builder = "/bin/sh";
      PATH = "/usr/bin:/bin";
      args = [ "-ec" ''
        if [ -n "$src" ]; then cp -r "$src"/. .; chmod -R u+w .; fi
        eval "''${buildPhase:-}"
        eval "''${checkPhase:-}"
        eval "''${installPhase:-mkdir -p $out}"
      '' ];
    }) // {
      pname = attrs.pname or name;
      version = attrs.version or "";
      meta = attrs.meta or { };
      passthru = attrs.passthru or { };
    };

  stdenv = { inherit mkDerivation system; hostPlatform = { inherit system; }; };

  runCommand = name: env: script: mkDerivation (env // { inherit name; installPhase = script; });

  # Stands for a program of nixpkgs: a script that says which one it is.
  program = pname: version: description: runCommand "${pname}-${version}" { } ''
    mkdir -p $out/bin
    printf '#!/bin/sh\necho "%s %s (the demo'"'"'s stand-in)"\n' ${pname} ${version} > $out/bin/${pname}
    chmod +x $out/bin/${pname}
  '' // { inherit pname version; meta = { inherit description; }; };

  pkgs = {
    inherit lib stdenv runCommand system;
    stdenvNoCC = stdenv;
    callPackage = path: overrides:
      let
        f = if builtins.isFunction path then path else import path;
        wanted = builtins.functionArgs f;
      in
      f ((builtins.intersectAttrs wanted pkgs) // overrides);
    fetchurl = _: throw "the offline stand-in for nixpkgs cannot download: use a local `src`";
    fetchFromGitHub = _: throw "the offline stand-in for nixpkgs cannot download from GitHub: use a local `src` (or the real nixpkgs)";
    git = program "git" "2.51.0" "Distributed version control system";
    ripgrep = program "ripgrep" "14.1.1" "Searches directories for a regex pattern";
    neovim = program "neovim" "0.11.4" "Vim text editor fork focused on extensibility and agility";
    hello = program "hello" "2.12.2" "Program that produces a familiar, friendly greeting";
  };
in
pkgs
