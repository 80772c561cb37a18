# The attributes of the nixpkgs package set that are not packages, read from nixpkgs itself: what
# the stages of pkgs/top-level/stage.nix add around all-packages.nix and pkgs/by-name (the
# platforms' package sets of stdenvBootstappingAndPlatforms, the stdenv adapters, the trivial
# builders, splice.nix's callPackage/newScope/…, otherPackageSets, variants.nix), and the
# attributes lib gives every package set or overridable value (makeScope, makeOverridable,
# makeExtensible). Only attribute names are read, so nothing is built or deeply evaluated.
# Used by scripts/package-set-attributes.mjs.
{ nixpkgs }:
let
  lib = import (nixpkgs + "/lib");
  config = { allowAliases = false; };
  pkgs = import nixpkgs { system = "x86_64-linux"; inherit config; overlays = [ ]; };
  allPackages = import (nixpkgs + "/pkgs/top-level/all-packages.nix") {
    inherit lib config;
    noSysDirs = true;
    overlays = [ ];
  } { } pkgs pkgs;
  byName = import (nixpkgs + "/pkgs/top-level/by-name-overlay.nix") (nixpkgs + "/pkgs/by-name") pkgs pkgs;
  packageNames = builtins.attrNames allPackages ++ builtins.attrNames byName;
in
{
  topLevel = builtins.attrNames (builtins.removeAttrs pkgs packageNames);
  anySet = lib.unique (
    builtins.attrNames (lib.makeScope (extra: f: args: { }) (self: { }))
    ++ builtins.attrNames (lib.makeOverridable (args: { }) { })
    ++ builtins.attrNames (lib.makeExtensible (self: { }))
  );
}
