// Running the user's Nix over one configuration: the option tree as `options.json`, written to a
// file the index builder reads. A field that fails in a way `tryEval` cannot catch names itself and
// its option in the error (see optionTreeExpression.ts); the evaluation is then repeated with that
// field of that option left out, a few times at most. Nix's own failure is kept in a form users can
// act on: the summary line, the file and line it points at, and a plain message when the
// configuration's nixpkgs needs a newer Nix than the one installed.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { stripAnsi } from '../nix/ansi';
import { errorSummary } from '../nix/errorSummary';
import { ProgramNotFoundError, startProcess as defaultStartProcess, type ProcessExit, type ProcessOptions, type RunningProcess } from '../nix/process';
import type { ConfigurationRef } from './configurationRef';
import { DISCOVERY_EXPRESSION, OPTION_TREE_EXPRESSION, SKIP_MARKER } from './optionTreeExpression';

export type ProcessStarter = (program: string, args: readonly string[], options?: ProcessOptions) => RunningProcess;

export interface NixRunner {
  /** The `nix` program. */
  nix: string;
  /** Added to the server's environment (a PATH with the configured Nix first). */
  env?: Record<string, string>;
  startProcess?: ProcessStarter;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Nix downloads nothing: only what is in the store already (`nixNur.offline`). */
  offline?: boolean;
}

/** Why an evaluation produced no options, as users should read it. */
export class ConfigurationEvaluationError extends Error {
  override readonly name = 'ConfigurationEvaluationError';
  constructor(
    message: string,
    /** Where Nix says the problem is, when it says. */
    readonly location?: { file: string; line: number; column: number },
    /** The configuration's nixpkgs refuses this Nix: the options of the channel stay. */
    readonly needsNewerNix?: { required: string; installed: string },
  ) {
    super(message);
  }
}

export class EvaluationCancelledError extends Error {
  override readonly name = 'EvaluationCancelledError';
  constructor() {
    super('cancelled');
  }
}

/** How many fields that break the whole listing are left out before giving up. */
const MAX_SKIPS = 24;
const STDERR_KEPT = 64 * 1024;

const NIX_FLAGS = ['--extra-experimental-features', 'nix-command flakes', 'eval', '--json', '--impure', '--option', 'allow-import-from-derivation', 'false'];

/** What a flake offers: its configurations by category, and whether it uses flake-parts. */
export interface FlakeListing {
  nixosConfigurations: string[];
  homeConfigurations: string[];
  darwinConfigurations: string[];
  flakeParts: boolean;
  /** The flake's copy in the store, to map declarations back to the workspace. */
  source: string;
}

export async function listFlake(flakeDir: string, runner: NixRunner): Promise<FlakeListing> {
  let stdout: string;
  try {
    ({ stdout } = await runNix(['--expr', DISCOVERY_EXPRESSION], { NIX_NUR_FLAKE: flakeDir }, runner));
  } catch (error) {
    throw error instanceof NixFailure ? error.readable() : error;
  }
  const parsed = JSON.parse(stdout) as Partial<FlakeListing>;
  const names = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return {
    nixosConfigurations: names(parsed.nixosConfigurations),
    homeConfigurations: names(parsed.homeConfigurations),
    darwinConfigurations: names(parsed.darwinConfigurations),
    flakeParts: parsed.flakeParts === true,
    source: typeof parsed.source === 'string' ? parsed.source : '',
  };
}

/** One field of one option that could not be evaluated, left out of the set. */
export interface SkippedField {
  option: string;
  /** `default`, `description`, … as in options.json. */
  field: string;
}

export interface EvaluatedOptions {
  /** The options.json written. */
  file: string;
  /** Fields that had to be left out. */
  skipped: SkippedField[];
}

/** Evaluates the configuration's option tree into `output` (options.json shape). */
/** A store copy of the workspace's files (`from`) and where they are in the workspace (`to`). */
export interface Relocation {
  from: string;
  to: string;
}

export async function evaluateOptionTree(
  ref: ConfigurationRef,
  output: string,
  runner: NixRunner,
  maxDepth = 6,
  knownSkips: readonly SkippedField[] = [],
  relocation?: Relocation,
): Promise<EvaluatedOptions> {
  // Fields left out last time are left out at once: each one found costs a whole evaluation.
  const skipped = [...knownSkips];
  let showTrace = false;
  let firstFailure: NixFailure | undefined;
  for (;;) {
    try {
      await runNix([...(showTrace ? ['--show-trace'] : []), '--expr', OPTION_TREE_EXPRESSION], { ...targetEnv(ref), ...relocationEnv(relocation), NIX_NUR_MAX_DEPTH: String(maxDepth), NIX_NUR_SKIP: skipEnvironment(skipped) }, runner, output);
      return { file: output, skipped };
    } catch (error) {
      if (!(error instanceof NixFailure)) throw error;
      const found = failedField(error.stderr);
      if (!found && !showTrace && TRACE_HIDDEN.test(error.stderr)) {
        // Nix 2.8 prints error contexts, and so the field's name, only with --show-trace, and a
        // newer Nix may cut them from a long trace; the message without them is the one users
        // read when no field is named even then.
        showTrace = true;
        firstFailure = error;
        continue;
      }
      const known = found && skipped.some((s) => s.option === found.option && s.field === found.field);
      if (!found || known || skipped.length >= knownSkips.length + MAX_SKIPS) throw (found ? error : (firstFailure ?? error)).readable();
      skipped.push(found);
    }
  }
}

/** Nix's note that it left out (some of) the error's contexts. */
const TRACE_HIDDEN = /use '--show-trace'/;

/** The field Nix's error names as the one it was describing, if any. */
export function failedField(stderr: string): SkippedField | undefined {
  const match = SKIP_MARKER.exec(stripAnsi(stderr));
  return match ? { field: match[1]!, option: match[2]! } : undefined;
}

/** `NIX_NUR_SKIP`: option name → the fields of it to leave out. */
export function skipEnvironment(skipped: readonly SkippedField[]): string {
  const byOption: Record<string, string[]> = {};
  for (const { option, field } of skipped) (byOption[option] ??= []).push(field);
  return JSON.stringify(byOption);
}

function relocationEnv(relocation: Relocation | undefined): Record<string, string> {
  return relocation ? { NIX_NUR_SOURCE: relocation.from.replace(/\/+$/, ''), NIX_NUR_WORKSPACE: relocation.to.replace(/\/+$/, '') } : {};
}

function targetEnv(ref: ConfigurationRef): Record<string, string> {
  switch (ref.kind) {
    case 'flake-output':
      return { NIX_NUR_KIND: ref.kind, NIX_NUR_FLAKE: ref.flakeDir, NIX_NUR_CATEGORY: ref.category, NIX_NUR_NAME: ref.name };
    case 'flake-parts':
      return { NIX_NUR_KIND: ref.kind, NIX_NUR_FLAKE: ref.flakeDir };
    case 'classic':
      return { NIX_NUR_KIND: ref.kind, NIX_NUR_FILE: ref.file };
  }
}

/** A failed `nix eval`, before it is turned into a message. */
class NixFailure extends Error {
  constructor(
    readonly exit: ProcessExit,
    readonly stderr: string,
  ) {
    super('nix eval failed');
  }

  readable(): ConfigurationEvaluationError {
    return readableFailure(this.stderr, this.exit);
  }
}

/** Turns Nix's standard error into the message a user sees. */
export function readableFailure(stderr: string, exit?: ProcessExit): ConfigurationEvaluationError {
  const text = stripAnsi(stderr);
  const required = /reports at least (\d+(?:\.\d+)+)/.exec(text)?.[1] ?? /requires Nix (?:>=|≥|version) ?(\d+(?:\.\d+)+)/i.exec(text)?.[1];
  const installed = /evaluating with Nix (\d+(?:\.\d+)+(?:[-.]?pre[\w.]*)?)/.exec(text)?.[1];
  if (required && installed) {
    return new ConfigurationEvaluationError(`its nixpkgs needs Nix ${required} or newer; the installed Nix is ${installed}`, undefined, { required, installed });
  }
  const summary = errorSummary(text).replace(/^error:\s*/, '') || (exit ? `nix exited with ${exit.code ?? exit.signal}` : 'nix failed');
  return new ConfigurationEvaluationError(summary, errorLocation(text));
}

/** The last `at /file:line:column:` Nix printed that is a file (not `«string»`), if any. */
export function errorLocation(stderr: string): { file: string; line: number; column: number } | undefined {
  let found: { file: string; line: number; column: number } | undefined;
  for (const match of stderr.matchAll(/(?:^|\s)at (\/[^\s:]+):(\d+):(\d+):?/gm)) {
    found = { file: match[1]!, line: Number(match[2]), column: Number(match[3]) };
  }
  return found;
}

async function runNix(args: string[], vars: Record<string, string>, runner: NixRunner, output?: string): Promise<{ stdout: string }> {
  const start = runner.startProcess ?? defaultStartProcess;
  let running: RunningProcess;
  if (output) mkdirSync(dirname(output), { recursive: true });
  try {
    running = start(runner.nix, [...NIX_FLAGS, ...(runner.offline ? ['--offline'] : []), ...args], {
      env: { ...process.env, ...runner.env, ...vars },
      signal: runner.signal,
      timeoutMs: runner.timeoutMs ?? 20 * 60_000,
      background: true,
      // The option tree (tens of megabytes) goes straight to its file.
      stdoutFile: output,
    });
  } catch (error) {
    throw error instanceof ProgramNotFoundError ? new ConfigurationEvaluationError(`'${error.program}' was not found`) : error;
  }
  let stderr = '';
  running.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
  });
  const chunks: Buffer[] = [];
  running.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  let exit: ProcessExit;
  try {
    exit = await running.exit;
  } catch (error) {
    throw error instanceof ProgramNotFoundError ? new ConfigurationEvaluationError(`'${error.program}' was not found`) : error;
  }
  if (exit.cancelled) throw new EvaluationCancelledError();
  if (exit.timedOut) throw new ConfigurationEvaluationError(`evaluation took longer than ${Math.round((runner.timeoutMs ?? 0) / 1000)} s and was stopped`);
  if (exit.code !== 0) throw new NixFailure(exit, stderr);
  return { stdout: Buffer.concat(chunks).toString('utf8') };
}
