// Analysis of a 10,000-line Nix file: whole-file analysis (scopes, resolution, diagnostics), the
// same after one keystroke with the previous version's analysis at hand, the places the indexes
// check and the diagnostics they give (with the real indexes from ../shared/data), and cursor
// contexts. Baselines measured in the same run: parsing the text with tree-sitter (whole, and
// incrementally after the keystroke), and a plain TreeCursor walk over every node of the tree, the
// least a pass reading every node through web-tree-sitter's API costs; the direct walk
// (syntax/treeWalker.ts) that the copy uses is measured next to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';
import { analyzeSyntax, analyzeTree } from '../server/src/analysis/analysis';
import { contextAt } from '../server/src/analysis/context';
import { knowledgeSites } from '../server/src/analysis/knowledgeSites';
import { buildSyntaxTree } from '../server/src/analysis/syntaxTree';
import { knowledgeDiagnostics } from '../server/src/features/knowledgeDiagnostics';
import { localDiagnostics } from '../server/src/features/local/diagnostics';
import { KnowledgeService } from '../server/src/knowledge/knowledgeService';
import { createNixParser } from '../server/src/syntax/parser';
import { useDirectWalks, walkTree, type TreeWalker } from '../server/src/syntax/treeWalker';
import { generateNixFile } from './support/nixSource';
import { realisticFile } from './support/realisticNix';
import { measureSync } from './support/stats';

interface Row {
  name: string;
  samples: number[];
}

function measure(name: string, runs: number, fn: () => void): Row {
  return { name, samples: measureSync(runs, fn) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

function walkAll(tree: TreeSitter.Tree, cursor: TreeWalker = tree.walk()): number {
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

/** Where `offset` is as a tree-sitter point (rows and columns in UTF-16 code units). */
function pointAt(text: string, offset: number): TreeSitter.Point {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let row = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) row++;
  return { row, column: offset - lineStart };
}

/** `text` with `inserted` typed at `at`, and the tree-sitter edit that says so. */
function keystroke(text: string, at: number, inserted: string): { text: string; edit: TreeSitter.Edit } {
  const next = text.slice(0, at) + inserted + text.slice(at);
  const start = pointAt(text, at);
  return {
    text: next,
    edit: { startIndex: at, oldEndIndex: at, newEndIndex: at + inserted.length, startPosition: start, oldEndPosition: start, newEndPosition: pointAt(next, at + inserted.length) },
  };
}

/** Parses the edited text incrementally from a copy of `tree`, as the document store does. */
function reparse(parser: TreeSitter.Parser, tree: TreeSitter.Tree, change: { text: string; edit: TreeSitter.Edit }): TreeSitter.Tree {
  const edited = tree.copy();
  edited.edit(change.edit);
  const next = parser.parse(change.text, edited)!;
  edited.delete();
  return next;
}

/** The real nixpkgs, NixOS and Home Manager indexes, built into a temporary cache. */
async function realKnowledge(cacheDir: string): Promise<KnowledgeService> {
  const data = join(process.cwd(), '..', 'shared', 'data');
  const service = new KnowledgeService({
    settings: {
      nixpkgs: { packages: join(data, 'nixpkgs', 'packages.json.br'), channel: 'nixos-unstable' },
      nixos: { options: join(data, 'nixpkgs', 'options.json.br') },
      homeManager: { options: join(data, 'home-manager', 'options.json.br') },
      nur: { repos: '', packages: '' },
      offline: true,
    },
    workspaceFolders: [],
    cacheDir,
    trusted: false,
    log: () => undefined,
    notify: () => undefined,
    nixPath: '',
  });
  service.start();
  await service.whenIdle();
  return service;
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
  const copied = buildSyntaxTree(tree, text);
  const analysed = analyzeSyntax(copied);
  const smallText = realisticFile(1_000);
  const smallTree = parser.parse(smallText)!;

  // One keystroke in the middle of the file: a letter typed into a name (the code stays valid),
  // and a dot typed after `pkgs` (the code is broken until the name after it is typed).
  const middle = text.indexOf('pname = "p', Math.floor(text.length / 2)) + 'pname = "p'.length;
  const typed = keystroke(text, middle, 'x');
  const typedTree = reparse(parser, tree, typed);
  const dotAt = text.indexOf('buildInputs = [ pkgs.zlib', Math.floor(text.length / 2)) + 'buildInputs = [ pkgs'.length;
  const dotted = keystroke(text, dotAt, '. ');
  const dottedTree = reparse(parser, tree, dotted);
  const previous = analyzeTree(tree, text);
  // An unclosed string in the middle (`"` typed, its closing quote not yet): the rest of the file
  // parses inside out, thousands of levels deep. Deleting the quote again is the next version.
  const generated = generateNixFile(10_000);
  const quoteAt = generated.indexOf('enable = true;\n', generated.indexOf('services.generated', Math.floor(generated.length / 2))) + 'enable = true;\n'.length;
  const unclosed = `${generated.slice(0, quoteAt)}      meta.description = "\n${generated.slice(quoteAt)}`;
  const unclosedTree = parser.parse(unclosed)!;
  const unclosedAnalysis = analyzeTree(unclosedTree, unclosed);
  const closed = keystroke(unclosed, quoteAt + '      meta.description = '.length, '"');

  const uri = 'file:///bench/configuration.nix';

  const rows: Row[] = [
    measure('baseline: tree-sitter parse', 10, () => parser.parse(text)!.delete()),
    measure('baseline: tree-sitter reparse after one keystroke', 10, () => reparse(parser, tree, typed).delete()),
    measure('baseline: plain cursor walk over every node (TreeCursor)', 10, () => void walkAll(tree)),
    measure('direct walk over every node (treeWalker)', 10, () => void walkAll(tree, walkTree(tree))),
    measure('copy the tree (buildSyntaxTree)', 10, () => void buildSyntaxTree(tree, text)),
    measure('copy the tree through TreeCursor instead', 10, () => {
      useDirectWalks(false);
      buildSyntaxTree(tree, text);
      useDirectWalks(true);
    }),
    measure('copy after one keystroke, reusing the previous copy', 10, () => void buildSyntaxTree(typedTree, typed.text, previous.root)),
    measure('scopes + resolution on the copy (analyzeSyntax)', 10, () => void analyzeSyntax(copied)),
    measure('whole analysis from the tree (analyzeTree)', 10, () => void analyzeTree(tree, text)),
    measure('whole analysis after one keystroke (analyzeTree, previous)', 10, () => void analyzeTree(typedTree, typed.text, { previous })),
    measure('… after typing `pkgs.` (broken code, previous)', 10, () => void analyzeTree(dottedTree, dotted.text, { previous })),
    measure('… after a string left unclosed is closed (previous nested thousands deep)', 10, () => {
      const next = reparse(parser, unclosedTree, closed);
      analyzeTree(next, closed.text, { previous: unclosedAnalysis });
      next.delete();
    }),
    measure('semantic diagnostics from an analysis', 10, () => void localDiagnostics(analysed, uri)),
    measure('1,000-line file: tree-sitter parse (baseline)', 20, () => parser.parse(smallText)!.delete()),
    measure('1,000-line file: whole analysis (analyzeTree)', 20, () => void analyzeTree(smallTree, smallText)),
    measure('contextAt, clean code (lib.licenses)', 30, () => void contextAt(tree, text, clean, { parser })),
    measure('contextAt, with pkgs; [ … ]', 30, () => void contextAt(tree, text, withList, { parser })),
    measure('contextAt, code being typed (pkgs.|, repaired)', 30, () => void contextAt(brokenTree, brokenText, brokenAt, { parser })),
  ];
  // Sites are computed once per analysis: each run gets an analysis not asked before.
  const unasked = Array.from({ length: 11 }, () => analyzeSyntax(copied));
  rows.push(measure('option and package sites (knowledgeSites)', 10, () => void knowledgeSites(unasked.pop()!)));
  const unclosedCopy = buildSyntaxTree(unclosedTree, unclosed);
  const unaskedUnclosed = Array.from({ length: 11 }, () => analyzeSyntax(unclosedCopy));
  rows.push(measure('… with a string left unclosed (the rest parses as one call of thousands of arguments)', 10, () => void knowledgeSites(unaskedUnclosed.pop()!)));
  // Last, so that the indexes' memory weighs on no other row.
  const cacheDir = mkdtempSync(join(tmpdir(), 'nix-nur-bench-analysis-'));
  const knowledge = await realKnowledge(cacheDir);
  rows.push(measure('knowledge diagnostics, real indexes (sites cached)', 10, () => void knowledgeDiagnostics(analysed, uri, knowledge)));

  const sites = knowledgeSites(analysed);
  const found = knowledgeDiagnostics(analysed, uri, knowledge);
  console.log(
    `Input: ${lineCount} lines, ${text.length} characters, ${nodes} tree-sitter nodes; ${previous.uses.length} variable uses, ${previous.definitions.length} definitions; ` +
      `${sites.options.length} option definitions and ${sites.packages.length} package references checked, ${found.length} reported.\n`,
  );
  console.log('| step | median (ms) | p90 (ms) | min (ms) | runs |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) {
    const sorted = [...row.samples].sort((a, b) => a - b);
    console.log(`| ${row.name} | ${percentile(sorted, 0.5).toFixed(2)} | ${percentile(sorted, 0.9).toFixed(2)} | ${sorted[0]!.toFixed(2)} | ${sorted.length} |`);
  }
  knowledge.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
  for (const t of [tree, brokenTree, smallTree, typedTree, dottedTree, unclosedTree]) t.delete();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
