// Problems between flake.nix and flake.lock: inputs not locked yet, lock entries nothing uses,
// `follows` to inputs that do not exist, a pinned commit the lock disagrees with, URLs that are
// not flake references, and a flake.lock that cannot be read.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { lockedRevision, resolveInputPath, rootInputs, type FlakeLock, type FlakeLockStatus } from '../../flake/flakeLock';
import { FlakeRefError, parseFlakeRef } from '../../flake/flakeRef';
import { pinnedRevision } from '../../flake/flakeRefPinning';
import { inputSource, isAttributeForm, type FlakeInputDecl, type FlakeSyntax } from '../../flake/flakeSyntax';
import { inputLockState } from '../../flake/lockedInput';
import type { StringLiteral } from '../../flake/stringLiteral';
import { shortRevision } from './lockDescription';

export const FlakeDiagnosticCode = {
  inputNotLocked: 'flake-input-not-locked',
  lockEntryUnused: 'flake-lock-entry-unused',
  followsUnknown: 'flake-follows-unknown-input',
  overrideUnknown: 'flake-override-unknown-input',
  pinnedRevisionMismatch: 'flake-pinned-rev-mismatch',
  invalidUrl: 'flake-invalid-url',
  lockInvalid: 'flake-lock-invalid',
} as const;

const SOURCE = 'nix-nur';
const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export interface FlakeDiagnosticsParams {
  readonly syntax: FlakeSyntax;
  readonly lock: FlakeLockStatus;
}

export function flakeDiagnostics(params: FlakeDiagnosticsParams): Diagnostic[] {
  const { syntax, lock } = params;
  if (!syntax.recognized) return [];
  const diagnostics: Diagnostic[] = [];
  const anchor = syntax.inputsKeyRanges[0] ?? syntax.outputs?.formalsRange ?? FILE_START;
  const report = (range: Range, severity: DiagnosticSeverity, code: string, message: string) =>
    diagnostics.push({ range, severity, code, source: SOURCE, message });

  if (lock.state === 'invalid') {
    report(anchor, DiagnosticSeverity.Error, FlakeDiagnosticCode.lockInvalid, `flake.lock cannot be read: ${lock.message}`);
  }
  const names = new Set(syntax.inputs.map((decl) => decl.name));

  for (const decl of syntax.inputs) {
    const nameRange = decl.nameRanges[0] ?? anchor;
    if (decl.url?.literal && !isAttributeForm(decl)) {
      try {
        parseFlakeRef(decl.url.value);
      } catch (error) {
        if (!(error instanceof FlakeRefError)) throw error;
        report(decl.url.range, DiagnosticSeverity.Error, FlakeDiagnosticCode.invalidUrl, error.message);
      }
    }
    if (lock.state !== 'invalid') {
      const state = inputLockState(lock, decl.name);
      if (state.state === 'no-lock' || state.state === 'not-locked') {
        report(
          nameRange,
          DiagnosticSeverity.Information,
          FlakeDiagnosticCode.inputNotLocked,
          `Input '${decl.name}' is not locked yet (${state.state === 'no-lock' ? 'there is no flake.lock' : 'flake.lock has no entry for it'}); run Update or 'nix flake lock'.`,
        );
      }
      if (state.state === 'locked') {
        const source = inputSource(decl);
        const pinned = source && pinnedRevision(source);
        const locked = lockedRevision(state.node);
        if (pinned && locked && pinned !== locked) {
          report(
            pinRange(decl) ?? nameRange,
            DiagnosticSeverity.Warning,
            FlakeDiagnosticCode.pinnedRevisionMismatch,
            `flake.nix pins '${decl.name}' to ${shortRevision(pinned)}, but flake.lock has ${shortRevision(locked)}; run 'nix flake lock' to lock the pinned commit.`,
          );
        }
      }
    }
    if (decl.follows) checkFollows(decl.follows, names, lock, report, `Input '${decl.name}'`);
    for (const override of decl.overrides) {
      if (override.follows) checkFollows(override.follows, names, lock, report, `'${decl.name}/${override.path.join('/')}'`);
      checkOverrideTarget(decl, override.path, override.nameRange, lock, report);
    }
  }

  if (lock.state === 'ok' && syntax.complete) {
    const unused = [...rootInputs(lock.lock).keys()].filter((name) => !names.has(name));
    for (const name of unused) {
      report(
        anchor,
        DiagnosticSeverity.Information,
        FlakeDiagnosticCode.lockEntryUnused,
        `flake.lock still locks input '${name}', which flake.nix no longer has; 'nix flake lock' removes it.`,
      );
    }
  }
  return diagnostics;
}

type Report = (range: Range, severity: DiagnosticSeverity, code: string, message: string) => void;

/** `follows = "a/b"`: `a` must be an input here, and `b` one of a's inputs when the lock knows them. */
function checkFollows(follows: StringLiteral, names: ReadonlySet<string>, lock: FlakeLockStatus, report: Report, subject: string): void {
  if (!follows.literal || follows.value === '') return; // "" follows this flake itself.
  const [first, ...rest] = follows.value.split('/');
  if (!names.has(first)) {
    const known = [...names].join(', ') || 'none';
    report(follows.range, DiagnosticSeverity.Warning, FlakeDiagnosticCode.followsUnknown, `${subject} follows '${follows.value}', but this flake has no input '${first}' (inputs: ${known}).`);
    return;
  }
  if (rest.length === 0 || lock.state !== 'ok') return;
  if (!reachable(lock.lock, [first, ...rest.slice(0, -1)])) return;
  if (!resolveInputPath(lock.lock, [first, ...rest])) {
    report(follows.range, DiagnosticSeverity.Warning, FlakeDiagnosticCode.followsUnknown, `${subject} follows '${follows.value}', but flake.lock shows no such input.`);
  }
}

/** `inputs.hm.inputs.nixpkgs…`: home-manager must have an input called nixpkgs (when the lock knows). */
function checkOverrideTarget(decl: FlakeInputDecl, path: readonly string[], range: Range, lock: FlakeLockStatus, report: Report): void {
  if (lock.state !== 'ok' || path.length === 0) return;
  const parent = resolveInputPath(lock.lock, [decl.name, ...path.slice(0, -1)]);
  if (!parent || !parent.node.flake || !parent.node.locked) return;
  const name = path[path.length - 1];
  if (!parent.node.inputs.has(name)) {
    const known = [...parent.node.inputs.keys()].join(', ') || 'none';
    report(range, DiagnosticSeverity.Warning, FlakeDiagnosticCode.overrideUnknown, `'${[decl.name, ...path.slice(0, -1)].join('/')}' has no input '${name}' to override (its inputs: ${known}).`);
  }
}

function reachable(lock: FlakeLock, path: readonly string[]): boolean {
  const resolved = resolveInputPath(lock, path);
  return resolved !== undefined && resolved.node.locked !== undefined;
}

/** Where the pinned commit is written: in the URL, or the `rev` attribute. */
function pinRange(decl: FlakeInputDecl): Range | undefined {
  return decl.attributes.get('rev')?.bindingRange ?? decl.url?.range;
}
