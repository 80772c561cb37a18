// Evaluating the pinned nixpkgs' `lib` two levels deep with `nix-instantiate`: the kind of every
// member, its position, and the formals of functions taking attribute sets. The tree's path
// reaches Nix through an environment variable, never spliced into the expression.
import { isAbsolute } from 'node:path';
import { stripAnsi } from '../nix/ansi';
import { ProgramNotFoundError, runProcess as defaultRunProcess, type ProcessResult } from '../nix/process';
import { CancelledError, EvaluationError, errorMessage } from './errors';
import { type LibFormal, type LibKind } from './libIndex';
import { type NixCommands, type ProcessRunner } from './nixEvaluation';

/**
 * Lists `lib` and the members of each attribute set in it. Each value is forced only as far as
 * telling a function from a set from anything else, inside `tryEval`, so a member that throws
 * (a removed function) is marked instead of failing the listing.
 */
export const LIB_EXPRESSION = `
let
  src = builtins.getEnv "NIX_NUR_NIXPKGS";
  lib = import (/. + src + "/lib");
  kindOf = value:
    let tried = builtins.tryEval (
      if builtins.isFunction value then "function"
      else if builtins.isAttrs value then (if value ? __functor then "function" else "set")
      else "value");
    in if tried.success then tried.value else "throws";
  describe = set: name:
    let
      value = set.\${name};
      kind = kindOf value;
      pos = builtins.unsafeGetAttrPos name set;
    in {
      inherit name kind;
      pos = if pos == null then null else [ pos.file pos.line pos.column ];
      formals = if kind == "function" && builtins.isFunction value then builtins.functionArgs value else { };
    };
  members = set: map (describe set) (builtins.attrNames set);
in
map (entry: if entry.kind == "set" then entry // { children = members lib.\${entry.name}; } else entry) (members lib)
`;

/** One member as the evaluation reports it. */
export interface EvaluatedMember {
  name: string;
  kind: LibKind | 'throws';
  /** Absolute file, line and column, when Nix knows where it is defined. */
  pos?: { file: string; line: number; column: number };
  formals: LibFormal[];
  children?: EvaluatedMember[];
}

export interface LibEvaluationOptions {
  commands: NixCommands;
  runProcess?: ProcessRunner;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Evaluates the `lib` of the nixpkgs tree at `src` (an absolute directory). */
export async function evaluateLib(src: string, options: LibEvaluationOptions): Promise<EvaluatedMember[]> {
  if (!isAbsolute(src) || src.includes('\0')) throw new EvaluationError(`'${src}' is not an absolute path`);
  const run = options.runProcess ?? defaultRunProcess;
  const timeoutMs = options.timeoutMs ?? 3 * 60_000;
  let result: ProcessResult;
  try {
    result = await run(
      options.commands.nixInstantiate,
      ['--eval', '--strict', '--json', '--option', 'allow-import-from-derivation', 'false', '--expr', LIB_EXPRESSION],
      { env: { ...process.env, ...options.commands.env, NIX_NUR_NIXPKGS: src }, signal: options.signal, timeoutMs, background: true },
    );
  } catch (error) {
    if (error instanceof ProgramNotFoundError) throw new EvaluationError(`'${error.program}' was not found`);
    throw error;
  }
  if (result.cancelled) throw new CancelledError();
  if (result.timedOut) throw new EvaluationError(`evaluating nixpkgs' lib took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`, tail(result.stderr));
  if (result.code !== 0) {
    throw new EvaluationError(`evaluating nixpkgs' lib failed (exit ${result.code ?? result.signal})${errorSummary(result.stderr)}`, tail(result.stderr));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch (error) {
    throw new EvaluationError(`evaluating nixpkgs' lib printed invalid JSON: ${errorMessage(error)}`);
  }
  if (!Array.isArray(parsed)) throw new EvaluationError("evaluating nixpkgs' lib did not give a list");
  return parsed.map((m) => evaluatedMember(m, true));
}

const EVALUATED_KINDS = ['function', 'set', 'value', 'throws'];

function evaluatedMember(value: unknown, top: boolean): EvaluatedMember {
  if (typeof value !== 'object' || value === null) throw new EvaluationError("unexpected output from evaluating nixpkgs' lib");
  const record = value as Record<string, unknown>;
  if (typeof record.name !== 'string' || !EVALUATED_KINDS.includes(record.kind as string)) {
    throw new EvaluationError("unexpected member in the output of evaluating nixpkgs' lib");
  }
  const member: EvaluatedMember = { name: record.name, kind: record.kind as EvaluatedMember['kind'], formals: [] };
  const pos = record.pos;
  if (Array.isArray(pos) && typeof pos[0] === 'string' && Number.isInteger(pos[1]) && Number.isInteger(pos[2])) {
    member.pos = { file: pos[0], line: pos[1] as number, column: pos[2] as number };
  }
  if (typeof record.formals === 'object' && record.formals !== null) {
    member.formals = Object.entries(record.formals as Record<string, unknown>).map(([name, optional]) => ({ name, optional: optional === true }));
  }
  if (top && Array.isArray(record.children)) member.children = record.children.map((c) => evaluatedMember(c, false));
  return member;
}

/** The line Nix's message ends with (`error: …`), after the trace. */
function errorSummary(stderr: string): string {
  const lines = stripAnsi(stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('…') && !l.startsWith('(stack trace') && !/^at /.test(l) && !/^\d*\|/.test(l));
  const errors = lines.filter((l) => /^error:\s*\S/.test(l));
  const line = errors[errors.length - 1] ?? lines[lines.length - 1];
  return line ? `: ${line}` : '';
}

function tail(text: string): string {
  return stripAnsi(text).trim().split('\n').slice(-20).join('\n');
}
