# A stand-in for nixpkgs, small enough to build offline in seconds. `npm start` copies it beside
# the demo workspace, makes it a git repository and points the demo flake's `nixpkgs` input at it,
# so that Build, Update and Pin work without a network. It has the shape the demo uses: `lib`,
# `legacyPackages.<system>` with `callPackage` and `stdenv.mkDerivation`, `lib.nixosSystem`.
{
  description = "A small offline stand-in for nixpkgs (the Nix & NUR demo)";

  outputs = { self }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      lib = import ./lib;
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs systems (system: import ./. { inherit system; });
      nixosModules = { };
    };
}
