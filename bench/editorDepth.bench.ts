// Semantic tokens and inlay hints of a 10,000-line file. Baselines measured in the same run: the
// whole analysis the tokens reuse (from scratch, and after one keystroke with the previous
// version's analysis at hand), and the option and package sites they share with diagnostics.
// Targets: tokens ≤ 1.5× the analysis; a delta after a keystroke ≤ 10 ms p95 (beyond the analysis
// the server makes anyway, so including the option and package sites the tokens need); inlay hints for a
// screenful ≤ 5 ms p95 (with the real indexes from ../shared/data).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';
import { analyzeTree, type Analysis } from '../server/src/analysis/analysis';
import { knowledgeSites } from '../server/src/analysis/knowledgeSites';
import { inlayHints } from '../server/src/features/inlayHints';
import { packNumbers, replaceNumbers } from '../server/src/features/packedNumbers';
import { packed, reusedSemanticTokens, type TokensOfVersion } from '../server/src/features/semanticTokenReuse';
import { semanticTokens } from '../server/src/features/semanticTokens';
import { KnowledgeService } from '../server/src/knowledge/knowledgeService';
import { patchEncoded, relative, tokenEdits } from '../server/src/semanticTokenEncoding';
import { createNixParser } from '../server/src/syntax/parser';
import { hasSharedData, realKnowledgeSettings } from './support/lspServer';
import { realisticFile } from './support/realisticNix';
import { measureEach, measureSync, meets, median, ms, percentile, printTable } from './support/stats';

const URI = 'file:///bench/configuration.nix';

/** `text` with `inserted` typed at `at`, reparsed incrementally as the document store does. */
function typeAt(parser: TreeSitter.Parser, tree: TreeSitter.Tree, text: string, at: number, inserted: string): { text: string; tree: TreeSitter.Tree } {
  return replaceAt(parser, tree, text, at, at, inserted);
}

/** `text` with `[from, to)` replaced by `inserted`, reparsed incrementally. */
function replaceAt(parser: TreeSitter.Parser, tree: TreeSitter.Tree, text: string, from: number, to: number, inserted: string): { text: string; tree: TreeSitter.Tree } {
  const next = text.slice(0, from) + inserted + text.slice(to);
  const point = (source: string, offset: number) => ({ row: source.slice(0, offset).split('\n').length - 1, column: offset - (source.lastIndexOf('\n', offset - 1) + 1) });
  const edited = tree.copy();
  edited.edit({
    startIndex: from,
    oldEndIndex: to,
    newEndIndex: from + inserted.length,
    startPosition: point(text, from),
    oldEndPosition: point(text, to),
    newEndPosition: point(next, from + inserted.length),
  });
  const reparsed = parser.parse(next, edited)!;
  edited.delete();
  return { text: next, tree: reparsed };
}

/**
 * A copy of a packed token list with room to grow, as the server's lists have once edited
 * (features/packedNumbers.ts): an exact-size copy would pay for a new buffer at every edit that
 * adds tokens, where the server pays it once in many.
 */
function copyWithRoom(data: Uint32Array): Uint32Array {
  return replaceNumbers(packNumbers(data), data.length, data.length, [0]).subarray(0, data.length);
}

/** The tokens of an analysis as the server sends them, sites included when not yet known. */
function encodedTokens(analysis: Analysis): Uint32Array {
  return relative(semanticTokens(analysis, { fileName: URI }).data);
}

async function main() {
  const parser = await createNixParser();
  const text = realisticFile(10_000);
  const tree = parser.parse(text)!;
  const analysis = analyzeTree(tree, text);
  knowledgeSites(analysis, { fileName: URI });
  const before = encodedTokens(analysis);
  // Two keystrokes in the middle of the file: a letter typed inside a string (the tokens of the
  // previous version are moved over), and one typed into a name (the file is classified again).
  const middle = text.indexOf('pname = "p', Math.floor(text.length / 2)) + 'pname = "p'.length;
  const typed = typeAt(parser, tree, text, middle, 'x');
  const nameAt = text.indexOf('repo = pname', Math.floor(text.length / 2)) + 'repo = pnam'.length;
  const typedName = typeAt(parser, tree, text, nameAt, 'x');

  const rows: string[][] = [];
  const row = (name: string, samples: number[], limit?: string) =>
    rows.push([name, ms(median(samples)), ms(percentile(samples, 95)), limit ?? '', String(samples.length)]);

  const analysisSamples = measureSync(10, () => void analyzeTree(tree, text));
  row('baseline: whole analysis (analyzeTree)', analysisSamples);
  // Sites are kept per analysis: each run gets an analysis not asked before, made untimed.
  row('baseline: option and package sites (knowledgeSites, shared with diagnostics)', measureEach(10, () => analyzeTree(tree, text), (fresh) => void knowledgeSites(fresh, { fileName: URI })));
  const tokenSamples = measureSync(10, () => void encodedTokens(analysis));
  row('semantic tokens, full (sites known)', tokenSamples, `${meets(median(tokenSamples), 1.5 * median(analysisSamples))} ≤ 1.5× analysis`);
  const withSites = measureEach(10, () => analyzeTree(tree, text), (unasked) => void encodedTokens(unasked));
  row('semantic tokens, full (sites computed too)', withSites, `${meets(median(withSites), 1.5 * median(analysisSamples))} ≤ 1.5× analysis`);
  row('baseline: analysis after one keystroke (previous at hand)', measureSync(10, () => void analyzeTree(typed.tree, typed.text, { previous: analysis })));

  const previous: TokensOfVersion = { analysis, tokens: packed(semanticTokens(analysis, { fileName: URI })), fileName: URI, unusedFormals: true };
  // A delta as the server makes it: the tokens of the edited subtree (or of the file, when the
  // edit may reach further), with the sites they need, then the edit of the previous result.
  // Each run gets an analysis not asked before, so nothing computed for it is cached.
  // The previous tokens and the last result sent are taken over (the server keeps only the newest), so each run gets copies.
  // The CPU time the process spent is kept too (a table of those follows the main one): on a
  // loaded machine the wall clock also counts the time other processes had the core, while CPU
  // time counts every thread of this one (the collector's helpers too), so neither alone tells.
  const cpuRows: string[][] = [];
  const delta = (name: string, edited: { tree: TreeSitter.Tree; text: string }, runs: number) => {
    const cpu: number[] = [];
    const samples = measureEach(
      runs,
      () => ({
        next: analyzeTree(edited.tree, edited.text, { previous: analysis }),
        handedOver: { ...previous, tokens: { data: copyWithRoom(previous.tokens.data) } },
        lastSent: copyWithRoom(before),
      }),
      ({ next, handedOver, lastSent }) => {
        const started = process.cpuUsage();
        const reused = reusedSemanticTokens(handedOver, next, { fileName: URI });
        // The last result sent is patched where the tokens changed, else everything is compared.
        if (reused) void patchEncoded(lastSent, reused.data, reused.change);
        else void tokenEdits(lastSent, relative(semanticTokens(next, { fileName: URI }).data));
        const used = process.cpuUsage(started);
        cpu.push((used.user + used.system) / 1000);
      },
    );
    // The first run warms up and is not among the samples.
    cpu.shift();
    row(name, samples, `${meets(percentile(samples, 95), 10)} ≤ 10 ms`);
    cpuRows.push([name, ms(median(cpu)), ms(percentile(cpu, 95)), String(cpu.length)]);
  };
  delta('delta after a keystroke in a string (tokens moved + diff)', typed, 30);
  delta('delta after a keystroke in a name (tokens + sites computed + diff)', typedName, 30);
  // More edits people make: an option's name, a `let` binding read all over the file, a whole
  // line pasted and one deleted, a binding begun (the file is broken until it is complete).
  const optionAt = text.indexOf('forceSSL', Math.floor(text.length / 2)) + 'force'.length;
  const letAt = text.indexOf('cfg = config.services.example') + 'cfg = config.services.ex'.length;
  const lineAt = text.indexOf('    nativeBuildInputs', Math.floor(text.length / 2));
  const lineEnd = text.indexOf('\n', lineAt) + 1;
  const extra = [
    ['delta after a keystroke in an option name', typeAt(parser, tree, text, optionAt, 'x')],
    ['delta after a keystroke in a `let` value read all over the file', typeAt(parser, tree, text, letAt, 'x')],
    ['delta after pasting a binding line', typeAt(parser, tree, text, lineAt, '    doCheck = lib.mkDefault false;\n')],
    ['delta after deleting a line', replaceAt(parser, tree, text, lineAt, lineEnd, '')],
    ['delta after the first letter of a new binding (syntax broken)', typeAt(parser, tree, text, lineAt, '    d\n')],
  ] as const;
  for (const [name, edited] of extra) {
    delta(name, edited, 10);
    edited.tree.delete();
  }
  const rangeStart = Math.floor(text.length / 2);
  row('semantic tokens, 60-line range', measureSync(30, () => void semanticTokens(analysis, { fileName: URI, range: { start: rangeStart, end: rangeStart + 3000 } })));

  if (hasSharedData()) {
    const cacheDir = mkdtempSync(join(tmpdir(), 'nix-nur-bench-hints-'));
    const knowledge = new KnowledgeService({ settings: realKnowledgeSettings(), workspaceFolders: [], cacheDir, trusted: false, log: () => undefined, notify: () => undefined, nixPath: '' });
    knowledge.start();
    await knowledge.whenIdle();
    // Screenfuls all over the file, each asked once, as scrolling does.
    const screens = Array.from({ length: 60 }, (_, i) => {
      const start = text.indexOf('\n', Math.floor((text.length * i) / 60)) + 1;
      let end = start;
      for (let line = 0; line < 60; line++) end = text.indexOf('\n', end + 1);
      return { start, end };
    });
    let screen = 0;
    const kinds = { packageVersions: true, optionTypes: true, flakeInputs: true };
    const hintSamples = measureSync(59, () => void inlayHints({ analysis, fileName: URI, range: screens[screen++ % screens.length]!, kinds, knowledge }));
    row('inlay hints for a 60-line screen, real indexes (sites known)', hintSamples, `${meets(percentile(hintSamples, 95), 5)} ≤ 5 ms p95`);
    knowledge.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  } else {
    console.log('(no ../shared/data: inlay hints are not measured)');
  }

  console.log(`Input: ${text.split('\n').length} lines, ${text.length} characters; ${before.length / 5} tokens.\n`);
  printTable(['step', 'median', 'p95', 'target', 'runs'], rows);
  console.log('\nThe deltas in CPU time of the process (user + system):\n');
  printTable(['step', 'median', 'p95', 'runs'], cpuRows);
  for (const t of [tree, typed.tree, typedName.tree]) t.delete();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
