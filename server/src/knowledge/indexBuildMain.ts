// Entry point of the index-builder child process (see buildExecutor.ts): reads one job from
// standard input, runs it, and writes progress, warnings and the outcome as JSON lines.
import { killAllProcesses } from '../nix/process';
import { runBuildJob, type BuildJob } from './buildJob';
import type { ChildMessage } from './buildExecutor';

function send(message: ChildMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function runIndexBuildChild(): Promise<void> {
  // Stopping the builder stops the nix-env it may have started (that runs in its own group).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      killAllProcesses();
      setTimeout(() => process.exit(1), 100).unref();
    });
  }
  let job: BuildJob;
  try {
    job = JSON.parse(await readStdin()) as BuildJob;
  } catch (error) {
    send({ type: 'error', name: 'Error', message: `invalid build job: ${(error as Error).message}` });
    return;
  }
  let lastReport = 0;
  try {
    const result = await runBuildJob(job, {
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - lastReport < 200) return;
        lastReport = now;
        send({ type: 'progress', done, total });
      },
      onWarning: (text) => send({ type: 'warning', text }),
    });
    send({ type: 'result', result });
  } catch (error) {
    const e = error as Error & { offset?: number; key?: string; url?: string; status?: number; stderrTail?: string };
    send({ type: 'error', name: e.name, message: e.message, offset: e.offset, key: e.key, url: e.url, status: e.status, stderrTail: e.stderrTail });
  }
}

void runIndexBuildChild();
