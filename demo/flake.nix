{
  description = "My workstation and the packages I publish through NUR";

  # In your own flake: "github:NixOS/nixpkgs/nixos-unstable". `npm start` points the demo at a
  # small local stand-in of nixpkgs instead, so that Build, Update and Pin work offline.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      myPackages = import ./nur-packages { inherit pkgs; };
    in
    {
      packages.${system} = {
        inherit (myPackages) hello-nur;
        default = myPackages.hello-nur;
      };

      nixosConfigurations.workstation = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ ./configuration.nix ];
      };
    };
}
