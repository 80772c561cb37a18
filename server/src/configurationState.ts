// The workspace's evaluated configurations as the server sees them: the service started with the
// server's Nix, cache and trust; each document's option queries (its configurations' sets, or the
// channel's); the status sent to the client (`nixNur/configurations`); failures shown on the file
// Nix points at.
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { OptionTree } from './analysis/modules';
import { buildSyntaxTree, type SyntaxNode } from './analysis/syntaxTree';
import { ConfigurationService, type ConfigurationStatus, type FileOptionSet } from './configurations/configurationService';
import { withConfigurationOptions } from './features/configurationOptions';
import type { KnowledgeQueries } from './features/knowledgeQueries';
import type { BuildExecutor } from './knowledge/buildExecutor';
import type { Services } from './services';
import { parseNix } from './syntax/grammarText';
import { readFileSync } from 'node:fs';

export const CONFIGURATIONS_NOTIFICATION = 'nixNur/configurations';
const DIAGNOSTIC_ORIGIN = 'configuration';
/** Changes come in bursts (a phase, then a count): the client and diagnostics hear of them once. */
const SETTLE_MS = 250;
/** Documents whose option queries are kept; past that many, all are made again as asked. */
const QUERIES_KEPT = 64;

export interface ConfigurationStateOptions {
  connection: Connection;
  services: Services;
  cacheDir: string;
  workspaceFolders: string[];
  executor: BuildExecutor;
  trusted: () => boolean;
  /** Open documents' diagnostics are computed again (a set loaded). */
  refresh: () => void;
}

export class ConfigurationState {
  readonly service: ConfigurationService;
  private pending: NodeJS.Timeout | undefined;
  /** Each document's option queries, with what they were made from. */
  private readonly queries = new Map<string, { file: string | undefined; base: KnowledgeQueries | undefined; sets: FileOptionSet[]; queries: KnowledgeQueries | undefined }>();

  constructor(private readonly options: ConfigurationStateOptions) {
    const { services } = options;
    this.service = new ConfigurationService({
      cacheDir: options.cacheDir,
      workspaceFolders: options.workspaceFolders,
      runner: () => ({ nix: services.nixProgram('nix'), env: { PATH: String(services.nixEnv().PATH ?? '') }, offline: services.settings().offline }),
      executor: options.executor,
      readTree: (file) => this.readTree(file),
      selection: () => services.settings().configurations,
      trusted: options.trusted,
      log: (message) => services.log(message),
      changed: () => this.changed(),
      failedAt: (id, location) =>
        services.publishExternal(
          `${DIAGNOSTIC_ORIGIN}:${id}`,
          location
            ? [
                {
                  uri: pathToFileURL(location.file).href,
                  diagnostics: [
                    {
                      range: { start: { line: Math.max(0, location.line - 1), character: Math.max(0, location.column - 1) }, end: { line: Math.max(0, location.line - 1), character: Number.MAX_SAFE_INTEGER } },
                      severity: DiagnosticSeverity.Error,
                      source: 'nix',
                      message: `Evaluating ${id} failed: ${location.message}`,
                    },
                  ],
                },
              ]
            : [],
        ),
    });
  }

  /** The option queries of a document: its configurations' options when they are loaded. */
  queriesFor(uri: string | undefined, base: KnowledgeQueries | undefined): KnowledgeQueries | undefined {
    if (!uri) return base;
    // Asked on every completion and hover: made again only when the file's sets or the channel's
    // queries changed, so a request allocates no new queries.
    const known = this.known(uri);
    if (!known.file) return base;
    const sets = this.service.setsFor(known.file);
    if (known.queries && known.base === base && sameSets(known.sets, sets)) return known.queries;
    known.base = base;
    known.sets = sets;
    known.queries = withConfigurationOptions(base, sets);
    return known.queries;
  }

  /** The module kind a configuration imports a file as, for files module detection cannot tell. */
  moduleOf(uri: string): { tree: OptionTree } | undefined {
    const file = this.known(uri).file;
    // A file holding a configuration's module inline (flake.nix) is no module as a whole.
    const first = file ? this.service.setsFor(file).find((set) => !set.membership.inline) : undefined;
    return first && { tree: first.membership.tree };
  }

  status(): ConfigurationStatus[] {
    return this.service.status();
  }

  /** What is kept about a document's URI between requests (its file path is worked out once). */
  private known(uri: string) {
    let known = this.queries.get(uri);
    if (!known) {
      if (this.queries.size >= QUERIES_KEPT) this.queries.clear();
      known = { file: fileOf(uri), base: undefined, sets: [], queries: undefined };
      this.queries.set(uri, known);
    }
    return known;
  }

  start(): void {
    void this.service.start().catch((error: unknown) => this.options.services.log(`configurations: ${String(error)}`));
  }

  saved(uri: string): void {
    const file = fileOf(uri);
    if (file) this.service.fileSaved(file);
  }

  /** Trust or settings changed: start over. */
  restart(): void {
    this.service.clear();
    this.start();
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.service.dispose();
  }

  private changed(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.options.connection.sendNotification(CONFIGURATIONS_NOTIFICATION, { configurations: this.service.status() });
      this.options.refresh();
    }, SETTLE_MS);
    this.pending.unref?.();
  }

  /** A module as saved on disk (what Nix reads), copied out of tree-sitter. */
  private readTree(file: string): SyntaxNode | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    if (text.length > this.options.services.settings().maxFileSize) return undefined;
    const tree = parseNix(this.options.services.parser, text);
    if (!tree) return undefined;
    try {
      return buildSyntaxTree(tree, text);
    } finally {
      tree.delete();
    }
  }
}

/** Sets with the same configurations, indexes and memberships answer alike. */
function sameSets(a: readonly FileOptionSet[], b: readonly FileOptionSet[]): boolean {
  return a.length === b.length && a.every((set, i) => set.configuration === b[i]!.configuration && set.index === b[i]!.index && set.membership === b[i]!.membership);
}

function fileOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Option items remember their document: resolving their documentation asks its configurations. */
export function withDocumentUri<T extends { items: { data?: unknown }[] } | null>(list: T, uri: string): T {
  for (const item of list?.items ?? []) {
    const data = item.data as { kind?: string; uri?: string } | undefined;
    if (data?.kind === 'option') data.uri = uri;
  }
  return list;
}
