// Benchmarks the knowledge indexes on the real data in ../shared/data: building (wall time and
// peak RSS, each build in its own process), loading (cold in a fresh process, warm in this one),
// queries (children, lookup, options with placeholders, search) and the memory of a process with
// every index loaded. The baseline, measured in the same run, is what the index replaces:
// decompressing packages.json and JSON.parse-ing it whole.
//
// `npm run bench knowledge` bundles this file and runs it with `node --expose-gc`. The same
// bundle re-runs itself with a mode argument for the measurements that need a fresh process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { runBuildJob, type ConverterName } from '../server/src/knowledge/buildJob';
import { IndexFile } from '../server/src/knowledge/indexFile';
import { KnowledgeService } from '../server/src/knowledge/knowledgeService';
import { OptionIndex } from '../server/src/knowledge/optionIndex';
import { PackageIndex } from '../server/src/knowledge/packageIndex';
import { searchTable } from '../server/src/knowledge/fuzzySearch';

const data = join(process.cwd(), '..', 'shared', 'data');
const sources: { name: string; converter: ConverterName; input: string }[] = [
  { name: 'nixpkgs packages (84k, 328 MB JSON)', converter: 'packages', input: join(data, 'nixpkgs', 'packages.json.br') },
  { name: 'NixOS options (15k)', converter: 'options', input: join(data, 'nixpkgs', 'options.json.br') },
  { name: 'Home Manager options (5.6k)', converter: 'options', input: join(data, 'home-manager', 'options.json.br') },
  { name: 'NUR repos (563)', converter: 'nur-repos', input: join(data, 'nur', 'repos.json') },
  { name: 'NUR packages (519)', converter: 'nur-packages', input: join(data, 'nur', 'packages.json') },
];

interface ChildReport {
  ms: number;
  maxRssMB: number;
  rssMB?: number;
  extra?: Record<string, number>;
}

// ---- Modes run in a fresh process -------------------------------------------------------------

async function childMode(mode: string, args: string[]): Promise<void> {
  const started = performance.now();
  let report: ChildReport;
  if (mode === 'build') {
    const [converter, input, output] = args;
    await runBuildJob({ converter: converter as ConverterName, input: { type: 'file', path: input }, output, identity: { origin: 'file', location: input } });
    report = { ms: performance.now() - started, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  } else if (mode === 'baseline') {
    const text = brotliDecompressSync(readFileSync(args[0])).toString('utf8');
    const parsed = JSON.parse(text) as Record<string, unknown>;
    report = { ms: performance.now() - started, maxRssMB: process.resourceUsage().maxRSS / 1024, extra: { records: Object.keys(parsed).length } };
  } else if (mode === 'load') {
    const rssBefore = process.memoryUsage().rss;
    const file = IndexFile.open(args[0]);
    const index = new PackageIndex(file);
    const hello = index.lookup(['hello']);
    const ms = performance.now() - started;
    report = { ms, maxRssMB: process.resourceUsage().maxRSS / 1024, rssMB: (process.memoryUsage().rss - rssBefore) / 1e6, extra: { found: hello ? 1 : 0 } };
  } else if (mode === 'resident') {
    report = await residentMode(args[0]);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  process.stdout.write(JSON.stringify(report));
}

/** Loads every index through the service (from the cache built before) and runs 7,000 queries. */
async function residentMode(cacheDir: string): Promise<ChildReport> {
  const bare = process.memoryUsage().rss;
  const started = performance.now();
  const service = new KnowledgeService({
    settings: {
      nixpkgs: { packages: sources[0].input, channel: 'nixos-unstable' },
      nixos: { options: sources[1].input },
      homeManager: { options: sources[2].input },
      nur: { repos: sources[3].input, packages: sources[4].input },
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
  const loadedMs = performance.now() - started;
  const names = samplePackagePaths(service.packages()!, 1000);
  for (let round = 0; round < 1000; round++) {
    const path = names[round % names.length];
    service.packageChildren(path.slice(0, -1), { prefix: path[path.length - 1].slice(0, 2) });
    service.lookupPackage(path);
    service.optionChildren('nixos', ['services', 'nginx', 'virtualHosts', `host${round}`]);
    service.lookupOption('nixos', ['services', 'nginx', 'virtualHosts', `host${round}`, 'root']);
    service.optionChildren('home-manager', ['programs', 'git']);
    service.packageChildren(['nur', 'repos']);
    service.classifyOption('nixos', ['boot', 'kernel', 'sysctl', `k${round}`]);
  }
  (globalThis as { gc?: () => void }).gc?.();
  const rss = process.memoryUsage().rss;
  service.dispose();
  return { ms: loadedMs, maxRssMB: process.resourceUsage().maxRSS / 1024, rssMB: rss / 1e6, extra: { bareMB: bare / 1e6 } };
}

function runChild(mode: string, ...args: string[]): ChildReport {
  const result = spawnSync(process.execPath, ['--expose-gc', __filename, mode, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${mode} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ChildReport;
}

// ---- Statistics -------------------------------------------------------------------------------

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const median = (values: number[]) => percentile(values, 50);

/** Times `fn` over each input; returns per-call microseconds. */
function timeEach<T>(inputs: T[], fn: (input: T) => unknown): number[] {
  const times: number[] = [];
  for (const input of inputs) {
    const start = process.hrtime.bigint();
    fn(input);
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return times;
}

function samplePackagePaths(index: PackageIndex, count: number): string[][] {
  const paths: string[][] = [];
  const step = Math.max(1, Math.floor(index.count / count));
  for (let i = 0; i < index.count && paths.length < count; i += step) paths.push(index.file.table.pathAt(i));
  return paths;
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const mb = (n: number) => `${n.toFixed(0)} MB`;
const us = (n: number) => `${n.toFixed(1)} µs`;

// ---- Main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nix-nur-bench-'));
  const rows: [string, string, string][] = [];
  try {
    // Baseline: what a naive reader does.
    const baseline = [0, 1, 2].map(() => runChild('baseline', sources[0].input));
    rows.push([
      '**baseline**: decompress + `JSON.parse` packages.json (3 runs, own process)',
      `${ms(median(baseline.map((r) => r.ms)))}, peak ${mb(median(baseline.map((r) => r.maxRssMB)))}`,
      '—',
    ]);

    // Builds, each in a fresh process.
    const outputs: string[] = [];
    for (const source of sources) {
      const output = join(dir, `${source.converter}-${outputs.length}.nnix`);
      outputs.push(output);
      const runs = [0, 1, 2].map(() => runChild('build', source.converter, source.input, output));
      const target = source.converter === 'packages' ? '≤ 5 s, ≤ 200 MB' : source.name.startsWith('NixOS') ? '≤ 0.5 s' : '—';
      rows.push([`build ${source.name} (median of 3)`, `${ms(median(runs.map((r) => r.ms)))}, peak ${mb(median(runs.map((r) => r.maxRssMB)))}`, target]);
    }
    const packagesFile = outputs[0];
    rows.push(['package index on disk', mb(statSync(packagesFile).size / 1e6), '—']);

    // Loading.
    const cold = [0, 1, 2, 3, 4].map(() => runChild('load', packagesFile));
    rows.push(['load package index cold (fresh process, open + first lookup; median of 5)', `${ms(median(cold.map((r) => r.ms)))}, +${mb(median(cold.map((r) => r.rssMB ?? 0)))} RSS`, '≤ 50 ms']);
    const warm = timeEach(Array.from({ length: 20 }, () => packagesFile), (path) => IndexFile.open(path).close());
    rows.push(['load package index warm (same process; median of 20)', ms(median(warm) / 1000), '—']);

    // Queries on the package index.
    const packages = new PackageIndex(IndexFile.open(packagesFile));
    const paths = samplePackagePaths(packages, 10_000);
    const parents = paths.map((p) => p.slice(0, -1));
    for (let i = 0; i < 2; i++) timeEach(paths, (p) => packages.lookup(p)); // warm up
    const lookup = timeEach(paths, (p) => packages.lookup(p));
    rows.push(['`lookup` with record decode (10k packages)', `p50 ${us(median(lookup))}, p99 ${us(percentile(lookup, 99))}`, 'microseconds']);
    const children = timeEach(parents, (p) => packages.children(p, { limit: 200 }));
    rows.push(['`children` of each package’s set (200 cap)', `p50 ${us(median(children))}, p99 ${us(percentile(children, 99))}`, 'microseconds']);
    const prefixed = timeEach(paths, (p) => packages.children(p.slice(0, -1), { prefix: p[p.length - 1].slice(0, 3), limit: 200 }));
    rows.push(['`children` filtered by a 3-letter prefix', `p50 ${us(median(prefixed))}, p99 ${us(percentile(prefixed, 99))}`, 'microseconds']);
    const top = timeEach(Array.from({ length: 1000 }, () => []), (p: string[]) => packages.children(p, { limit: 200 }));
    rows.push(['`children` of the top level (24k names, 200 cap)', `p50 ${us(median(top))}, p99 ${us(percentile(top, 99))}`, '—']);

    // Options with placeholders.
    const options = new OptionIndex(IndexFile.open(outputs[1]));
    const hosts = Array.from({ length: 2000 }, (_, i) => ['services', 'nginx', 'virtualHosts', `host${i}.example.org`]);
    const optionChildren = timeEach(hosts, (p) => options.children(p));
    rows.push(['option `children` through `<name>`', `p50 ${us(median(optionChildren))}, p99 ${us(percentile(optionChildren, 99))}`, 'microseconds']);
    const optionLookup = timeEach(hosts, (p) => options.lookupOption([...p, 'root']));
    rows.push(['`lookupOption` through `<name>`', `p50 ${us(median(optionLookup))}, p99 ${us(percentile(optionLookup, 99))}`, 'microseconds']);

    // Search over all packages.
    const queries = ['ripgrep', 'requests', 'pyth', 'nginx', 'qt6', 'firefox', 'rg', 'libxml', 'hello', 'zz'];
    const search = timeEach([...queries, ...queries, ...queries], (q) => searchTable(packages.file.table, q, 50));
    rows.push(['fuzzy search over 84k package names (50 results)', `p50 ${ms(median(search) / 1000)}, p99 ${ms(percentile(search, 99) / 1000)}`, '—']);

    // A process holding everything, after 7,000 queries.
    const cacheDir = join(dir, 'cache');
    runChild('resident', cacheDir); // builds the cache
    const resident = runChild('resident', cacheDir);
    rows.push(['process with all 5 indexes loaded from cache, after 7,000 queries', `${mb(resident.rssMB ?? 0)} RSS (bare Node ${mb(resident.extra?.bareMB ?? 0)}); loaded in ${ms(resident.ms)}`, '≤ 120 MB incl. the parser']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| measurement | result | target |');
  console.log('|---|---|---|');
  for (const [what, result, target] of rows) console.log(`| ${what} | ${result} | ${target} |`);
}

const [mode, ...args] = process.argv.slice(2);
(mode ? childMode(mode, args) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
