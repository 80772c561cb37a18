// Where index builds run. In-process is simplest (tests, small sources). A child process keeps a
// build's memory peak (~170 MB for all of nixpkgs) out of the language server, whose memory
// V8 would otherwise keep long after the build: the child runs `indexBuildMain` (bundled as its
// own script) with the job on standard input and reports progress and the result as JSON lines.
import { startProcess as defaultStartProcess, ProgramNotFoundError } from '../nix/process';
import { runBuildJob, type BuildJob, type BuildJobResult, type ProcessStarter } from './buildJob';
import { CancelledError, DownloadError, EvaluationError, KnowledgeInputError } from './errors';

export interface BuildRunHooks {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | undefined) => void;
  onWarning?: (warning: string) => void;
}

export interface BuildExecutor {
  run(job: BuildJob, hooks?: BuildRunHooks): Promise<BuildJobResult>;
}

export function inProcessExecutor(startProcess: ProcessStarter = defaultStartProcess): BuildExecutor {
  return { run: (job, hooks = {}) => runBuildJob(job, { ...hooks, startProcess }) };
}

/** Messages the child writes, one JSON object a line. */
export type ChildMessage =
  | { type: 'progress'; done: number; total?: number }
  | { type: 'warning'; text: string }
  | { type: 'result'; result: BuildJobResult }
  | { type: 'error'; name: string; message: string; offset?: number; key?: string; url?: string; status?: number; stderrTail?: string };

export interface ChildExecutorOptions {
  /** The bundled `indexBuildMain` script. */
  script: string;
  /** The Node binary; the server's own by default. */
  nodePath?: string;
  startProcess?: ProcessStarter;
  /** Upper bound for one build, on top of the job's own timeouts. */
  timeoutMs?: number;
}

export function childProcessExecutor(options: ChildExecutorOptions): BuildExecutor {
  const start = options.startProcess ?? defaultStartProcess;
  return {
    async run(job, hooks = {}) {
      const running = start(options.nodePath ?? process.execPath, [options.script], {
        input: JSON.stringify(job),
        signal: hooks.signal,
        timeoutMs: options.timeoutMs ?? 60 * 60_000,
        // Indexing: what it starts (Nix evaluating nixpkgs) inherits the priority.
        background: true,
      });
      let outcome: ChildMessage | undefined;
      let pending = '';
      let stderr = '';
      running.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-4096);
      });
      running.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          let message: ChildMessage;
          try {
            message = JSON.parse(line) as ChildMessage;
          } catch {
            continue;
          }
          if (message.type === 'progress') hooks.onProgress?.(message.done, message.total);
          else if (message.type === 'warning') hooks.onWarning?.(message.text);
          else outcome = message;
        }
      });
      let exit;
      try {
        exit = await running.exit;
      } catch (error) {
        if (error instanceof ProgramNotFoundError) throw new Error(`cannot start the index builder: '${error.program}' not found`);
        throw error;
      }
      if (exit.cancelled) throw new CancelledError();
      if (outcome?.type === 'result') return outcome.result;
      if (outcome?.type === 'error') throw reviveError(outcome);
      const why = exit.timedOut ? 'took too long' : `exited with ${exit.code ?? exit.signal}`;
      throw new Error(`the index builder ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
    },
  };
}

function reviveError(message: Extract<ChildMessage, { type: 'error' }>): Error {
  switch (message.name) {
    case 'KnowledgeInputError':
      return new KnowledgeInputError(message.message, message.offset, message.key);
    case 'DownloadError':
      return new DownloadError(message.message, message.url ?? '', message.status);
    case 'EvaluationError':
      return new EvaluationError(message.message, message.stderrTail);
    case 'CancelledError':
      return new CancelledError();
    default:
      return new Error(message.message);
  }
}
