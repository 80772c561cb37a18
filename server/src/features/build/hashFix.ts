// A fixed-output hash mismatch as a diagnostic on the hash in the source, and the quick fix that
// writes the hash Nix got: the "build, copy the hash, paste" loop in one click.
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';
import type { HashMismatch } from '../../nix/nixErrors';
import type { HashSite } from './hashSite';

export const BUILD_DIAGNOSTIC_SOURCE = 'nix build';
export const HASH_MISMATCH_CODE = 'hash-mismatch';

/** Carried in `Diagnostic.data` so the code action can be made later from the diagnostic alone. */
export interface HashFixData {
  kind: 'nixNur.hashFix';
  /** The source text the fix replaces; the fix is withdrawn if the text has changed since. */
  currentText: string;
  /** The hash literal to write, with its quotes. */
  newText: string;
  got: string;
}

export function hashMismatchDiagnostic(site: HashSite, mismatch: HashMismatch, candidates: number): Diagnostic {
  const data: HashFixData = { kind: 'nixNur.hashFix', currentText: site.currentText, newText: site.newText, got: mismatch.got };
  const placeholder = site.kind !== 'literal' || /^sha\d+-A+=*$/.test(mismatch.specified);
  const lines = [
    `Hash mismatch in fixed-output derivation '${mismatch.drvName}'.`,
    placeholder ? `Nix got: ${mismatch.got}` : `Specified: ${mismatch.specified}\nNix got:   ${mismatch.got}`,
  ];
  if (candidates > 1) lines.push(`(${candidates} placeholder hashes could belong to this derivation; this is one of them.)`);
  return {
    range: site.range,
    severity: DiagnosticSeverity.Error,
    source: BUILD_DIAGNOSTIC_SOURCE,
    code: HASH_MISMATCH_CODE,
    message: lines.join('\n'),
    data,
  };
}

export function isHashFixData(data: unknown): data is HashFixData {
  const candidate = data as Partial<HashFixData> | undefined;
  return !!candidate && candidate.kind === 'nixNur.hashFix' && typeof candidate.newText === 'string' && typeof candidate.currentText === 'string';
}

/**
 * The quick fix for one hash-mismatch diagnostic. `textAt` reads the document as it is now; when
 * the text under the diagnostic is no longer what the build saw, no fix is offered.
 */
export function hashFixAction(uri: string, diagnostic: Diagnostic, textAt?: (range: Range) => string): CodeAction | undefined {
  if (diagnostic.code !== HASH_MISMATCH_CODE || !isHashFixData(diagnostic.data)) return undefined;
  const data = diagnostic.data;
  if (textAt && textAt(diagnostic.range) !== data.currentText) return undefined;
  return {
    title: `Use the hash Nix got (${data.got})`,
    kind: CodeActionKind.QuickFix,
    isPreferred: true,
    diagnostics: [diagnostic],
    edit: { changes: { [uri]: [{ range: diagnostic.range, newText: data.newText }] } },
  };
}

/** Quick fixes for the diagnostics of a `textDocument/codeAction` request. */
export function hashFixActions(uri: string, diagnostics: readonly Diagnostic[], textAt?: (range: Range) => string): CodeAction[] {
  return diagnostics.map((diagnostic) => hashFixAction(uri, diagnostic, textAt)).filter((action): action is CodeAction => !!action);
}
