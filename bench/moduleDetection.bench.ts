// Which files of a whole nixpkgs are checked as NixOS modules. Files under `nixos/modules/` are
// modules (a few are helpers: libraries, lists, tests); files under `pkgs/` are packages, package
// sets, overlays and builders, and none of them may be checked as one — a file taken for a module
// gets an unknown-option warning for every attribute it sets (nixpkgs' all-packages.nix got 174).
//
// `npm run bench moduleDetection`. Reads nixpkgs-slim, unpacked into `.cache/` (or NIX_NUR_CORPUS).
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { analyzeTree } from '../server/src/analysis/analysis';
import { knowledgeSites } from '../server/src/analysis/knowledgeSites';
import { fileModule } from '../server/src/analysis/modules';
import { parseNix } from '../server/src/syntax/grammarText';
import { createNixParser, findParserFiles } from '../server/src/syntax/parser';
import { corpusDirectory, nixFiles } from './support/nixpkgsCorpus';
import { printTable } from './support/stats';

const root = process.cwd();

interface Tally {
  files: number;
  confident: number;
  tentative: number;
  /** Files with option definitions an index would check, and how many definitions. */
  checked: number;
  sites: number;
  examples: string[];
}

async function main() {
  const corpus = corpusDirectory(root);
  if (!corpus) {
    console.log('No nixpkgs-slim archive in ../shared/data: nothing measured.');
    return;
  }
  const parser = await createNixParser(findParserFiles([join(root, 'dist')]));
  const tallies = new Map<string, Tally>();
  const groups: [string, string][] = [
    ['nixos/modules/', `nixos${sep}modules${sep}`],
    ['pkgs/', `pkgs${sep}`],
  ];
  const started = performance.now();
  for (const [name, prefix] of groups) {
    const tally: Tally = { files: 0, confident: 0, tentative: 0, checked: 0, sites: 0, examples: [] };
    tallies.set(name, tally);
    for (const file of nixFiles(join(corpus, prefix))) {
      const text = readFileSync(file, 'utf8');
      const tree = parseNix(parser, text);
      if (!tree) continue;
      try {
        tally.files++;
        const analysis = analyzeTree(tree, text);
        const module = fileModule(analysis.root, { fileName: file });
        if (module?.confident) tally.confident++;
        else if (module) tally.tentative++;
        const sites = knowledgeSites(analysis, { fileName: file }).options.length;
        if (sites > 0) {
          tally.checked++;
          tally.sites += sites;
        }
        const surprising = name === 'pkgs/' ? sites > 0 : !module;
        if (surprising) tally.examples.push(`${relative(corpus, file)}${sites ? ` (${sites} option definitions)` : ''}`);
      } finally {
        tree.delete();
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`Corpus: ${relative(root, corpus) || corpus}\n`);
  printTable(
    ['files under', 'files', 'modules (confident)', 'modules (tentative: completion only)', 'files with options checked', 'option definitions checked'],
    [...tallies].map(([name, t]) => [name, String(t.files), String(t.confident), String(t.tentative), String(t.checked), String(t.sites)]),
  );
  console.log(`\n${seconds.toFixed(1)} s.`);
  const pkgs = tallies.get('pkgs/')!;
  const nixos = tallies.get('nixos/modules/')!;
  for (const [title, list] of [
    ['Files under pkgs/ whose option definitions would be checked', pkgs.examples],
    ['Files under nixos/modules/ not taken for modules', nixos.examples],
  ] as const) {
    if (list.length === 0) continue;
    console.log(`\n${title} (first 25 of ${list.length}):`);
    for (const example of list.slice(0, 25)) console.log(`- ${example}`);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
