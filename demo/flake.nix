{
  description = "My workstation and the packages I publish through NUR";

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
