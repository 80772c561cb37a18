// `textDocument/formatting` and `textDocument/rangeFormatting`. When nothing can be changed (a
// syntax error, a failing formatter command) the user is told why, and the document stays as is.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageType, ShowMessageNotification, type CancellationToken, type Connection, type TextEdit } from 'vscode-languageserver';
import { formatDocument, formatSelection, type FormattingAnswer, type FormattingOptions, type FormattingSource } from './features/formatting/formatting';
import type { ServerState } from './serverState';

export function registerFormattingHandlers(connection: Connection, state: ServerState): void {
  const answer = async (uri: string, token: CancellationToken, run: (source: FormattingSource, options: FormattingOptions) => Promise<FormattingAnswer>): Promise<TextEdit[] | null> => {
    const document = state.openDocument(uri);
    const parser = state.services?.parser;
    if (!document || !parser) return null;
    const version = document.version;
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const source: FormattingSource = { text: document.content, tree: document.tree, positionAt: (offset) => document.positionAt(offset) };
    const options: FormattingOptions = {
      parser,
      command: state.settings.formatting.command,
      trusted: state.trusted,
      cwd: directoryOf(uri),
      signal: controller.signal,
    };
    const result = await run(source, options);
    if ('error' in result) {
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Nix: ${result.error}` });
      return null;
    }
    if (result.note) state.log(result.note);
    // The document may have changed while an external formatter ran: those edits would be wrong.
    if (state.openDocument(uri)?.version !== version) return null;
    return result.edits;
  };
  connection.onDocumentFormatting(({ textDocument }, token) => answer(textDocument.uri, token, formatDocument));
  connection.onDocumentRangeFormatting(({ textDocument, range }, token) =>
    answer(textDocument.uri, token, (source, options) => {
      const document = state.openDocument(textDocument.uri)!;
      return formatSelection(source, document.offsetAt(range.start), document.offsetAt(range.end), options);
    }),
  );
}

/** The directory of a file on disk (the formatter runs there, as it would in a terminal). */
function directoryOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const directory = dirname(fileURLToPath(uri));
  return existsSync(directory) ? directory : undefined;
}
