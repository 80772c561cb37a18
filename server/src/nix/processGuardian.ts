// The server's side of the process guardian (see `guardianMain.ts`): starts it on first need and
// keeps it told which process groups are ours. Without it (no guardian program beside the server,
// as in unit tests from source), the server's own exit path is the only cleanup — which a SIGKILL
// of the server never runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

let program: string | undefined;
let guardian: ChildProcess | undefined;
const guarded = new Set<number>();

/** Enables the guardian: `script` is the guardian program (`dist/processGuardian.js`). */
export function useProcessGuardian(script: string): void {
  if (existsSync(script)) program = script;
}

function send(line: string): void {
  const running = guardian ?? start();
  running?.stdin?.write(`${line}\n`);
}

function start(): ChildProcess | undefined {
  if (!program) return undefined;
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--max-old-space-size=16', program], {
      // A session of its own: no terminal's hangup or interrupt reaches it.
      detached: true,
      // Nothing but the pipe: holding the server's stdout would keep the editor's end open.
      stdio: ['pipe', 'ignore', 'ignore'],
      shell: false,
      windowsHide: true,
    });
  } catch {
    return undefined;
  }
  guardian = child;
  child.on('error', () => undefined);
  child.stdin!.on('error', () => undefined);
  child.once('exit', () => {
    // Should it ever end early, the next start tells a new one everything still running.
    if (guardian === child) guardian = undefined;
  });
  // The guardian never keeps the server alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  for (const pid of guarded) child.stdin!.write(`+${pid}\n`);
  return child;
}

/** A process group the guardian ends should the server die. */
export function guardProcessGroup(pid: number): void {
  guarded.add(pid);
  if (guardian) send(`+${pid}`);
  else start();
}

/** That group has ended (its leader exited and was reaped). */
export function releaseProcessGroup(pid: number): void {
  if (!guarded.delete(pid)) return;
  if (guardian) send(`-${pid}`);
}
