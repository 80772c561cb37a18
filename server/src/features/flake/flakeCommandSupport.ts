// What the flake commands share: their injected dependencies, their result shape, finding the
// flake on disk, running Nix in the flake's directory, turning Nix's complaints into messages,
// and making sure a failed command leaves flake.nix and flake.lock exactly as they were.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Parser } from 'web-tree-sitter';
import { ProgramNotFoundError, runProcess, type ProcessOptions, type ProcessResult } from '../../nix/process';
import type { NixCapabilities } from '../../nix/version';
import { readFlakeLock, type FlakeLockStatus } from '../../flake/flakeLock';
import { readFlakeSyntax, type FlakeSyntax } from '../../flake/flakeSyntax';
import { stripAnsi } from '../../nix/ansi';
import { parseNix } from '../../syntax/grammarText';

/** Runs a program from an argument vector; `runProcess` from nix/process.ts, or a test's own. */
export type RunProgram = (program: string, args: readonly string[], options?: ProcessOptions) => Promise<ProcessResult>;

export interface FlakeCommandDeps {
  /** What the installed Nix understands; undefined when no `nix` was found. */
  readonly capabilities: NixCapabilities | undefined;
  /** Parses flake.nix to check input names before Nix sees them. */
  readonly parser: Parser;
  readonly run?: RunProgram;
  /** The `nix` to run (default: `nix` from PATH). */
  readonly nixPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Upper bound for one Nix run (default five minutes: fetching nixpkgs can be slow). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export type FlakeCommandErrorCode =
  | 'invalid-arguments'
  | 'unknown-input'
  | 'input-follows'
  | 'not-locked'
  | 'not-pinnable'
  | 'not-pinned'
  | 'unsaved-changes'
  | 'edit-not-applied'
  | 'nix-not-found'
  | 'fetch-failed'
  | 'invalid-flake'
  | 'nix-failed'
  | 'timed-out'
  | 'cancelled'
  | 'io-error';

export interface FlakeCommandFailure {
  readonly ok: false;
  readonly code: FlakeCommandErrorCode;
  /** One readable paragraph, Nix's own error included. */
  readonly message: string;
  /** Everything Nix printed on standard error, without colour codes. */
  readonly nixOutput?: string;
  /** True when files had changed and were put back. */
  readonly restored?: boolean;
}

export function failure(code: FlakeCommandErrorCode, message: string, extra: Partial<FlakeCommandFailure> = {}): FlakeCommandFailure {
  return { ok: false, code, message, ...extra };
}

/** A flake on disk: its directory and the two files the commands read and write. */
export interface FlakeLocation {
  readonly uri: string;
  readonly directory: string;
  readonly flakeNix: string;
  readonly flakeLock: string;
}

/** The flake whose flake.nix `uri` names (a `file:` URI). */
export function locateFlake(uri: unknown): FlakeLocation | FlakeCommandFailure {
  if (typeof uri !== 'string' || uri.length === 0) return failure('invalid-arguments', "'flake' must be the URI of a flake.nix");
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    return failure('invalid-arguments', `'${uri}' is not a file: URI`);
  }
  if (basename(path) !== 'flake.nix') return failure('invalid-arguments', `'${uri}' does not name a flake.nix`);
  if (!existsSync(path)) return failure('invalid-arguments', `there is no flake.nix at ${path}`);
  const directory = dirname(path);
  return { uri, directory, flakeNix: path, flakeLock: join(directory, 'flake.lock') };
}

/**
 * Runs a command body so that anything unexpected (an unreadable file, a full disk) comes back
 * as a failure with a message instead of an exception in the server.
 */
export async function guarded<T>(doing: string, body: () => Promise<T>): Promise<T | FlakeCommandFailure> {
  try {
    return await body();
  } catch (error) {
    return failure('io-error', `${doing} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function isFailure(value: unknown): value is FlakeCommandFailure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/** Both files byte for byte (flake.lock: null when absent), to compare and restore. */
export interface FlakeSnapshot {
  readonly flakeNix: Buffer;
  readonly flakeLock: Buffer | null;
}

export function snapshotFlake(location: FlakeLocation): FlakeSnapshot {
  return {
    flakeNix: readFileSync(location.flakeNix),
    flakeLock: existsSync(location.flakeLock) ? readFileSync(location.flakeLock) : null,
  };
}

/** Puts back whatever differs from the snapshot; true when something had to be restored. */
export function restoreFlake(location: FlakeLocation, snapshot: FlakeSnapshot): boolean {
  let restored = false;
  const nixNow = existsSync(location.flakeNix) ? readFileSync(location.flakeNix) : null;
  if (!nixNow || !nixNow.equals(snapshot.flakeNix)) {
    writeFileSync(location.flakeNix, snapshot.flakeNix);
    restored = true;
  }
  const lockNow = existsSync(location.flakeLock) ? readFileSync(location.flakeLock) : null;
  if (snapshot.flakeLock === null) {
    if (lockNow !== null) {
      rmSync(location.flakeLock);
      restored = true;
    }
  } else if (!lockNow || !lockNow.equals(snapshot.flakeLock)) {
    writeFileSync(location.flakeLock, snapshot.flakeLock);
    restored = true;
  }
  return restored;
}

/** The flake as it is on disk: text, inputs as written, and lock. */
export interface FlakeState {
  readonly text: string;
  readonly syntax: FlakeSyntax;
  readonly lock: FlakeLockStatus;
}

export function readFlakeState(location: FlakeLocation, parser: Parser): FlakeState {
  const text = readFileSync(location.flakeNix, 'utf8');
  const tree = parseNix(parser, text);
  if (!tree) throw new Error('the Nix parser returned no tree');
  try {
    const syntax = readFlakeSyntax(tree.rootNode);
    const lock = readFlakeLock(existsSync(location.flakeLock) ? readFileSync(location.flakeLock, 'utf8') : undefined);
    return { text, syntax, lock };
  } finally {
    tree.delete();
  }
}


/**
 * Nix's error, from its first `error:` line on, without blank lines and with Nix's indentation
 * taken off (so code excerpts stay aligned); git's own `fatal:` lines come first, since Nix 2.8
 * only says that git failed. Without an `error:` line, the last lines of the output.
 */
export function nixErrorText(stderr: string): string {
  const lines = stripAnsi(stderr).split('\n').map((line) => line.trimEnd());
  const start = lines.findIndex((line) => /^error\b/.test(line));
  const relevant = (start >= 0 ? lines.slice(start) : lines.slice(-20)).filter((line) => line.trim().length > 0);
  const rest = relevant.slice(1);
  const indent = Math.min(...rest.map((line) => line.length - line.trimStart().length));
  const body = [relevant[0]?.trimStart(), ...rest.map((line) => line.slice(Number.isFinite(indent) ? indent : 0))].filter(
    (line): line is string => line !== undefined,
  );
  const gitFatal = start >= 0 ? unique(lines.slice(0, start).filter((line) => /^fatal:/.test(line))) : [];
  return [...gitFatal, ...body].join('\n');
}

/** `warning: …` lines, less the lock-file progress messages the command reports itself. */
export function nixWarnings(stderr: string): string[] {
  return unique(
    stripAnsi(stderr)
      .split('\n')
      .filter((line) => /^warning:/.test(line))
      .map((line) => line.replace(/^warning:\s*/, '').trim())
      .filter((line) => !/^(updating|creating) lock file/.test(line)),
  );
}

function unique(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}

const FETCH_FAILURE = /does not appear to be a git repository|Could not read from remote repository|unable to download|Could not resolve host|Couldn't resolve host|Failed to connect|Connection refused|Network is unreachable|timed out|while fetching the input|failed to fetch|cannot fetch|HTTP error|revspec '.*' not found|Cannot find Git revision/i;
const INVALID_FLAKE = /syntax error|undefined variable|infinite recursion|is not a function|has an unsupported attribute|does not have a flake\.nix|flake '.*' does not|input '.*' has an unsupported|cannot find flake|attribute '.*' missing|unexpected/i;

export type NixRunOutcome = { readonly ok: true; readonly result: ProcessResult } | { readonly ok: false; readonly failure: FlakeCommandFailure };

/** Runs `nix` with `args` in the flake's directory and classifies a failure. */
export async function runNixInFlake(deps: FlakeCommandDeps, location: FlakeLocation, args: readonly string[], doing: string): Promise<NixRunOutcome> {
  const run = deps.run ?? runProcess;
  const nix = deps.nixPath ?? 'nix';
  let result: ProcessResult;
  try {
    result = await run(nix, args, {
      cwd: location.directory,
      env: deps.env,
      timeoutMs: deps.timeoutMs ?? 5 * 60_000,
      signal: deps.signal,
    });
  } catch (error) {
    if (error instanceof ProgramNotFoundError) {
      return { ok: false, failure: failure('nix-not-found', `${doing} needs Nix, but '${nix}' was not found on PATH; install Nix or set the path to it.`) };
    }
    return { ok: false, failure: failure('nix-failed', `${doing} could not start Nix: ${(error as Error).message}`) };
  }
  const nixOutput = stripAnsi(result.stderr);
  if (result.cancelled) return { ok: false, failure: failure('cancelled', `${doing} was cancelled.`, { nixOutput }) };
  if (result.timedOut) return { ok: false, failure: failure('timed-out', `${doing} took too long and was stopped.`, { nixOutput }) };
  if (result.code !== 0) {
    const text = nixErrorText(result.stderr) || `nix exited with ${result.code ?? result.signal}`;
    const code = FETCH_FAILURE.test(nixOutput) ? 'fetch-failed' : INVALID_FLAKE.test(nixOutput) ? 'invalid-flake' : 'nix-failed';
    const why = code === 'fetch-failed' ? 'an input could not be fetched' : code === 'invalid-flake' ? 'the flake is not valid' : 'Nix reported an error';
    return { ok: false, failure: failure(code, `${doing} failed (${why}):\n${text}`, { nixOutput }) };
  }
  return { ok: true, result };
}

/** The installed Nix, or the failure to report when there is none. */
export function requireNix(deps: FlakeCommandDeps, doing: string): NixCapabilities | FlakeCommandFailure {
  return deps.capabilities ?? failure('nix-not-found', `${doing} needs Nix, but no working 'nix' was found; install Nix or set the path to it.`);
}
