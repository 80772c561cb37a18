// Analysis of a 10,000-line Nix file: whole-file analysis (scopes, resolution, diagnostics) and
// cursor contexts, against two baselines measured in the same run: parsing the text with
// tree-sitter, and a plain walk over every node of the tree (the least any whole-file pass costs).
import type * as TreeSitter from 'web-tree-sitter';
import { analyzeSyntax, analyzeTree } from '../server/src/analysis/analysis';
import { contextAt } from '../server/src/analysis/context';
import { buildSyntaxTree } from '../server/src/analysis/syntaxTree';
import { localDiagnostics } from '../server/src/features/local/diagnostics';
import { createNixParser } from '../server/src/syntax/parser';

/** A file in the styles real Nix code mixes: a NixOS module, package definitions, a package list. */
function realisticFile(lines: number): string {
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

interface Row {
  name: string;
  samples: number[];
}

function measure(name: string, runs: number, fn: () => void): Row {
  fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return { name, samples };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

function walkAll(tree: TreeSitter.Tree): number {
  const cursor = tree.walk();
  let count = 0;
  try {
    for (;;) {
      count++;
      void cursor.nodeTypeId;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return count;
    }
  } finally {
    cursor.delete();
  }
}

async function main() {
  const parser = await createNixParser();

  const text = realisticFile(10_000);
  const tree = parser.parse(text)!;
  const nodes = walkAll(tree);
  const lineCount = text.split('\n').length;

  // A cursor in clean code, one inside `with pkgs; [ … ]`, and one in code being typed (`pkgs.`).
  const clean = text.indexOf('license = licenses.mit', Math.floor(text.length / 2)) + 'license = licenses.m'.length;
  const withList = text.indexOf('[ hello ripgrep', Math.floor(text.length / 2)) + '[ hello rip'.length;
  const brokenAt = text.indexOf('buildInputs = [ pkgs.zlib', Math.floor(text.length / 2)) + 'buildInputs = [ pkgs.'.length;
  const brokenText = text.slice(0, brokenAt) + text.slice(brokenAt + 'zlib'.length);
  const brokenTree = parser.parse(brokenText)!;
  const copied = buildSyntaxTree(tree);
  const analysed = analyzeSyntax(copied);
  const smallText = realisticFile(1_000);
  const smallTree = parser.parse(smallText)!;

  const rows: Row[] = [
    measure('baseline: tree-sitter parse', 10, () => parser.parse(text)!.delete()),
    measure('baseline: plain walk over every node', 10, () => void walkAll(tree)),
    measure('copy the tree (buildSyntaxTree)', 10, () => void buildSyntaxTree(tree)),
    measure('scopes + resolution on the copy (analyzeSyntax)', 10, () => void analyzeSyntax(copied)),
    measure('whole analysis from the tree (analyzeTree)', 10, () => void analyzeTree(tree)),
    measure('semantic diagnostics from an analysis', 10, () => void localDiagnostics(analysed, 'file:///bench.nix')),
    measure('1,000-line file: tree-sitter parse (baseline)', 20, () => parser.parse(smallText)!.delete()),
    measure('1,000-line file: whole analysis (analyzeTree)', 20, () => void analyzeTree(smallTree)),
    measure('contextAt, clean code (lib.licenses)', 30, () => void contextAt(tree, clean, { parser })),
    measure('contextAt, with pkgs; [ … ]', 30, () => void contextAt(tree, withList, { parser })),
    measure('contextAt, code being typed (pkgs.|, repaired)', 30, () => void contextAt(brokenTree, brokenAt, { parser })),
  ];

  const analysis = analyzeTree(tree);
  console.log(`Input: ${lineCount} lines, ${text.length} characters, ${nodes} tree-sitter nodes; ${analysis.uses.length} variable uses, ${analysis.definitions.length} definitions.\n`);
  console.log('| step | median (ms) | p90 (ms) | min (ms) | runs |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) {
    const sorted = [...row.samples].sort((a, b) => a - b);
    console.log(`| ${row.name} | ${percentile(sorted, 0.5).toFixed(2)} | ${percentile(sorted, 0.9).toFixed(2)} | ${sorted[0]!.toFixed(2)} | ${sorted.length} |`);
  }
  tree.delete();
  brokenTree.delete();
  smallTree.delete();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
