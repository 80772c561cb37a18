// Evaluated configurations: the option tree of the test NixOS configuration (NixOS + Home Manager's
// NixOS module + sops-nix over the real sources, Nix 2.26), indexing it, and completion and hover
// through JSON-RPC with two configurations loaded (two hosts sharing the modules, written through
// flake-parts, whose own options make a third set for flake.nix), with the server's memory.
// Baselines measured in the same run: for the walk, `nix eval` of NixOS's own
// `lib.optionAttrSetToDocList` over the same configuration (each record under `tryEval`, as the
// channel index's own evaluation does; the defaults that no `tryEval` can catch left out as for the
// walk), which does not descend into Home Manager's users; for the requests, a hover with nothing
// to answer — what the round trip itself costs on this machine at this moment (on a busy one its
// p95 alone reaches the target).
//
// `npm run bench configurations`. Needs Nix 2.26 (scripts/setup-nix.sh) and ../shared/data/sources.
// The client declares the `CompletionList.itemDefaults` VS Code applies. To profile the server, give its
// Node options of its own: NIX_NUR_BENCH_SERVER_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=DIR' (passed on
// its command line, where Node takes them; `--trace-gc` would write into the protocol's stdout).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionList, Hover } from 'vscode-languageserver-protocol';
import { evaluateOptionTree, skipEnvironment, type SkippedField } from '../server/src/configurations/configurationEvaluation';
import type { ConfigurationStatus } from '../server/src/configurations/configurationService';
import { runBuildJob } from '../server/src/knowledge/buildJob';
import { makeFlake, nixEnvironment, sourcesAvailable } from '../test/support/configurationFlakes';
import { TestClient, VSCODE_ITEM_DEFAULTS } from '../test/support/lspClient';
import { nixInstallations } from '../test/support/nixInstallations';
import { cursorIn, processMemory } from './support/lspServer';
import { mb, median, meets, ms, percentile, printTable } from './support/stats';

const RUNS = Number(process.env.NIX_NUR_BENCH_EVAL_RUNS ?? 3);
const ROUNDS = Number(process.env.NIX_NUR_BENCH_ROUNDS ?? 1000);

const BASELINE = `
let
  env = builtins.getEnv;
  system = (builtins.getFlake (env "NIX_NUR_FLAKE")).nixosConfigurations.box;
  skip = builtins.fromJSON (env "NIX_NUR_SKIP");
  keep = o: builtins.removeAttrs o ([ "relatedPackages" ] ++ (skip.\${o.name} or [ ]));
  render = o: let v = keep o; t = builtins.tryEval (builtins.deepSeq v v); in if t.success then [ { name = o.name; value = t.value; } ] else [ ];
in builtins.listToAttrs (builtins.concatMap render (system.pkgs.lib.optionAttrSetToDocList system.options))
`;

/** The test flake's outputs written through flake-parts, with a second host sharing the modules. */
function withFlakeParts(flakeNix: string): string {
  const start = flakeNix.indexOf('  outputs =');
  return `${flakeNix.slice(0, start)}  outputs = inputs@{ self, nixpkgs, home-manager, sops-nix, flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" ];
      perSystem = { pkgs, ... }: {
        devShells.default = pkgs.mkShell { };
      };
      flake.nixosConfigurations.tower = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./configuration.nix home-manager.nixosModules.home-manager ];
      };
      flake.nixosConfigurations.box = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./configuration.nix home-manager.nixosModules.home-manager sops-nix.nixosModules.sops ];
      };
    };
}
`;
}

async function main(): Promise<void> {
  const nix = nixInstallations().find((i) => /^2\.(1[89]|[2-9]\d)/.test(i.version));
  if (!nix || !sourcesAvailable()) {
    console.log('skipped: needs Nix ≥ 2.18 (scripts/setup-nix.sh) and ../shared/data/sources');
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'nix-nur-bench-configurations-'));
  try {
    const dir = makeFlake('nixos', root, nix);
    // A second host sharing the modules (the workspace's files belong to both), written through
    // flake-parts as many flakes are.
    const flake = join(dir, 'flake.nix');
    writeFileSync(flake, withFlakeParts(readFileSync(flake, 'utf8')));
    const env = nixEnvironment(nix);
    const runner = { nix: join(nix.binDir, 'nix'), env: env as Record<string, string> };
    const ref = { kind: 'flake-output' as const, id: 'nixosConfigurations.box', flakeDir: dir, category: 'nixosConfigurations' as const, name: 'box' };

    // The walk, from scratch (finding the defaults to leave out), then as a re-evaluation does it.
    const json = join(root, 'options.json');
    let skipped: SkippedField[] = [];
    const firstStart = performance.now();
    ({ skipped } = await evaluateOptionTree(ref, json, runner));
    const first = performance.now() - firstStart;
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternating, so load on the machine falls on both alike.
      let start = performance.now();
      execFileSync(runner.nix, ['--extra-experimental-features', 'nix-command flakes', 'eval', '--json', '--impure', '--expr', BASELINE], {
        env: { ...env, NIX_NUR_FLAKE: dir, NIX_NUR_SKIP: skipEnvironment(skipped) },
        stdio: ['ignore', 'ignore', 'ignore'],
        maxBuffer: 1 << 30,
      });
      baseline.push(performance.now() - start);
      start = performance.now();
      // As a re-evaluation after a save does it: the defaults to leave out are known.
      await evaluateOptionTree(ref, json, runner, 6, skipped);
      ours.push(performance.now() - start);
    }
    const walked = Object.keys(JSON.parse(readFileSync(json, 'utf8'))).length;
    // The server indexes in a fresh child process: the first run (cold code) is what a user waits for.
    const indexings: number[] = [];
    let built: Awaited<ReturnType<typeof runBuildJob>> | undefined;
    for (let i = 0; i < 3; i++) {
      const indexStart = performance.now();
      built = await runBuildJob({ converter: 'options', input: { type: 'file', path: json }, output: join(root, 'box.nnix'), identity: { origin: 'nix-eval', location: 'bench' } });
      indexings.push(performance.now() - indexStart);
    }
    const indexing = indexings[0]!;
    const ratio = median(ours) / median(baseline);
    printTable(
      ['step', 'median', 'target', ''],
      [
        ['baseline: `nix eval` of `lib.optionAttrSetToDocList` (no Home Manager users)', ms(median(baseline)), '', ''],
        [`option tree walk (${walked} options, Home Manager users included)`, ms(median(ours)), `≤ 1.5× baseline (${ratio.toFixed(2)}×)`, meets(ratio, 1.5)],
        [`option tree walk from scratch (${skipped.length} fields left out after retries)`, ms(first), '', ''],
        [`indexing (${built?.status === 'built' ? built.header.count : '?'} options), first run`, ms(indexing), '≤ 500 ms', meets(indexing, 500)],
        ['indexing, warm (median of the next runs)', ms(median(indexings.slice(1))), '', ''],
      ],
    );

    // The server with both configurations loaded.
    // NIX_NUR_BENCH_SERVER_NODE_OPTIONS (`--cpu-prof`, `--require …`) is given to the server alone.
    const serverOptions = process.env.NIX_NUR_BENCH_SERVER_NODE_OPTIONS?.split(' ').filter(Boolean);
    const { client } = await TestClient.start({
      env,
      nodeArgs: serverOptions,
      // As VS Code declares it: the server may send what a list's items share once.
      completionItemDefaults: VSCODE_ITEM_DEFAULTS,
      rootUri: pathToFileURL(dir).href,
      initializationOptions: {
        cacheDirectory: join(root, 'cache'),
        nixNur: { offline: true, nix: { binDir: nix.binDir }, nixpkgs: { packages: '' }, nixos: { options: '' }, nur: { repos: '', packages: '' } },
      },
    });
    try {
      const deadline = Date.now() + 10 * 60_000;
      for (;;) {
        const { configurations } = await client.request<{ configurations: ConfigurationStatus[] }>('nixNur/configurations', {});
        if (configurations.length === 3 && configurations.every((c) => c.phase === 'ready')) break;
        if (configurations.some((c) => c.phase === 'failed') || Date.now() > deadline) throw new Error(`configurations: ${JSON.stringify(configurations)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const uri = pathToFileURL(join(dir, 'configuration.nix')).href;
      const flakeUri = pathToFileURL(flake).href;
      const perSystem = readFileSync(flake, 'utf8').replace('devShells.default = pkgs.mkShell { };', 'devS|');
      const cases = [
        // Baseline: a request that finds nothing to answer — the round trip and the machine's scheduling.
        { name: 'baseline: hover in a comment (nothing to answer)', method: 'textDocument/hover', marked: '{ config, ... }:\n{\n  # a comm|ent\n}\n', check: (a: unknown) => a === null },
        { name: 'completion `home-manager.users.alice.programs.git.`', method: 'textDocument/completion', marked: '{ config, ... }:\n{\n  home-manager.users.alice.programs.git.|\n}\n', check: (a: unknown) => (a as CompletionList).items.some((i) => i.label === 'userName') },
        { name: 'completion `services.openss`', method: 'textDocument/completion', marked: '{ config, ... }:\n{\n  services.openss|\n}\n', check: (a: unknown) => (a as CompletionList).items.some((i) => i.label === 'openssh') },
        { name: 'hover `my.backup.enable`', method: 'textDocument/hover', marked: '{ config, ... }:\n{\n  my.backup.ena|ble = true;\n}\n', check: (a: unknown) => JSON.stringify((a as Hover).contents).includes('nixosConfigurations') },
        { name: 'completion `perSystem = { pkgs, ... }: { devS` (flake-parts, flake.nix)', uri: flakeUri, method: 'textDocument/completion', marked: perSystem, check: (a: unknown) => (a as CompletionList).items.some((i) => i.label === 'devShells') },
      ];
      const rows: string[][] = [];
      let version = 1;
      for (const c of cases) {
        const { text, position } = cursorIn(c.marked);
        const target = c.uri ?? uri;
        await client.open(target, text, version++);
        const samples: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const start = performance.now();
          const answer = await client.request(c.method, { textDocument: { uri: target }, position });
          samples.push(performance.now() - start);
          if (i === 0 && !c.check(answer)) throw new Error(`${c.name}: unexpected answer ${JSON.stringify(answer).slice(0, 300)}`);
        }
        const p95 = percentile(samples, 95);
        const baseline = c.name.startsWith('baseline');
        rows.push([c.name, ms(median(samples)), ms(p95), baseline ? '' : '≤ 2 ms', baseline ? '' : meets(p95, 2)]);
      }
      const memory = processMemory(client.process.pid!);
      rows.push(['server RSS, three configurations loaded', mb(memory.rssMB), '', '≤ 150 MB', meets(memory.rssMB, 150)]);
      console.log('');
      printTable(['request', 'median', 'p95', 'target', ''], rows);
      console.log('');
      await typingWhileEvaluating(client, uri, version);
    } finally {
      await client.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// Typing in a module of the configurations — a keystroke (didChange) and the completion it asks
// for — idle, then while "Re-evaluate Configurations" has Nix evaluating all three again. The
// evaluation runs in Nix's own process, at a lower priority; typing must be as fast as when idle.
/** About a keystroke every 50 ms, as fast typing goes. */
const KEYSTROKE_INTERVAL_MS = 50;

async function typingWhileEvaluating(client: TestClient, uri: string, firstVersion: number): Promise<void> {
  let version = firstVersion;
  let typed = '';
  const keystroke = async (): Promise<number> => {
    typed = typed.length > 40 ? '' : typed + 'x';
    const text = `{ config, ... }:\n{\n  services.openssh.${typed}\n}\n`;
    await client.change(uri, version++, [{ text }]);
    const start = performance.now();
    await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 19 + typed.length } });
    return performance.now() - start;
  };
  const idle: number[] = [];
  // At the pace of the keystrokes while Nix evaluates below, so that the two compare like for like.
  for (let i = 0; i < 200; i++) {
    idle.push(await keystroke());
    await new Promise((resolve) => setTimeout(resolve, KEYSTROKE_INTERVAL_MS));
  }
  const phases = async () => (await client.request<{ configurations: ConfigurationStatus[] }>('nixNur/configurations', {})).configurations.map((c) => c.phase);
  await client.request('workspace/executeCommand', { command: 'nixNur.configurations.reevaluate', arguments: [] });
  const during: number[] = [];
  const deadline = Date.now() + 10 * 60_000;
  for (let i = 0; (await phases()).some((phase) => phase !== 'ready') && Date.now() < deadline; i++) {
    during.push(await keystroke());
    await new Promise((resolve) => setTimeout(resolve, KEYSTROKE_INTERVAL_MS));
  }
  if (during.length === 0) throw new Error('the re-evaluation ended before any keystroke was timed');
  const p95Idle = percentile(idle, 95);
  const p95During = percentile(during, 95);
  // "Unchanged while an evaluation runs": against the idle keystrokes of this run, with room for
  // what separates two idle runs on a shared machine (a p95 moves by a fifth between them).
  const medianRatio = median(during) / median(idle);
  const p95Ratio = p95During / p95Idle;
  printTable(
    ['typing (didChange + completion)', 'median', 'p95', 'keystrokes', 'target', ''],
    [
      ['baseline: idle', ms(median(idle)), ms(p95Idle), String(idle.length), '', ''],
      [
        'while Nix evaluates the configurations',
        ms(median(during)),
        ms(p95During),
        String(during.length),
        `unchanged: median ≤ 1.1× idle (${medianRatio.toFixed(2)}×), p95 ≤ 1.25× (${p95Ratio.toFixed(2)}×)`,
        medianRatio <= 1.1 && p95Ratio <= 1.25 ? '✓' : '✗',
      ],
    ],
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
