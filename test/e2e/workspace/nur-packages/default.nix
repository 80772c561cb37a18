# alice's NUR repository: `nur.repos.alice.<name>`.
{ pkgs ? import <nixpkgs> { } }:

{
  modules = { };
  overlays = { };

  hello-nur = pkgs.callPackage ./pkgs/hello-nur { };
}
