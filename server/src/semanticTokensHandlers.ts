// Semantic tokens over LSP: the whole document, a range, or the edits since the client's last
// result (`full/delta`). Tokens come from features/semanticTokens.ts as absolute positions; here
// they are encoded relative to each other as the protocol wants, and the last result of each
// document is kept so that a delta after a keystroke is the few numbers that changed.
import type { Connection, SemanticTokens, SemanticTokensDelta, SemanticTokensEdit, SemanticTokensLegend } from 'vscode-languageserver';
import { DocumentTokens } from './features/semanticTokenReuse';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES, type SemanticTokenList } from './features/semanticTokens';
import type { ServerState } from './serverState';
import type { NixDocument } from './syntax/document';

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

/** The last full result sent for a document; dropped with the document. */
const lastResults = new WeakMap<NixDocument, { resultId: string; data: number[] }>();
/** The tokens of each document's versions: the next version computes only what its edit changed. */
const lastTokens = new WeakMap<NixDocument, DocumentTokens>();
let nextResultId = 1;

export function registerSemanticTokensHandlers(connection: Connection, state: ServerState): void {
  // The tokens kept for reuse hold their analysis: a document whose analysis was released to make
  // room must not keep it alive here. The encoded result stays (deltas need it; it is small).
  state.analysisReleased.add((uri) => {
    const document = state.services?.documents.get(uri);
    if (document) lastTokens.delete(document);
  });
  const tokensOf = (document: NixDocument, range?: { start: number; end: number }): SemanticTokenList =>
    semanticTokens(state.analysisOf(document), { fileName: document.uri, range, unusedFormals: state.settings.diagnostics.unusedFormals });

  const wholeDocument = (document: NixDocument): SemanticTokenList => {
    let tokens = lastTokens.get(document);
    if (!tokens) {
      tokens = new DocumentTokens();
      lastTokens.set(document, tokens);
    }
    return tokens.tokensOf(state.analysisOf(document), { fileName: document.uri, unusedFormals: state.settings.diagnostics.unusedFormals });
  };

  const full = (document: NixDocument): SemanticTokens => {
    const data = relative(wholeDocument(document).data);
    const resultId = String(nextResultId++);
    lastResults.set(document, { resultId, data });
    return { resultId, data };
  };

  connection.languages.semanticTokens.on(({ textDocument }) => {
    const document = state.openDocument(textDocument.uri);
    return document ? full(document) : { data: [] };
  });

  connection.languages.semanticTokens.onDelta(({ textDocument, previousResultId }): SemanticTokens | SemanticTokensDelta => {
    const document = state.openDocument(textDocument.uri);
    if (!document) return { data: [] };
    const previous = lastResults.get(document);
    const next = full(document);
    if (!previous || previous.resultId !== previousResultId) return next;
    return { resultId: next.resultId, edits: tokenEdits(previous.data, next.data) };
  });

  connection.languages.semanticTokens.onRange(({ textDocument, range }) => {
    const document = state.openDocument(textDocument.uri);
    if (!document) return { data: [] };
    return { data: relative(tokensOf(document, { start: document.offsetAt(range.start), end: document.offsetAt(range.end) }).data) };
  });
}

/** Absolute (line, character) pairs to the protocol's: each relative to the token before it. */
export function relative(absolute: readonly number[]): number[] {
  const data = absolute.slice();
  let previousLine = 0;
  let previousCharacter = 0;
  for (let i = 0; i < data.length; i += 5) {
    const line = absolute[i]!;
    const character = absolute[i + 1]!;
    data[i] = line - previousLine;
    data[i + 1] = line === previousLine ? character - previousCharacter : character;
    previousLine = line;
    previousCharacter = character;
  }
  return data;
}

/**
 * One edit replacing what differs between two encoded results: everything between their common
 * start and common end. Typing changes a few tokens in one place, and because positions are
 * relative, the tokens after the edit's line stay equal.
 */
export function tokenEdits(before: readonly number[], after: readonly number[]): SemanticTokensEdit[] {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before[start] === after[start]) start++;
  if (start === before.length && start === after.length) return [];
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return [{ start, deleteCount: endBefore - start, data: after.slice(start, endAfter) }];
}
