// Find references and document highlights for local code: every occurrence of a variable, of a
// local attribute, of a builtin, or of a name provided by the same `with`.
import { DocumentHighlightKind, type DocumentHighlight, type Location } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import { occurrencesOf, targetAt } from './symbolTargets';
import { locationOf, rangeOf } from './textEdits';

export function referencesAt(analysis: Analysis, uri: string, offset: number, includeDeclaration = true): Location[] {
  const target = targetAt(analysis, offset);
  if (!target) return [];
  return occurrencesOf(analysis, target, includeDeclaration).map((node) => locationOf(analysis, uri, node));
}

/** Occurrences of the name at `offset`, definitions marked as writes. */
export function highlightsAt(analysis: Analysis, offset: number): DocumentHighlight[] {
  const target = targetAt(analysis, offset);
  if (!target) return [];
  const declarations = new Set(occurrencesOf(analysis, target, true));
  for (const node of occurrencesOf(analysis, target, false)) declarations.delete(node);
  return occurrencesOf(analysis, target, true).map((node) => ({
    range: rangeOf(analysis, node),
    kind: declarations.has(node) ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}
