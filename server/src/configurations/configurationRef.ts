// What names a configuration of the workspace: a flake output (`nixosConfigurations.box`), the
// flake's flake-parts modules, or a classic `configuration.nix` read through `<nixpkgs>`.

export const CONFIGURATION_CATEGORIES = ['nixosConfigurations', 'homeConfigurations', 'darwinConfigurations'] as const;
export type ConfigurationCategory = (typeof CONFIGURATION_CATEGORIES)[number];

export type ConfigurationRef =
  | { kind: 'flake-output'; id: string; flakeDir: string; category: ConfigurationCategory; name: string }
  /** The options of the flake's own flake-parts modules (`systems`, `perSystem`, `flake`, …). */
  | { kind: 'flake-parts'; id: 'flake-parts'; flakeDir: string }
  /** `configuration.nix` evaluated with `<nixpkgs/nixos/lib/eval-config.nix>`. */
  | { kind: 'classic'; id: 'configuration.nix'; file: string };
