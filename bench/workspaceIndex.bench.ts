// The workspace index over nixpkgs' `nixos/` tree (thousands of modules, from the nixpkgs-slim
// archive in ../shared/data/sources, unpacked into .cache/): how long indexing takes next to
// parsing and analysing the same files (the baselines, measured in this run), how long the event
// loop is held at most while it runs (what a keystroke arriving meanwhile waits), the memory it
// keeps, and `workspace/symbol` and option references over the result.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTree } from '../server/src/analysis/analysis';
import { fileDeclarations, NO_DECLARATIONS } from '../server/src/analysis/fileDeclarations';
import { optionReferences } from '../server/src/features/optionReferences';
import { createNixParser } from '../server/src/syntax/parser';
import { nixFilesIn } from '../server/src/workspace/nixFileWalk';
import { WorkspaceSync } from '../server/src/workspaceSync';
import { defaultBuiltins } from '../server/src/analysis/builtins';
import { generateNixFile } from './support/nixSource';
import { mb, meets, ms, percentile, printTable, timeRuns } from './support/stats';

const root = join(__dirname, '..', '..');
const archive = join(root, '..', 'shared', 'data', 'sources', 'nixpkgs-slim.tar.gz');
const unpacked = join(root, '.cache', 'nixpkgs-slim');

function nixosTree(): string {
  if (!existsSync(join(unpacked, 'nixos'))) {
    if (!existsSync(archive)) throw new Error(`needs ${archive}`);
    mkdirSync(join(root, '.cache'), { recursive: true });
    const untar = spawnSync('tar', ['-xzf', archive, '-C', join(root, '.cache')], { stdio: 'inherit' });
    if (untar.status !== 0) throw new Error('could not unpack nixpkgs-slim');
  }
  return join(unpacked, 'nixos');
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

interface LoopGaps {
  longest: number;
  /** Turns the loop waited longer than a frame (16 ms) for. */
  overFrame: number;
  turns: number;
}

/** Records how long the event loop goes without a turn while `work` runs. */
async function withLoopMonitor(work: () => Promise<void>): Promise<LoopGaps> {
  const gaps: LoopGaps = { longest: 0, overFrame: 0, turns: 0 };
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    const gap = now - last;
    gaps.turns++;
    if (gap > gaps.longest) gaps.longest = gap;
    if (gap > 16) gaps.overFrame++;
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  return gaps;
}

async function main(): Promise<void> {
  const folder = nixosTree();
  const parser = await createNixParser();
  const { files } = await nixFilesIn([folder], { maxFiles: 100_000 });
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  const bytes = texts.reduce((sum, text) => sum + text.length, 0);
  console.log(`nixpkgs-slim nixos/: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB\n`);

  // Baselines: what reading the same files costs without the index.
  const parseOnly: number[] = [];
  const parseAndAnalyse: number[] = [];
  for (const text of texts) {
    let start = performance.now();
    const tree = parser.parse(text)!;
    parseOnly.push(performance.now() - start);
    tree.delete();
    start = performance.now();
    const again = parser.parse(text)!;
    analyzeTree(again, text);
    again.delete();
    parseAndAnalyse.push(performance.now() - start);
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  const indexWith = async (workerScript: string) => {
    const heapBefore = heapMb();
    const sync = new WorkspaceSync({
      parser,
      builtins: () => defaultBuiltins,
      maxFileSize: () => 1_000_000,
      analysisOf: () => {
        throw new Error('no open documents');
      },
      openDocument: () => undefined,
      optionsChanged: () => undefined,
      log: () => undefined,
      workerScript,
    });
    const started = performance.now();
    const gaps = await withLoopMonitor(async () => {
      sync.start([folder]);
      await sync.index.whenScanned();
    });
    const indexMs = performance.now() - started;
    const heap = heapMb() - heapBefore;
    const state = sync.index.state;
    if (state.state !== 'ready') throw new Error(`index not ready: ${JSON.stringify(state)}`);
    return { sync, indexMs, heap, longest: gaps.longest, gaps, files: state.files };
  };
  const inThread = await indexWith('');
  inThread.sync.dispose();
  const worker = await indexWith(join(root, 'dist', 'workspaceIndexWorker.js'));
  const sync = worker.sync;
  const note = (run: typeof worker) => `${run.files} files, ${run.sync.index.options.size} options; ${run.gaps.overFrame} of ${run.gaps.turns} turns waited over 16 ms`;

  printTable(
    ['step', 'total', 'longest the event loop waits', 'note'],
    [
      ['baseline: tree-sitter parse of every file', ms(sum(parseOnly)), ms(parseOnly.reduce((a, b) => Math.max(a, b), 0)), 'one file at a time'],
      ['baseline: parse + whole-file analysis', ms(sum(parseAndAnalyse)), ms(parseAndAnalyse.reduce((a, b) => Math.max(a, b), 0)), 'one file at a time'],
      ['workspace index, files parsed in this thread (from sources)', ms(inThread.indexMs), ms(inThread.longest), note(inThread)],
      ['workspace index, files parsed in the worker (the server)', ms(worker.indexMs), ms(worker.longest), note(worker)],
      ['index memory (heap kept in the server)', mb(worker.heap), '', ''],
    ],
  );

  // Queries over the finished index.
  const rows: string[][] = [];
  const firstStart = performance.now();
  sync.symbols.query('nginx');
  const first = performance.now() - firstStart;
  rows.push(['workspace/symbol, first query after indexing', ms(first), '', '≤ 100 ms', meets(first, 100)]);
  for (const query of ['nginx', 'services.nginx.enable', 'enable', 'zzzqqq', '']) {
    const samples = await timeRuns(20, () => sync.symbols.query(query));
    rows.push([`workspace/symbol "${query}"`, ms(percentile(samples, 50)), ms(percentile(samples, 95)), '≤ 100 ms', meets(percentile(samples, 95), 100)]);
  }
  const at = { line: 0, character: 0 };
  const declarations = { ...NO_DECLARATIONS, optionNames: [{ path: ['services', 'nginx', 'enable'], range: { start: at, end: { line: 0, character: 6 } }, role: 'use' as const }] };
  let count = 0;
  const references = await timeRuns(20, () => {
    count = optionReferences(declarations, at, sync.index, true)?.length ?? 0;
  });
  rows.push([`references of services.nginx.enable (${count} places)`, ms(percentile(references, 50)), ms(percentile(references, 95)), '', '']);
  // An open document is indexed from the analysis diagnostics already made: what that adds.
  const big = generateNixFile(10_000);
  const bigTree = parser.parse(big)!;
  const bigAnalysis = analyzeTree(bigTree, big);
  bigTree.delete();
  const analysisOnly = await timeRuns(5, () => {
    const tree = parser.parse(big)!;
    analyzeTree(tree, big);
    tree.delete();
  });
  const extraction = await timeRuns(10, () => fileDeclarations(bigAnalysis, '/project/big.nix'));
  rows.push(['baseline: parse + analysis of a 10,000-line file', ms(percentile(analysisOnly, 50)), ms(percentile(analysisOnly, 95)), '', '']);
  rows.push(['what an open 10,000-line file declares, from its analysis (done in the worker after typing pauses; p95: option sites not yet cached)', ms(percentile(extraction, 50)), ms(percentile(extraction, 95)), '', '']);
  console.log('');
  printTable(['query', 'p50', 'p95', 'target', ''], rows);
  let names = 0;
  let paths = 0;
  for (const file of sync.index.all()) {
    names += file.declarations.optionNames.length;
    paths += file.declarations.paths.length;
  }
  console.log(`\nIndexed: ${names} written option-path names, ${paths} relative paths, ${sync.symbols.query('', Number.MAX_SAFE_INTEGER).length} symbols.`);

  sync.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
