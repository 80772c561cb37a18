// Semantic tokens and inlay hints of a 10,000-line file. Baselines measured in the same run: the
// whole analysis the tokens reuse (from scratch, and after one keystroke with the previous
// version's analysis at hand), and the option and package sites they share with diagnostics.
// Targets: tokens ≤ 1.5× the analysis; a delta after a keystroke ≤ 10 ms; inlay hints for a
// screenful ≤ 5 ms p95.
import type * as TreeSitter from 'web-tree-sitter';
import { analyzeTree, type Analysis } from '../server/src/analysis/analysis';
import { knowledgeSites } from '../server/src/analysis/knowledgeSites';
import { semanticTokens } from '../server/src/features/semanticTokens';
import { relative, tokenEdits } from '../server/src/semanticTokensHandlers';
import { createNixParser } from '../server/src/syntax/parser';
import { realisticFile } from './support/realisticNix';
import { meets, median, ms, percentile, printTable } from './support/stats';

const URI = 'file:///bench/configuration.nix';

function measure(runs: number, fn: () => void): number[] {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** `text` with `inserted` typed at `at`, reparsed incrementally as the document store does. */
function typeAt(parser: TreeSitter.Parser, tree: TreeSitter.Tree, text: string, at: number, inserted: string): { text: string; tree: TreeSitter.Tree } {
  const next = text.slice(0, at) + inserted + text.slice(at);
  const row = text.slice(0, at).split('\n').length - 1;
  const column = at - (text.lastIndexOf('\n', at - 1) + 1);
  const edited = tree.copy();
  edited.edit({
    startIndex: at,
    oldEndIndex: at,
    newEndIndex: at + inserted.length,
    startPosition: { row, column },
    oldEndPosition: { row, column },
    newEndPosition: { row, column: column + inserted.length },
  });
  const reparsed = parser.parse(next, edited)!;
  edited.delete();
  return { text: next, tree: reparsed };
}

/** The tokens of an analysis as the server sends them, sites included when not yet known. */
function encodedTokens(analysis: Analysis): number[] {
  return relative(semanticTokens(analysis, { fileName: URI }).data);
}

async function main() {
  const parser = await createNixParser();
  const text = realisticFile(10_000);
  const tree = parser.parse(text)!;
  const analysis = analyzeTree(tree);
  knowledgeSites(analysis, { fileName: URI });
  const before = encodedTokens(analysis);
  const middle = text.indexOf('pname = "p', Math.floor(text.length / 2)) + 'pname = "p'.length;
  const typed = typeAt(parser, tree, text, middle, 'x');

  const rows: string[][] = [];
  const row = (name: string, samples: number[], limit?: string) =>
    rows.push([name, ms(median(samples)), ms(percentile(samples, 95)), limit ?? '', String(samples.length)]);

  const analysisSamples = measure(10, () => void analyzeTree(tree));
  row('baseline: whole analysis (analyzeTree)', analysisSamples);
  const fresh = Array.from({ length: 11 }, () => analyzeTree(tree));
  row('baseline: option and package sites (knowledgeSites, shared with diagnostics)', measure(10, () => void knowledgeSites(fresh.pop()!, { fileName: URI })));
  const tokenSamples = measure(10, () => void encodedTokens(analysis));
  row('semantic tokens, full (sites known)', tokenSamples, `${meets(median(tokenSamples), 1.5 * median(analysisSamples))} ≤ 1.5× analysis`);
  const unasked = Array.from({ length: 11 }, () => analyzeTree(tree));
  const withSites = measure(10, () => void encodedTokens(unasked.pop()!));
  row('semantic tokens, full (sites computed too)', withSites, `${meets(median(withSites), 1.5 * median(analysisSamples))} ≤ 1.5× analysis`);
  row('baseline: analysis after one keystroke (previous at hand)', measure(10, () => void analyzeTree(typed.tree, { previous: analysis })));
  const afterKeystroke = Array.from({ length: 11 }, () => analyzeTree(typed.tree, { previous: analysis }));
  const deltaSamples = measure(10, () => void tokenEdits(before, encodedTokens(afterKeystroke.pop()!)));
  row('semantic tokens delta after one keystroke (tokens + diff)', deltaSamples, `${meets(percentile(deltaSamples, 95), 10)} ≤ 10 ms`);
  const rangeStart = Math.floor(text.length / 2);
  row('semantic tokens, 60-line range', measure(30, () => void semanticTokens(analysis, { fileName: URI, range: { start: rangeStart, end: rangeStart + 3000 } })));

  console.log(`Input: ${text.split('\n').length} lines, ${text.length} characters; ${before.length / 5} tokens.\n`);
  printTable(['step', 'median', 'p95', 'target', 'runs'], rows);
  tree.delete();
  typed.tree.delete();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
