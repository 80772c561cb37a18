// The language server: capabilities, handlers and wiring. This is the only module that knows the
// connection; everything it calls answers with plain data.
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import type { Parser } from 'web-tree-sitter';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './config/settings';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { syntaxDiagnostics } from './features/diagnostics';
import { documentSymbols } from './features/documentSymbols';
import { foldingRanges } from './features/foldingRanges';
import { selectionRanges } from './features/selectionRanges';
import { killAllProcesses } from './nix/process';
import type { NixDocument } from './syntax/document';
import { DocumentStore } from './syntax/documentStore';
import { createNixParser } from './syntax/parser';

export const SERVER_NAME = 'nix-nur-language-server';

export interface ServerOptions {
  version: string;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  let settings: Settings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  let documents: DocumentStore | undefined;
  const reportedSettingProblems = new Set<string>();

  const log = (message: string) => connection.console.log(message);

  const applySettings = (raw: unknown) => {
    const parsed = parseSettings(raw);
    settings = parsed.settings;
    for (const problem of parsed.problems) {
      if (reportedSettingProblems.has(problem)) continue;
      reportedSettingProblems.add(problem);
      void connection.window.showWarningMessage(`Nix: setting ignored — ${problem}`);
    }
  };

  const refreshSettings = async () => {
    if (!pullConfiguration) return;
    try {
      applySettings(await connection.workspace.getConfiguration({ section: 'nixNur' }));
    } catch (error) {
      log(`could not read settings: ${String(error)}`);
    }
  };

  const tooLarge = new Set<string>();
  /**
   * The document, unless it is larger than `nixNur.maxFileSize`: parsing a multi-megabyte generated
   * file takes seconds and hundreds of megabytes, so such files get no tree-based features.
   */
  const parsable = (document: NixDocument | undefined): NixDocument | undefined => {
    if (!document) return undefined;
    if (document.length <= settings.maxFileSize) return document;
    if (!tooLarge.has(document.uri)) {
      tooLarge.add(document.uri);
      log(`${document.uri} has ${document.length} characters, more than nixNur.maxFileSize (${settings.maxFileSize}): not analysed`);
    }
    return undefined;
  };

  const diagnostics = new DiagnosticsScheduler<NixDocument>({
    delayMs: () => settings.diagnostics.debounceMs,
    current: (uri) => documents?.get(uri),
    compute: (document) => (parsable(document) ? syntaxDiagnostics(document) : []),
    publish: (uri, version, list) => void connection.sendDiagnostics({ uri, version, diagnostics: list }),
    onError: (uri, error) => log(`diagnostics failed for ${uri}: ${error instanceof Error ? error.stack : String(error)}`),
  });

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const init = (params.initializationOptions ?? {}) as { nixNur?: unknown };
    applySettings(init.nixNur);
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    const parser: Parser = await createNixParser();
    documents = new DocumentStore(parser);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: { label: 'Nix' },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
      },
      serverInfo: { name: SERVER_NAME, version: options.version },
    };
  });

  connection.onInitialized(async () => {
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'nixNur' }).catch(() => undefined);
      await refreshSettings();
    }
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (pullConfiguration) await refreshSettings();
    else applySettings((change.settings as { nixNur?: unknown } | undefined)?.nixNur);
    for (const document of documents?.all() ?? []) diagnostics.schedule(document.uri);
  });

  connection.onDidOpenTextDocument(({ textDocument }) => {
    if (!documents) return;
    documents.open(textDocument.uri, textDocument.version, textDocument.text);
    diagnostics.schedule(textDocument.uri, true);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    // Only the text is updated here; parsing and diagnostics happen later, off the typing path.
    if (!documents?.change(textDocument.uri, textDocument.version ?? 0, contentChanges)) return;
    diagnostics.schedule(textDocument.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    diagnostics.cancel(textDocument.uri);
    documents?.close(textDocument.uri);
    tooLarge.delete(textDocument.uri);
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  connection.onDocumentSymbol(({ textDocument }) => {
    const document = parsable(documents?.get(textDocument.uri));
    return document ? documentSymbols(document.tree) : null;
  });

  connection.onFoldingRanges(({ textDocument }) => {
    const document = parsable(documents?.get(textDocument.uri));
    return document ? foldingRanges(document.tree) : null;
  });

  connection.onSelectionRanges(({ textDocument, positions }) => {
    const document = parsable(documents?.get(textDocument.uri));
    return document ? selectionRanges(document.tree, positions.map((position) => document.offsetAt(position))) : null;
  });

  connection.onShutdown(() => {
    diagnostics.dispose();
    killAllProcesses();
    documents?.dispose();
  });

  connection.listen();
}
