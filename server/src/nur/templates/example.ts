// The example package and NixOS module a new repository starts with. The package's source lives
// in the repository, so it builds anywhere without a download.
import { nixFile, nixString } from '../nixText';
import { EXAMPLE_NAME, repositoryUrl, type RepositoryTemplateContext } from './context';

export function examplePackageNix(context: RepositoryTemplateContext): string {
  return nixFile([
    '{ lib, stdenv }:',
    '',
    'stdenv.mkDerivation {',
    `  pname = "${EXAMPLE_NAME}";`,
    '  version = "1.0.0";',
    '',
    '  # The source sits next to this file. Packages of other projects fetch theirs instead, e.g.',
    '  # with fetchFromGitHub and a hash.',
    '  src = ./src;',
    '',
    '  dontBuild = true;',
    '',
    "  installPhase = ''",
    '    runHook preInstall',
    `    install -Dm755 ${EXAMPLE_NAME}.sh "$out/bin/${EXAMPLE_NAME}"`,
    '    runHook postInstall',
    "  '';",
    '',
    '  meta = {',
    `    description = ${nixString(`Prints a greeting from the ${context.name} NUR repository`)};`,
    `    homepage = ${nixString(repositoryUrl(context))};`,
    '    license = lib.licenses.mit;',
    '    maintainers = [ ];',
    `    mainProgram = "${EXAMPLE_NAME}";`,
    '    platforms = lib.platforms.all;',
    '  };',
    '}',
  ]);
}

export function exampleScript(context: RepositoryTemplateContext): string {
  const quoted = `'Hello from the ${context.name} NUR repository!'`;
  return ['#!/bin/sh', `echo ${quoted}`, ''].join('\n');
}

export function exampleModuleNix(): string {
  return nixFile([
    `# Installs the ${EXAMPLE_NAME} program: programs.${EXAMPLE_NAME}.enable = true;`,
    '{ config, lib, pkgs, ... }:',
    '',
    'let',
    `  cfg = config.programs.${EXAMPLE_NAME};`,
    'in',
    '{',
    `  options.programs.${EXAMPLE_NAME} = {`,
    `    enable = lib.mkEnableOption "the ${EXAMPLE_NAME} program";`,
    '',
    '    package = lib.mkOption {',
    '      type = lib.types.package;',
    `      default = pkgs.callPackage ../pkgs/${EXAMPLE_NAME} { };`,
    `      description = "The ${EXAMPLE_NAME} package to install.";`,
    '    };',
    '  };',
    '',
    '  config = lib.mkIf cfg.enable {',
    '    environment.systemPackages = [ cfg.package ];',
    '  };',
    '}',
  ]);
}
