// Background work (option set and index evaluations) runs niced, and so does everything it starts;
// what the user is waiting on (a build) keeps its priority.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProgramNotFoundError, startProcess } from '../../../server/src/nix/process';

/** The niceness of process `pid` (field 19 of /proc/PID/stat). */
function niceness(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[16]);
}

/** The pids of the children of `pid`. */
function childrenOf(pid: number): number[] {
  const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return listed ? listed.split(' ').map(Number) : [];
}

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}

describe.runIf(process.platform === 'linux')('background processes', () => {
  const own = niceness(process.pid);

  it('run at a lower priority, and so do the processes they start', async () => {
    // A program that starts a child of its own at once, as nix starts builders and the chroot
    // wrapper starts nix.
    const running = startProcess('sh', ['-c', 'sleep 30 & wait'], { background: true });
    try {
      const pid = running.child.pid!;
      // Once the program itself runs (not whatever starts it).
      await until(() => (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sh' ? true : undefined));
      expect(niceness(pid)).toBe(Math.min(19, own + 10));
      const grandchild = await until(() => childrenOf(pid)[0]);
      expect(niceness(grandchild)).toBe(Math.min(19, own + 10));
    } finally {
      running.kill();
      await running.exit;
    }
  });

  it('a background program that does not exist is reported as not found', async () => {
    const running = startProcess('nix-nur-no-such-program', [], { background: true });
    await expect(running.exit).rejects.toBeInstanceOf(ProgramNotFoundError);
  });

  it('other processes keep the priority the server has', async () => {
    const running = startProcess('sleep', ['30']);
    try {
      expect(niceness(running.child.pid!)).toBe(own);
    } finally {
      running.kill();
      await running.exit;
    }
  });
});
