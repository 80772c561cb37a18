// Local evaluation of the workspace's pinned nixpkgs, in the background and never on a request:
// `nix eval` fetches the pinned tree (the lock's attributes reach Nix through an environment
// variable, never spliced into the expression), `nix-env -qaP --json --meta` lists the packages
// and `nix-instantiate` renders the NixOS options through `lib.optionAttrSetToDocList`. Both
// stream their JSON into the index builder.
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { errorSummary } from '../nix/errorSummary';
import { ProgramNotFoundError, runProcess as defaultRunProcess, type ProcessOptions, type ProcessResult } from '../nix/process';
import type { BuildInput } from './buildJob';
import { CancelledError, EvaluationError } from './errors';
import type { NixpkgsPin } from './nixpkgsPin';

export interface NixCommands {
  nix: string;
  nixEnv: string;
  nixInstantiate: string;
  /** Environment for every Nix command (tests put a particular installation first on PATH). */
  env?: Record<string, string>;
}

/**
 * The commands next to the configured `nix`: `/opt/nix/bin/nix` → `/opt/nix/bin/nix-env`. A bare
 * name, or a binary not called `nix`, leaves the others to PATH.
 */
export function nixCommandsFor(nixSetting: string, env?: Record<string, string>): NixCommands {
  const nix = nixSetting || 'nix';
  if (nix.includes('/') && basename(nix) === 'nix') {
    const dir = dirname(nix);
    return { nix, nixEnv: join(dir, 'nix-env'), nixInstantiate: join(dir, 'nix-instantiate'), env };
  }
  return { nix, nixEnv: 'nix-env', nixInstantiate: 'nix-instantiate', env };
}

export type ProcessRunner = (program: string, args: readonly string[], options?: ProcessOptions) => Promise<ProcessResult>;

export interface FetchOptions {
  commands: NixCommands;
  runProcess?: ProcessRunner;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Only from the store and local sources: Nix downloads nothing. */
  offline?: boolean;
  /** What is fetched, for messages (default `nixpkgs`). */
  what?: string;
}

/** Reads `NIX_NUR_LOCKED` (JSON of validated fetchTree attributes) and prints the store path. */
const FETCH_EXPRESSION = '(builtins.fetchTree (builtins.fromJSON (builtins.getEnv "NIX_NUR_LOCKED"))).outPath';

/** The local directory of the pinned nixpkgs, fetching it into the store when needed. */
export async function pinnedSourcePath(pin: Exclude<NixpkgsPin, { kind: 'channel' }>, options: FetchOptions): Promise<string> {
  if (pin.kind === 'path') {
    if (!existsSync(join(pin.path, 'default.nix'))) throw new EvaluationError(`${pin.path} (${pin.description}) has no default.nix`);
    return pin.path;
  }
  const run = options.runProcess ?? defaultRunProcess;
  let result: ProcessResult;
  try {
    result = await run(
      options.commands.nix,
      ['--extra-experimental-features', 'nix-command flakes', ...(options.offline ? ['--offline'] : []), 'eval', '--raw', '--impure', '--expr', FETCH_EXPRESSION],
      {
        env: { ...process.env, ...options.commands.env, NIX_NUR_LOCKED: JSON.stringify(pin.locked) },
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? 15 * 60_000,
        background: true,
      },
    );
  } catch (error) {
    if (error instanceof ProgramNotFoundError) throw new EvaluationError(`'${error.program}' was not found`);
    throw error;
  }
  if (result.cancelled) throw new CancelledError();
  if (result.timedOut) throw new EvaluationError(`fetching ${options.what ?? 'nixpkgs'} (${pin.description}) took too long`, result.stderr);
  const path = result.stdout.trim();
  if (result.code !== 0 || !isAbsolute(path)) {
    const error = errorSummary(result.stderr);
    throw new EvaluationError(`fetching ${options.what ?? 'nixpkgs'} (${pin.description}) failed${error ? `: ${error}` : ''}`, result.stderr);
  }
  return path;
}

function checkedSource(src: string): string {
  if (!isAbsolute(src) || src.includes('\0')) throw new EvaluationError(`'${src}' is not an absolute path`);
  return src;
}

/**
 * `nix-env -qaP --json --meta` over the tree. Aliases are left out as the channels do; building
 * during evaluation (import from derivation) is refused so a listing never starts builds.
 */
export function packagesEvaluation(src: string, commands: NixCommands, timeoutMs = 30 * 60_000): BuildInput {
  return {
    type: 'command',
    program: commands.nixEnv,
    args: [
      '-f',
      checkedSource(src),
      '-qaP',
      '--json',
      '--meta',
      '--arg',
      'config',
      '{ allowAliases = false; }',
      '--option',
      'allow-import-from-derivation',
      'false',
    ],
    env: commands.env,
    timeoutMs,
    description: 'listing the packages of the pinned nixpkgs',
  };
}

/**
 * Renders every visible option of a NixOS configuration without modules, keyed by name, in the
 * shape of the channels' options.json. Options whose documentation fails to evaluate are left out
 * one by one instead of failing the whole listing; declarations are made relative to the tree.
 */
export const OPTIONS_EXPRESSION = `
let
  src = builtins.getEnv "NIX_NUR_NIXPKGS";
  root = /. + src;
  lib = import (root + "/lib");
  eval = import (root + "/nixos/lib/eval-config.nix") { modules = [ ]; system = builtins.currentSystem; };
  prefix = src + "/";
  relative = d:
    let s = toString d; n = builtins.stringLength prefix;
    in if builtins.substring 0 n s == prefix then builtins.substring n (builtins.stringLength s - n) s else s;
  visible = o: (o.visible or true) != false && !(o.internal or false);
  render = o:
    let value = builtins.removeAttrs o [ "name" "visible" "internal" ] // { declarations = map relative (o.declarations or [ ]); };
        tried = builtins.tryEval (builtins.deepSeq value value);
    in if tried.success then [ { name = o.name; value = tried.value; } ] else [ ];
in builtins.listToAttrs (builtins.concatMap render (builtins.filter visible (lib.optionAttrSetToDocList eval.options)))
`;

export function optionsEvaluation(src: string, commands: NixCommands, timeoutMs = 20 * 60_000): BuildInput {
  return {
    type: 'command',
    program: commands.nixInstantiate,
    args: ['--eval', '--strict', '--json', '--option', 'allow-import-from-derivation', 'false', '--expr', OPTIONS_EXPRESSION],
    env: { ...commands.env, NIX_NUR_NIXPKGS: checkedSource(src) },
    timeoutMs,
    description: 'listing the NixOS options of the pinned nixpkgs',
  };
}
