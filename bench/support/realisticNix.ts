// A Nix file in the styles real code mixes, of any length: shared by the benchmarks that analyse one.

/** A file in the styles real Nix code mixes: a NixOS module, package definitions, a package list. */
export function realisticFile(lines: number): string {
  const out = ['{ config, lib, pkgs, ... }:', '', 'let', '  inherit (lib) mkIf mkOption mkEnableOption types;', '  cfg = config.services.example;', 'in', '{'];
  for (let i = 0; out.length < lines - 2; i++) {
    switch (i % 3) {
      case 0:
        out.push(
          `  # Service ${i}: options and configuration.`,
          `  options.services.s${i} = {`,
          `    enable = mkEnableOption "service ${i}";`,
          `    port = mkOption { type = types.port; default = ${8000 + (i % 1000)}; description = "Port of service ${i}."; };`,
          '  };',
          `  config.services.nginx.virtualHosts."s${i}.example.org" = mkIf config.services.s${i}.enable {`,
          '    forceSSL = true;',
          `    locations."/".proxyPass = "http://127.0.0.1:\${toString config.services.s${i}.port}";`,
          '  };',
          `  config.environment.systemPackages = mkIf cfg.enable (with pkgs; [ hello ripgrep fd jq p${i} ]);`,
          '',
        );
        break;
      case 1:
        out.push(
          `  packages.p${i} = pkgs.stdenv.mkDerivation rec {`,
          `    pname = "p${i}";`,
          `    version = "1.${i}.0";`,
          '    src = pkgs.fetchFromGitHub {',
          '      owner = "example";',
          '      repo = pname;',
          '      rev = "v${version}";',
          '      hash = lib.fakeHash;',
          '    };',
          '    nativeBuildInputs = with pkgs; [ pkg-config cmake ];',
          '    buildInputs = [ pkgs.zlib pkgs.openssl ];',
          '    meta = with lib; {',
          `      description = "Example package ${i}";`,
          '      homepage = "https://example.org";',
          '      license = licenses.mit;',
          '      platforms = platforms.linux;',
          '    };',
          '  };',
          '',
        );
        break;
      default:
        out.push(
          `  functions.f${i} = { a, b ? a + 1, ... }@args:`,
          '    let',
          '      c = a * b;',
          `      d = builtins.map (x: x + c) [ 1 2 3 ];`,
          '    in',
          '    if c > 3 then d else args.e or [ ];',
          '',
        );
    }
  }
  out.push('}', '');
  return out.join('\n');
}
