// The workspace's configurations and their evaluated option sets. Finds them (the flake's
// outputs listed by Nix, a classic `configuration.nix`), works out statically which files belong
// to which (moduleGraph.ts), and evaluates one at a time in the background — never on a request,
// cancellable, only in a trusted workspace — into an option index cached on disk, keyed by
// `flake.lock` and the content of the files the configuration imports. A save that touches one of
// those files evaluates it again; meanwhile and after a failure the last good set stays.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildExecutor } from '../knowledge/buildExecutor';
import { errorMessage } from '../knowledge/errors';
import { IndexFile } from '../knowledge/indexFile';
import { OptionIndex } from '../knowledge/optionIndex';
import {
  ConfigurationEvaluationError,
  EvaluationCancelledError,
  evaluateOptionTree,
  listFlake,
  type NixRunner,
  type SkippedField,
} from './configurationEvaluation';
import { CONFIGURATION_CATEGORIES, type ConfigurationRef } from './configurationRef';
import { flakePartsConfiguration, moduleMemberships, writtenConfigurations, type Membership, type TreeReader, type WrittenConfiguration } from './moduleGraph';
import { OPTION_TREE_EXPRESSION } from './optionTreeExpression';

/** `"auto"`: every configuration found; a list: those ids only; `[]`: none. */
export type ConfigurationSelection = 'auto' | string[];

export type ConfigurationPhase = 'queued' | 'evaluating' | 'ready' | 'failed';

export interface ConfigurationStatus {
  id: string;
  phase: ConfigurationPhase;
  /** Options in the set in use (the last good one while evaluating or after a failure). */
  options?: number;
  /** Nix's summary of the last failure. */
  error?: string;
  /** The configuration's nixpkgs needs a newer Nix: the channel's options stay in use. */
  needsNewerNix?: { required: string; installed: string };
  /** Option fields (mostly defaults) that could not be shown. */
  skipped?: number;
}

/** A loaded option set and where in it a file's options live. */
export interface FileOptionSet {
  configuration: string;
  index: OptionIndex;
  membership: Membership;
}

export interface ConfigurationServiceOptions {
  cacheDir: string;
  workspaceFolders: string[];
  runner: () => Omit<NixRunner, 'signal'>;
  executor: BuildExecutor;
  readTree: TreeReader;
  selection: () => ConfigurationSelection;
  trusted: () => boolean;
  log: (message: string) => void;
  /** Something users see changed: a set loaded, a phase changed. */
  changed: () => void;
  /** Nix pointed at a file when an evaluation failed (or no longer does: `undefined`). */
  failedAt?: (id: string, location: { file: string; line: number; column: number; message: string } | undefined) => void;
}

interface Entry {
  ref: ConfigurationRef;
  status: ConfigurationStatus;
  key?: string;
  index?: OptionIndex;
  /** The flake's copy in the store (to map Nix's locations back to the workspace). */
  source?: string;
  /** Fields that broke the last evaluation: left out at once next time. */
  skipped?: SkippedField[];
}

/** Bump when the expression or the record shape changes, so cached sets are rebuilt. */
const CACHE_VERSION = `1:${createHash('sha256').update(OPTION_TREE_EXPRESSION).digest('hex').slice(0, 12)}`;

export class ConfigurationService {
  private entries = new Map<string, Entry>();
  private memberships = new Map<string, Membership[]>();
  private queue: string[] = [];
  private running: { id: string; abort: AbortController } | undefined;
  private discovery: Promise<void> | undefined;
  /** Flakes that could not even be listed (a broken flake.nix, no Nix), by folder. */
  private listingFailures: ConfigurationStatus[] = [];
  private disposed = false;

  constructor(private readonly options: ConfigurationServiceOptions) {}

  /** Finds the configurations and evaluates those not cached; does nothing when untrusted or off. */
  start(): Promise<void> {
    if (!this.options.trusted() || this.disposed) return Promise.resolve();
    const selection = this.options.selection();
    if (Array.isArray(selection) && selection.length === 0) {
      this.clear();
      return Promise.resolve();
    }
    this.discovery ??= this.discover().finally(() => {
      this.discovery = undefined;
    });
    return this.discovery;
  }

  /** Evaluates every configuration again, ignoring the cache. */
  async reevaluate(): Promise<ConfigurationStatus[]> {
    for (const entry of this.entries.values()) entry.key = undefined;
    await this.start();
    for (const id of this.entries.keys()) this.enqueue(id, true);
    return this.status();
  }

  /** A file was saved: configurations that import it (or the flake itself) are evaluated again. */
  fileSaved(file: string): void {
    if (!this.options.trusted()) return;
    const flakeFile = /\/flake\.(nix|lock)$/.test(file);
    const affected = flakeFile || this.memberships.has(file) || [...this.entries.values()].some((e) => e.ref.kind === 'classic' && e.ref.file === file);
    if (affected) void this.start();
  }

  /** The option sets a file's options come from; empty when it belongs to no evaluated configuration. */
  setsFor(file: string): FileOptionSet[] {
    const result: FileOptionSet[] = [];
    for (const membership of this.memberships.get(file) ?? []) {
      const index = this.entries.get(membership.configuration)?.index;
      if (index) result.push({ configuration: membership.configuration, index, membership });
    }
    return result;
  }

  /** Whether a file belongs to a configuration whose options are still being evaluated for the first time. */
  loadingFor(file: string): boolean {
    return (this.memberships.get(file) ?? []).some((m) => {
      const entry = this.entries.get(m.configuration);
      return entry && !entry.index && (entry.status.phase === 'queued' || entry.status.phase === 'evaluating');
    });
  }

  status(): ConfigurationStatus[] {
    return [...this.listingFailures, ...[...this.entries.values()].map((entry) => ({ ...entry.status }))];
  }

  /** Stops the running evaluation and forgets everything (trust revoked, setting turned off). */
  clear(): void {
    this.running?.abort.abort();
    this.queue = [];
    for (const entry of this.entries.values()) entry.index?.file.close();
    this.entries.clear();
    this.memberships.clear();
    this.listingFailures = [];
    this.options.changed();
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
  }

  private async discover(): Promise<void> {
    const refs: (ConfigurationRef & { source?: string })[] = [];
    const written: WrittenConfiguration[] = [];
    this.listingFailures = [];
    for (const folder of this.options.workspaceFolders) {
      const flakeNix = join(folder, 'flake.nix');
      if (existsSync(flakeNix)) {
        try {
          const listing = await listFlake(folder, this.options.runner());
          for (const category of CONFIGURATION_CATEGORIES) {
            for (const name of listing[category]) refs.push({ kind: 'flake-output', id: `${category}.${name}`, flakeDir: folder, category, name, source: listing.source });
          }
          if (listing.flakeParts && /\bmkFlake\b/.test(readFileSync(flakeNix, 'utf8'))) refs.push({ kind: 'flake-parts', id: 'flake-parts', flakeDir: folder, source: listing.source });
        } catch (error) {
          this.reportDiscoveryFailure(folder, error);
          continue;
        }
        const root = this.options.readTree(flakeNix);
        if (root) written.push(...writtenConfigurations(root, flakeNix));
        if (refs.some((ref) => ref.kind === 'flake-parts' && ref.flakeDir === folder)) written.push(flakePartsConfiguration(flakeNix));
      } else if (existsSync(join(folder, 'configuration.nix')) && /(^|:)nixpkgs=/.test(process.env.NIX_PATH ?? '')) {
        const file = join(folder, 'configuration.nix');
        refs.push({ kind: 'classic', id: 'configuration.nix', file });
        written.push({ id: 'configuration.nix', tree: 'nixos', modules: [file] });
      }
    }
    const selection = this.options.selection();
    const chosen = refs.filter((ref) => selection === 'auto' || selection.includes(ref.id));
    const ids = (list: readonly ConfigurationRef[]) => list.map((ref) => ref.id).join(', ') || 'none';
    this.options.log(`configurations: found ${ids(refs)}; evaluating ${selection === 'auto' ? 'all' : ids(chosen)}`);
    this.memberships = moduleMemberships(
      written.filter((w) => chosen.some((ref) => ref.id === w.id)),
      this.options.readTree,
    );
    const next = new Map<string, Entry>();
    for (const ref of chosen) {
      const previous = this.entries.get(ref.id);
      const entry: Entry = previous ?? { ref, status: { id: ref.id, phase: 'queued' } };
      entry.ref = ref;
      entry.source = ref.source;
      next.set(ref.id, entry);
    }
    for (const [id, entry] of this.entries) if (!next.has(id)) entry.index?.file.close();
    this.entries = next;
    for (const id of next.keys()) this.enqueue(id, false);
    this.options.changed();
  }

  private reportDiscoveryFailure(folder: string, error: unknown): void {
    const message = errorMessage(error);
    this.options.log(`configurations: listing the flake in ${folder} failed: ${message}`);
    const status: ConfigurationStatus = { id: `${folder}/flake.nix`, phase: 'failed', error: message };
    if (error instanceof ConfigurationEvaluationError && error.needsNewerNix) status.needsNewerNix = error.needsNewerNix;
    this.listingFailures.push(status);
    this.options.changed();
  }

  /** The cache key: what the evaluation reads from the workspace. */
  private keyOf(entry: Entry): string {
    const hash = createHash('sha256').update(CACHE_VERSION).update('\0').update(entry.ref.id);
    const dir = entry.ref.kind === 'classic' ? undefined : entry.ref.flakeDir;
    const files = new Set<string>();
    if (dir) {
      files.add(join(dir, 'flake.nix'));
      files.add(join(dir, 'flake.lock'));
    }
    for (const [file, list] of this.memberships) if (list.some((m) => m.configuration === entry.ref.id)) files.add(file);
    for (const file of [...files].sort()) {
      hash.update('\0').update(file).update('\0');
      try {
        hash.update(readFileSync(file));
      } catch {
        hash.update('(missing)');
      }
    }
    return hash.digest('hex').slice(0, 32);
  }

  private enqueue(id: string, force: boolean): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const key = this.keyOf(entry);
    if (!force && entry.key === key && entry.index) return;
    if (!force && this.loadCached(entry, key)) return;
    if (this.running?.id === id) this.running.abort.abort();
    if (!this.queue.includes(id)) this.queue.push(id);
    if (!entry.index) entry.status = { id, phase: 'queued' };
    void this.pump();
  }

  private indexPath(key: string): string {
    return join(this.options.cacheDir, 'configurations', `${key}.nnix`);
  }

  private loadCached(entry: Entry, key: string): boolean {
    const path = this.indexPath(key);
    if (!existsSync(path)) return false;
    try {
      this.install(entry, key, new OptionIndex(IndexFile.open(path)), entry.status.skipped);
      return true;
    } catch (error) {
      this.options.log(`configurations: cached options of ${entry.ref.id} are unusable (${errorMessage(error)}); evaluating again`);
      rmSync(path, { force: true });
      return false;
    }
  }

  private install(entry: Entry, key: string, index: OptionIndex, skipped?: number): void {
    const old = entry.index;
    entry.index = index;
    entry.key = key;
    entry.status = { id: entry.ref.id, phase: 'ready', options: index.count, ...(skipped ? { skipped } : {}) };
    if (old && old !== index) old.file.close();
    this.options.failedAt?.(entry.ref.id, undefined);
    this.options.changed();
  }

  private async pump(): Promise<void> {
    if (this.running || this.disposed) return;
    const id = this.queue.shift();
    if (!id) return;
    const entry = this.entries.get(id);
    if (!entry) return void this.pump();
    const abort = new AbortController();
    this.running = { id, abort };
    const key = this.keyOf(entry);
    entry.status = { ...entry.status, id, phase: 'evaluating', error: undefined };
    this.options.changed();
    const started = Date.now();
    const json = join(this.options.cacheDir, 'configurations', `${key}.json`);
    try {
      const relocation = entry.source && entry.ref.kind !== 'classic' ? { from: entry.source, to: entry.ref.flakeDir } : undefined;
      const evaluated = await evaluateOptionTree(entry.ref, json, { ...this.options.runner(), signal: abort.signal }, undefined, entry.skipped, relocation);
      entry.skipped = evaluated.skipped;
      const output = this.indexPath(key);
      await this.options.executor.run(
        { converter: 'options', input: { type: 'file', path: json }, output, identity: { origin: 'nix-eval', location: entry.ref.id } },
        { signal: abort.signal },
      );
      if (this.entries.get(id) !== entry) return;
      this.install(entry, key, new OptionIndex(IndexFile.open(output)), evaluated.skipped.length);
      this.options.log(`configurations: ${id}: ${entry.status.options} options in ${Date.now() - started} ms${evaluated.skipped.length ? ` (left out: ${evaluated.skipped.map((s) => `the ${s.field} of ${s.option}`).join(', ')})` : ''}`);
    } catch (error) {
      if (error instanceof EvaluationCancelledError || abort.signal.aborted) {
        if (entry.status.phase === 'evaluating') entry.status = { ...entry.status, phase: entry.index ? 'ready' : 'queued' };
      } else {
        this.fail(entry, error);
      }
    } finally {
      rmSync(json, { force: true });
      if (this.running?.id === id) this.running = undefined;
      this.options.changed();
      void this.pump();
    }
  }

  private fail(entry: Entry, error: unknown): void {
    const message = errorMessage(error);
    const status: ConfigurationStatus = { id: entry.ref.id, phase: 'failed', error: message };
    if (entry.index) status.options = entry.index.count;
    if (error instanceof ConfigurationEvaluationError) {
      if (error.needsNewerNix) status.needsNewerNix = error.needsNewerNix;
      const location = error.location && this.workspaceFile(entry, error.location.file);
      if (location && error.location) this.options.failedAt?.(entry.ref.id, { ...error.location, file: location, message });
    }
    entry.status = status;
    this.options.log(`configurations: ${entry.ref.id} failed: ${message}`);
  }

  /** A file Nix named, as a workspace file: the flake's store copy maps back to the folder. */
  private workspaceFile(entry: Entry, file: string): string | undefined {
    if (entry.source && file.startsWith(`${entry.source}/`) && entry.ref.kind !== 'classic') return join(entry.ref.flakeDir, file.slice(entry.source.length + 1));
    return this.options.workspaceFolders.some((folder) => file.startsWith(`${folder}/`)) ? file : undefined;
  }
}
