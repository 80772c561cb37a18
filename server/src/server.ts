// The language server: capabilities, handlers and wiring. This is the only module that knows the
// connection; everything it calls answers with plain data.
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressReporter,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { CommandError, CommandRegistry, type CommandContext, type ProgressReporter } from './commandRegistry';
import { registerBuildCommands } from './commands/build';
import { registerFlakeCommands } from './commands/flake';
import { registerKnowledgeCommands } from './commands/knowledge';
import { registerNurCommands } from './commands/nur';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './config/settings';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { ExternalDiagnostics, type FileDiagnostics } from './externalDiagnostics';
import { buildLenses } from './features/build/buildLenses';
import { flakeCodeLenses } from './features/flake/flakeCodeLens';
import { flakeCompletions } from './features/flake/flakeCompletion';
import { flakeDiagnostics } from './features/flake/flakeDiagnostics';
import { flakeHover } from './features/flake/flakeHover';
import { nurDiagnostics } from './features/nur/nurDiagnostics';
import { nurQuickFixes } from './features/nur/nurQuickFixes';
import { FlakeDocuments, isFlakeDocument } from './flakeDocuments';
import { analyzeTree, type Analysis } from './analysis/analysis';
import { defaultBuiltins, type BuiltinsTable } from './analysis/builtins';
import { definitionAt } from './features/local/definition';
import { localDiagnostics } from './features/local/diagnostics';
import { documentLinks } from './features/local/documentLinks';
import { localQuickFixes } from './features/local/quickFixes';
import { highlightsAt, referencesAt } from './features/local/references';
import { prepareRename, renameAt } from './features/local/rename';
import { installedBuiltins } from './nix/builtinsDump';
import { NurDocuments } from './nurDocuments';
import { childProcessExecutor, type BuildExecutor } from './knowledge/buildExecutor';
import { KnowledgeService } from './knowledge/knowledgeService';
import type { KnowledgeSettings } from './knowledge/sourcePlan';
import { contextAt } from './analysis/context';
import { completionsFor, type CompletionData } from './features/completion';
import { completionDocumentation, hoverFor } from './features/hover';
import { nurRepoMatcher } from './features/nurRepoUrls';
import { fileURLToPath } from 'node:url';
import type { NurRepoRecord } from './knowledge/nurRecord';
import { savedEditApplier } from './workspaceEdits';
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

/**
 * Index builds stream hundreds of megabytes of JSON: in the bundled server they run in a child
 * process (dist/indexBuilder.js beside dist/server.js) so the server's own memory stays small.
 * Running from sources (tests), they run in-process.
 */
function indexBuilderExecutor(): BuildExecutor | undefined {
  const script = typeof __dirname === 'string' ? join(__dirname, 'indexBuilder.js') : undefined;
  return script && existsSync(script) ? childProcessExecutor({ script }) : undefined;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  let settings: Settings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  let services: Services | undefined;
  let trusted = true;
  let outputNotifications = false;
  let serverProgress = false;
  let watchFiles = false;
  let codeLensRefresh = false;
  let flakes: FlakeDocuments | undefined;
  let nurRepositories: NurDocuments | undefined;
  let knowledge: KnowledgeService | undefined;
  let builtins: BuiltinsTable = defaultBuiltins;
  const analyses = new Map<string, { version: number; analysis: Analysis }>();
  const commands = new CommandRegistry();
  const lookupNurRepo = (name: string): NurRepoRecord | undefined => knowledge?.lookupNurRepo(name);
  const nurRepoMatch = nurRepoMatcher(() => nurRepoList());
  const nurRepoList = () => {
    const repos = knowledge?.nurRepos();
    if (!repos) return [];
    return repos.names({ limit: Number.MAX_SAFE_INTEGER }).items.flatMap((name) => {
      const record = repos.lookup(name);
      return record?.url ? [{ name, url: record.url }] : [];
    });
  };
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
    compute: (document) => [...(parsable(document) ? textDiagnostics(document) : []), ...externalDiagnostics.forUri(document.uri)],
    publish: (uri, version, list) => void connection.sendDiagnostics({ uri, version, diagnostics: list }),
    onError: (uri, error) => log(`diagnostics failed for ${uri}: ${error instanceof Error ? error.stack : String(error)}`),
  });

  /** Scopes and names of a document, computed once per version. */
  const analysisOf = (document: NixDocument): Analysis => {
    const cached = analyses.get(document.uri);
    if (cached && cached.version === document.version) return cached.analysis;
    let analysis: Analysis;
    try {
      analysis = analyzeTree(document.tree, { builtins, maxAnalysisSize: settings.maxFileSize });
    } catch (error) {
      // Pathological input (nesting thousands deep) must cost the semantic features of that one
      // document, not its syntax diagnostics or the server.
      log(`analysis of ${document.uri} failed, semantic features are off for it: ${error instanceof Error ? error.message : String(error)}`);
      analysis = analyzeTree(document.tree, { builtins, maxAnalysisSize: 0 });
    }
    analyses.set(document.uri, { version: document.version, analysis });
    return analysis;
  };

  /** Everything the text of a document (and the files beside it) says about it. */
  const textDiagnostics = (document: NixDocument) => {
    const list = syntaxDiagnostics(document);
    list.push(...localDiagnostics(analysisOf(document), document.uri, { unusedFormals: settings.diagnostics.unusedFormals }));
    if (flakes && isFlakeDocument(document.uri)) {
      list.push(...flakeDiagnostics({ syntax: flakes.syntax(document), lock: flakes.lock(document.uri) }));
    }
    const nur = nurRepositories?.rootOf(document.uri);
    if (nur) list.push(...nurDiagnostics(document.tree, nur));
    return list;
  };

  /** Something on disk that documents depend on changed (a lock file, a repository's layout). */
  const refreshAll = () => {
    for (const document of services?.documents.all() ?? []) diagnostics.schedule(document.uri);
    if (codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  };

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
    watchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    const parser = await createNixParser();
    const documents = new DocumentStore(parser);
    const nixEnv = () =>
      settings.nix.binDir ? { ...process.env, PATH: `${settings.nix.binDir}${delimiter}${process.env.PATH ?? ''}` } : process.env;
    services = {
      settings: () => settings,
      documents,
      parser,
      nix,
      nixTools: () => ({ binDir: settings.nix.binDir || undefined, env: nixEnv() }),
      nixProgram: (name) => (settings.nix.binDir ? join(settings.nix.binDir, name) : name),
      nixEnv,
      externalDiagnostics,
      publishExternal,
      log,
    };
    flakes = new FlakeDocuments();
    nurRepositories = new NurDocuments(parser);
    const folders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
    if (folders.length === 0 && params.rootUri) folders.push(params.rootUri);
    const notified = new Set<string>();
    knowledge = new KnowledgeService({
      settings: knowledgeSettings(),
      workspaceFolders: folders.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri)),
      cacheDir: init.cacheDirectory,
      trusted,
      log,
      notify: (message) => {
        if (notified.has(message)) return;
        notified.add(message);
        void connection.window.showWarningMessage(`Nix: ${message}`);
      },
      progress: (title) => {
        const started = startProgress(title, false, () => undefined);
        return {
          report: (message, percent) => void started.then((p) => p.report(message, percent)),
          done: () => void started.then((p) => p.done()),
        };
      },
      nixEnv: settings.nix.binDir ? { PATH: String(nixEnv().PATH) } : undefined,
      executor: indexBuilderExecutor(),
    });
    const applyEdit = savedEditApplier(documents, {
      applyEditInEditor: async (edit) => (await connection.workspace.applyEdit(edit)).applied,
      saveInEditor: (uri) =>
        connection.sendRequest('nixNur/saveDocument', { uri }).then(
          (saved) => saved === true,
          () => false,
        ),
    });
    registerBuildCommands(commands, services);
    registerKnowledgeCommands(commands, () => knowledge, () => builtins);
    registerFlakeCommands(commands, services, applyEdit, refreshAll);
    registerNurCommands(commands, services, applyEdit, lookupNurRepo, () => {
      nurRepositories?.forget();
      refreshAll();
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: { label: 'Nix' },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        completionProvider: { triggerCharacters: ['.', '"', '/', ':'], resolveProvider: true },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: commands.ids() },
      },
      serverInfo: { name: SERVER_NAME, version: options.version },
    };
  });

  /** The knowledge layer's view of the settings. */
  const knowledgeSettings = (): KnowledgeSettings => ({
    nixpkgs: settings.nixpkgs,
    nixos: settings.nixos,
    homeManager: settings.homeManager,
    nur: settings.nur,
    offline: settings.offline,
    nix: { path: services?.nixProgram('nix') ?? 'nix' },
  });

  connection.onInitialized(async () => {
    // The installed Nix describes its own builtins (docs and arguments); the committed table
    // stands in until then, and for good when there is no Nix.
    void installedBuiltins(defaultBuiltins, services?.nixProgram('nix'), { env: services?.nixEnv(), timeoutMs: 20_000 }).then((installed) => {
      builtins = installed.table;
      analyses.clear();
      if (installed.error) log(`builtins: using the built-in table (${installed.error})`);
    });
    if (watchFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/flake.lock' }, { globPattern: '**/default.nix' }, { globPattern: '**/flake.nix' }],
        })
        .catch(() => undefined);
    }
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'nixNur' }).catch(() => undefined);
      await refreshSettings();
      knowledge?.updateSettings(knowledgeSettings());
    }
    // Indexes load in the background; requests answer from whatever is loaded meanwhile.
    knowledge?.start();
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (pullConfiguration) await refreshSettings();
    else applySettings((change.settings as { nixNur?: unknown } | undefined)?.nixNur);
    knowledge?.updateSettings(knowledgeSettings());
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
    analyses.delete(textDocument.uri);
    flakes?.forget(textDocument.uri);
    tooLarge.delete(textDocument.uri);
    // What a build said about the file stays visible in Problems.
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: externalDiagnostics.forUri(textDocument.uri) });
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    if (changes.some((change) => /\/(default|flake)\.nix$/.test(change.uri))) nurRepositories?.forget();
    refreshAll();
  });
  // Editors without file watching still tell us when a document is saved.
  connection.onDidSaveTextDocument(({ textDocument }) => {
    if (/\/(default|flake)\.nix$/.test(textDocument.uri)) {
      nurRepositories?.forget();
      refreshAll();
    }
  });

  /** What is at the cursor, for completion and hover. */
  const cursorContext = (document: NixDocument, offset: number) =>
    contextAt(document.tree, offset, { parser: services?.parser, builtins, fileName: document.uri });

  connection.onCompletion(({ textDocument, position }): CompletionItem[] | CompletionList | null => {
    const document = openDocument(textDocument.uri);
    if (!document || !flakes) return null;
    if (isFlakeDocument(document.uri)) {
      const items = flakeCompletions({
        document,
        position,
        parser: services?.parser,
        syntax: flakes.syntax(document),
        lock: flakes.lock(document.uri),
        nurRepos: nurRepoList,
        now: new Date(),
      });
      if (items) return items;
    }
    return completionsFor(cursorContext(document, document.offsetAt(position)), { knowledge, builtins, nurRepoForUrl: nurRepoMatch });
  });

  connection.onCompletionResolve((item) => {
    const data = item.data as CompletionData | undefined;
    if (data && !item.documentation) item.documentation = completionDocumentation(data, { knowledge, builtins });
    return item;
  });

  connection.onHover(({ textDocument, position }): Hover | null => {
    const document = openDocument(textDocument.uri);
    if (!document || !flakes) return null;
    if (isFlakeDocument(document.uri)) {
      const hover = flakeHover({ syntax: flakes.syntax(document), lock: flakes.lock(document.uri), position, now: new Date() });
      if (hover) return hover;
    }
    return hoverFor(cursorContext(document, document.offsetAt(position)), { knowledge, builtins });
  });

  const withAnalysis = <T>(uri: string, answer: (document: NixDocument, analysis: Analysis) => T): T | null => {
    const document = openDocument(uri);
    return document ? answer(document, analysisOf(document)) : null;
  };

  connection.onDefinition(({ textDocument, position }) =>
    withAnalysis(textDocument.uri, (document, analysis) => definitionAt(analysis, document.uri, document.offsetAt(position))),
  );
  connection.onReferences(({ textDocument, position, context }) =>
    withAnalysis(textDocument.uri, (document, analysis) => referencesAt(analysis, document.uri, document.offsetAt(position), context.includeDeclaration)),
  );
  connection.onDocumentHighlight(({ textDocument, position }) =>
    withAnalysis(textDocument.uri, (document, analysis) => highlightsAt(analysis, document.offsetAt(position))),
  );
  connection.onPrepareRename(({ textDocument, position }) =>
    withAnalysis(textDocument.uri, (document, analysis) => {
      const result = prepareRename(analysis, document.offsetAt(position));
      if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
      return result;
    }),
  );
  connection.onRenameRequest(({ textDocument, position, newName }) =>
    withAnalysis(textDocument.uri, (document, analysis) => {
      const result = renameAt(analysis, document.uri, document.offsetAt(position), newName);
      if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
      return result.edit;
    }),
  );
  connection.onDocumentLinks(({ textDocument }) =>
    withAnalysis(textDocument.uri, (document, analysis) =>
      documentLinks(analysis, document.uri, (path) => {
        try {
          return statSync(path).isFile();
        } catch {
          return false;
        }
      }),
    ),
  );

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
    const lenses: CodeLens[] = buildLenses(document).map((lens) => ({
      range: lens.range,
      command: { title: lens.title, command: 'nixNur.build', arguments: [lens.params] },
    }));
    if (flakes && isFlakeDocument(document.uri)) {
      lenses.push(...flakeCodeLenses({ syntax: flakes.syntax(document), lock: flakes.lock(document.uri), flakeUri: document.uri, now: new Date() }));
    }
    return lenses;
  });

  connection.onCodeAction(({ textDocument, context, range }): CodeAction[] => {
    const document = openDocument(textDocument.uri);
    const textAt = document
      ? (range: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
          document.content.slice(document.offsetAt(range.start), document.offsetAt(range.end))
      : undefined;
    const local = document ? localQuickFixes(analysisOf(document), document.uri, range, { unusedFormals: settings.diagnostics.unusedFormals }) : [];
    return [...hashFixActions(textDocument.uri, context.diagnostics, textAt), ...nurQuickFixes(textDocument.uri, context.diagnostics), ...local];
  });

  connection.onNotification('nixNur/setTrusted', (params: { trusted?: boolean }) => {
    trusted = params?.trusted === true;
    knowledge?.setTrusted(trusted);
  });

  connection.onRequest('nixNur/status', () => knowledge?.status() ?? null);

  const startProgress = async (
    title: string,
    cancellable: boolean,
    abort: () => void,
    attached?: WorkDoneProgressReporter,
  ): Promise<ProgressReporter> => {
    let reporter: WorkDoneProgressReporter | WorkDoneProgressServerReporter;
    if (attached) reporter = attached;
    else if (serverProgress) reporter = await connection.window.createWorkDoneProgress();
    else return { report: () => undefined, done: () => undefined };
    reporter.begin(title, 0, undefined, cancellable);
    if ('token' in reporter) reporter.token.onCancellationRequested(abort);
    return {
      report: (message, percentage) => reporter.report(percentage ?? 0, message),
      done: () => reporter.done(),
    };
  };

  connection.onExecuteCommand(async (params, token, workDoneProgress) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const progresses: Promise<ProgressReporter>[] = [];
    // A client that sent a workDoneToken shows the command's first progress itself (VS Code: a
    // notification with a cancel button); later ones are created by the server.
    let attached = params.workDoneToken !== undefined ? workDoneProgress : undefined;
    const context: CommandContext = {
      signal: controller.signal,
      trusted,
      progress: (title, cancellable = true) => {
        const started = startProgress(title, cancellable, () => controller.abort(), attached);
        attached = undefined;
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
    knowledge?.dispose();
    killAllProcesses();
    services?.documents.dispose();
  });

  connection.listen();
}
