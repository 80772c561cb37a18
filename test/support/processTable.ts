// The live processes of this machine, read from /proc, for tests that prove nothing is left
// running; and polling until a condition holds.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  session: number;
  state: string;
  /** Arguments joined by spaces. */
  cmdline: string;
  /** NUL-separated `NAME=value` entries; empty when not ours to read. */
  environ: string;
}

/** Every live process (zombies excluded: they no longer run). */
export function liveProcesses(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in parentheses may itself contain spaces: fields are counted after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const state = fields[0];
      if (state === 'Z' || state === 'X') continue;
      let environ = '';
      try {
        environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      } catch {
        // Another user's process: its command line still tells.
      }
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      found.push({ pid: Number(entry), ppid: Number(fields[1]), pgid: Number(fields[2]), session: Number(fields[3]), state, cmdline, environ });
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Resolves with the probe's first defined value; rejects after `timeoutMs`. */
export async function pollUntil<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
