// Quick fixes for NUR diagnostics. The fix travels in the diagnostic's `data`, which the client
// returns with the code action request, so nothing has to be recomputed or remembered.
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { NUR_DIAGNOSTIC_SOURCE, type NurDiagnosticData, type NurQuickFix } from './nurDiagnostics';

export function nurQuickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== NUR_DIAGNOSTIC_SOURCE) continue;
    const fix = fixOf(diagnostic.data);
    if (!fix) continue;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [uri]: fix.edits } },
    });
  }
  return actions;
}

/** The fix in a diagnostic's data, if the data (which went through the client) still has its shape. */
function fixOf(data: unknown): NurQuickFix | undefined {
  const fix = (data as NurDiagnosticData | undefined)?.fix;
  if (!fix || typeof fix.title !== 'string' || !Array.isArray(fix.edits)) return undefined;
  return fix;
}
