// The whole server through JSON-RPC on the real indexes (../shared/data): start-up, index load
// (cold: building the cache; warm: reusing it), completion, hover and completionItem/resolve
// latency at realistic cursors, and the server's memory. Baselines measured in the same run: a
// bare `node` start, a trivial JSON-RPC round trip, and — as the limit — the same index queries
// made in this process through KnowledgeService, so the cost of the protocol, the parse and the
// cursor analysis shows as a ratio.
//
// `npm run bench lsp`. NIX_NUR_BENCH_ROUNDS changes the requests per cursor (default 300).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionItem, CompletionList, Hover } from 'vscode-languageserver-protocol';
import { KnowledgeService, type OptionScope } from '../server/src/knowledge/knowledgeService';
import type { TestClient } from '../test/support/lspClient';
import { cursorIn, hasSharedData, processMemory, realKnowledgeSettings, startRealServer, waitForIndexes, type ProcessMemory } from './support/lspServer';
import { mb, median, meets, ms, percentile, printTable, timeRuns } from './support/stats';

const ROUNDS = Number(process.env.NIX_NUR_BENCH_ROUNDS ?? 300);
const COLD_RUNS = 2;
const WARM_RUNS = 5;
const LATENCY_LIMIT_MS = 5;
const LATENCY_AIM_MS = 2;
const RSS_LIMIT_MB = 250;
const RSS_AIM_MB = 120;

/** What the index must answer for a completion: the children, then one record per item. */
type IndexQuery =
  | { kind: 'packages'; path: string[]; prefix: string }
  | { kind: 'options'; scope: OptionScope; path: string[]; prefix: string };

interface CompletionCase {
  name: string;
  /** The document, `|` at the cursor; the character before the cursor is the one re-typed. */
  document: string;
  /** Labels the answer must hold, so a broken context cannot pass for a fast one. */
  expect: string[];
  /** The number of items the answer must have, when fixed. */
  expectCount?: number;
  query: IndexQuery;
}

const completionCases: CompletionCase[] = [
  {
    name: '`pkgs.` top level (200 of 24k)',
    document: '{ config, pkgs, ... }:\n{\n  networking.hostName = "bench";\n  environment.systemPackages = [\n    pkgs.git\n    pkgs.|\n  ];\n}\n',
    expect: [],
    expectCount: 200,
    query: { kind: 'packages', path: [], prefix: '' },
  },
  {
    name: '`pkgs.python313Packages.reque`',
    document: '{ pkgs, ... }:\n{\n  environment.systemPackages = [\n    (pkgs.python313.withPackages (ps: [ ps.numpy ]))\n    pkgs.python313Packages.reque|\n  ];\n}\n',
    expect: ['requests'],
    query: { kind: 'packages', path: ['python313Packages'], prefix: 'reque' },
  },
  {
    name: '`with pkgs; [ rip`',
    document: '{ pkgs, ... }:\n{\n  environment.systemPackages = with pkgs; [\n    git\n    rip|\n  ];\n}\n',
    expect: ['ripgrep'],
    query: { kind: 'packages', path: [], prefix: 'rip' },
  },
  {
    name: 'option `services.ngin`',
    document: '{ config, pkgs, ... }:\n{\n  networking.hostName = "bench";\n  services.ngin|\n}\n',
    expect: ['nginx'],
    query: { kind: 'options', scope: 'nixos', path: ['services'], prefix: 'ngin' },
  },
  {
    name: 'option `services.nginx.virtualHosts."x".forceS`',
    document: '{ config, pkgs, ... }:\n{\n  services.nginx.enable = true;\n  services.nginx.virtualHosts."x".forceS|\n}\n',
    expect: ['forceSSL'],
    query: { kind: 'options', scope: 'nixos', path: ['services', 'nginx', 'virtualHosts', 'x'], prefix: 'forceS' },
  },
  {
    name: 'NUR `pkgs.nur.repos.mic92.`',
    document: '{ pkgs, ... }:\n{\n  environment.systemPackages = [\n    pkgs.nur.repos.mic92.|\n  ];\n}\n',
    expect: ['goatcounter', 'hello-nur'],
    query: { kind: 'packages', path: ['nur', 'repos', 'mic92'], prefix: '' },
  },
];

interface HoverCase {
  name: string;
  document: string;
  expect: string;
  query: { kind: 'package'; path: string[] } | { kind: 'option'; scope: OptionScope; path: string[] };
}

const hoverCases: HoverCase[] = [
  {
    name: 'hover a package (`pkgs.ripgrep`)',
    document: '{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.rip|grep ];\n}\n',
    expect: 'ripgrep',
    query: { kind: 'package', path: ['ripgrep'] },
  },
  {
    name: 'hover an option (`services.openssh.enable`)',
    document: '{ config, ... }:\n{\n  services.openssh.ena|ble = true;\n}\n',
    expect: 'boolean',
    query: { kind: 'option', scope: 'nixos', path: ['services', 'openssh', 'enable'] },
  },
];

const asList = (answer: CompletionList | CompletionItem[] | null): CompletionList =>
  Array.isArray(answer) ? { isIncomplete: false, items: answer } : answer ?? { isIncomplete: false, items: [] };

/** Latencies of `rounds` requests made one after another. */
async function timeRequests(rounds: number, request: (round: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await request(round);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** The index work behind one completion, as `features/completion.ts` does it. */
function runIndexQuery(service: KnowledgeService, query: IndexQuery): number {
  if (query.kind === 'packages') {
    const result = service.packageChildren(query.path, { prefix: query.prefix, limit: 200 });
    const packages = result.items.filter((child) => child.kind === 'package').map((child) => [...query.path, child.name]);
    if (packages.length) service.lookupPackages(packages);
    return result.items.length;
  }
  const result = service.optionChildren(query.scope, query.path, { prefix: query.prefix, limit: 200 });
  for (const child of result.items) if (child.kind === 'option' && !child.placeholder) service.lookupOption(query.scope, [...query.path, child.name]);
  return result.items.length;
}

/** Per-call milliseconds of `body`, after a warm-up. */
function timeInProcess(runs: number, body: () => unknown): number[] {
  for (let i = 0; i < Math.min(50, runs); i++) body();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body();
    samples.push(performance.now() - start);
  }
  return samples;
}

interface LatencyRow {
  what: string;
  samples: number[];
  /** p50 of the same work done in-process on the indexes alone. */
  limit?: number[];
  target?: boolean;
  /** Size of one answer as JSON, to explain what the transport carries. */
  answerBytes?: number;
}

async function main(): Promise<void> {
  if (!hasSharedData()) {
    console.error('lsp bench: needs the shared data in ../shared/data');
    process.exit(1);
  }
  const dirs: string[] = [];
  const cacheDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'nix-nur-lsp-bench-'));
    dirs.push(dir);
    return dir;
  };
  const startRows: string[][] = [];
  const latencyRows: LatencyRow[] = [];
  let client: TestClient | undefined;
  try {
    // ---- Start-up and index load ------------------------------------------------------------
    const nodeStart = await timeRuns(5, () => spawnSync(process.execPath, ['-e', '0']));

    const coldInitialize: number[] = [];
    const coldLoad: number[] = [];
    let sharedCache = '';
    for (let run = 0; run < COLD_RUNS; run++) {
      const cache = cacheDir();
      if (run === 0) sharedCache = cache;
      const server = await startRealServer(cache);
      coldInitialize.push(server.initializeMs);
      coldLoad.push((await waitForIndexes(server.client)) - server.spawnedAt);
      await server.client.stop();
    }

    const warmInitialize: number[] = [];
    const warmLoad: number[] = [];
    let afterLoad: ProcessMemory | undefined;
    let pid = 0;
    for (let run = 0; run < WARM_RUNS; run++) {
      const server = await startRealServer(sharedCache);
      warmInitialize.push(server.initializeMs);
      warmLoad.push((await waitForIndexes(server.client)) - server.spawnedAt);
      if (run < WARM_RUNS - 1) {
        await server.client.stop();
      } else {
        // The last one stays up and answers the requests.
        client = server.client;
        pid = server.pid;
        await new Promise((resolve) => setTimeout(resolve, 500));
        afterLoad = processMemory(pid);
      }
    }
    const initialize = [...coldInitialize, ...warmInitialize];
    startRows.push(['**baseline**: `node -e 0` (spawn to exit)', ms(median(nodeStart)), '—', '']);
    startRows.push([`spawn → \`initialize\` answered (${initialize.length} servers)`, ms(median(initialize)), ms(Math.max(...initialize)), `${(median(initialize) / median(nodeStart)).toFixed(1)}× node`]);
    startRows.push([`index load, cold: spawn → all ready, building the cache (${COLD_RUNS} runs)`, ms(median(coldLoad)), ms(Math.max(...coldLoad)), '']);
    startRows.push([`index load, warm: spawn → all ready from the cache (${WARM_RUNS} runs)`, ms(median(warmLoad)), ms(Math.max(...warmLoad)), '']);

    // ---- Requests ----------------------------------------------------------------------------
    const server = client!;
    let documents = 0;
    const open = async (marked: string) => {
      const { text, position } = cursorIn(marked);
      const uri = `file:///bench/lsp-${documents++}.nix`;
      await server.open(uri, text);
      return { uri, position, text };
    };

    latencyRows.push({ what: '**baseline**: JSON-RPC round trip (`nixNur/status`)', samples: await timeRequests(ROUNDS, () => server.request('nixNur/status', {})) });

    for (const testCase of completionCases) {
      const { uri, position } = await open(testCase.document);
      const complete = async () => asList(await server.request('textDocument/completion', { textDocument: { uri }, position }));
      const first = await complete();
      const labels = first.items.map((item) => item.label);
      const missing = testCase.expect.filter((label) => !labels.includes(label));
      if (missing.length > 0 || (testCase.expectCount !== undefined && labels.length !== testCase.expectCount)) {
        throw new Error(`${testCase.name}: ${labels.length} items, missing ${missing.join(', ')}: ${labels.slice(0, 10).join(', ')}…`);
      }
      // Unchanged document: the cursor analysis is cached, so this is transport + index + items.
      await timeRequests(20, complete);
      const unchanged = await timeRequests(ROUNDS, complete);
      // As typed: the character before the cursor is deleted and typed again (two didChange), then
      // completion — the reparse and the cursor analysis of the new version are in the time.
      let version = 1;
      const before = { line: position.line, character: position.character - 1 };
      const retyped = server.texts.get(uri)!.getText({ start: before, end: position });
      const typed = await timeRequests(ROUNDS, async () => {
        await server.change(uri, ++version, [{ range: { start: before, end: position }, text: '' }]);
        await server.change(uri, ++version, [{ range: { start: before, end: before }, text: retyped }]);
        return complete();
      });
      const answerBytes = Buffer.byteLength(JSON.stringify(first));
      latencyRows.push({ what: `completion ${testCase.name}, after a keystroke`, samples: typed, target: true, answerBytes });
      latencyRows.push({ what: `completion ${testCase.name}, unchanged document`, samples: unchanged, target: true, answerBytes });
    }

    for (const testCase of hoverCases) {
      const { uri, position } = await open(testCase.document);
      const hover = () => server.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      const answer = await hover();
      if (!JSON.stringify(answer?.contents ?? '').includes(testCase.expect)) throw new Error(`${testCase.name}: no '${testCase.expect}' in ${JSON.stringify(answer)}`);
      await timeRequests(20, hover);
      latencyRows.push({ what: testCase.name, samples: await timeRequests(ROUNDS, hover), target: true, answerBytes: Buffer.byteLength(JSON.stringify(answer)) });
    }

    // completionItem/resolve over the 200 items of the top-level list, as a user scrolls through it.
    const { uri: listUri, position: listPosition } = await open(completionCases[0].document);
    const items = asList(await server.request('textDocument/completion', { textDocument: { uri: listUri }, position: listPosition })).items;
    const resolved = await server.request<CompletionItem>('completionItem/resolve', items[0]);
    if (!resolved.documentation) throw new Error(`completionItem/resolve gave no documentation for ${items[0].label}`);
    const resolveSamples = await timeRequests(ROUNDS, (round) => server.request('completionItem/resolve', items[round % items.length]));
    latencyRows.push({ what: 'completionItem/resolve (package docs)', samples: resolveSamples, target: true, answerBytes: Buffer.byteLength(JSON.stringify(resolved)) });

    const afterRequests = processMemory(pid);

    // ---- The limit: the same index queries in this process -----------------------------------
    const service = new KnowledgeService({
      settings: realKnowledgeSettings(),
      workspaceFolders: [],
      cacheDir: sharedCache,
      trusted: true,
      log: () => undefined,
      notify: () => undefined,
    });
    service.start();
    await service.whenIdle();
    const inProcess = new Map<string, number[]>();
    for (const testCase of completionCases) {
      if (runIndexQuery(service, testCase.query) === 0) throw new Error(`in-process ${testCase.name}: no items`);
      inProcess.set(testCase.name, timeInProcess(ROUNDS, () => runIndexQuery(service, testCase.query)));
    }
    for (const testCase of hoverCases) {
      const { query } = testCase;
      inProcess.set(
        testCase.name,
        timeInProcess(ROUNDS, () => (query.kind === 'package' ? service.lookupPackage(query.path) : service.lookupOption(query.scope, query.path))),
      );
    }
    const paths = items.map((item) => (item.data as { path?: string[] }).path ?? [item.label]);
    let next = 0;
    inProcess.set('resolve', timeInProcess(ROUNDS, () => service.lookupPackage(paths[next++ % paths.length])));
    service.dispose();
    for (const row of latencyRows) {
      const source = completionCases.find((c) => row.what.includes(c.name))?.name ?? hoverCases.find((c) => row.what === c.name)?.name ?? (row.what.startsWith('completionItem/resolve') ? 'resolve' : undefined);
      if (source) row.limit = inProcess.get(source);
    }

    startRows.push(['server RSS after index load (VmRSS / VmHWM)', `${mb(afterLoad!.rssMB)} / ${mb(afterLoad!.peakMB)}`, '', `peak < ${RSS_LIMIT_MB} MB ${meets(afterLoad!.peakMB, RSS_LIMIT_MB)} (aim ≤ ${RSS_AIM_MB} MB ${meets(afterLoad!.rssMB, RSS_AIM_MB + 1e-9)})`]);
    const requestCount = latencyRows.reduce((sum, row) => sum + row.samples.length, 0);
    startRows.push([`server RSS after ${requestCount} requests (VmRSS / VmHWM)`, `${mb(afterRequests.rssMB)} / ${mb(afterRequests.peakMB)}`, '', `peak < ${RSS_LIMIT_MB} MB ${meets(afterRequests.peakMB, RSS_LIMIT_MB)} (aim ≤ ${RSS_AIM_MB} MB ${meets(afterRequests.rssMB, RSS_AIM_MB + 1e-9)})`]);
  } finally {
    await client?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }

  console.log(`Real indexes from ../shared/data; ${ROUNDS} requests per row, one at a time.\n`);
  printTable(['start-up and memory', 'median', 'max', 'vs baseline / target'], startRows);
  console.log('');
  printTable(
    ['request (through JSON-RPC)', 'answer', 'p50', 'p95', 'p99', 'index queries in-process, p50', 'LSP p50 ÷ in-process', `p95 < ${LATENCY_LIMIT_MS} ms (aim ≤ ${LATENCY_AIM_MS} ms)`],
    latencyRows.map((row) => {
      const p95 = percentile(row.samples, 95);
      const limit = row.limit ? median(row.limit) : NaN;
      return [
        row.what,
        row.answerBytes === undefined ? '—' : `${(row.answerBytes / 1024).toFixed(1)} KiB`,
        ms(median(row.samples)),
        ms(p95),
        ms(percentile(row.samples, 99)),
        row.limit ? ms(limit) : '—',
        row.limit ? `${(median(row.samples) / limit).toFixed(0)}×` : '—',
        row.target ? `${meets(p95, LATENCY_LIMIT_MS)} (${meets(p95, LATENCY_AIM_MS + 1e-9)})` : '',
      ];
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
