// Code actions at a cursor: everything `textDocument/codeAction` computes for an empty selection
// (the refactorings that apply, the lints around the cursor and their fixes, the quick fixes of
// the local diagnostics), with the document's analysis already made, as the server keeps it.
// Measured at 300 cursors spread over a real 11,000-line file (nixpkgs' all-packages.nix) and a
// generated 10,000-line module; each cursor's time is the median of 5 requests there. Baselines measured in the same run: the whole-file analysis the
// request reuses, and looking up the node at a cursor (the least any request does).
//
// `npm run bench codeActions`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTree } from '../server/src/analysis/analysis';
import { nodeAt } from '../server/src/analysis/syntaxTree';
import { localQuickFixes } from '../server/src/features/local/quickFixes';
import { refactorActions } from '../server/src/refactorActions';
import { NixDocument } from '../server/src/syntax/document';
import { createNixParser } from '../server/src/syntax/parser';
import { generateNixFile } from './support/nixSource';
import { seededRandom, sourceTree } from './support/sourceCorpus';
import { meets, median, ms, percentile, printTable } from './support/stats';

const CURSORS = 300;
const REPEATS = 5;
const LIMIT_P95_MS = 10;

async function main(): Promise<void> {
  const parser = await createNixParser();
  const files: { name: string; text: string }[] = [{ name: 'generated module, 10,000 lines', text: generateNixFile(10_000) }];
  const nixpkgs = sourceTree('nixpkgs-slim');
  if (nixpkgs) files.unshift({ name: 'nixpkgs all-packages.nix', text: readFileSync(join(nixpkgs, 'pkgs', 'top-level', 'all-packages.nix'), 'utf8') });
  else console.log('(../shared/data/sources/nixpkgs-slim.tar.gz not found: the generated file only)');

  const rows: string[][] = [];
  for (const { name, text } of files) {
    const document = new NixDocument('file:///bench/default.nix', 1, text, parser);
    const analyses: number[] = [];
    let analysis = analyzeTree(document.tree, text);
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      analysis = analyzeTree(document.tree, text);
      analyses.push(performance.now() - start);
    }
    const random = seededRandom(18);
    const cursors = Array.from({ length: CURSORS }, () => Math.floor(random() * text.length));
    const lookups: number[] = [];
    const requests: number[] = [];
    let offered = 0;
    for (const [index, offset] of cursors.entries()) {
      // A collection of the analyses' garbage would land on whichever request comes next.
      if (index % 20 === 0) (globalThis as { gc?: () => void }).gc?.();
      const position = document.positionAt(offset);
      const range = { start: position, end: position };
      let start = performance.now();
      nodeAt(analysis.root, offset);
      lookups.push(performance.now() - start);
      // The median of a few requests at each cursor: the cost of that cursor's work, not of
      // whatever else the machine's cores were doing at that moment.
      const repeats: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        start = performance.now();
        const actions = [
          ...localQuickFixes(analysis, document.uri, range, {}),
          ...refactorActions(document, analysis, range, { diagnostics: [] }, { createFiles: true }),
        ];
        repeats.push(performance.now() - start);
        if (r === 0) offered += actions.length;
      }
      requests.push(median(repeats));
    }
    const p95 = percentile(requests, 95);
    rows.push([
      `${name} (${text.split('\n').length} lines)`,
      ms(median(requests)),
      ms(p95),
      ms(Math.max(...requests)),
      (offered / CURSORS).toFixed(1),
      ms(median(lookups)),
      ms(median(analyses)),
      `${meets(p95, LIMIT_P95_MS)} ≤ ${LIMIT_P95_MS} ms`,
    ]);
  }
  printTable(['file', 'code actions p50', 'p95', 'max', 'actions per cursor', 'baseline: node at cursor', 'baseline: whole-file analysis', 'target p95'], rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
