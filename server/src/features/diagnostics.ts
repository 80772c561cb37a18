// All diagnostics of one document, from every source that can speak about it.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { NixDocument } from '../syntax/document';
import { syntaxProblems } from '../syntax/syntaxErrors';

export const DIAGNOSTIC_SOURCE = 'nix-nur';

export function syntaxDiagnostics(document: NixDocument): Diagnostic[] {
  return syntaxProblems(document.tree).map((problem) => ({
    range: problem.range,
    message: problem.message,
    code: problem.code,
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
  }));
}
