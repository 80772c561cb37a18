{
  description = "A workstation: one package and its NixOS configuration";

  # The message of the day, from a flake of its own.
  inputs.greeting.url = "@greetingUrl@";

  outputs = { self, greeting }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: builtins.listToAttrs
        (map (system: { name = system; value = f system; }) systems);
    in
    {
      packages = forAllSystems (system: {
        # Builds without nixpkgs, so it builds offline, in seconds.
        motd = derivation {
          name = "motd-1.0";
          inherit system;
          builder = "/bin/sh";
          PATH = "/usr/bin:/bin";
          # A new value makes a new derivation: change it to build again.
          nonce = import ./nonce.nix;
          args = [ "-c" "sleep 3; echo '${greeting.message}' > $out" ];
        };
        default = self.packages.${system}.motd;
      });

      nixosModules.workstation = import ./modules/configuration.nix;
    };
}
