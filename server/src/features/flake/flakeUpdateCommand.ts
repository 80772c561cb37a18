// `nixNur.flake.update { flake, input? }`: update one input of a flake, or all of them, with the
// command line the installed Nix understands, and report what changed in flake.lock.
import { existsSync, readFileSync } from 'node:fs';
import { flakeUpdateArgs } from '../../flake/flakeCommandLine';
import { lockedLastModified, lockedNarHash, lockedRevision, readFlakeLock, resolveInputPath, rootInputs, type FlakeLock, type LockNode } from '../../flake/flakeLock';
import { inputNameProblem } from '../../flake/inputName';
import {
  failure,
  guarded,
  isFailure,
  locateFlake,
  nixWarnings,
  readFlakeState,
  requireNix,
  restoreFlake,
  runNixInFlake,
  snapshotFlake,
  type FlakeCommandDeps,
  type FlakeCommandFailure,
} from './flakeCommandSupport';
import { shortRevision } from './lockDescription';
import { formatDuration } from './relativeTime';

export interface FlakeUpdateParams {
  /** URI of the flake.nix. */
  readonly flake: string;
  /** The input to update; all inputs when absent. */
  readonly input?: string;
}

export interface InputUpdate {
  readonly input: string;
  readonly oldRev?: string;
  readonly newRev?: string;
  readonly oldLastModified?: number;
  readonly newLastModified?: number;
  /** False when the lock entry is the same source as before. */
  readonly changed: boolean;
}

export interface FlakeUpdateSuccess {
  readonly ok: true;
  /** One entry per input considered (the named one, or every input of the root). */
  readonly inputs: readonly InputUpdate[];
  /** `nixpkgs: 1a2b3c4 → 5d6e7f8, 12 days newer`, one line per changed input. */
  readonly summary: string;
  /** Nix's warnings, e.g. that the git tree is dirty. */
  readonly warnings: readonly string[];
}

export type FlakeUpdateResult = FlakeUpdateSuccess | FlakeCommandFailure;

export function updateFlakeInputs(params: FlakeUpdateParams, deps: FlakeCommandDeps): Promise<FlakeUpdateResult> {
  return guarded('Updating the flake inputs', () => update(params, deps));
}

async function update(params: FlakeUpdateParams, deps: FlakeCommandDeps): Promise<FlakeUpdateResult> {
  const location = locateFlake(params?.flake);
  if (isFailure(location)) return location;
  const input = params?.input;
  if (input !== undefined) {
    const problem = inputNameProblem(input);
    if (problem) return failure('invalid-arguments', problem);
  }
  const doing = input === undefined ? 'Updating the flake inputs' : `Updating input '${input}'`;
  const capabilities = requireNix(deps, doing);
  if (isFailure(capabilities)) return capabilities;

  const before = readFlakeState(location, deps.parser);
  if (input !== undefined) {
    // Nix only warns about a name it does not know and exits 0, so names are checked here.
    const declared = before.syntax.inputs.find((decl) => decl.name === input);
    const locked = before.lock.state === 'ok' && rootInputs(before.lock.lock).has(input);
    if (!declared && !locked) {
      const names = before.syntax.inputs.map((decl) => decl.name);
      return failure('unknown-input', `flake.nix has no input '${input}' (its inputs: ${names.join(', ') || 'none'}).`);
    }
    if (declared?.follows) {
      return failure('input-follows', `Input '${input}' follows '${declared.follows.value}'; update '${declared.follows.value.split('/')[0] || input}' instead.`);
    }
  }

  const snapshot = snapshotFlake(location);
  const outcome = await runNixInFlake(deps, location, flakeUpdateArgs(capabilities, input), doing);
  if (!outcome.ok) {
    const restored = restoreFlake(location, snapshot);
    return { ...outcome.failure, restored };
  }

  const lockText = existsSync(location.flakeLock) ? readFileSync(location.flakeLock, 'utf8') : undefined;
  const after = readFlakeLock(lockText);
  if (after.state === 'invalid') return failure('nix-failed', `Nix wrote a flake.lock that cannot be read: ${after.message}`);
  const oldLock = before.lock.state === 'ok' ? before.lock.lock : undefined;
  const newLock = after.state === 'ok' ? after.lock : undefined;
  const names = input !== undefined ? [input] : inputNamesOf(oldLock, newLock);
  const inputs = names.map((name) => compareInput(name, oldLock, newLock));
  return { ok: true, inputs, summary: summarize(inputs, input), warnings: nixWarnings(outcome.result.stderr) };
}

function inputNamesOf(...locks: (FlakeLock | undefined)[]): string[] {
  const names = new Set<string>();
  for (const lock of locks) if (lock) for (const name of rootInputs(lock).keys()) names.add(name);
  return [...names].sort();
}

function nodeOf(lock: FlakeLock | undefined, name: string): LockNode | undefined {
  return lock && resolveInputPath(lock, [name])?.node;
}

export function compareInput(name: string, oldLock: FlakeLock | undefined, newLock: FlakeLock | undefined): InputUpdate {
  const oldNode = nodeOf(oldLock, name);
  const newNode = nodeOf(newLock, name);
  const oldRev = oldNode && lockedRevision(oldNode);
  const newRev = newNode && lockedRevision(newNode);
  const changed =
    !oldNode !== !newNode ||
    (oldNode !== undefined && newNode !== undefined && (oldRev !== newRev || lockedNarHash(oldNode) !== lockedNarHash(newNode)));
  return {
    input: name,
    ...(oldRev ? { oldRev } : {}),
    ...(newRev ? { newRev } : {}),
    ...(oldNode && lockedLastModified(oldNode) !== undefined ? { oldLastModified: lockedLastModified(oldNode) } : {}),
    ...(newNode && lockedLastModified(newNode) !== undefined ? { newLastModified: lockedLastModified(newNode) } : {}),
    changed,
  };
}

/** Human lines: `nixpkgs: 1a2b3c4 → 5d6e7f8, 12 days newer`, or that nothing changed. */
export function summarize(inputs: readonly InputUpdate[], named?: string): string {
  const changed = inputs.filter((update) => update.changed);
  if (changed.length === 0) {
    if (named !== undefined) {
      const only = inputs[0];
      return `${named}: already up to date${only?.newRev ? ` (${shortRevision(only.newRev)})` : ''}`;
    }
    return 'All inputs are already up to date.';
  }
  return changed.map(describeChange).join('\n');
}

function describeChange(update: InputUpdate): string {
  const { input, oldRev, newRev, oldLastModified, newLastModified } = update;
  const hadEntry = oldRev !== undefined || oldLastModified !== undefined;
  const hasEntry = newRev !== undefined || newLastModified !== undefined;
  if (!hasEntry) return `${input}: removed from flake.lock`;
  if (!hadEntry) return `${input}: locked${newRev ? ` ${shortRevision(newRev)}` : ''}`;
  const from = oldRev ? shortRevision(oldRev) : 'previous';
  const to = newRev ? shortRevision(newRev) : 'new content';
  let line = `${input}: ${from} → ${to}`;
  if (oldLastModified !== undefined && newLastModified !== undefined && oldLastModified !== newLastModified) {
    const delta = newLastModified - oldLastModified;
    line += `, ${formatDuration(delta)} ${delta > 0 ? 'newer' : 'older'}`;
  }
  return line;
}
