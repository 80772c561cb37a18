// `nixNur.flake.pin { flake, input, rev? }` and `nixNur.flake.unpin { flake, input, ref? }`:
// rewrite the input's URL in flake.nix as one workspace edit (so the user can undo it), then
// relock. If Nix fails, the edit is taken back and both files end up as they were.
import { readFileSync } from 'node:fs';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { flakeLockArgs } from '../../flake/flakeCommandLine';
import { lockedRevision, readFlakeLock, resolveInputPath, type FlakeLock } from '../../flake/flakeLock';
import { isRevision, tryParseFlakeRef } from '../../flake/flakeRef';
import { namedBranch } from '../../flake/flakeRefPinning';
import { inputNameProblem } from '../../flake/inputName';
import { inputLockState } from '../../flake/lockedInput';
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
  type FlakeLocation,
  type FlakeSnapshot,
  type FlakeState,
} from './flakeCommandSupport';
import { lockEditedCopy } from './lockEditedCopy';
import { shortRevision } from './lockDescription';
import { pinInputEdits, unpinInputEdits, type InputEditResult } from './pinEdits';
import { applyTextEdits, differenceEdit } from './textPositions';

export interface FlakeEditDeps extends FlakeCommandDeps {
  /**
   * Applies a workspace edit (the server sends `workspace/applyEdit`). Resolves true once flake.nix
   * on disk holds the result; 'unsaved' when the edit is in the editor's buffer but the editor
   * cannot save on request (the file on disk is then never written behind the editor, and the
   * lock is made from a copy of the flake with the edited text); false when it was refused.
   */
  readonly applyEdit: (edit: WorkspaceEdit) => Promise<boolean | 'unsaved'>;
  /** The document as open in the editor, if it is; an unsaved one is not edited behind the user's back. */
  readonly openDocument?: (uri: string) => { readonly text: string; readonly version: number } | undefined;
}

export interface FlakePinParams {
  readonly flake: string;
  readonly input: string;
  /** The commit to pin to; the one flake.lock has when absent. */
  readonly rev?: string;
}

export interface FlakeUnpinParams {
  readonly flake: string;
  readonly input: string;
  /** The branch or tag to follow; the one flake.lock remembers when absent, else the default branch. */
  readonly ref?: string;
}

export interface FlakePinSuccess {
  readonly ok: true;
  readonly input: string;
  /** The input's reference before and after the edit. */
  readonly before: string;
  readonly after: string;
  /** The commit flake.lock has for the input after relocking. */
  readonly lockedRev?: string;
  /**
   * Pinning a GitHub/GitLab/sourcehut input replaces its branch (they cannot name both); this is
   * the branch it had, to offer for unpinning later.
   */
  readonly previousRef?: string;
  /** The edit that was applied (empty when nothing needed to change). */
  readonly edit?: WorkspaceEdit;
  readonly summary: string;
  readonly warnings: readonly string[];
}

export type FlakePinResult = FlakePinSuccess | FlakeCommandFailure;

export function pinFlakeInput(params: FlakePinParams, deps: FlakeEditDeps): Promise<FlakePinResult> {
  return guarded('Pinning the input', () => pin(params, deps));
}

export function unpinFlakeInput(params: FlakeUnpinParams, deps: FlakeEditDeps): Promise<FlakePinResult> {
  return guarded('Unpinning the input', () => unpin(params, deps));
}

async function pin(params: FlakePinParams, deps: FlakeEditDeps): Promise<FlakePinResult> {
  const prepared = prepare(params, deps, 'Pinning');
  if (isFailure(prepared)) return prepared;
  const { location, state, input } = prepared;
  if (params.rev !== undefined && (typeof params.rev !== 'string' || !isRevision(params.rev))) {
    return failure('invalid-arguments', `'${String(params.rev)}' is not a full commit hash (40 or 64 hexadecimal digits)`);
  }
  let rev = params.rev;
  if (rev === undefined) {
    const lockState = inputLockState(state.lock, input);
    if (lockState.state === 'lock-invalid') return failure('not-locked', `flake.lock cannot be read: ${lockState.message}`);
    rev = lockState.state === 'locked' ? lockedRevision(lockState.node) : undefined;
    if (!rev) {
      return failure('not-locked', `Input '${input}' has no locked commit to pin to; update it first or give a commit.`);
    }
  }
  const decl = state.syntax.inputs.find((d) => d.name === input)!;
  const edits = pinInputEdits(decl, rev, state.text);
  const previousRef = edits.ok ? branchDroppedByPin(edits.before, edits.after) : undefined;
  const result = await applyAndRelock(params.flake, location, state, input, edits, deps, `Pinning input '${input}'`, (done) =>
    `${input} pinned to ${shortRevision(rev!)}: ${done.after}` +
    (previousRef ? ` (it followed '${previousRef}'; unpin with that ref to follow it again)` : ''),
  );
  return result.ok && previousRef ? { ...result, previousRef } : result;
}

/** The branch `before` named that `after` no longer does (forge references lose it when pinned). */
export function branchDroppedByPin(before: string, after: string): string | undefined {
  const branchOf = (text: string) => {
    const ref = tryParseFlakeRef(text);
    return ref && namedBranch(ref);
  };
  const previous = branchOf(before);
  return previous !== undefined && branchOf(after) === undefined ? previous : undefined;
}

async function unpin(params: FlakeUnpinParams, deps: FlakeEditDeps): Promise<FlakePinResult> {
  const prepared = prepare(params, deps, 'Unpinning');
  if (isFailure(prepared)) return prepared;
  const { location, state, input } = prepared;
  if (params.ref !== undefined && !isBranchName(params.ref)) {
    return failure('invalid-arguments', `'${String(params.ref)}' is not a branch or tag name`);
  }
  const branch = params.ref ?? rememberedBranch(state, input);
  const decl = state.syntax.inputs.find((d) => d.name === input)!;
  const edits = unpinInputEdits(decl, branch, state.text);
  if (!edits.ok && edits.notPinned) return failure('not-pinned', `Input '${input}' is not pinned to a commit.`);
  return applyAndRelock(params.flake, location, state, input, edits, deps, `Unpinning input '${input}'`, (result) =>
    `${input} unpinned: ${result.after}${branch === undefined ? ' (the default branch)' : ''}${result.lockedRev ? `, locked ${shortRevision(result.lockedRev)}` : ''}`,
  );
}

/** A plausible git branch or tag name (what `git check-ref-format` would not reject outright). */
function isBranchName(ref: unknown): ref is string {
  return typeof ref === 'string' && ref.length > 0 && !isRevision(ref) && !ref.startsWith('-') && !ref.includes('..') && !/[\s\u0000-\u001f\u007f~^:?*[\\]/.test(ref);
}

/**
 * The branch the input was written with, as flake.lock's `original` remembers it. The `locked`
 * ref is not used: Nix fills in the default branch there, and writing that into flake.nix would
 * not restore what the user had.
 */
function rememberedBranch(state: FlakeState, input: string): string | undefined {
  const lockState = inputLockState(state.lock, input);
  if (lockState.state !== 'locked') return undefined;
  const ref = lockState.node.original?.ref;
  return typeof ref === 'string' && !isRevision(ref) ? ref : undefined;
}

interface Prepared {
  readonly location: FlakeLocation;
  readonly state: FlakeState;
  readonly input: string;
}

function prepare(params: { flake: string; input: string }, deps: FlakeEditDeps, doing: string): Prepared | FlakeCommandFailure {
  const location = locateFlake(params?.flake);
  if (isFailure(location)) return location;
  const problem = inputNameProblem(params?.input);
  if (problem) return failure('invalid-arguments', problem);
  const capabilities = requireNix(deps, `${doing} input '${params.input}'`);
  if (isFailure(capabilities)) return capabilities;
  const state = readFlakeState(location, deps.parser);
  const open = deps.openDocument?.(params.flake);
  if (open && open.text !== state.text) {
    return failure('unsaved-changes', 'flake.nix has unsaved changes; save it first, since Nix reads the file on disk.');
  }
  const decl = state.syntax.inputs.find((d) => d.name === params.input);
  if (!decl) {
    const names = state.syntax.inputs.map((d) => d.name);
    return failure('unknown-input', `flake.nix has no input '${params.input}' (its inputs: ${names.join(', ') || 'none'}).`);
  }
  return { location, state, input: params.input };
}

async function applyAndRelock(
  uri: string,
  location: FlakeLocation,
  state: FlakeState,
  input: string,
  edits: InputEditResult,
  deps: FlakeEditDeps,
  doing: string,
  describe: (result: { after: string; lockedRev?: string }) => string,
): Promise<FlakePinResult> {
  if (!edits.ok) return failure('not-pinnable', `${doing}: ${edits.reason}.`);
  const snapshot = snapshotFlake(location);
  const original = state.text;
  const edited = applyTextEdits(original, edits.edits);
  const edit = edits.edits.length > 0 && edited !== original ? workspaceEdit(uri, edits.edits, deps.openDocument?.(uri)?.version) : undefined;

  let unsaved = false;
  if (edit) {
    const applied = await deps.applyEdit(edit).catch(() => false as const);
    unsaved = applied === 'unsaved' && readFileSync(location.flakeNix, 'utf8') === original;
    if (!applied || (!unsaved && readFileSync(location.flakeNix, 'utf8') !== edited)) {
      const restored = await takeBack(uri, location, snapshot, edited, deps);
      return failure(
        'edit-not-applied',
        applied
          ? `${doing}: the edit reached the editor but flake.nix on disk did not change (is it saved?); nothing was locked.`
          : `${doing}: the editor refused the edit to flake.nix; nothing was changed.`,
        { restored },
      );
    }
  }

  const outcome = unsaved ? await lockEditedCopy(location, state.syntax, edited, deps, doing) : await runNixInFlake(deps, location, flakeLockArgs(), doing);
  if (!outcome.ok) {
    const restored = await takeBack(uri, location, snapshot, edited, deps);
    return { ...outcome.failure, restored };
  }
  const lock = readFlakeLock(readIfExists(location.flakeLock));
  const lockedRev = lock.state === 'ok' ? lockedRevisionOf(lock.lock, input) : undefined;
  const result = { after: edits.after, lockedRev };
  return {
    ok: true,
    input,
    before: edits.before,
    after: edits.after,
    ...(lockedRev ? { lockedRev } : {}),
    ...(edit ? { edit } : {}),
    summary: describe(result),
    warnings: [
      ...nixWarnings(outcome.result.stderr),
      ...(unsaved ? ['flake.nix is edited in the editor but not saved: save it, so that the file on disk matches flake.lock.'] : []),
    ],
  };
}

/**
 * Undoes the edit through the editor (so its buffer and undo history agree with the disk), then
 * makes sure both files are byte-identical to the snapshot whatever the editor did.
 */
async function takeBack(uri: string, location: FlakeLocation, snapshot: FlakeSnapshot, edited: string, deps: FlakeEditDeps): Promise<boolean> {
  const current = readIfExists(location.flakeNix);
  const originalText = snapshot.flakeNix.toString('utf8');
  if (current === edited && edited !== originalText) {
    try {
      await deps.applyEdit(workspaceEdit(uri, [differenceEdit(edited, originalText)], deps.openDocument?.(uri)?.version));
    } catch {
      // The files are restored below either way.
    }
  }
  const restoredByEditor = readIfExists(location.flakeNix) === originalText && current !== originalText;
  return restoreFlake(location, snapshot) || restoredByEditor;
}

function workspaceEdit(uri: string, edits: readonly TextEdit[], version: number | undefined): WorkspaceEdit {
  return { documentChanges: [{ textDocument: { uri, version: version ?? null }, edits: [...edits] }] };
}

function lockedRevisionOf(lock: FlakeLock, input: string): string | undefined {
  const node = resolveInputPath(lock, [input])?.node;
  return node && lockedRevision(node);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
