// Everything the handlers share for the life of the server: settings, trust, the open documents and
// their per-version caches (analysis, flake syntax, NUR roots), the indexes, the installed Nix,
// and diagnostics — computed off the typing path and merged with what builds and checks reported.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageType, ShowMessageNotification, type Connection, type InitializeParams, type WorkDoneProgressReporter, type WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { Diagnostic } from 'vscode-languageserver-types';
import { KnowledgeNoticeDigest } from './knowledgeNotices';
import { itemDefaultsSupport, type ItemDefaultsSupport } from './completionItemDefaults';
import { analyzeTree, type Analysis } from './analysis/analysis';
import { defaultBuiltins, type BuiltinsTable } from './analysis/builtins';
import type { ProgressReporter } from './commandRegistry';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './config/settings';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { AnalysableDocuments } from './analysableDocuments';
import { collectGarbage, countAsLive, LARGE_DOCUMENT } from './garbageCollection';
import { ExternalDiagnostics, type FileDiagnostics } from './externalDiagnostics';
import { syntaxDiagnostics } from './features/diagnostics';
import { flakeDiagnostics } from './features/flake/flakeDiagnostics';
import { knowledgeDiagnostics } from './features/knowledgeDiagnostics';
import type { KnowledgeQueries } from './features/knowledgeQueries';
import { withWorkspaceOptions } from './features/workspaceOptions';
import { filterDiagnostics } from './features/diagnosticFilter';
import { lintDiagnostics } from './features/lints/lints';
import { localDiagnostics, type LocalDiagnosticsOptions } from './features/local/diagnostics';
import { nurDiagnostics } from './features/nur/nurDiagnostics';
import { nurRepoMatcher, type NamedRepo } from './features/nurRepoUrls';
import { InputModules, type InputModulesState } from './flake/inputModules';
import { inputLockState } from './flake/lockedInput';
import { FlakeDocuments, isFlakeDocument } from './flakeDocuments';
import { childProcessExecutor, inProcessExecutor, type BuildExecutor } from './knowledge/buildExecutor';
import { defaultCacheDir } from './knowledge/cacheStore';
import { ConfigurationState } from './configurationState';
import { KnowledgeService } from './knowledge/knowledgeService';
import { nixCommandsFor } from './knowledge/nixEvaluation';
import type { NurRepoRecord } from './knowledge/nurRecord';
import type { KnowledgeSettings } from './knowledge/sourcePlan';
import { detectNix, type NixCapabilities } from './nix/version';
import { NurDocuments } from './nurDocuments';
import type { Services } from './services';
import type { NixDocument } from './syntax/document';
import { DocumentStore } from './syntax/documentStore';
import { createNixParser } from './syntax/parser';
import { WorkspaceSync } from './workspaceSync';

/** What a client may pass in `initializationOptions`, besides the settings. */
export interface InitializationOptions {
  nixNur?: unknown;
  /** Where indexes are cached (VS Code's global storage); defaults to $XDG_CACHE_HOME/nix-nur. */
  cacheDirectory?: string;
  /** False in an untrusted VS Code workspace; editors without a notion of trust leave it out. */
  trusted?: boolean;
  /** The client shows `nixNur/output` notifications (build logs) itself. */
  outputNotifications?: boolean;
}

/** What the client said it can do, in the terms the server needs. */
export interface ClientAbilities {
  pullConfiguration: boolean;
  serverProgress: boolean;
  watchFiles: boolean;
  codeLensRefresh: boolean;
  outputNotifications: boolean;
  /** The client re-asks for inlay hints and semantic tokens when told they changed (indexes loaded). */
  inlayHintRefresh?: boolean;
  semanticTokensRefresh?: boolean;
  /** Workspace edits may rename files (rename of a `./x.nix` literal). */
  renameFiles: boolean;
  /** Workspace edits may create files (`documentChanges` with the `create` operation). */
  createFiles?: boolean;
  /** Which `CompletionList.itemDefaults` the client applies (LSP 3.17). */
  completionItemDefaults?: ItemDefaultsSupport;
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

export class ServerState {
  settings: Settings = DEFAULT_SETTINGS;
  trusted = true;
  client: ClientAbilities = { pullConfiguration: false, serverProgress: false, watchFiles: false, codeLensRefresh: false, outputNotifications: false, renameFiles: false };
  builtins: BuiltinsTable = defaultBuiltins;
  knowledge: KnowledgeService | undefined;
  /** The workspace's configurations and their evaluated options. */
  configurations: ConfigurationState | undefined;
  /** What the workspace's files declare (options, names, paths), indexed in the background. */
  workspace: WorkspaceSync | undefined;
  private workspaceFolders: string[] = [];
  readonly externalDiagnostics = new ExternalDiagnostics();
  readonly diagnostics: DiagnosticsScheduler<NixDocument>;
  private initialized: { services: Services; flakes: FlakeDocuments; nurRepositories: NurDocuments; inputModules: InputModules } | undefined;
  private readonly analyses = new Map<string, { version: number; analysis: Analysis }>();
  private readonly analysable = new AnalysableDocuments(
    () => this.settings.maxFileSize,
    (message) => {
      this.log(message);
      this.warn(message);
    },
    (uri) => {
      this.analyses.delete(uri);
      for (const listener of this.analysisReleased) listener(uri);
      this.log(`released the tree and analysis of ${uri} to make room (rebuilt when next needed)`);
      collectGarbage();
    },
  );
  /** Told when a document's tree and analysis are let go: what was built on them must let go too. */
  readonly analysisReleased = new Set<(uri: string) => void>();
  private readonly reportedSettingProblems = new Set<string>();
  private detectedNix: { binDir: string; capabilities: Promise<NixCapabilities | undefined> } | undefined;
  /** NUR repository name for a flake input URL. */
  readonly nurRepoForUrl = nurRepoMatcher(() => this.nurRepoList());

  constructor(readonly connection: Connection) {
    this.diagnostics = new DiagnosticsScheduler<NixDocument>({
      delayMs: () => this.settings.diagnostics.debounceMs,
      current: (uri) => this.initialized?.services.documents.get(uri),
      compute: async (document) => [...(this.parsable(document, true) ? await this.textDiagnostics(document) : []), ...this.externalDiagnostics.forUri(document.uri)],
      publish: (uri, version, list) => void connection.sendDiagnostics({ uri, version, diagnostics: list }),
      onError: (uri, error) => this.log(`diagnostics failed for ${uri}: ${error instanceof Error ? error.stack : String(error)}`),
    });
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  /** After `initialize`: the parser, the documents and the shared services exist. */
  get services(): Services | undefined {
    return this.initialized?.services;
  }

  get flakes(): FlakeDocuments | undefined {
    return this.initialized?.flakes;
  }

  get nurRepositories(): NurDocuments | undefined {
    return this.initialized?.nurRepositories;
  }

  async initialize(params: InitializeParams): Promise<void> {
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    this.applySettings(init.nixNur);
    this.trusted = init.trusted !== false;
    this.client = {
      pullConfiguration: !!params.capabilities.workspace?.configuration,
      serverProgress: !!params.capabilities.window?.workDoneProgress,
      watchFiles: !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration,
      codeLensRefresh: !!params.capabilities.workspace?.codeLens?.refreshSupport,
      outputNotifications: init.outputNotifications === true,
      inlayHintRefresh: !!params.capabilities.workspace?.inlayHint?.refreshSupport,
      semanticTokensRefresh: !!params.capabilities.workspace?.semanticTokens?.refreshSupport,
      renameFiles: !!params.capabilities.workspace?.workspaceEdit?.documentChanges && !!params.capabilities.workspace.workspaceEdit.resourceOperations?.includes('rename'),
      createFiles: !!params.capabilities.workspace?.workspaceEdit?.documentChanges && !!params.capabilities.workspace.workspaceEdit.resourceOperations?.includes('create'),
      completionItemDefaults: itemDefaultsSupport(params.capabilities),
    };
    const parser = await createNixParser();
    const folders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
    if (folders.length === 0 && params.rootUri) folders.push(params.rootUri);
    const workspaceFolders = folders.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
    const nixEnv = () =>
      this.settings.nix.binDir ? { ...process.env, PATH: `${this.settings.nix.binDir}${delimiter}${process.env.PATH ?? ''}` } : process.env;
    const services: Services = {
      settings: () => this.settings,
      documents: new DocumentStore(parser),
      parser,
      nix: () => this.nix(),
      nixTools: () => ({ binDir: this.settings.nix.binDir || undefined, env: nixEnv() }),
      nixProgram: (name) => (this.settings.nix.binDir ? join(this.settings.nix.binDir, name) : name),
      nixEnv,
      externalDiagnostics: this.externalDiagnostics,
      publishExternal: (origin, files) => this.publishExternal(origin, files),
      log: (message) => this.log(message),
      workspaceFolders: () => this.workspaceFolders,
    };
    const inputModules = new InputModules({
      commands: () => nixCommandsFor(services.nixProgram('nix'), this.settings.nix.binDir ? { PATH: String(nixEnv().PATH) } : undefined),
      offline: () => this.settings.offline,
      log: (message) => this.log(message),
    });
    this.initialized = { services, flakes: new FlakeDocuments(), nurRepositories: new NurDocuments(parser), inputModules };

    this.workspaceFolders = [...workspaceFolders];
    this.workspace = new WorkspaceSync({
      parser,
      builtins: () => this.builtins,
      maxFileSize: () => this.settings.maxFileSize,
      analysisOf: (document) => this.analysisOf(document),
      openDocument: (uri) => this.openDocument(uri),
      optionsChanged: () => this.refreshAll(),
      log: (message) => this.log(message),
    });
    const notified = new Set<string>();
    const notices = new KnowledgeNoticeDigest((message) => this.warn(message));
    this.knowledge = new KnowledgeService({
      settings: this.knowledgeSettings(),
      workspaceFolders: [...workspaceFolders],
      cacheDir: init.cacheDirectory,
      trusted: this.trusted,
      log: (message) => this.log(message),
      notify: (message) => {
        if (notified.has(message)) return;
        notified.add(message);
        notices.add(message);
      },
      progress: (title) => {
        const started = this.startProgress(title, false, () => undefined);
        return {
          report: (message, percent) => void started.then((p) => p.report(message, percent)),
          done: () => void started.then((p) => p.done()),
        };
      },
      nixEnv: this.settings.nix.binDir ? { PATH: String(nixEnv().PATH) } : undefined,
      executor: indexBuilderExecutor(),
    });
    this.configurations = new ConfigurationState({
      connection: this.connection,
      services,
      cacheDir: init.cacheDirectory ?? defaultCacheDir(),
      workspaceFolders: folders.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri)),
      executor: indexBuilderExecutor() ?? inProcessExecutor(),
      trusted: () => this.trusted,
      refresh: () => this.refreshAll(),
    });
  }

  /** What option queries of a document answer from: its configurations' options, else the channel's. */
  queriesFor(uri: string | undefined): KnowledgeQueries | undefined {
    const base = this.knowledgeQueries;
    return this.configurations ? this.configurations.queriesFor(uri, base) : base;
  }

  /**
   * Shows a warning that asks nothing of the user. A notification, not `window/showMessageRequest`
   * (what `connection.window.showWarningMessage` sends even without actions): some clients, Neovim
   * among them, answer a request with a prompt that blocks the editor until it is dismissed.
   */
  private warn(message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  }

  applySettings(raw: unknown): void {
    const parsed = parseSettings(raw);
    this.settings = parsed.settings;
    for (const problem of parsed.problems) {
      if (this.reportedSettingProblems.has(problem)) continue;
      this.reportedSettingProblems.add(problem);
      this.warn(`Nix: setting ignored — ${problem}`);
    }
  }

  /** Reads the settings again (clients with workspace/configuration) and passes them on. */
  async refreshSettings(pushed?: unknown): Promise<void> {
    const previousConfigurations = this.settings.configurations;
    if (this.client.pullConfiguration) {
      try {
        this.applySettings(await this.connection.workspace.getConfiguration({ section: 'nixNur' }));
      } catch (error) {
        this.log(`could not read settings: ${String(error)}`);
      }
    } else if (pushed !== undefined) {
      this.applySettings(pushed);
    }
    this.knowledge?.updateSettings(this.knowledgeSettings());
    if (JSON.stringify(previousConfigurations) !== JSON.stringify(this.settings.configurations)) this.configurations?.restart();
    this.refreshWhenIndexesSettle();
  }

  /** Starts indexing the workspace folders' files in the background. */
  startWorkspaceIndex(): void {
    this.workspace?.start(this.workspaceFolders);
  }

  /** Folders were added to or removed from the workspace: the index follows. */
  changeWorkspaceFolders(event: { added: { uri: string }[]; removed: { uri: string }[] }): void {
    const paths = (folders: { uri: string }[]) => folders.filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
    const removed = new Set(paths(event.removed));
    this.workspaceFolders = [...this.workspaceFolders.filter((folder) => !removed.has(folder)), ...paths(event.added)];
    this.startWorkspaceIndex();
  }

  /** The option and package indexes, with the options the workspace declares added. */
  get knowledgeQueries(): KnowledgeQueries | undefined {
    return withWorkspaceOptions(this.knowledge, this.workspace?.index);
  }

  /** Diagnostics that need the indexes are computed again once they have loaded. */
  refreshWhenIndexesSettle(): void {
    void this.knowledge?.whenIdle().then(
      () => this.refreshAll(),
      () => undefined,
    );
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.knowledge?.setTrusted(trusted);
    this.configurations?.restart();
  }

  /** The knowledge layer's view of the settings. */
  private knowledgeSettings(): KnowledgeSettings {
    const { nixpkgs, nixos, homeManager, nur, offline } = this.settings;
    return { nixpkgs, nixos, homeManager, nur, offline, nix: { path: this.services?.nixProgram('nix') ?? 'nix' } };
  }

  /** The installed Nix, detected once per bin directory (its version decides argument vectors). */
  nix(): Promise<NixCapabilities | undefined> {
    const binDir = this.settings.nix.binDir;
    if (!this.detectedNix || this.detectedNix.binDir !== binDir) {
      this.detectedNix = { binDir, capabilities: detectNix(binDir ? join(binDir, 'nix') : 'nix') };
    }
    return this.detectedNix.capabilities;
  }

  /**
   * The document, unless it is larger than `nixNur.maxFileSize` (parsing a multi-megabyte generated
   * file takes seconds and hundreds of megabytes) or its parse takes too long: such files get no
   * tree-based features, and the user is told once. `retry`: see `AnalysableDocuments.check`.
   */
  parsable(document: NixDocument | undefined, retry = false): NixDocument | undefined {
    return this.analysable.check(document, retry);
  }

  /** An open document that may be parsed. */
  openDocument(uri: string): NixDocument | undefined {
    return this.parsable(this.services?.documents.get(uri));
  }

  /** Scopes and names of a document, computed once per version. */
  analysisOf(document: NixDocument): Analysis {
    const cached = this.analyses.get(document.uri);
    if (cached?.version === document.version) return cached.analysis;
    // The previous version's copy of unchanged subtrees is reused: re-reading them from
    // tree-sitter is most of the cost. Nothing else of its analysis is held here meanwhile, and the
    // copy itself is handed over. Garbage around a large document is collected at one point per
    // version, right before the copy starts: what the last keystroke's requests left behind goes,
    // and the new copy and analysis are made on a heap holding only what is live. (Collected after
    // the copy instead, that garbage stood through it, and the peak was higher by as much.)
    let previous = this.previousTreeCopy(document.uri);
    const replaced = previous !== undefined;
    const takePrevious = () => {
      if (replaced && document.length >= LARGE_DOCUMENT) collectGarbage();
      const taken = previous;
      previous = undefined;
      return taken;
    };
    let analysis: Analysis;
    try {
      analysis = analyzeTree(document.tree, document.content, { builtins: this.builtins, maxAnalysisSize: this.settings.maxFileSize, takePrevious });
    } catch (error) {
      // Pathological input (nesting thousands deep) must cost the semantic features of that one
      // document, not its syntax diagnostics or the server.
      this.log(`analysis of ${document.uri} failed, semantic features are off for it: ${error instanceof Error ? error.message : String(error)}`);
      analysis = analyzeTree(document.tree, document.content, { builtins: this.builtins, maxAnalysisSize: 0 });
    }
    this.analyses.set(document.uri, { version: document.version, analysis });
    // Kept: the next request must not take it for garbage to collect.
    if (document.length >= LARGE_DOCUMENT) countAsLive();
    return analysis;
  }

  /** Takes the cached analysis of an earlier version out, keeping only what the next one reuses. */
  private previousTreeCopy(uri: string): Pick<Analysis, 'root' | 'skipped'> | undefined {
    const previous = this.analyses.get(uri)?.analysis;
    this.analyses.delete(uri);
    return previous && { root: previous.root, skipped: previous.skipped };
  }

  /** New builtins (from the installed Nix) change what names resolve to. */
  setBuiltins(table: BuiltinsTable): void {
    this.builtins = table;
    this.analyses.clear();
  }

  /**
   * Everything the text of a document (and the files beside it) says about it. In a big file each
   * step takes tens of milliseconds, so requests that arrived meanwhile (a completion, a hover) are
   * answered between the steps, and a document edited meanwhile is left for its next run (what
   * this one found would not be published).
   */
  async textDiagnostics(document: NixDocument): Promise<Diagnostic[]> {
    const { ignore, exclude } = this.settings.diagnostics;
    return filterDiagnostics(document.uri, await this.allTextDiagnostics(document), { ignore, exclude, workspaceFolders: this.workspaceFolders });
  }

  private async allTextDiagnostics(document: NixDocument): Promise<Diagnostic[]> {
    const version = document.version;
    const list = syntaxDiagnostics(document);
    if (!(await this.stillCurrent(document, version))) return list;
    const analysis = this.analysisOf(document);
    list.push(...localDiagnostics(analysis, document.uri, this.localDiagnosticsOptions()), ...lintDiagnostics(analysis));
    // Unknown options and packages: only where the index for them is loaded (the checker asks).
    if (!(await this.stillCurrent(document, version))) return list;
    const knowledge = this.queriesFor(document.uri);
    if (knowledge) list.push(...knowledgeDiagnostics(analysis, document.uri, knowledge, { module: this.configurations?.moduleOf(document.uri) }));
    const flakes = this.flakes;
    if (flakes && isFlakeDocument(document.uri)) {
      list.push(...flakeDiagnostics({ syntax: flakes.syntax(document), lock: flakes.lock(document.uri) }));
      this.listUsedInputModules(document);
    }
    const nur = this.nurRepositories?.rootOf(document.uri);
    if (nur) list.push(...nurDiagnostics(document.tree, nur));
    return list;
  }

  localDiagnosticsOptions(): LocalDiagnosticsOptions {
    const { unusedFormals, unusedConventionalArguments } = this.settings.diagnostics;
    return { unusedFormals, unusedConventionalArguments };
  }

  /** Lets pending messages be handled, then says whether `document` is still open at `version`. */
  private async stillCurrent(document: NixDocument, version: number): Promise<boolean> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return document.version === version && this.services?.documents.get(document.uri) === document;
  }

  /** Replaces what an origin (a build, a check) reported, and publishes the files it concerns. */
  publishExternal(origin: string, files: FileDiagnostics[]): void {
    for (const uri of this.externalDiagnostics.replace(origin, files)) {
      // Open documents merge them with their own diagnostics; others show them alone.
      if (this.services?.documents.get(uri)) this.diagnostics.schedule(uri, true);
      else void this.connection.sendDiagnostics({ uri, diagnostics: this.externalDiagnostics.forUri(uri) });
    }
  }

  /** Something on disk that documents depend on changed (a lock file, a repository's layout). */
  refreshAll(): void {
    for (const document of this.services?.documents.all() ?? []) this.diagnostics.schedule(document.uri);
    if (this.client.codeLensRefresh) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    if (this.client.inlayHintRefresh) void this.connection.sendRequest('workspace/inlayHint/refresh').catch(() => undefined);
    if (this.client.semanticTokensRefresh) void this.connection.sendRequest('workspace/semanticTokens/refresh').catch(() => undefined);
  }

  /** A document was closed: drop what was cached for it. */
  forget(uri: string): void {
    this.diagnostics.cancel(uri);
    this.services?.documents.close(uri);
    this.analyses.delete(uri);
    this.flakes?.forget(uri);
    this.analysable.forget(uri);
  }

  lookupNurRepo(name: string): NurRepoRecord | undefined {
    return this.knowledge?.lookupNurRepo(name);
  }

  nurRepoList(): NamedRepo[] {
    const repos = this.knowledge?.nurRepos();
    if (!repos) return [];
    return repos.names({ limit: Number.MAX_SAFE_INTEGER }).items.flatMap((name) => {
      const record = repos.lookup(name);
      return record?.url ? [{ name, url: record.url }] : [];
    });
  }

  /**
   * A progress indicator in the client: the one attached to a request (the client passed a
   * workDoneToken), else one the server creates, else none.
   */
  async startProgress(title: string, cancellable: boolean, abort: () => void, attached?: WorkDoneProgressReporter): Promise<ProgressReporter> {
    let reporter: WorkDoneProgressReporter | WorkDoneProgressServerReporter;
    if (attached) reporter = attached;
    else if (this.client.serverProgress) reporter = await this.connection.window.createWorkDoneProgress();
    else return { report: () => undefined, done: () => undefined };
    reporter.begin(title, 0, undefined, cancellable);
    if ('token' in reporter) reporter.token.onCancellationRequested(abort);
    return {
      report: (message, percentage) => reporter.report(percentage ?? 0, message),
      done: () => reporter.done(),
    };
  }

  /**
   * The NixOS modules of an input of the flake `flakeUri`, listed by evaluating the locked input;
   * undefined where that may not or cannot happen (an untrusted workspace, an input not locked).
   */
  modulesOfInput(flakeUri: string, input: string): InputModulesState | undefined {
    const { flakes, inputModules } = this.initialized ?? {};
    if (!flakes || !inputModules || !this.trusted || !isFlakeDocument(flakeUri)) return undefined;
    const lock = inputLockState(flakes.lock(flakeUri), input);
    if (lock.state !== 'locked' || !lock.node.locked) return undefined;
    return inputModules.modulesOf(lock.node.locked, `flake.lock, input ${input}`);
  }

  /**
   * Starts listing the modules of the inputs a flake already reads modules from
   * (`tools.nixosModules.…`), so that completing them is instant when the user gets there.
   */
  private listUsedInputModules(document: NixDocument): void {
    if (!this.trusted) return;
    const used = new Set<string>();
    for (const match of document.content.matchAll(/\b([A-Za-z_][A-Za-z0-9_'-]*)\s*\.\s*nixosModules\b/g)) used.add(match[1]!);
    // `self` is this flake; nixpkgs' modules are not what its outputs are read for.
    for (const input of used) if (input !== 'self' && input !== 'nixpkgs') this.modulesOfInput(document.uri, input);
  }

  dispose(): void {
    this.initialized?.inputModules.dispose();
    this.configurations?.dispose();
    this.workspace?.dispose();
    this.diagnostics.dispose();
    this.knowledge?.dispose();
    this.services?.documents.dispose();
  }
}
