// Code actions beyond the diagnostics' own quick fixes: the refactorings that apply at the
// selection, and the fixes of the lints around it, as LSP code actions.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeAction, CodeActionContext, CodeActionKind, Range } from 'vscode-languageserver';
import type { Analysis } from './analysis/analysis';
import { assistCodeAction, assistsAt } from './features/assists/assists';
import { findLints, lintDiagnostics } from './features/lints/lints';
import type { NixDocument } from './syntax/document';

export interface RefactorOptions {
  /** The client can create files as part of an edit. */
  createFiles: boolean;
  /** Lint codes the user silenced: their fixes are not offered as quick fixes either. */
  ignore?: readonly string[];
  log?: (message: string) => void;
}

export function refactorActions(document: NixDocument, analysis: Analysis, range: Range, context: CodeActionContext, options: RefactorOptions): CodeAction[] {
  if (analysis.skipped) return [];
  const start = analysis.lines.offsetAt(range.start);
  const end = analysis.lines.offsetAt(range.end);
  const only = context.only;
  const actions: CodeAction[] = [];

  const lints = findLints(analysis, start, end).filter((lint) => !options.ignore?.includes(lint.code));
  const diagnostics = lintDiagnostics(analysis, lints);
  lints.forEach((lint, index) => {
    lint.fixes().forEach((fix, fixIndex) => {
      const action = assistCodeAction(analysis, document, fix, only);
      if (action) actions.push({ ...action, diagnostics: [diagnostics[index]!], isPreferred: fixIndex === 0 });
    });
  });

  const directory = document.uri.startsWith('file:') ? dirname(fileURLToPath(document.uri)) : undefined;
  const results = assistsAt(
    {
      analysis,
      start,
      end,
      canCreateFiles: options.createFiles && !!directory,
      siblingExists: (name) => !!directory && existsSync(join(directory, name)),
    },
    (error) => options.log?.(`refactoring failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  const seen = new Set(actions.map((a) => a.title));
  for (const result of results) {
    if (seen.has(result.title)) continue;
    seen.add(result.title);
    const action = assistCodeAction(analysis, document, result, only);
    if (action) actions.push(action);
  }
  return actions;
}

export const REFACTOR_KINDS: CodeActionKind[] = ['refactor.rewrite', 'refactor.extract', 'refactor.inline'];
