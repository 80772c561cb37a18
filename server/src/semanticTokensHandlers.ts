// Semantic tokens over LSP: the whole document, a range, or the edits since the client's last
// result (`full/delta`). Tokens come from features/semanticTokens.ts as absolute positions; here
// they are encoded relative to each other as the protocol wants, and the last result of each
// document is kept so that a delta after a keystroke is the few numbers that changed.
import type { Connection, SemanticTokens, SemanticTokensDelta, SemanticTokensLegend } from 'vscode-languageserver';
import { DocumentTokens, type PackedTokenList } from './features/semanticTokenReuse';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES, type SemanticTokenList } from './features/semanticTokens';
import { patchEncoded, relative, tokenEdits } from './semanticTokenEncoding';
import type { ServerState } from './serverState';
import type { NixDocument } from './syntax/document';

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

/** The last result sent for a document, packed; dropped with the document. */
const lastResults = new WeakMap<NixDocument, { resultId: string; data: Uint32Array }>();
/** The tokens of each document's versions: the next version computes only what its edit changed. */
const lastTokens = new WeakMap<NixDocument, DocumentTokens>();
let nextResultId = 1;

export function registerSemanticTokensHandlers(connection: Connection, state: ServerState): void {
  // The tokens kept for reuse hold their analysis: a document whose analysis was released to make
  // room must not keep it alive here. Its last encoded result goes too (in a big file, hundreds of
  // thousands of numbers): the client's next delta request is then answered in full.
  state.analysisReleased.add((uri) => {
    const document = state.services?.documents.get(uri);
    if (!document) return;
    lastTokens.delete(document);
    lastResults.delete(document);
  });
  const tokensOf = (document: NixDocument, range?: { start: number; end: number }): SemanticTokenList =>
    semanticTokens(state.analysisOf(document), { fileName: document.uri, range, unusedFormals: state.settings.diagnostics.unusedFormals });

  const documentTokens = (document: NixDocument): DocumentTokens => {
    let tokens = lastTokens.get(document);
    if (!tokens) {
      tokens = new DocumentTokens();
      lastTokens.set(document, tokens);
    }
    return tokens;
  };
  const wholeDocument = (document: NixDocument): PackedTokenList =>
    documentTokens(document).tokensOf(state.analysisOf(document), { fileName: document.uri, unusedFormals: state.settings.diagnostics.unusedFormals });

  const full = (document: NixDocument): SemanticTokens => {
    const data = relative(wholeDocument(document).data);
    const resultId = String(nextResultId++);
    lastResults.set(document, { resultId, data });
    return { resultId, data: Array.from(data) };
  };

  connection.languages.semanticTokens.on(({ textDocument }) => {
    const document = state.openDocument(textDocument.uri);
    return document ? full(document) : { data: [] };
  });

  connection.languages.semanticTokens.onDelta(({ textDocument, previousResultId }): SemanticTokens | SemanticTokensDelta => {
    const document = state.openDocument(textDocument.uri);
    if (!document) return { data: [] };
    const previous = lastResults.get(document);
    if (!previous || previous.resultId !== previousResultId) return full(document);
    // The last result is patched where the tokens changed, when they were made from its tokens.
    const tokens = wholeDocument(document);
    const change = documentTokens(document).lastChange;
    const resultId = String(nextResultId++);
    if (!change) {
      const data = relative(tokens.data);
      lastResults.set(document, { resultId, data });
      return { resultId, edits: tokenEdits(previous.data, data) };
    }
    const { encoded, edits } = patchEncoded(previous.data, tokens.data, change);
    lastResults.set(document, { resultId, data: encoded });
    return { resultId, edits };
  });

  connection.languages.semanticTokens.onRange(({ textDocument, range }) => {
    const document = state.openDocument(textDocument.uri);
    if (!document) return { data: [] };
    return { data: Array.from(relative(tokensOf(document, { start: document.offsetAt(range.start), end: document.offsetAt(range.end) }).data)) };
  });
}
