// nixos-modules/<name>.nix for a new NixOS module, with an `enable` option. When the repository
// has a package of the same name, the module installs it (programs.<name>); otherwise it is the
// frame of a service (services.<name>) to fill in.
import { nixFile, nixString } from '../nixText';

export interface ModuleTemplateInput {
  name: string;
  /** The repository's package of the same name, relative to the module file (`../pkgs/foo`). */
  packagePath?: string;
}

export function moduleTemplate(input: ModuleTemplateInput): string {
  const { name, packagePath } = input;
  if (packagePath) {
    return nixFile([
      `# Installs ${name}: programs.${name}.enable = true;`,
      '{ config, lib, pkgs, ... }:',
      '',
      'let',
      `  cfg = config.programs.${name};`,
      'in',
      '{',
      `  options.programs.${name} = {`,
      `    enable = lib.mkEnableOption ${nixString(name)};`,
      '',
      '    package = lib.mkOption {',
      '      type = lib.types.package;',
      `      default = pkgs.callPackage ${packagePath} { };`,
      `      description = ${nixString(`The ${name} package to install.`)};`,
      '    };',
      '  };',
      '',
      '  config = lib.mkIf cfg.enable {',
      '    environment.systemPackages = [ cfg.package ];',
      '  };',
      '}',
    ]);
  }
  return nixFile([
    `# The ${name} service: services.${name}.enable = true;`,
    '{ config, lib, pkgs, ... }:',
    '',
    'let',
    `  cfg = config.services.${name};`,
    'in',
    '{',
    `  options.services.${name} = {`,
    `    enable = lib.mkEnableOption ${nixString(`the ${name} service`)};`,
    '  };',
    '',
    '  config = lib.mkIf cfg.enable {',
    `    # What enabling the service does, e.g. systemd.services.${name} = { … };`,
    '  };',
    '}',
  ]);
}
