// The knowledge the server answers from: nixpkgs packages, NixOS and Home Manager options, NUR's
// repositories and packages. Every source loads in the background; queries answer at once from
// whatever is loaded (the last good index on disk is loaded first, in milliseconds, while a newer
// one is being fetched or built) and say when a source is still loading. A source that cannot be
// refreshed (offline, download or evaluation failing) keeps serving its last good index, and the
// user is told once.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectNix } from '../nix/version';
import type { BuildJob, BuildJobResult, ConverterName } from './buildJob';
import { inProcessExecutor, type BuildExecutor } from './buildExecutor';
import { CacheStore, defaultCacheDir, type SourceKind } from './cacheStore';
import { CancelledError, errorMessage } from './errors';
import { searchTable, compareHits, type SearchHit } from './fuzzySearch';
import { IndexFile, type SourceIdentity } from './indexFile';
import type { LibChild, LibIndex, LibInfo } from './libIndex';
import { loadLibIndex } from './libSource';
import { nixCommandsFor, optionsEvaluation, packagesEvaluation, pinnedSourcePath, type ProcessRunner } from './nixEvaluation';
import { findNixpkgsPin, type NixpkgsPin } from './nixpkgsPin';
import type { NurRepoInfo } from './nurRecord';
import { NurRepoIndex } from './nurRepoIndex';
import { OptionIndex, type OptionChild, type OptionChildrenOptions, type OptionPathClass } from './optionIndex';
import type { OptionInfo, OptionRecord } from './optionRecord';
import { PackageIndex, type ChildrenOptions, type ChildrenResult, type PackageChild } from './packageIndex';
import type { PackageInfo, PackageRecord } from './packageRecord';
import { planSource, samePlan, SOURCE_LABELS, type KnowledgeSettings, type SourcePlan } from './sourcePlan';

export interface ProgressReporter {
  report(message: string, percent?: number): void;
  done(): void;
}

export interface KnowledgeServiceOptions {
  settings: KnowledgeSettings;
  workspaceFolders: string[];
  /** Where indexes are kept (the editor's global storage); `$XDG_CACHE_HOME/nix-nur` otherwise. */
  cacheDir?: string;
  /** Whether the workspace is trusted: only then is its pinned nixpkgs evaluated. */
  trusted: boolean;
  /** Details for the output channel. */
  log: (message: string) => void;
  /** A short message for the user; each distinct problem is shown once. */
  notify: (message: string) => void;
  /** Starts a progress indicator (`$/progress`). */
  progress?: (title: string) => ProgressReporter;
  /** The value of NIX_PATH (the server's environment by default). */
  nixPath?: string;
  /** Added to the environment of every Nix command. */
  nixEnv?: Record<string, string>;
  /** Runs index builds; in-process by default. */
  executor?: BuildExecutor;
  runProcess?: ProcessRunner;
  /** Whether Nix is usable; `nix --version` by default. */
  nixAvailable?: () => Promise<boolean>;
  /** A downloaded index younger than this is used without asking the server (default 6 h). */
  recheckAfterMs?: number;
  now?: () => number;
}

export type SourceState = 'off' | 'loading' | 'ready' | 'failed' | 'offline-cache';
export type SourceOriginName = 'file' | 'url' | 'nix-eval' | 'cache';

export interface SourceStatus {
  source: SourceKind;
  label: string;
  state: SourceState;
  /** Where the loaded index came from. */
  origin?: SourceOriginName;
  /** The configured path, URL or pin. */
  location?: string;
  description?: string;
  /** When the loaded index was built (ms since the epoch) and how old it is (s). */
  builtAt?: number;
  ageSeconds?: number;
  count?: number;
  warnings?: number;
  revision?: string;
  /** Why the source is off, failed or serving a cache. */
  message?: string;
}

export interface KnowledgeStatus {
  sources: SourceStatus[];
  /** nixpkgs' `lib`, evaluated from the pinned nixpkgs. */
  lib: LibStatus;
  cacheDir: string;
}

export interface LibStatus {
  state: SourceState;
  origin?: 'nix-eval' | 'cache';
  /** The pin whose lib is served. */
  location?: string;
  count?: number;
  revision?: string;
  /** Why it is off, failed or serving an older index. */
  message?: string;
}

export type SearchSource = 'nixpkgs' | 'nixos' | 'home-manager' | 'nur' | 'nur-repo';

export interface SearchResult {
  source: SearchSource;
  path: string[];
  /** The dotted name. */
  label: string;
  /** Version for packages, type for options. */
  detail?: string;
  description?: string;
}

/** Option trees; no channel publishes flake-parts' options, so its queries answer nothing here. */
export type OptionScope = 'nixos' | 'home-manager' | 'flake-parts';

interface SourceSlot {
  kind: SourceKind;
  state: SourceState;
  origin?: SourceOriginName;
  plan?: SourcePlan;
  file?: IndexFile;
  message?: string;
  /** Bumped by each refresh request; only the newest request goes on after planning. */
  requests: number;
  /** The refresh that owns the slot: only it may change what the slot serves. */
  active?: ActiveRefresh;
  running?: Promise<void>;
  /** The last message shown to the user, so it is shown once. */
  lastNotice?: string;
}

interface ActiveRefresh {
  plan: SourcePlan;
  abort: AbortController;
  done?: Promise<void>;
}

const ALL_SOURCES: SourceKind[] = ['nixpkgs', 'nixos', 'home-manager', 'nur-repos', 'nur-packages'];
const CONVERTERS: Record<SourceKind, ConverterName> = {
  nixpkgs: 'packages',
  nixos: 'options',
  'home-manager': 'options',
  'nur-repos': 'nur-repos',
  'nur-packages': 'nur-packages',
};

/** nixpkgs' `lib`: one index, from the workspace's pinned nixpkgs only. */
interface LibSlot {
  state: SourceState;
  origin?: 'nix-eval' | 'cache';
  index?: LibIndex;
  location?: string;
  message?: string;
  /** Bumped by each refresh; only the newest may change what the slot serves. */
  requests: number;
  abort?: AbortController;
  running?: Promise<void>;
  lastNotice?: string;
}

const LIB_LABEL = 'nixpkgs lib';

class OfflineError extends Error {
  constructor() {
    super('offline (nixNur.offline)');
  }
}

export class KnowledgeService {
  private settings: KnowledgeSettings;
  private workspaceFolders: string[];
  private trusted: boolean;
  private readonly store: CacheStore;
  private readonly executor: BuildExecutor;
  private readonly slots = new Map<SourceKind, SourceSlot>();
  private readonly views = new Map<SourceKind, PackageIndex | OptionIndex | NurRepoIndex>();
  /** The last pin found, and the state of the files it was read from. */
  private pinned: { key: string; pin: NixpkgsPin | undefined } | undefined;
  private readonly lib: LibSlot = { state: 'loading', requests: 0 };
  private nixCheck: Promise<boolean> | undefined;
  private disposed = false;

  constructor(private readonly init: KnowledgeServiceOptions) {
    this.settings = init.settings;
    this.workspaceFolders = [...init.workspaceFolders];
    this.trusted = init.trusted;
    this.store = new CacheStore(init.cacheDir ?? defaultCacheDir());
    this.executor = init.executor ?? inProcessExecutor();
    for (const kind of ALL_SOURCES) this.slots.set(kind, { kind, state: 'loading', requests: 0 });
  }

  get cacheDir(): string {
    return this.store.dir;
  }

  /** Starts loading every source in the background. */
  start(): void {
    this.refresh();
  }

  /** Takes new settings; only sources whose settings changed are looked at again. */
  updateSettings(settings: KnowledgeSettings): void {
    const previous = this.settings;
    this.settings = settings;
    if (settings.nix?.path !== previous.nix?.path) this.nixCheck = undefined;
    const changed = ALL_SOURCES.filter((kind) => settingsKey(kind, settings) !== settingsKey(kind, previous));
    if (changed.length) this.refresh(changed);
  }

  setWorkspaceFolders(folders: string[]): void {
    this.workspaceFolders = [...folders];
    this.refresh();
  }

  setTrusted(trusted: boolean): void {
    if (trusted === this.trusted) return;
    this.trusted = trusted;
    this.refresh(['nixpkgs', 'nixos']);
  }

  /**
   * Brings sources up to date: unchanged sources stay as they are unless `force` (which also
   * re-downloads or re-evaluates instead of trusting a recent check).
   */
  refresh(kinds: readonly SourceKind[] = ALL_SOURCES, force = false): void {
    if (this.disposed) return;
    for (const kind of kinds) {
      const slot = this.slots.get(kind)!;
      const running = this.refreshSource(slot, force).catch((error: unknown) => {
        this.init.log(`${SOURCE_LABELS[kind]}: unexpected error: ${errorMessage(error)}`);
      });
      slot.running = running;
    }
    // lib comes from the same pinned nixpkgs as the packages.
    if (kinds.includes('nixpkgs')) this.refreshLib(force);
  }

  /** Resolves when no source is loading (for tests and for commands that wait). */
  async whenIdle(): Promise<void> {
    const all = () => [...this.slots.values(), this.lib];
    for (;;) {
      const running = all().map((s) => s.running).filter((p): p is Promise<void> => !!p);
      await Promise.all(running);
      if (all().every((s) => !s.running || running.includes(s.running))) return;
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const slot of this.slots.values()) {
      slot.active?.abort.abort();
      slot.active = undefined;
      slot.file?.close();
      slot.file = undefined;
    }
    this.views.clear();
    this.lib.abort?.abort();
    this.lib.index = undefined;
  }

  // ---- Status -----------------------------------------------------------------------------

  status(): KnowledgeStatus {
    const now = this.now();
    const sources = ALL_SOURCES.map((kind): SourceStatus => {
      const slot = this.slots.get(kind)!;
      const header = slot.file?.header;
      const status: SourceStatus = { source: kind, label: SOURCE_LABELS[kind], state: slot.state };
      if (slot.origin) status.origin = slot.origin;
      if (slot.plan && slot.plan.mode !== 'off') status.location = slot.plan.location;
      if (slot.plan) status.description = slot.plan.description;
      if (header) {
        status.builtAt = header.builtAt;
        status.ageSeconds = Math.max(0, Math.round((now - header.builtAt) / 1000));
        status.count = header.count;
        status.warnings = header.warningCount;
        if (header.revision) status.revision = header.revision;
      }
      if (slot.message) status.message = slot.message;
      return status;
    });
    return { sources, lib: this.libStatus(), cacheDir: this.store.dir };
  }

  /** Whether a source has nothing to answer from yet but is working on it. */
  isLoading(kind: SourceKind | OptionScope): boolean {
    const slot = this.slots.get(kind as SourceKind);
    return slot?.state === 'loading' && !slot.file;
  }

  // ---- Indexes ----------------------------------------------------------------------------

  packages(): PackageIndex | undefined {
    return this.views.get('nixpkgs') as PackageIndex | undefined;
  }

  nurPackages(): PackageIndex | undefined {
    return this.views.get('nur-packages') as PackageIndex | undefined;
  }

  nurRepos(): NurRepoIndex | undefined {
    return this.views.get('nur-repos') as NurRepoIndex | undefined;
  }

  optionIndex(scope: OptionScope): OptionIndex | undefined {
    return scope === 'flake-parts' ? undefined : (this.views.get(scope) as OptionIndex | undefined);
  }

  // ---- Package queries --------------------------------------------------------------------

  /**
   * Members of a package set: `[]` is the top level of nixpkgs, `['nur', 'repos']` NUR's
   * repositories, `['nur', 'repos', 'mic92']` that repository's packages.
   */
  packageChildren(path: readonly string[], options: ChildrenOptions = {}): ChildrenResult<PackageChild> & { loading: boolean } {
    if (path[0] === 'nur') return this.nurChildren(path, options);
    const index = this.packages();
    if (!index) return { items: [], incomplete: this.isLoading('nixpkgs'), loading: this.isLoading('nixpkgs') };
    return { ...index.children(path, options), loading: false };
  }

  private nurChildren(path: readonly string[], options: ChildrenOptions): ChildrenResult<PackageChild> & { loading: boolean } {
    const loading = this.isLoading('nur-repos') || this.isLoading('nur-packages');
    if (path.length === 1) {
      const prefix = options.prefix ?? '';
      return { items: 'repos'.startsWith(prefix) ? [{ name: 'repos', kind: 'set' }] : [], incomplete: false, loading };
    }
    if (path[1] !== 'repos') return { items: [], incomplete: false, loading };
    if (path.length === 2) {
      // Repositories from the registry and from the package index (which may lag or lead).
      const limit = options.limit ?? 200;
      const fromRegistry = this.nurRepos()?.names({ ...options, limit }) ?? { items: [], incomplete: false };
      const fromPackages = this.nurPackages()?.children(['nur', 'repos'], { ...options, limit }) ?? { items: [], incomplete: false };
      const names = [...new Set([...fromRegistry.items, ...fromPackages.items.map((i) => i.name)])].sort(byCodeUnits);
      const incomplete = fromRegistry.incomplete || fromPackages.incomplete || names.length > limit;
      return { items: names.slice(0, limit).map((name) => ({ name, kind: 'set' })), incomplete: incomplete || loading, loading };
    }
    const index = this.nurPackages();
    if (!index) return { items: [], incomplete: loading, loading };
    return { ...index.children(path, options), loading };
  }

  /** The package at `path` (nixpkgs, or NUR for `nur.repos.<repo>.…`). */
  lookupPackage(path: readonly string[]): PackageInfo | undefined {
    return this.safely('package lookup', () => {
      if (path[0] === 'nur' && path[1] === 'repos' && path.length >= 4) return this.nurPackages()?.lookup(path);
      return this.packages()?.lookup(path);
    });
  }

  /** `lookupPackage` of each path; the paths share one parent (the items of one completion list). */
  lookupPackages(paths: readonly (readonly string[])[]): (PackageInfo | undefined)[] {
    return (
      this.safely('package lookup', () => {
        const first = paths[0];
        if (!first) return [];
        const nur = first[0] === 'nur' && first[1] === 'repos' && first.length >= 4;
        return (nur ? this.nurPackages() : this.packages())?.lookupMany(paths);
      }) ?? paths.map(() => undefined)
    );
  }

  lookupNurRepo(name: string): NurRepoInfo | undefined {
    return this.safely('NUR repository lookup', () => this.nurRepoInfo(name));
  }

  private nurRepoInfo(name: string): NurRepoInfo | undefined {
    const record = this.nurRepos()?.lookup(name);
    const packages = this.nurPackages();
    const count = packages ? packages.children(['nur', 'repos', name], { limit: Infinity }).items.length : undefined;
    if (!record && !count) return undefined;
    const info: NurRepoInfo = { name, ...record };
    if (count !== undefined) info.packageCount = count;
    return info;
  }

  // ---- Option queries ---------------------------------------------------------------------

  optionChildren(scope: OptionScope, path: readonly string[], options: OptionChildrenOptions = {}): ChildrenResult<OptionChild> & { loading: boolean } {
    const index = this.optionIndex(scope);
    if (!index) return { items: [], incomplete: this.isLoading(scope), loading: this.isLoading(scope) };
    return { ...index.children(path, options), loading: false };
  }

  lookupOption(scope: OptionScope, path: readonly string[]): OptionInfo | undefined {
    return this.safely('option lookup', () => this.optionIndex(scope)?.lookupOption(path));
  }

  /**
   * Runs a query that reads records from disk. A damaged index must not fail the request that
   * asked: the problem is logged and the answer is "unknown".
   */
  private safely<T>(what: string, query: () => T | undefined): T | undefined {
    try {
      return query();
    } catch (error) {
      this.init.log(`${what} failed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  /** For "unknown option" diagnostics; undefined while the options are not loaded. */
  classifyOption(scope: OptionScope, path: readonly string[]): OptionPathClass | undefined {
    return this.optionIndex(scope)?.classify(path);
  }

  /**
   * The nixpkgs revision or branch for source links (packages and NixOS options): the commit the
   * workspace locks when that is NixOS/nixpkgs (what it builds against), else the indexes' own.
   */
  nixpkgsRevision(): string {
    const pin = this.safely('nixpkgs pin', () => this.pin());
    if (pin?.kind === 'locked' && pin.upstream && pin.rev) return pin.rev;
    return this.packages()?.file.header.revision ?? this.optionIndex('nixos')?.file.header.revision ?? this.settings.nixpkgs.channel;
  }

  /**
   * The pinned nixpkgs' tree on disk, for opening the files options are declared in: the tree lib
   * was evaluated from, or the local checkout the workspace pins. Undefined when neither exists.
   */
  nixpkgsSource(): string | undefined {
    const evaluated = this.lib.index?.source;
    if (evaluated && existsSync(evaluated)) return evaluated;
    const pin = this.safely('nixpkgs pin', () => this.pin());
    return pin?.kind === 'path' && existsSync(pin.path) ? pin.path : undefined;
  }

  // ---- lib queries ------------------------------------------------------------------------

  /** Members of nixpkgs' `lib` at `path`: `[]` for `lib.`, `['strings']` for `lib.strings.`. */
  libChildren(path: readonly string[], options: ChildrenOptions = {}): ChildrenResult<LibChild> & { loading: boolean } {
    const index = this.lib.index;
    const loading = this.lib.state === 'loading' && !index;
    if (!index) return { items: [], incomplete: loading, loading };
    return { ...index.children(path, options), loading: false };
  }

  /** The `lib` member at `path` (`['strings', 'concatStrings']`), with its documentation. */
  lookupLib(path: readonly string[]): LibInfo | undefined {
    return this.safely('lib lookup', () => this.lib.index?.lookup(path));
  }

  private libStatus(): LibStatus {
    const { state, origin, location, message, index } = this.lib;
    const status: LibStatus = { state };
    if (origin) status.origin = origin;
    if (location) status.location = location;
    if (index) {
      status.count = index.count;
      if (index.revision) status.revision = index.revision;
    }
    if (message) status.message = message;
    return status;
  }

  // ---- Search -----------------------------------------------------------------------------

  /** Ranked search over every loaded source's names. */
  search(query: string, options: { limit?: number; sources?: readonly SearchSource[] } = {}): SearchResult[] {
    const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
    const wanted = new Set<SearchSource>(options.sources ?? ['nixpkgs', 'nixos', 'home-manager', 'nur', 'nur-repo']);
    const tables: { source: SearchSource; file: IndexFile }[] = [];
    const add = (source: SearchSource, view: { file: IndexFile } | undefined) => {
      if (view && wanted.has(source)) tables.push({ source, file: view.file });
    };
    add('nixpkgs', this.packages());
    add('nixos', this.optionIndex('nixos'));
    add('home-manager', this.optionIndex('home-manager'));
    add('nur', this.nurPackages());
    add('nur-repo', this.nurRepos());
    const hits: (SearchHit & { source: SearchSource; file: IndexFile })[] = [];
    for (const { source, file } of tables) {
      for (const hit of searchTable(file.table, query, limit)) hits.push({ ...hit, source, file });
    }
    hits.sort((a, b) => compareHits(a, b) || a.source.localeCompare(b.source));
    return hits.slice(0, limit).map((hit) => describeHit(hit.source, hit.file, hit.entry));
  }

  // ---- Loading ----------------------------------------------------------------------------

  private now(): number {
    return (this.init.now ?? Date.now)();
  }

  private nixAvailable(): Promise<boolean> {
    if (this.init.nixAvailable) return this.init.nixAvailable();
    this.nixCheck ??= detectNix(this.settings.nix?.path ?? 'nix', { env: { ...process.env, ...this.init.nixEnv } }).then((found) => !!found);
    return this.nixCheck;
  }

  /**
   * The nixpkgs the workspace pins. Every option hover asks (for its links): a flake.lock is read
   * and parsed again only when the file changed (its size, times or inode — one `stat`, not a
   * read, per hover). Without one the answer comes from NIX_PATH, whose directories may appear at
   * any time: asked afresh.
   */
  private pin(): NixpkgsPin | undefined {
    const nixPath = this.init.nixPath ?? process.env.NIX_PATH;
    const locks = this.workspaceFolders.map((folder) => fileSignature(join(folder, 'flake.lock')));
    if (locks.every((signature) => signature === undefined)) return findNixpkgsPin(this.workspaceFolders, nixPath);
    const key = [nixPath ?? '', ...locks.map((signature) => signature ?? '\u0001')].join('\0');
    if (this.pinned?.key !== key) this.pinned = { key, pin: findNixpkgsPin(this.workspaceFolders, nixPath) };
    return this.pinned.pin;
  }

  /**
   * Plans the source and brings it up to date. A refresh whose plan equals the one already being
   * worked on joins it instead of restarting it (a settings change elsewhere must not restart a
   * long evaluation); a different plan cancels the old work.
   */
  private async refreshSource(slot: SourceSlot, force: boolean): Promise<void> {
    const request = ++slot.requests;
    const label = SOURCE_LABELS[slot.kind];
    let plan: SourcePlan;
    try {
      const pin = slot.kind === 'nixpkgs' || slot.kind === 'nixos' ? this.pin() : undefined;
      plan = await planSource(slot.kind, {
        settings: this.settings,
        workspaceFolders: this.workspaceFolders,
        trusted: this.trusted,
        pin,
        nixAvailable: () => this.nixAvailable(),
      });
    } catch (error) {
      if (request !== slot.requests || this.disposed) return;
      slot.state = slot.file ? 'offline-cache' : 'failed';
      slot.message = `cannot tell where to read it from: ${errorMessage(error)}`;
      this.notifyOnce(slot, `${label}: ${slot.message}`);
      return;
    }
    // A newer request plans again with newer settings.
    if (request !== slot.requests || this.disposed) return;
    const current = slot.active;
    if (current && !force && samePlan(current.plan, plan)) {
      await current.done;
      return;
    }
    current?.abort.abort();
    const active: ActiveRefresh = { plan, abort: new AbortController() };
    slot.active = active;
    active.done = this.applyPlan(slot, active, force).finally(() => {
      if (slot.active === active) slot.active = undefined;
    });
    await active.done;
  }

  private async applyPlan(slot: SourceSlot, active: ActiveRefresh, force: boolean): Promise<void> {
    const { plan } = active;
    const signal = active.abort.signal;
    const stale = () => slot.active !== active || this.disposed;
    const label = SOURCE_LABELS[slot.kind];
    if (plan.mode === 'off') {
      this.install(slot, undefined);
      slot.plan = plan;
      slot.state = 'off';
      slot.origin = undefined;
      slot.message = plan.reason;
      return;
    }
    const unchanged = samePlan(slot.plan, plan);
    slot.plan = plan;
    slot.state = 'loading';
    const cachePath = this.store.fileFor(slot.kind, plan.location);

    // Answer from disk right away while checking for something newer.
    if (!slot.file || !unchanged) {
      const interim = this.store.usableHeader(cachePath) ? cachePath : this.store.lastGood(slot.kind)?.path;
      if (interim && interim !== slot.file?.path) this.tryInstall(slot, interim, 'cache');
    }

    try {
      const origin = await this.bringUpToDate(slot, plan, cachePath, signal, force);
      if (stale()) return;
      slot.state = 'ready';
      slot.origin = origin;
      slot.message = undefined;
      slot.lastNotice = undefined;
      this.store.prune(slot.kind, new Set([cachePath]));
    } catch (error) {
      if (stale() || error instanceof CancelledError) return;
      const why = error instanceof OfflineError ? 'offline' : errorMessage(error);
      this.init.log(`${label}: ${why}`);
      if (!slot.file) {
        const fallback = this.store.usableHeader(cachePath) ? cachePath : this.store.lastGood(slot.kind)?.path;
        if (fallback) this.tryInstall(slot, fallback, 'cache');
      }
      if (slot.file) {
        const age = describeAge(this.now() - slot.file.header.builtAt);
        slot.state = 'offline-cache';
        slot.origin = 'cache';
        slot.message = `${why}; using the index cached ${age} ago`;
        this.notifyOnce(slot, `${label}: ${why}. Using the index cached ${age} ago.`);
      } else {
        slot.state = 'failed';
        slot.origin = undefined;
        slot.message = why;
        this.notifyOnce(slot, `${label}: ${why}. No cached index is available.`);
      }
    }
  }

  /** Makes the slot serve an index current with `plan`; returns where it came from. */
  private async bringUpToDate(slot: SourceSlot, plan: SourcePlan, cachePath: string, signal: AbortSignal, force: boolean): Promise<SourceOriginName> {
    const cached = this.store.usableHeader(cachePath);
    const converter = CONVERTERS[slot.kind];
    switch (plan.mode) {
      case 'file': {
        let size: number;
        let mtimeMs: number;
        try {
          ({ size, mtimeMs } = statSync(plan.path));
        } catch (error) {
          throw new Error(`cannot read ${plan.path} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
        }
        const identity: SourceIdentity = { origin: 'file', location: plan.path, size, mtimeMs };
        if (!force && cached && sameFile(cached.identity, identity)) {
          this.useCache(slot, cachePath);
          return 'file';
        }
        await this.build(slot, { converter, input: { type: 'file', path: plan.path }, output: cachePath, identity, revision: plan.revision }, signal);
        return 'file';
      }
      case 'url': {
        const reusable = cached && cached.identity.origin === 'url' && cached.identity.location === plan.url ? cached : undefined;
        if (this.settings.offline) {
          if (reusable) this.useCache(slot, cachePath);
          throw new OfflineError();
        }
        const note = this.store.readHttpNote(cachePath);
        const recheck = this.init.recheckAfterMs ?? 6 * 3600_000;
        if (!force && reusable && note && note.url === plan.url && this.now() - note.checkedAt < recheck) {
          this.useCache(slot, cachePath);
          return 'url';
        }
        const result = await this.build(
          slot,
          {
            converter,
            input: {
              type: 'url',
              url: plan.url,
              etag: reusable?.identity.etag,
              lastModified: reusable?.identity.lastModified,
              allowedRedirectHosts: plan.allowedRedirectHosts,
              revisionFromUrl: plan.revisionFromUrl,
            },
            output: cachePath,
            identity: { origin: 'url', location: plan.url },
            revision: plan.revision,
          },
          signal,
        );
        if (result.status === 'not-modified') {
          if (!reusable) throw new Error(`${plan.url} answered "not modified" but no cached index exists`);
          this.useCache(slot, cachePath);
          this.init.log(`${SOURCE_LABELS[slot.kind]}: ${plan.url} not modified`);
        }
        const header = result.status === 'built' ? result.header : reusable;
        this.store.writeHttpNote(cachePath, { url: plan.url, checkedAt: this.now(), etag: header?.identity.etag, lastModified: header?.identity.lastModified });
        return 'url';
      }
      case 'nix-eval': {
        const identity = evaluationIdentity(plan);
        if (!force && cached && cached.identity.origin === 'nix-eval' && sameEvaluation(cached.identity, identity)) {
          this.useCache(slot, cachePath);
          return 'nix-eval';
        }
        if (this.settings.offline && plan.pin.kind === 'locked') throw new OfflineError();
        const commands = nixCommandsFor(this.settings.nix?.path ?? 'nix', this.init.nixEnv);
        const src = await pinnedSourcePath(plan.pin, { commands, runProcess: this.init.runProcess, signal });
        const input = plan.evaluates === 'packages' ? packagesEvaluation(src, commands) : optionsEvaluation(src, commands);
        await this.build(slot, { converter, input, output: cachePath, identity, revision: plan.revision }, signal);
        return 'nix-eval';
      }
      case 'off':
        return 'cache';
    }
  }

  private async build(slot: SourceSlot, job: BuildJob, signal: AbortSignal): Promise<BuildJobResult> {
    const label = SOURCE_LABELS[slot.kind];
    const what = job.input.type === 'command' ? 'Evaluating' : job.input.type === 'url' ? 'Downloading' : 'Indexing';
    const progress = this.init.progress?.(`${what} ${label}`);
    let lastPercent = -1;
    let warnings = 0;
    try {
      const result = await this.executor.run(job, {
        signal,
        onProgress: (done, total) => {
          if (!progress) return;
          if (total) {
            const percent = Math.min(99, Math.floor((done / total) * 100));
            if (percent === lastPercent) return;
            lastPercent = percent;
            progress.report(`${megabytes(done)} of ${megabytes(total)}`, percent);
          } else progress.report(`${megabytes(done)} read`);
        },
        onWarning: (warning) => {
          if (warnings++ < 20) this.init.log(`${label}: ${warning}`);
        },
      });
      // A newer plan took over while this one finished: leave the slot to it.
      if (signal.aborted) throw new CancelledError();
      if (result.status === 'built') {
        if (warnings > 20) this.init.log(`${label}: ${warnings - 20} more warnings`);
        this.init.log(`${label}: indexed ${result.header.count} entries from ${job.identity.location}`);
        this.useCache(slot, job.output);
      }
      return result;
    } finally {
      progress?.done();
    }
  }

  private refreshLib(force: boolean): void {
    if (this.disposed) return;
    this.lib.running = this.loadLib(force).catch((error: unknown) => {
      this.init.log(`${LIB_LABEL}: unexpected error: ${errorMessage(error)}`);
    });
  }

  /**
   * Serves the lib of the workspace's pinned nixpkgs: from the cache when it matches, else
   * evaluated in the background. Only for a trusted workspace with Nix installed, as for packages.
   */
  private async loadLib(force: boolean): Promise<void> {
    const slot = this.lib;
    const request = ++slot.requests;
    slot.abort?.abort();
    slot.abort = undefined;
    const current = () => request === slot.requests && !this.disposed;
    const pin = this.pin();
    let off: string | undefined;
    if (!pin) off = 'the workspace pins no nixpkgs (flake.lock or NIX_PATH)';
    else if (pin.kind === 'channel') off = `${pin.description} names a channel, not a local nixpkgs`;
    else if (!this.trusted) off = 'the workspace is not trusted';
    else if (!(await this.nixAvailable())) off = 'Nix is not installed';
    if (!current()) return;
    if (off !== undefined || !pin || pin.kind === 'channel') {
      Object.assign<LibSlot, Partial<LibSlot>>(slot, { state: 'off', index: undefined, origin: undefined, location: undefined, message: off });
      return;
    }
    const location = pin.kind === 'locked' ? pin.location : `path:${pin.path}`;
    // A locked pin never changes; a local checkout may have, which the load notices cheaply.
    if (!force && slot.state === 'ready' && slot.location === location && pin.kind === 'locked') return;
    slot.state = 'loading';
    const abort = new AbortController();
    slot.abort = abort;
    let progress: ProgressReporter | undefined;
    try {
      const loaded = await loadLibIndex({
        pin,
        cacheDir: this.store.dir,
        commands: nixCommandsFor(this.settings.nix?.path ?? 'nix', this.init.nixEnv),
        runProcess: this.init.runProcess,
        signal: abort.signal,
        offline: this.settings.offline,
        force,
        now: this.init.now,
        log: (message) => this.init.log(`${LIB_LABEL}: ${message}`),
        onEvaluating: () => {
          progress = this.init.progress?.(`Evaluating ${LIB_LABEL}`);
        },
      });
      if (!current()) return;
      Object.assign<LibSlot, Partial<LibSlot>>(slot, { state: 'ready', index: loaded.index, origin: loaded.origin, location, message: undefined, lastNotice: undefined });
      if (loaded.origin === 'nix-eval') this.init.log(`${LIB_LABEL}: indexed ${loaded.index.count} members of ${pin.description}`);
    } catch (error) {
      if (!current() || error instanceof CancelledError) return;
      const why = errorMessage(error);
      this.init.log(`${LIB_LABEL}: ${why}`);
      slot.state = slot.index ? 'offline-cache' : 'failed';
      slot.message = slot.index ? `${why}; still using the lib of ${slot.location}` : why;
      if (slot.lastNotice !== why) {
        slot.lastNotice = why;
        this.init.notify(`${LIB_LABEL}: ${why}`);
      }
    } finally {
      progress?.done();
      if (slot.abort === abort) slot.abort = undefined;
    }
  }

  /** Loads the index at `path` into the slot (replacing what it served). */
  private useCache(slot: SourceSlot, path: string): void {
    if (slot.file?.path === path && slot.file.header.builtAt === this.store.usableHeader(path)?.builtAt) return;
    this.install(slot, IndexFile.open(path));
  }

  private tryInstall(slot: SourceSlot, path: string, origin: SourceOriginName): void {
    try {
      this.install(slot, IndexFile.open(path));
      slot.origin = origin;
    } catch (error) {
      this.init.log(`${SOURCE_LABELS[slot.kind]}: cannot load ${path}: ${errorMessage(error)}`);
    }
  }

  private install(slot: SourceSlot, file: IndexFile | undefined): void {
    const previous = slot.file;
    slot.file = file;
    if (!file) this.views.delete(slot.kind);
    else if (slot.kind === 'nixpkgs' || slot.kind === 'nur-packages') this.views.set(slot.kind, new PackageIndex(file));
    else if (slot.kind === 'nur-repos') this.views.set(slot.kind, new NurRepoIndex(file));
    else this.views.set(slot.kind, new OptionIndex(file));
    if (previous && previous !== file) previous.close();
  }

  private notifyOnce(slot: SourceSlot, message: string): void {
    if (slot.lastNotice === message) return;
    slot.lastNotice = message;
    this.init.notify(message);
  }
}

function describeHit(source: SearchSource, file: IndexFile, entry: number): SearchResult {
  const path = file.table.pathAt(entry);
  const result: SearchResult = { source, path, label: path.join('.') };
  try {
    if (source === 'nixos' || source === 'home-manager') {
      const option = file.record<OptionRecord>(entry);
      if (option.type) result.detail = option.type;
      if (option.description) result.description = firstLine(option.description);
    } else if (source === 'nur-repo') {
      result.label = `nur.repos.${path[0]}`;
      result.path = ['nur', 'repos', ...path];
    } else {
      const record = file.record<PackageRecord>(entry);
      if (record.version) result.detail = record.version;
      if (record.description) result.description = record.description;
    }
  } catch {
    // A record that cannot be read still names a result.
  }
  return result;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** `less than a minute`, `3 minutes`, `2 hours`, `5 days`. */
export function describeAge(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return hours === 1 ? '1 hour' : `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

/** The settings one source depends on, as a comparable string. */
function settingsKey(kind: SourceKind, settings: KnowledgeSettings): string {
  const common = [settings.offline, settings.nix?.path ?? 'nix'];
  switch (kind) {
    case 'nixpkgs':
      return JSON.stringify([...common, settings.nixpkgs.packages, settings.nixpkgs.channel]);
    case 'nixos':
      return JSON.stringify([...common, settings.nixos.options, settings.nixpkgs.channel]);
    case 'home-manager':
      return JSON.stringify([...common, settings.homeManager.options]);
    case 'nur-repos':
      return JSON.stringify([...common, settings.nur.repos]);
    case 'nur-packages':
      return JSON.stringify([...common, settings.nur.packages]);
  }
}

function sameFile(a: SourceIdentity, b: SourceIdentity): boolean {
  return a.origin === 'file' && a.location === b.location && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function sameEvaluation(a: SourceIdentity, b: SourceIdentity): boolean {
  return a.location === b.location && a.rev === b.rev && a.narHash === b.narHash && a.mtimeMs === b.mtimeMs;
}

/** What identifies an evaluated nixpkgs: the lock's revision and hash, or a local tree's state. */
function evaluationIdentity(plan: Extract<SourcePlan, { mode: 'nix-eval' }>): SourceIdentity {
  const pin = plan.pin;
  if (pin.kind === 'locked') return { origin: 'nix-eval', location: plan.location, rev: pin.rev, narHash: pin.narHash };
  let location = plan.location;
  let mtimeMs: number | undefined;
  try {
    const real = realpathSync(pin.path);
    location = `path:${real}`;
    // A checkout that changes (a pull, an edit) changes these; a store path never does.
    mtimeMs = Math.max(statSync(real).mtimeMs, statSync(join(real, 'default.nix')).mtimeMs);
  } catch {
    // Missing trees fail later with a clear message.
  }
  return { origin: 'nix-eval', location, mtimeMs };
}

/** A flake.lock's text; undefined when there is none. */
/** What changes whenever a file's content does, without reading it; undefined when it does not exist. */
function fileSignature(file: string): string | undefined {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats && `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
  } catch {
    return undefined;
  }
}
