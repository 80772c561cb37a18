// One index build, described as plain data so it can run in the server process or in a child
// process (which keeps the build's memory peak out of the long-lived server; see
// buildExecutor.ts). The job reads its input (a file, a download, or a command's standard output
// such as `nix-env -qaP --json --meta`), streams it through the decompressor and the scanner, and
// writes the index file, or reports that a download was not modified.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { errorSummary } from '../nix/errorSummary';
import { startProcess as defaultStartProcess, ProgramNotFoundError, type ProcessOptions, type RunningProcess } from '../nix/process';
import { decompressedChunks } from './compression';
import { CancelledError, EvaluationError, KnowledgeInputError } from './errors';
import { httpGet } from './httpDownload';
import { buildIndex } from './indexBuilder';
import type { IndexHeader, SourceIdentity } from './indexFile';
import { nurPackageConverter, nurRepoConverter, optionConverter, packageConverter, type RecordConverter } from './recordConverters';

export type ConverterName = 'packages' | 'options' | 'nur-repos' | 'nur-packages';

export type BuildInput =
  | { type: 'file'; path: string }
  | {
      type: 'url';
      url: string;
      etag?: string;
      lastModified?: string;
      allowedRedirectHosts?: string[];
      /** Take the nixpkgs revision from the final URL (`…/nixos-25.11pre123.abcdef012345/…`). */
      revisionFromUrl?: boolean;
    }
  | {
      type: 'command';
      program: string;
      args: string[];
      /** Added to the server's environment. */
      env?: Record<string, string>;
      cwd?: string;
      timeoutMs: number;
      /** For messages: what this command does. */
      description: string;
    };

export interface BuildJob {
  converter: ConverterName;
  input: BuildInput;
  /** The index file to write. */
  output: string;
  identity: SourceIdentity;
  revision?: string;
}

export type BuildJobResult =
  | { status: 'built'; header: IndexHeader; warnings: string[] }
  | { status: 'not-modified'; finalUrl: string };

export type ProcessStarter = (program: string, args: readonly string[], options?: ProcessOptions) => RunningProcess;

export interface BuildJobHooks {
  signal?: AbortSignal;
  /** Input bytes read so far and the total when known. */
  onProgress?: (done: number, total: number | undefined) => void;
  onWarning?: (warning: string) => void;
  startProcess?: ProcessStarter;
}

export function converterFor(name: ConverterName): RecordConverter {
  switch (name) {
    case 'packages':
      return packageConverter();
    case 'options':
      return optionConverter();
    case 'nur-repos':
      return nurRepoConverter();
    case 'nur-packages':
      return nurPackageConverter();
  }
}

/** Runs a build job to the end; throws a readable error when it cannot produce an index. */
export async function runBuildJob(job: BuildJob, hooks: BuildJobHooks = {}): Promise<BuildJobResult> {
  switch (job.input.type) {
    case 'file':
      return buildFromFile(job, job.input.path, hooks);
    case 'url':
      return buildFromUrl(job, job.input, hooks);
    case 'command':
      return buildFromCommand(job, job.input, hooks);
  }
}

/** Chunks of `source`, counted for progress and optionally hashed. */
async function* counted(source: AsyncIterable<Buffer>, onBytes: (n: number) => void, hash?: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  let done = 0;
  for await (const chunk of source) {
    done += chunk.length;
    hash?.update(chunk);
    onBytes(done);
    yield chunk;
  }
}

async function buildFromFile(job: BuildJob, path: string, hooks: BuildJobHooks): Promise<BuildJobResult> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new KnowledgeInputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const hash = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  const chunks = counted(stream as AsyncIterable<Buffer>, (done) => hooks.onProgress?.(done, size), hash);
  try {
    const result = await buildIndex(decompressedChunks(chunks, path), {
      converter: converterFor(job.converter),
      output: job.output,
      identity: job.identity,
      revision: job.revision,
      signal: hooks.signal,
      onWarning: hooks.onWarning,
      beforeCommit: async () => {
        job.identity.sha256 = hash.digest('hex');
      },
    });
    return { status: 'built', ...result };
  } finally {
    stream.destroy();
  }
}

async function buildFromUrl(job: BuildJob, input: Extract<BuildInput, { type: 'url' }>, hooks: BuildJobHooks): Promise<BuildJobResult> {
  const response = await httpGet({
    url: input.url,
    etag: input.etag,
    lastModified: input.lastModified,
    allowedRedirectHosts: input.allowedRedirectHosts,
    signal: hooks.signal,
  });
  if (response.notModified) return { status: 'not-modified', finalUrl: response.finalUrl };
  const identity: SourceIdentity = { ...job.identity, etag: response.etag, lastModified: response.lastModified, finalUrl: response.finalUrl };
  const revision = (input.revisionFromUrl && revisionInUrl(response.finalUrl)) || job.revision;
  const chunks = counted(response.body as AsyncIterable<Buffer>, (done) => hooks.onProgress?.(done, response.total));
  try {
    const result = await buildIndex(decompressedChunks(chunks, response.finalUrl), {
      converter: converterFor(job.converter),
      output: job.output,
      identity,
      revision,
      signal: hooks.signal,
      onWarning: hooks.onWarning,
    });
    return { status: 'built', ...result };
  } finally {
    response.body.destroy();
  }
}

/** `https://releases.nixos.org/nixos/unstable/nixos-25.11pre850000.abc1234def56/packages.json.br` → `abc1234def56`. */
export function revisionInUrl(url: string): string | undefined {
  return /\/nix(?:os|pkgs)-[^/]*\.([0-9a-f]{7,40})\/[^/]*$/.exec(url)?.[1];
}

const STDERR_KEPT = 8192;

async function buildFromCommand(job: BuildJob, input: Extract<BuildInput, { type: 'command' }>, hooks: BuildJobHooks): Promise<BuildJobResult> {
  const start = hooks.startProcess ?? defaultStartProcess;
  const env = { ...process.env, ...input.env };
  const running = start(input.program, input.args, { cwd: input.cwd, env, timeoutMs: input.timeoutMs, signal: hooks.signal, background: true });
  let stderr = '';
  running.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
  });
  // Settles once; a program that cannot start rejects here.
  const exit = running.exit.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const failure = async (): Promise<Error | undefined> => {
    const outcome = await exit;
    if ('error' in outcome) {
      const error = outcome.error;
      return error instanceof ProgramNotFoundError ? new EvaluationError(`${input.description}: '${error.program}' was not found`) : (error as Error);
    }
    const result = outcome.value;
    if (result.cancelled) return new CancelledError();
    if (result.timedOut) return new EvaluationError(`${input.description} took longer than ${Math.round(input.timeoutMs / 1000)} s and was stopped`, tail(stderr));
    if (result.code !== 0) {
      return new EvaluationError(`${input.description} failed (exit ${result.code ?? result.signal})${lastLine(stderr)}`, tail(stderr));
    }
    return undefined;
  };
  const chunks = counted(running.stdout as AsyncIterable<Buffer>, (done) => hooks.onProgress?.(done, undefined));
  try {
    const result = await buildIndex(decompressedChunks(chunks, 'output.json'), {
      converter: converterFor(job.converter),
      output: job.output,
      identity: job.identity,
      revision: job.revision,
      signal: hooks.signal,
      onWarning: hooks.onWarning,
      // Output that parsed is still worthless if the command failed.
      beforeCommit: async () => {
        const error = await failure();
        if (error) throw error;
      },
    });
    return { status: 'built', ...result };
  } catch (error) {
    // When the command failed, its own message explains more than its truncated output does. Its
    // output may end a moment before it exits, so wait briefly for the exit before deciding.
    const exited = await Promise.race([exit.then(() => true), delay(EXIT_GRACE_MS).then(() => false)]);
    if (!exited) {
      running.kill();
      throw error;
    }
    throw (await failure()) ?? error;
  }
}

const EXIT_GRACE_MS = 2000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-20).join('\n');
}

function lastLine(stderr: string): string {
  const error = errorSummary(stderr);
  return error ? `: ${error}` : '';
}
