// The NixOS modules a flake input provides (`inputs.<input>.nixosModules.<module>`), for
// completion and go to definition. No index lists them (NUR's data names packages only), so they
// are read from the input itself: Nix fetches the source flake.lock locks it to (usually already in
// the store) and evaluates the names of its `nixosModules`, with where each is written.
//
// This runs the input's own Nix code, so the caller asks only for trusted workspaces with Nix
// installed. Listings run in the background, one per locked source, never on a request: a request
// gets "loading" and the answer is there when the editor asks again. Results are kept per locked
// source, failures included (they are not retried on every keystroke; a new lock is a new key).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError, EvaluationError, errorMessage } from '../knowledge/errors';
import { pinnedSourcePath, type NixCommands, type ProcessRunner } from '../knowledge/nixEvaluation';
import { pinFromLocked } from '../knowledge/nixpkgsPin';
import { errorSummary } from '../nix/errorSummary';
import { ProgramNotFoundError, runProcess as defaultRunProcess } from '../nix/process';

export interface InputModule {
  name: string;
  /** The module's file, when the attribute is a path (`foo = ./modules/foo.nix;`). */
  file?: string;
  /** Where the attribute is written. */
  position?: { file: string; line: number };
}

export type InputModulesState =
  | { state: 'ready'; modules: InputModule[] }
  | { state: 'loading' }
  | { state: 'failed'; message: string };

export interface InputModulesOptions {
  commands: () => NixCommands;
  offline: () => boolean;
  runProcess?: ProcessRunner;
  log: (message: string) => void;
  /** Called when a listing finishes, so that what shows modules can be asked again. */
  onSettled?: () => void;
  timeoutMs?: number;
}

/** Reads the flake at `NIX_NUR_FLAKE` and lists its `nixosModules`: names, files, positions. */
const LIST_EXPRESSION = `
let
  flake = builtins.getFlake (builtins.getEnv "NIX_NUR_FLAKE");
  modules = flake.nixosModules or { };
  describe = name:
    let
      value = builtins.tryEval modules.\${name};
      position = builtins.unsafeGetAttrPos name modules;
    in {
      inherit name;
      file = if value.success && builtins.isPath value.value then toString value.value else null;
      position = if position == null then null else { inherit (position) file line; };
    };
in builtins.map describe (builtins.attrNames modules)
`;

/** Listings kept; a workspace has a handful of inputs, and each new lock adds one. */
const MAX_LISTINGS = 64;

export class InputModules {
  private readonly listings = new Map<string, InputModulesState>();
  private readonly running = new Set<AbortController>();

  constructor(private readonly options: InputModulesOptions) {}

  /** The modules of the input locked to `locked` (a lock node's `locked` attributes). */
  modulesOf(locked: Record<string, unknown>, description: string): InputModulesState {
    const pin = pinFromLocked(locked, description);
    if (!pin || pin.kind === 'channel') return { state: 'failed', message: `${description}: Nix cannot fetch this kind of source here` };
    // A local directory can change under the same lock: its flake.nix's time is part of the key.
    const key = pin.kind === 'path' ? `path:${pin.path}@${modifiedAt(join(pin.path, 'flake.nix'))}` : `${pin.location}#${pin.narHash ?? ''}`;
    const known = this.listings.get(key);
    if (known) return known;
    const loading: InputModulesState = { state: 'loading' };
    this.remember(key, loading);
    void this.list(pin, description).then((state) => {
      if (this.listings.get(key) !== loading) return;
      this.remember(key, state);
      this.options.onSettled?.();
    });
    return loading;
  }

  dispose(): void {
    for (const abort of this.running) abort.abort();
    this.running.clear();
    this.listings.clear();
  }

  private remember(key: string, state: InputModulesState): void {
    this.listings.delete(key);
    this.listings.set(key, state);
    if (this.listings.size > MAX_LISTINGS) this.listings.delete(this.listings.keys().next().value!);
  }

  private async list(pin: Exclude<ReturnType<typeof pinFromLocked>, undefined | { kind: 'channel' }>, description: string): Promise<InputModulesState> {
    const abort = new AbortController();
    this.running.add(abort);
    const commands = this.options.commands();
    const offline = this.options.offline();
    const timeoutMs = this.options.timeoutMs ?? 120_000;
    try {
      const source =
        pin.kind === 'path'
          ? pin.path
          : await pinnedSourcePath(pin, { commands, runProcess: this.options.runProcess, signal: abort.signal, offline, timeoutMs, what: 'the input' });
      const run = this.options.runProcess ?? defaultRunProcess;
      const result = await run(
        commands.nix,
        ['--extra-experimental-features', 'nix-command flakes', ...(offline ? ['--offline'] : []), 'eval', '--json', '--impure', '--expr', LIST_EXPRESSION],
        { env: { ...process.env, ...commands.env, NIX_NUR_FLAKE: source }, signal: abort.signal, timeoutMs, background: true },
      );
      if (result.cancelled) throw new CancelledError();
      if (result.timedOut) throw new EvaluationError('listing its NixOS modules took too long');
      if (result.code !== 0) {
        const error = errorSummary(result.stderr);
        throw new EvaluationError(`listing its NixOS modules failed${error ? `: ${error}` : ''}`, result.stderr);
      }
      const modules = parseListing(result.stdout);
      this.options.log(`${description}: ${modules.length} NixOS module${modules.length === 1 ? '' : 's'}`);
      return { state: 'ready', modules };
    } catch (error) {
      const message = error instanceof ProgramNotFoundError ? `'${error.program}' was not found` : errorMessage(error);
      if (!(error instanceof CancelledError)) this.options.log(`${description}: ${message}`);
      return { state: 'failed', message };
    } finally {
      this.running.delete(abort);
    }
  }
}

function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** The evaluation's JSON, checked entry by entry; anything malformed is left out. */
export function parseListing(json: string): InputModule[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new EvaluationError('Nix printed something other than JSON for the module listing');
  }
  if (!Array.isArray(value)) throw new EvaluationError('the module listing is not a list');
  const modules: InputModule[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null || typeof (item as { name?: unknown }).name !== 'string') continue;
    const { name, file, position } = item as { name: string; file?: unknown; position?: unknown };
    const module: InputModule = { name };
    if (typeof file === 'string' && file.startsWith('/')) module.file = file;
    if (typeof position === 'object' && position !== null) {
      const { file: at, line } = position as { file?: unknown; line?: unknown };
      if (typeof at === 'string' && at.startsWith('/') && typeof line === 'number' && line > 0) module.position = { file: at, line };
    }
    modules.push(module);
  }
  return modules;
}
