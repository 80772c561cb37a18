// Runs external programs (nix, git) from an argument vector — never through a shell — in their
// own process group, so a cancelled or timed-out command takes its whole tree of children with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Readable } from 'node:stream';
import { guardProcessGroup, releaseProcessGroup } from './processGuardian';
import { endProcessTrees } from './processTree';

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the process group after this many milliseconds (0 or undefined: no limit). */
  timeoutMs?: number;
  /** Aborting kills the process group. */
  signal?: AbortSignal;
  /** Text written to standard input, which is then closed. Standard input is closed when absent. */
  input?: string;
  /**
   * Work nobody is waiting on (evaluating option sets and package indexes): the process and what
   * it starts run at a lower scheduling priority, so that on a machine with few cores the editor
   * and the server's answers come first and typing stays as fast as when nothing runs.
   */
  background?: boolean;
  /**
   * Standard output goes straight into this file (created or emptied), never through the server:
   * large outputs (an option tree is tens of megabytes) cost the server no memory or collections.
   * `stdout` is then an empty stream.
   */
  stdoutFile?: string;
}

export interface ProcessExit {
  /** Exit code, or null when the process was ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when our timeout, not the program, ended it. */
  timedOut: boolean;
  /** True when the caller's AbortSignal ended it. */
  cancelled: boolean;
}

export interface RunningProcess {
  readonly child: ChildProcess;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles when the process has exited and its output streams are closed. */
  readonly exit: Promise<ProcessExit>;
  /** Ends the whole process group (SIGTERM, then SIGKILL after a grace period). */
  kill(): void;
}

/** Raised when the program itself cannot be started, e.g. `nix` is not installed. */
export class ProgramNotFoundError extends Error {
  constructor(readonly program: string) {
    super(`'${program}' was not found on PATH`);
  }
}

const KILL_GRACE_MS = 2000;
/** The niceness of background work (what `nice` gives by default). */
const BACKGROUND_NICENESS = 10;
/** What `nice` exits with when it cannot find the program (POSIX). */
const NICE_PROGRAM_NOT_FOUND = 127;

let niceProgram: string | null | undefined;

/** The system's `nice`, if it has one where systems keep it. */
function findNice(): string | undefined {
  niceProgram ??= ['/usr/bin/nice', '/bin/nice'].find((path) => existsSync(path)) ?? null;
  return niceProgram ?? undefined;
}

/** A process already running: lowered as soon as it can be (what it started before keeps its priority). */
function lowerPriority(pid: number): void {
  try {
    setPriority(pid, BACKGROUND_NICENESS);
  } catch {
    // Not permitted or not supported here: the work runs at normal priority.
  }
}

/** Every process group we started and that has not exited yet, so shutdown can end them all. */
const live = new Set<RunningProcess>();

export function startProcess(program: string, args: readonly string[], options: ProcessOptions = {}): RunningProcess {
  // Background work starts through `nice`, so that the program and every thread and process it
  // starts run niced from their first instruction (nice execs it: same pid, same process group).
  const nice = options.background ? findNice() : undefined;
  const outputFile = options.stdoutFile === undefined ? undefined : openSync(options.stdoutFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(nice ?? program, nice ? ['-n', String(BACKGROUND_NICENESS), '--', program, ...args] : [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      // A new process group: kill(-pid) then reaches the builders and helpers nix forks.
      detached: true,
      stdio: ['pipe', outputFile ?? 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
  } finally {
    // The child has its own copy of the descriptor.
    if (outputFile !== undefined) closeSync(outputFile);
  }
  if (options.background && !nice && child.pid !== undefined) lowerPriority(child.pid);
  // Should the server die without running its exit path, the guardian ends this group.
  if (child.pid !== undefined) guardProcessGroup(child.pid);
  let timedOut = false;
  let cancelled = false;
  let exited = false;

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const kill = () => {
    if (exited) return;
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
  };

  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        kill();
      }, options.timeoutMs)
    : undefined;
  const onAbort = () => {
    cancelled = true;
    kill();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  child.stdin!.on('error', () => undefined);
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();

  const running: RunningProcess = {
    child,
    stdout: child.stdout ?? Readable.from([]),
    stderr: child.stderr!,
    kill,
    exit: new Promise<ProcessExit>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        exited = true;
        cleanup();
        reject(error.code === 'ENOENT' ? new ProgramNotFoundError(program) : error);
      });
      child.once('close', (code, signal) => {
        exited = true;
        cleanup();
        // The leader is gone; anything it left behind in its group goes too.
        killGroup('SIGKILL');
        if (child.pid !== undefined) releaseProcessGroup(child.pid);
        if (nice && code === NICE_PROGRAM_NOT_FOUND) reject(new ProgramNotFoundError(program));
        else resolve({ code, signal, timedOut, cancelled });
      });
    }),
  };
  function cleanup() {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    live.delete(running);
  }
  live.add(running);
  return running;
}

export interface ProcessResult extends ProcessExit {
  stdout: string;
  stderr: string;
}

/** Runs a program to completion and collects its output as text. */
export async function runProcess(program: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  const running = startProcess(program, args, options);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  running.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  running.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exit = await running.exit;
  return { ...exit, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}

/** Ends every process group still running; called when the server shuts down or its client goes away. */
export function killAllProcesses(): void {
  for (const running of [...live]) running.kill();
}

/** How long the exit path lets Nix end its builders before the groups are killed outright. */
const EXIT_GRACE_MS = 3000;

/**
 * Synchronous variant for `process.on('exit')`, where timers and child events no longer run.
 * Nix starts its builders in sessions of their own, out of reach of a signal to Nix's group:
 * each group gets SIGTERM (Nix then ends its builders), at most EXIT_GRACE_MS, then SIGKILL for
 * whatever of the tree is left. (No parameters: `process.on('exit')` passes the exit code.)
 */
export function killAllProcessesNow(): void {
  const leaders = [...live].map((running) => running.child.pid).filter((pid): pid is number => pid !== undefined);
  endProcessTrees(leaders, EXIT_GRACE_MS);
}
