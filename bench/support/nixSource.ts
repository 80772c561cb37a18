// Generates a large, realistic Nix file for benchmarks: a package set of modules, derivations and
// lets, in the shapes real nixpkgs and NixOS code take.
export function generateNixFile(lines: number): string {
  const out: string[] = ['{ lib, pkgs, config, ... }:', '', 'let', '  inherit (lib) mkIf mkOption types;', 'in', '{'];
  for (let i = 0; out.length + 16 < lines; i++) {
    out.push(
      `  services.generated${i} = {`,
      `    enable = true;`,
      `    package = pkgs.hello;`,
      `    settings = { port = ${8000 + (i % 1000)}; host = "127.0.0.${i % 250}"; tags = [ "a" "b" "c${i}" ]; };`,
      `  };`,
      `  packages.p${i} = pkgs.stdenv.mkDerivation rec {`,
      `    pname = "p${i}";`,
      `    version = "1.${i}";`,
      `    src = ./src/p${i};`,
      `    buildInputs = with pkgs; [ zlib openssl ];`,
      `    installPhase = ''`,
      `      mkdir -p $out/bin`,
      `      cp p${i} $out/bin/\${pname}`,
      `    '';`,
      `    meta.description = "Package number ${i}";`,
      `  };`,
    );
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
