// The built server with the real indexes (../shared/data), for benchmarks that speak JSON-RPC to it
// as an editor would: starting it, waiting for its indexes, finding a cursor in a sample text,
// and watching the process from outside (its memory, and every process it started).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSettings } from '../../server/src/config/settings';
import type { KnowledgeSettings } from '../../server/src/knowledge/sourcePlan';
import { TestClient } from '../../test/support/lspClient';
import { sharedData } from '../../test/support/sharedData';

export { sharedData };

export function hasSharedData(): boolean {
  return existsSync(join(sharedData, 'nixpkgs', 'packages.json.br'));
}

/** The `nixNur` settings that point every index at the shared data, offline. */
export function realIndexSettings(): Record<string, unknown> {
  return {
    offline: true,
    nixpkgs: { packages: join(sharedData, 'nixpkgs', 'packages.json.br') },
    nixos: { options: join(sharedData, 'nixpkgs', 'options.json.br') },
    homeManager: { options: join(sharedData, 'home-manager', 'options.json.br') },
    nur: { repos: join(sharedData, 'nur', 'repos.json'), packages: join(sharedData, 'nur', 'packages.json') },
  };
}

/** The same settings as the knowledge layer sees them inside the server, for in-process baselines. */
export function realKnowledgeSettings(): KnowledgeSettings {
  const { nixpkgs, nixos, homeManager, nur, offline } = parseSettings(realIndexSettings()).settings;
  return { nixpkgs, nixos, homeManager, nur, offline, nix: { path: 'nix' } };
}

export interface StartedServer {
  client: TestClient;
  pid: number;
  /** From spawning the process to the `initialize` answer. */
  initializeMs: number;
  /** When the process was spawned (performance.now()). */
  spawnedAt: number;
}

/** Spawns `dist/server.js` with the real indexes cached in `cacheDirectory`. */
export async function startRealServer(cacheDirectory: string, options: { env?: NodeJS.ProcessEnv; settings?: Record<string, unknown> } = {}): Promise<StartedServer> {
  const spawnedAt = performance.now();
  const { client } = await TestClient.start({
    env: options.env,
    initializationOptions: { cacheDirectory, nixNur: { ...realIndexSettings(), ...options.settings } },
  });
  // TestClient.start returns right after the answer (it only adds the `initialized` notification).
  const initializeMs = performance.now() - spawnedAt;
  return { client, pid: client.process.pid!, initializeMs, spawnedAt };
}

interface StatusAnswer {
  sources: { source: string; state: string; message?: string }[];
  lib?: { state: string };
}

/** Polls `nixNur/status` until no index is loading; returns when that was, and fails on a broken one. */
export async function waitForIndexes(client: TestClient, timeoutMs = 180_000, pollMs = 25): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await client.request<StatusAnswer>('nixNur/status', {});
    const failed = status.sources.filter((s) => s.state === 'failed');
    if (failed.length > 0) throw new Error(`indexes failed: ${JSON.stringify(failed)}`);
    const settled = status.sources.every((s) => s.state === 'ready' || s.state === 'off') && status.lib?.state !== 'loading';
    if (settled) return performance.now();
    if (Date.now() > deadline) throw new Error(`indexes not ready after ${timeoutMs} ms: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A sample text with `|` marking the cursor, as the text and the LSP position of the cursor. */
export function cursorIn(marked: string): { text: string; position: { line: number; character: number } } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error(`no cursor in ${marked}`);
  const before = marked.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), position: { line, character: offset - (before.lastIndexOf('\n') + 1) } };
}

export interface ProcessMemory {
  /** Resident set now, MB. */
  rssMB: number;
  /** Highest resident set so far, MB. */
  peakMB: number;
}

/** VmRSS and VmHWM of another process, from /proc (Linux). */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMB: kB('VmRSS') / 1024, peakMB: kB('VmHWM') / 1024 };
}

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot: with the pid, names one process even if pids are reused. */
  startTicks: number;
  cmdline: string;
}

/** Every live process (zombies excluded), from /proc. */
export function liveProcesses(): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in parentheses may contain spaces: fields are counted after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      found.push({ pid: Number(entry), ppid: Number(fields[1]), startTicks: Number(fields[19]), cmdline });
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

/** The live processes below `pid`: its children, theirs, and so on. */
export function descendantsOf(pid: number, processes = liveProcesses()): ProcessEntry[] {
  const byParent = new Map<number, ProcessEntry[]>();
  for (const p of processes) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const found: ProcessEntry[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of byParent.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Live processes whose environment holds `NAME=value` (readable for our own user's processes). */
export function processesWithEnvironment(variable: string, value: string): ProcessEntry[] {
  const needle = `${variable}=${value}`;
  return liveProcesses().filter((p) => {
    try {
      return readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(needle);
    } catch {
      return false;
    }
  });
}

/** Those of `seen` still running (same pid and start time) now. */
export function stillRunning(seen: Iterable<ProcessEntry>): ProcessEntry[] {
  const now = new Map(liveProcesses().map((p) => [p.pid, p]));
  return [...seen].filter((p) => now.get(p.pid)?.startTicks === p.startTicks);
}
