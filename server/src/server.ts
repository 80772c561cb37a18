// The language server: capabilities, handlers and wiring. This is the only module that knows the
// connection; everything it calls answers with plain data.
import { join } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeLens,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { CommandError, CommandRegistry, type CommandContext, type ProgressReporter } from './commandRegistry';
import { registerBuildCommands } from './commands/build';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './config/settings';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { ExternalDiagnostics, type FileDiagnostics } from './externalDiagnostics';
import { buildLenses } from './features/build/buildLenses';
import { hashFixActions } from './features/build/hashFix';
import { syntaxDiagnostics } from './features/diagnostics';
import { documentSymbols } from './features/documentSymbols';
import { foldingRanges } from './features/foldingRanges';
import { selectionRanges } from './features/selectionRanges';
import { killAllProcesses } from './nix/process';
import { detectNix, type NixCapabilities } from './nix/version';
import type { Services } from './services';
import type { NixDocument } from './syntax/document';
import { DocumentStore } from './syntax/documentStore';
import { createNixParser } from './syntax/parser';

export const SERVER_NAME = 'nix-nur-language-server';

export interface ServerOptions {
  version: string;
}

/** What a client may pass in `initializationOptions`, besides the settings. */
interface InitializationOptions {
  nixNur?: unknown;
  /** Where indexes are cached (VS Code's global storage); defaults to $XDG_CACHE_HOME/nix-nur. */
  cacheDirectory?: string;
  /** False in an untrusted VS Code workspace; editors without a notion of trust leave it out. */
  trusted?: boolean;
  /** The client shows `nixNur/output` notifications (build logs) itself. */
  outputNotifications?: boolean;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  let settings: Settings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  let services: Services | undefined;
  let trusted = true;
  let outputNotifications = false;
  let serverProgress = false;
  const commands = new CommandRegistry();
  const externalDiagnostics = new ExternalDiagnostics();
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

  // The installed Nix, detected once per bin directory (its version decides argument vectors).
  let detected: { binDir: string; capabilities: Promise<NixCapabilities | undefined> } | undefined;
  const nix = (): Promise<NixCapabilities | undefined> => {
    const binDir = settings.nix.binDir;
    if (!detected || detected.binDir !== binDir) {
      detected = { binDir, capabilities: detectNix(binDir ? join(binDir, 'nix') : 'nix') };
    }
    return detected.capabilities;
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
  const openDocument = (uri: string) => parsable(services?.documents.get(uri));

  const diagnostics = new DiagnosticsScheduler<NixDocument>({
    delayMs: () => settings.diagnostics.debounceMs,
    current: (uri) => services?.documents.get(uri),
    compute: (document) => [...(parsable(document) ? syntaxDiagnostics(document) : []), ...externalDiagnostics.forUri(document.uri)],
    publish: (uri, version, list) => void connection.sendDiagnostics({ uri, version, diagnostics: list }),
    onError: (uri, error) => log(`diagnostics failed for ${uri}: ${error instanceof Error ? error.stack : String(error)}`),
  });

  const publishExternal = (origin: string, files: FileDiagnostics[]) => {
    for (const uri of externalDiagnostics.replace(origin, files)) {
      // Open documents merge them with their own diagnostics; others show them alone.
      if (services?.documents.get(uri)) diagnostics.schedule(uri, true);
      else void connection.sendDiagnostics({ uri, diagnostics: externalDiagnostics.forUri(uri) });
    }
  };

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    applySettings(init.nixNur);
    trusted = init.trusted !== false;
    outputNotifications = init.outputNotifications === true;
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    serverProgress = !!params.capabilities.window?.workDoneProgress;
    const parser = await createNixParser();
    services = {
      settings: () => settings,
      documents: new DocumentStore(parser),
      parser,
      nix,
      nixTools: () => ({ binDir: settings.nix.binDir || undefined }),
      externalDiagnostics,
      publishExternal,
      log,
    };
    registerBuildCommands(commands, services);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: { label: 'Nix' },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: commands.ids() },
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
    for (const document of services?.documents.all() ?? []) diagnostics.schedule(document.uri);
  });

  connection.onDidOpenTextDocument(({ textDocument }) => {
    if (!services) return;
    services.documents.open(textDocument.uri, textDocument.version, textDocument.text);
    diagnostics.schedule(textDocument.uri, true);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    // Only the text is updated here; parsing and diagnostics happen later, off the typing path.
    if (!services?.documents.change(textDocument.uri, textDocument.version ?? 0, contentChanges)) return;
    diagnostics.schedule(textDocument.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    diagnostics.cancel(textDocument.uri);
    services?.documents.close(textDocument.uri);
    tooLarge.delete(textDocument.uri);
    // What a build said about the file stays visible in Problems.
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: externalDiagnostics.forUri(textDocument.uri) });
  });

  connection.onDocumentSymbol(({ textDocument }) => {
    const document = openDocument(textDocument.uri);
    return document ? documentSymbols(document.tree) : null;
  });

  connection.onFoldingRanges(({ textDocument }) => {
    const document = openDocument(textDocument.uri);
    return document ? foldingRanges(document.tree) : null;
  });

  connection.onSelectionRanges(({ textDocument, positions }) => {
    const document = openDocument(textDocument.uri);
    return document ? selectionRanges(document.tree, positions.map((position) => document.offsetAt(position))) : null;
  });

  connection.onCodeLens(({ textDocument }): CodeLens[] | null => {
    const document = openDocument(textDocument.uri);
    if (!document) return null;
    return buildLenses(document).map((lens) => ({
      range: lens.range,
      command: { title: lens.title, command: 'nixNur.build', arguments: [lens.params] },
    }));
  });

  connection.onCodeAction(({ textDocument, context }): CodeAction[] => {
    const document = services?.documents.get(textDocument.uri);
    const textAt = document
      ? (range: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
          document.content.slice(document.offsetAt(range.start), document.offsetAt(range.end))
      : undefined;
    return hashFixActions(textDocument.uri, context.diagnostics, textAt);
  });

  connection.onNotification('nixNur/setTrusted', (params: { trusted?: boolean }) => {
    trusted = params?.trusted === true;
  });

  const startProgress = async (title: string, cancellable: boolean, abort: () => void): Promise<ProgressReporter> => {
    if (!serverProgress) return { report: () => undefined, done: () => undefined };
    const reporter = await connection.window.createWorkDoneProgress();
    reporter.begin(title, 0, undefined, cancellable);
    reporter.token.onCancellationRequested(abort);
    return {
      report: (message, percentage) => reporter.report(percentage ?? 0, message),
      done: () => reporter.done(),
    };
  };

  connection.onExecuteCommand(async (params, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const progresses: Promise<ProgressReporter>[] = [];
    const context: CommandContext = {
      signal: controller.signal,
      trusted,
      progress: (title, cancellable = true) => {
        const started = startProgress(title, cancellable, () => controller.abort());
        progresses.push(started);
        return {
          report: (message, percentage) => void started.then((p) => p.report(message, percentage)),
          done: (message) => void started.then((p) => p.done(message)),
        };
      },
      output: (line) =>
        outputNotifications
          ? void connection.sendNotification('nixNur/output', { command: params.command, line })
          : connection.console.log(line),
    };
    try {
      return await commands.execute(params.command, params.arguments, context);
    } catch (error) {
      if (error instanceof CommandError) throw new ResponseError(ErrorCodes.InvalidRequest, error.message, error.details);
      log(`command ${params.command} failed: ${error instanceof Error ? error.stack : String(error)}`);
      throw new ResponseError(ErrorCodes.InternalError, `${params.command} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      // A command that forgot to end its progress must not leave a spinner behind.
      for (const started of progresses) void started.then((p) => p.done());
    }
  });

  connection.onShutdown(() => {
    diagnostics.dispose();
    killAllProcesses();
    services?.documents.dispose();
  });

  connection.listen();
}
