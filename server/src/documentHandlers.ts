// Document synchronisation and the files documents depend on: open, incremental change, close,
// save, and watched files (flake.lock and `.nix` files, which the workspace index follows).
import type { Connection } from 'vscode-languageserver';
import type { ServerState } from './serverState';

const REPOSITORY_LAYOUT_FILE = /\/(default|flake)\.nix$/;

export function registerDocumentHandlers(connection: Connection, state: ServerState): void {
  connection.onDidOpenTextDocument(({ textDocument }) => {
    if (!state.services) return;
    state.services.documents.open(textDocument.uri, textDocument.version, textDocument.text);
    state.diagnostics.schedule(textDocument.uri, true);
    state.workspace?.documentChanged(textDocument.uri);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    // Only the text is updated here; parsing and diagnostics happen later, off the typing path.
    if (!state.services?.documents.change(textDocument.uri, textDocument.version ?? 0, contentChanges)) return;
    state.diagnostics.schedule(textDocument.uri);
    state.workspace?.documentChanged(textDocument.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    state.forget(textDocument.uri);
    state.workspace?.documentClosed(textDocument.uri);
    // What a build said about the file stays visible in Problems.
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: state.externalDiagnostics.forUri(textDocument.uri) });
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) state.configurations?.saved(change.uri);
    state.workspace?.watchedFilesChanged(changes);
    if (changes.some((change) => REPOSITORY_LAYOUT_FILE.test(change.uri))) state.nurRepositories?.forget();
    // Other `.nix` files matter through the workspace index, which asks for a refresh itself.
    if (changes.some((change) => REPOSITORY_LAYOUT_FILE.test(change.uri) || !change.uri.endsWith('.nix'))) state.refreshAll();
  });

  // Editors without file watching still tell us when a document is saved.
  connection.onDidSaveTextDocument(({ textDocument }) => {
    state.configurations?.saved(textDocument.uri);
    const saved = state.openDocument(textDocument.uri);
    if (saved) state.workspace?.declarationsOf(saved);
    if (!REPOSITORY_LAYOUT_FILE.test(textDocument.uri)) return;
    state.nurRepositories?.forget();
    state.refreshAll();
  });
}
