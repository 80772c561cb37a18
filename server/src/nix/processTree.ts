// What /proc says about processes, for ending a tree of them: whether one still runs, and who
// descends from whom. Nix starts its builders in sessions of their own, so neither a signal to
// Nix's process group nor to its session reaches them; only the parent links in /proc do.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Clock ticks since boot when the process started: tells a reused pid from the original. */
  startTime: string;
}

interface StatFields {
  state: string;
  ppid: number;
  startTime: string;
}

function readStat(pid: number): StatFields | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in parentheses may contain spaces: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), startTime: fields[19] };
}

/**
 * Whether a process has not exited yet. One that ended but was not reaped stays a zombie: only
 * its state in /proc tells. Without /proc it counts as running, so callers wait out their grace.
 */
export function isStillRunning(pid: number): boolean {
  const stat = readStat(pid);
  if (!stat) return !existsSync('/proc/self');
  return stat.state !== 'Z' && stat.state !== 'X';
}

/** Every live descendant of `roots` (children, their children, …), whatever group or session it is in. */
export function descendantsOf(roots: readonly number[]): ProcessIdentity[] {
  const childrenOf = new Map<number, ProcessIdentity[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readStat(pid);
    if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
    const siblings = childrenOf.get(stat.ppid) ?? [];
    siblings.push({ pid, startTime: stat.startTime });
    childrenOf.set(stat.ppid, siblings);
  }
  const found: ProcessIdentity[] = [];
  const queue = [...roots];
  const seen = new Set(roots);
  while (queue.length > 0) {
    for (const child of childrenOf.get(queue.pop()!) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Sends `signal` to a process only if it is still the one that was seen (its pid not reused). */
export function signalIdentity(identity: ProcessIdentity, signal: NodeJS.Signals): void {
  if (readStat(identity.pid)?.startTime !== identity.startTime) return;
  try {
    process.kill(identity.pid, signal);
  } catch {
    // Gone meanwhile.
  }
}

export function signalGroup(leader: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-leader, signal);
  } catch {
    // Already gone.
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread; only for paths where nothing else may run anyway (exit, the guardian). */
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/**
 * Ends the process groups led by `leaders` and everything descending from them, synchronously.
 * SIGTERM comes first and each leader gets up to `graceMs` to end: Nix, on SIGTERM, stops its
 * builders itself. Then whatever is left — the groups, and every descendant seen meanwhile, in
 * whatever session — gets SIGKILL, so a builder Nix did not stop in time does not run on.
 */
export function endProcessTrees(leaders: readonly number[], graceMs: number): void {
  if (leaders.length === 0) return;
  const seen = new Map<string, ProcessIdentity>();
  const look = () => {
    for (const identity of descendantsOf(leaders)) seen.set(`${identity.pid}:${identity.startTime}`, identity);
  };
  look();
  for (const pid of leaders) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && leaders.some(isStillRunning)) {
    sleepSync(20);
    look();
  }
  for (const pid of leaders) signalGroup(pid, 'SIGKILL');
  for (const identity of seen.values()) signalIdentity(identity, 'SIGKILL');
}
