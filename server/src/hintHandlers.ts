// Inlay hints and signature help over LSP: each handler finds the document and asks its feature.
import type { Connection } from 'vscode-languageserver';
import { inlayHints } from './features/inlayHints';
import { signatureHelp } from './features/signatureHelp';
import { isFlakeDocument } from './flakeDocuments';
import type { ServerState } from './serverState';

export function registerHintHandlers(connection: Connection, state: ServerState): void {
  connection.languages.inlayHint.on(({ textDocument, range }) => {
    const document = state.openDocument(textDocument.uri);
    if (!document) return null;
    const flakes = state.flakes;
    const flake = flakes && isFlakeDocument(document.uri) ? { syntax: flakes.syntax(document), lock: flakes.lock(document.uri), now: new Date() } : undefined;
    return inlayHints({
      analysis: state.analysisOf(document),
      fileName: document.uri,
      range: { start: document.offsetAt(range.start), end: document.offsetAt(range.end) },
      kinds: state.settings.inlayHints,
      knowledge: state.knowledge,
      flake,
    });
  });

  connection.onSignatureHelp(({ textDocument, position }) => {
    const document = state.openDocument(textDocument.uri);
    return document ? signatureHelp(state.analysisOf(document), document.offsetAt(position), state.knowledge) : null;
  });
}
