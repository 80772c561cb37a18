# alice's NUR repository: everything here becomes `nur.repos.alice.<name>`.
#
# NUR passes its own `pkgs`; the default only serves builds from a checkout:
#   nix-build -A hello-nur
{ pkgs ? import <nixpkgs> { } }:

{
  # NixOS modules, for `imports = [ nur.repos.alice.modules.motd ];`.
  modules = import ./modules;

  hello-nur = pkgs.callPackage ./pkgs/hello-nur { };
}
