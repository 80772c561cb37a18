// A soak: the server with the real indexes receives replayed typing for NIX_NUR_SOAK_MINUTES
// minutes (default 10) — insertions and deletions of real Nix tokens in the repository's own
// fixtures and in a generated 10,000-line file, as incremental didChange notifications at about 20
// a second, with completion and hover requests in between, as an editor sends them. Every
// sample period it records the server's memory and the latency percentiles of that period; at the
// end it prints memory over time with its slope (flat is the goal), the overall latencies, and
// checks that no process the server started outlives it.
//
// `npm run bench soak`; `NIX_NUR_SOAK_MINUTES=0.5 npm run bench soak` for a quick run.
// NIX_NUR_SOAK_SEED replays a different (but again reproducible) sequence of edits;
// NIX_NUR_SOAK_RATE sets the didChange notifications per second while typing (default 20).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../test/support/lspClient';
import { seededRandom } from '../test/support/random';
import { generateNixFile } from './support/nixSource';
import {
  descendantsOf,
  hasSharedData,
  processesWithEnvironment,
  processMemory,
  startRealServer,
  stillRunning,
  waitForIndexes,
  type ProcessEntry,
} from './support/lspServer';
import { mb, median, ms, percentile, printTable, slope } from './support/stats';
import { TypingReplay } from './support/typingReplay';

const MINUTES = Number(process.env.NIX_NUR_SOAK_MINUTES ?? 10);
const DURATION_MS = MINUTES * 60_000;
/** 30 s, but at least six samples in a short run. */
const SAMPLE_MS = Math.min(30_000, Math.max(5_000, DURATION_MS / 6));
/** About 20 didChange notifications a second while typing (NIX_NUR_SOAK_RATE to change it). */
const CHANGE_INTERVAL_MS = 1000 / Number(process.env.NIX_NUR_SOAK_RATE ?? 20);
/** An editor does not stack up requests without end: past this many unanswered, new ones are skipped. */
const MAX_IN_FLIGHT = 4;
const MARKER_VARIABLE = 'NIX_NUR_SOAK_MARKER';

type DocumentKind = 'fixture' | '10k-line file';
type RequestKind = 'completion' | 'hover';

interface Sample {
  minutes: number;
  rssMB: number;
  peakMB: number;
  changes: number;
  latencies: Record<RequestKind, number[]>;
  children: number;
  /** Problems last published for the 10,000-line file: a file left broken gets slower to analyse. */
  bigFileProblems: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function nixFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...nixFilesUnder(path));
    else if (entry.name.endsWith('.nix')) files.push(path);
  }
  return files.sort();
}

async function main(): Promise<void> {
  if (!hasSharedData()) {
    console.error('soak bench: needs the shared data in ../shared/data');
    process.exit(1);
  }
  if (!(MINUTES > 0)) throw new Error(`NIX_NUR_SOAK_MINUTES must be a positive number of minutes, not '${process.env.NIX_NUR_SOAK_MINUTES}'`);
  const work = mkdtempSync(join(tmpdir(), 'nix-nur-soak-'));
  const marker = `soak${process.pid}${Date.now().toString(36)}`;
  try {
    const generatedPath = join(work, 'generated.nix');
    writeFileSync(generatedPath, generateNixFile(10_000));
    const documents: { path: string; uri: string; kind: DocumentKind }[] = [
      ...nixFilesUnder(join(repoRoot, 'test', 'fixtures')).map((path) => ({ path, uri: pathToFileURL(path).href, kind: 'fixture' as const })),
      { path: generatedPath, uri: pathToFileURL(generatedPath).href, kind: '10k-line file' },
    ];

    const { client, pid } = await startRealServer(join(work, 'cache'), { env: { ...process.env, [MARKER_VARIABLE]: marker } });
    // Every process the server starts (the index builder, Nix), to check none outlives it.
    const seen = new Map<string, ProcessEntry>();
    const watchChildren = () => {
      for (const child of descendantsOf(pid)) seen.set(`${child.pid}@${child.startTicks}`, child);
    };
    const childWatcher = setInterval(watchChildren, 500);
    watchChildren();
    await waitForIndexes(client);
    // Open every document and let the server parse and check each once (its first diagnostics):
    // the memory of the open documents is the baseline the soak is measured against.
    for (const document of documents) await client.open(document.uri, readFileSync(document.path, 'utf8'));
    for (const document of documents) await client.diagnosticsFor(document.uri, 1, 120_000);
    const loaded = processMemory(pid);

    const all: Record<RequestKind, Record<DocumentKind, number[]>> = {
      completion: { fixture: [], '10k-line file': [] },
      hover: { fixture: [], '10k-line file': [] },
    };
    let window: Record<RequestKind, number[]> = { completion: [], hover: [] };
    let windowChanges = 0;
    let totalChanges = 0;
    let skipped = 0;
    let failures = 0;
    const failureMessages = new Map<string, number>();
    let firstFailureMinute: number | undefined;
    let inFlight = 0;
    const pending = new Set<Promise<unknown>>();
    const send = (kind: RequestKind, documentKind: DocumentKind, request: () => Promise<unknown>) => {
      if (inFlight >= MAX_IN_FLIGHT) {
        skipped++;
        return;
      }
      inFlight++;
      const start = performance.now();
      const done = request().then(
        () => {
          const latency = performance.now() - start;
          all[kind][documentKind].push(latency);
          window[kind].push(latency);
        },
        (error: unknown) => {
          failures++;
          firstFailureMinute ??= (performance.now() - started) / 60_000;
          const message = `${kind}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 160);
          failureMessages.set(message, (failureMessages.get(message) ?? 0) + 1);
        },
      );
      pending.add(done);
      void done.finally(() => {
        inFlight--;
        pending.delete(done);
      });
    };

    const bigFile = documents[documents.length - 1];
    let bigFileProblems = NaN;
    const problemsNow = () => {
      const published = client.diagnostics.get(bigFile.uri)?.at(-1);
      if (published) bigFileProblems = published.diagnostics.length;
      return bigFileProblems;
    };
    const started = performance.now();
    const samples: Sample[] = [
      { minutes: 0, ...loaded, changes: 0, latencies: { completion: [], hover: [] }, children: descendantsOf(pid).length, bigFileProblems: problemsNow() },
    ];
    const sampler = setInterval(() => {
      watchChildren();
      const memory = processMemory(pid);
      samples.push({
        minutes: (performance.now() - started) / 60_000,
        ...memory,
        changes: windowChanges,
        latencies: window,
        children: descendantsOf(pid).length,
        bigFileProblems: problemsNow(),
      });
      window = { completion: [], hover: [] };
      windowChanges = 0;
      // The test client keeps every published diagnostic; the soak is about the server's memory.
      client.diagnostics.clear();
    }, SAMPLE_MS);

    const random = seededRandom(Number(process.env.NIX_NUR_SOAK_SEED ?? 20_26));
    const replay = new TypingReplay(random);
    let nextChangeAt = performance.now();
    const elapsed = () => performance.now() - started;
    while (elapsed() < DURATION_MS) {
      const document = random() < 0.4 ? documents[documents.length - 1] : documents[Math.floor(random() * (documents.length - 1))];
      const text = client.texts.get(document.uri)!;
      for (const step of replay.session(text.getText())) {
        if (elapsed() >= DURATION_MS) break;
        const current = client.texts.get(document.uri)!;
        const position = (offset: number) => current.positionAt(offset);
        switch (step.type) {
          case 'insert':
          case 'delete': {
            const now = performance.now();
            // Keep the pace, but never catch up on a backlog in one burst.
            nextChangeAt = Math.max(nextChangeAt, now - CHANGE_INTERVAL_MS);
            if (nextChangeAt > now) await sleep(nextChangeAt - now);
            nextChangeAt += CHANGE_INTERVAL_MS;
            const range =
              step.type === 'insert'
                ? { start: position(step.offset), end: position(step.offset) }
                : { start: position(step.offset), end: position(step.offset + step.length) };
            await client.change(document.uri, current.version + 1, [{ range, text: step.type === 'insert' ? step.text : '' }]);
            windowChanges++;
            totalChanges++;
            break;
          }
          case 'complete':
            send('completion', document.kind, () => client.request('textDocument/completion', { textDocument: { uri: document.uri }, position: position(step.offset) }));
            break;
          case 'hover':
            send('hover', document.kind, () => client.request('textDocument/hover', { textDocument: { uri: document.uri }, position: position(step.offset) }));
            break;
          case 'pause':
            await sleep(step.ms);
            nextChangeAt = performance.now();
            break;
        }
      }
    }
    await Promise.all(pending);
    clearInterval(sampler);
    clearInterval(childWatcher);
    watchChildren();
    const last = processMemory(pid);
    const soakMinutes = elapsed() / 60_000;
    if (samples[samples.length - 1].minutes < soakMinutes - 0.01) {
      samples.push({ minutes: soakMinutes, ...last, changes: windowChanges, latencies: window, children: descendantsOf(pid).length, bigFileProblems: problemsNow() });
    }
    const stderr = client.stderr;

    // The end: shutdown and exit, then nothing the server started may still run.
    const exitCode = await client.stop();
    let leftovers: ProcessEntry[] = [];
    for (let waited = 0; waited < 5_000; waited += 100) {
      leftovers = [...stillRunning(seen.values()), ...processesWithEnvironment(MARKER_VARIABLE, marker)];
      if (leftovers.length === 0) break;
      await sleep(100);
    }

    // ---- Report ----------------------------------------------------------------------------
    const points = samples.map((s) => ({ x: s.minutes, y: s.rssMB }));
    const secondHalf = points.filter((p) => p.x >= soakMinutes / 2);
    console.log(
      `${MINUTES} min soak: ${totalChanges} didChange (${(totalChanges / (soakMinutes * 60)).toFixed(1)}/s) over ${documents.length - 1} fixtures and a 10,000-line file, ` +
        `${all.completion.fixture.length + all.completion['10k-line file'].length} completions, ${all.hover.fixture.length + all.hover['10k-line file'].length} hovers ` +
        `(${skipped} skipped with ${MAX_IN_FLIGHT} unanswered, ${failures} failed); samples every ${(SAMPLE_MS / 1000).toFixed(0)} s.\n`,
    );
    printTable(
      ['minute', 'VmRSS', 'VmHWM', 'didChange/s', 'completions', 'completion p50 / p95 / p99', 'hovers', 'hover p50 / p95', 'problems in the 10k-line file', 'child processes'],
      samples.map((s, i) => {
        const seconds = i === 0 ? NaN : (s.minutes - samples[i - 1].minutes) * 60;
        const c = s.latencies.completion;
        const h = s.latencies.hover;
        return [
          s.minutes.toFixed(2),
          mb(s.rssMB),
          mb(s.peakMB),
          i === 0 ? '(documents open)' : (s.changes / seconds).toFixed(1),
          String(c.length),
          c.length ? `${ms(median(c))} / ${ms(percentile(c, 95))} / ${ms(percentile(c, 99))}` : '—',
          String(h.length),
          h.length ? `${ms(median(h))} / ${ms(percentile(h, 95))}` : '—',
          Number.isNaN(s.bigFileProblems) ? '—' : String(s.bigFileProblems),
          String(s.children),
        ];
      }),
    );
    console.log('');
    const first = samples[0];
    const final = samples[samples.length - 1];
    printTable(
      ['memory', 'result', 'goal'],
      [
        ['VmRSS with the documents open → at the end', `${mb(first.rssMB)} → ${mb(final.rssMB)} (peak ${mb(final.peakMB)})`, 'peak < 250 MB'],
        ['RSS slope, all samples (least squares)', `${slope(points).toFixed(2)} MB/min`, 'flat (≈ 0)'],
        ['RSS slope, second half', `${slope(secondHalf).toFixed(2)} MB/min`, 'flat (≈ 0)'],
      ],
    );
    console.log('');
    const rows: string[][] = [];
    for (const kind of ['completion', 'hover'] as const) {
      for (const documentKind of ['fixture', '10k-line file'] as const) {
        const values = all[kind][documentKind];
        rows.push([`${kind} in a ${documentKind}`, String(values.length), ms(median(values)), ms(percentile(values, 95)), ms(percentile(values, 99)), ms(Math.max(...values))]);
      }
    }
    printTable(['overall latency (while typing)', 'requests', 'p50', 'p95', 'p99', 'max'], rows);
    console.log('');
    const uncaught = (stderr.match(/uncaught|unhandled/g) ?? []).length;
    printTable(
      ['end of the soak', 'result'],
      [
        ['server exit code after shutdown + exit', String(exitCode)],
        ['processes the server started during the soak', String(seen.size)],
        ['of those, or carrying its environment, still running after it exited', leftovers.length === 0 ? '0 ✓' : `${leftovers.length} ✗: ${leftovers.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`],
        ['uncaught errors the server logged', uncaught === 0 ? '0 ✓' : `${uncaught} ✗`],
        ['requests answered with an error', failures === 0 ? '0 ✓' : `${failures} ✗, the first at minute ${firstFailureMinute?.toFixed(2)}`],
        ...[...failureMessages].slice(0, 5).map(([message, count]) => [`— ${count}×`, message.replace(/\|/g, '\\|').replace(/\n/g, ' ')]),
      ],
    );
    if (failures > 0 || uncaught > 0) console.log(`\nThe server's stderr, last 3000 characters:\n\n${stderr.slice(-3000)}`);
    if (leftovers.length > 0 || failures > 0) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
