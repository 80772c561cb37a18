// Code lenses over flake.nix inputs: what each is locked to, and Update / Pin / Unpin.
import type { CodeLens } from 'vscode-languageserver-types';
import { lockedRevision, type FlakeLockStatus } from '../../flake/flakeLock';
import { pinnedRevision, pinSupport } from '../../flake/flakeRefPinning';
import { inputSource, type FlakeSyntax } from '../../flake/flakeSyntax';
import { inputLockState } from '../../flake/lockedInput';
import { lockedSummary } from './lockDescription';

export const FLAKE_UPDATE_COMMAND = 'nixNur.flake.update';
export const FLAKE_PIN_COMMAND = 'nixNur.flake.pin';
export const FLAKE_UNPIN_COMMAND = 'nixNur.flake.unpin';

export interface FlakeCodeLensParams {
  readonly syntax: FlakeSyntax;
  readonly lock: FlakeLockStatus;
  /** URI of the flake.nix, passed back to the commands. */
  readonly flakeUri: string;
  readonly now: Date;
}

/** Arguments of the lens commands: `{ flake: <uri of flake.nix>, input?: <name> }`. */
export interface FlakeInputCommandArgs {
  readonly flake: string;
  readonly input?: string;
}

export function flakeCodeLenses(params: FlakeCodeLensParams): CodeLens[] {
  const lenses: CodeLens[] = [];
  const { flakeUri } = params;
  for (const decl of params.syntax.inputs) {
    const range = decl.nameRanges[0];
    if (!range) continue;
    const args: FlakeInputCommandArgs = { flake: flakeUri, input: decl.name };
    const info = (title: string) => lenses.push({ range, command: { title, command: '' } });
    const state = inputLockState(params.lock, decl.name);

    if (state.state === 'lock-invalid') {
      info('flake.lock cannot be read');
      continue;
    }
    if (decl.follows) {
      info(state.state === 'locked' ? `follows ${decl.follows.value || '(this flake)'} · ${lockedSummary(state.node, params.now)}` : `follows ${decl.follows.value}`);
      continue;
    }
    if (state.state !== 'locked') {
      info('not locked yet');
      lenses.push({ range, command: { title: 'Lock', command: FLAKE_UPDATE_COMMAND, arguments: [args] } });
      continue;
    }
    info(lockedSummary(state.node, params.now));
    const source = inputSource(decl);
    const pinned = source ? pinnedRevision(source) : undefined;
    if (pinned) {
      lenses.push({ range, command: { title: 'Unpin', command: FLAKE_UNPIN_COMMAND, arguments: [args] } });
      continue;
    }
    lenses.push({ range, command: { title: 'Update', command: FLAKE_UPDATE_COMMAND, arguments: [args] } });
    if (source && pinSupport(source).pinnable && lockedRevision(state.node)) {
      lenses.push({ range, command: { title: 'Pin', command: FLAKE_PIN_COMMAND, arguments: [args] } });
    }
  }
  // Over the `inputs = { … }` block, or else after the lenses of the first input on its line.
  const declared = params.syntax.inputs.filter((decl) => !decl.implicit);
  const anchor = params.syntax.inputsBlockKeyRange ?? params.syntax.inputsKeyRanges[0];
  if (declared.length > 1 && anchor && params.lock.state !== 'invalid') {
    const args: FlakeInputCommandArgs = { flake: flakeUri };
    lenses.push({ range: anchor, command: { title: 'Update all inputs', command: FLAKE_UPDATE_COMMAND, arguments: [args] } });
  }
  return lenses;
}
