// The NUR features that run while typing, on large inputs: NUR-rule diagnostics (which also ask the
// file system whether each called path exists), the Build lenses of default.nix, recognising a
// repository, and computing where a new package goes. Baseline: a full web-tree-sitter parse of the
// same text, which every keystroke already pays for.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNixParser, findParserFiles } from '../server/src/syntax/parser';
import { nurDiagnostics } from '../server/src/features/nur/nurDiagnostics';
import { nurBuildLenses } from '../server/src/features/nur/nurCodeLenses';
import { isNurRepository } from '../server/src/nur/repository';
import { findPackageSet } from '../server/src/nur/repositoryLayout';
import { bindingInsertion } from '../server/src/nur/bindingInsertion';
import { isCallPackage } from '../server/src/nur/nixTree';
import { generateNixFile } from './support/nixSource';
import { median, ms, percentile, printTable, timeRuns } from './support/stats';

const PACKAGES = 2_000;

/** A NUR repository with PACKAGES packages on disk and their default.nix. */
function writeRepository(root: string): string {
  const lines = ['{ pkgs ? import <nixpkgs> { } }:', '', '{', '  lib = import ./lib { inherit pkgs; };', '  modules = import ./nixos-modules;', '  overlays = import ./overlays;', ''];
  for (let i = 0; i < PACKAGES; i++) {
    const name = `package-${String(i).padStart(4, '0')}`;
    mkdirSync(join(root, 'pkgs', name), { recursive: true });
    writeFileSync(join(root, 'pkgs', name, 'default.nix'), '{ stdenv }: stdenv.mkDerivation { name = "x"; }\n');
    // Every tenth package is missing on disk, so the diagnostics have something to report.
    const target = i % 10 === 0 ? `./pkgs/missing-${i}` : `./pkgs/${name}`;
    lines.push(`  ${name} = pkgs.callPackage ${target} { };`);
  }
  lines.push('}', '');
  const text = lines.join('\n');
  writeFileSync(join(root, 'default.nix'), text);
  return text;
}

async function main() {
  const parser = await createNixParser(findParserFiles([join(process.cwd(), 'dist')]));
  const root = mkdtempSync(join(tmpdir(), 'nur-bench-'));
  try {
    const defaultNix = writeRepository(root);
    const packageFile = generateNixFile(10_000);
    const rows: string[][] = [];
    const row = (what: string, samples: number[], baseline?: number) =>
      rows.push([what, ms(median(samples)), ms(percentile(samples, 95)), baseline ? `${(median(samples) / baseline).toFixed(2)}×` : '']);

    const parseDefault = await timeRuns(15, () => parser.parse(defaultNix)!.delete());
    row(`baseline: parse default.nix (${PACKAGES} packages)`, parseDefault);
    const tree = parser.parse(defaultNix)!;
    const context = { path: join(root, 'default.nix'), root };
    let reported = 0;
    row('NUR diagnostics on default.nix (with path checks)', await timeRuns(15, () => {
      reported = nurDiagnostics(tree, context).length;
    }), median(parseDefault));
    row('Build lenses of default.nix', await timeRuns(15, () => nurBuildLenses(tree, context)), median(parseDefault));
    row('insertion point for a new package', await timeRuns(15, () => {
      const set = findPackageSet(tree)!;
      bindingInsertion({ text: defaultNix, attrset: set.attrset, name: 'package-1000a', binding: 'x = 1;', isPeer: (b) => isCallPackage(b.childForFieldName('expression')) });
    }), median(parseDefault));
    row('recognise the repository (reads and parses default.nix)', await timeRuns(15, () => isNurRepository(root, parser)), median(parseDefault));
    tree.delete();

    const parseLarge = await timeRuns(9, () => parser.parse(packageFile)!.delete());
    row('baseline: parse a 10,000-line package file', parseLarge);
    const large = parser.parse(packageFile)!;
    row('NUR diagnostics on it', await timeRuns(9, () => nurDiagnostics(large, { path: join(root, 'pkgs', 'big', 'default.nix'), root })), median(parseLarge));
    large.delete();

    printTable(['operation', 'median', 'p95', 'vs baseline'], rows);
    console.log(`\n${reported} missing-path diagnostics per run (${PACKAGES / 10} missing packages, and lib, nixos-modules and overlays, which the benchmark does not create).`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
