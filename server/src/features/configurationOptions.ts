// The option queries of one file that belongs to evaluated configurations: its options come from
// those configurations' sets (all of them merged, for a file shared by several hosts), and
// everything else — packages, `lib`, NUR — from the channel indexes as before. A file in no
// configuration, or whose configurations are not evaluated yet, keeps the channel's options.
import type { FileOptionSet } from '../configurations/configurationService';
import type { OptionChild, OptionChildrenOptions, OptionPathClass, OptionPathKind } from '../knowledge/optionIndex';
import type { OptionInfo } from '../knowledge/optionRecord';
import type { ChildrenResult } from '../knowledge/packageIndex';
import type { KnowledgeQueries, OptionScope } from './knowledgeQueries';

/** Where a Home Manager module's options sit inside a NixOS or nix-darwin configuration. */
const HOME_MANAGER_USERS = ['home-manager', 'users', '<name>'];

/** Bounds the merged children lists kept per file's queries. */
const MERGED_LISTS_KEPT = 32;

/** Which answer wins when sets disagree: an option anywhere makes the path an option. */
const CLASS_RANK: Record<OptionPathKind, number> = { option: 3, prefix: 2, 'inside-option': 1, unknown: 0 };

/** The full path in a set of what a file of that set writes as `path` in a module of `scope`. */
function pathInSet(set: FileOptionSet, scope: OptionScope, path: readonly string[]): string[] {
  const { tree, prefix } = set.membership;
  if (scope === 'home-manager' && tree === 'nixos') return [...HOME_MANAGER_USERS, ...path];
  return [...prefix, ...path];
}

/**
 * Whether a set answers for modules of `scope`: a flake-parts set only for flake-parts modules, a
 * NixOS or Home Manager set never for them (flake.nix holds both kinds: `mkFlake`'s module and the
 * modules of `nixosSystem` calls).
 */
function answersFor(set: FileOptionSet, scope: OptionScope): boolean {
  return (set.membership.tree === 'flake-parts') === (scope === 'flake-parts');
}

export function withConfigurationOptions(base: KnowledgeQueries | undefined, all: readonly FileOptionSet[]): KnowledgeQueries | undefined {
  if (all.length === 0 || !base) return base;
  const byScope = new Map<OptionScope, FileOptionSet[]>();
  for (const scope of ['nixos', 'home-manager', 'flake-parts'] as const) {
    const answering = all.filter((set) => answersFor(set, scope));
    if (answering.length > 0) byScope.set(scope, answering);
  }
  /** Lists merged from several sets lately, by question: completion asks the same again as the user types on. */
  const recentlyMerged = new Map<string, ChildrenResult<OptionChild>>();
  const optionChildren = (scope: OptionScope, path: readonly string[], options: OptionChildrenOptions = {}): ChildrenResult<OptionChild> & { loading: boolean } => {
    const sets = byScope.get(scope);
    if (!sets) return base.optionChildren(scope, path, options);
    // One set (most files): its answer as it is; the index's items are fresh objects already.
    if (sets.length === 1) return { ...sets[0]!.index.children(pathInSet(sets[0]!, scope, path), options), loading: false };
    const question = [scope, ...path, options.prefix ?? '', options.limit ?? '', options.types ? 't' : ''].join('\u0000');
    let merged = recentlyMerged.get(question);
    if (!merged) {
      merged = mergedChildren(sets, scope, path, options);
      if (recentlyMerged.size >= MERGED_LISTS_KEPT) recentlyMerged.delete(recentlyMerged.keys().next().value!);
      recentlyMerged.set(question, merged);
    }
    // The items are the caller's to change.
    return { items: merged.items.map((item) => ({ ...item })), incomplete: merged.incomplete, loading: false };
  };
  const mergedChildren = (sets: readonly FileOptionSet[], scope: OptionScope, path: readonly string[], options: OptionChildrenOptions): ChildrenResult<OptionChild> => {
    const merged = new Map<string, OptionChild>();
    let incomplete = false;
    for (const set of sets) {
      const result = set.index.children(pathInSet(set, scope, path), options);
      incomplete ||= result.incomplete;
      for (const child of result.items) {
        const existing = merged.get(child.name);
        if (!existing) merged.set(child.name, child);
        else {
          if (child.kind === 'option') existing.kind = 'option';
          if (child.hasChildren) existing.hasChildren = true;
          existing.type ??= child.type;
        }
      }
    }
    const items = [...merged.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { items, incomplete };
  };
  const lookupOption = (scope: OptionScope, path: readonly string[]): OptionInfo | undefined => {
    const sets = byScope.get(scope);
    if (!sets) return base.lookupOption(scope, path);
    let found: OptionInfo | undefined;
    const from: string[] = [];
    for (const set of sets) {
      // The first set's record is read; the others only say whether they have the option.
      const entry = set.index.optionEntry(pathInSet(set, scope, path));
      if (entry < 0) continue;
      found ??= set.index.infoAt(entry);
      from.push(set.configuration);
    }
    return found && { ...found, configurations: from };
  };
  const classifyOption = (scope: OptionScope, path: readonly string[]): OptionPathClass | undefined => {
    const sets = byScope.get(scope);
    if (!sets) return base.classifyOption(scope, path);
    let best: OptionPathClass | undefined;
    for (const set of sets) {
      const full = pathInSet(set, scope, path);
      const found = set.index.classify(full);
      // Paths are reported as the file writes them: the set's own prefix is taken off again.
      const shift = full.length - path.length;
      const answer: OptionPathClass = found.option ? { kind: found.kind, option: found.option.slice(shift) } : { kind: found.kind };
      if (!best || CLASS_RANK[answer.kind] > CLASS_RANK[best.kind]) best = answer;
    }
    return best;
  };
  return {
    packageChildren: (path, options) => base.packageChildren(path, options),
    lookupPackage: (path) => base.lookupPackage(path),
    lookupPackages: (paths) => base.lookupPackages(paths),
    optionChildren,
    lookupOption,
    lookupNurRepo: (name) => base.lookupNurRepo(name),
    libChildren: (path, options) => base.libChildren(path, options),
    lookupLib: (path) => base.lookupLib(path),
    nixpkgsRevision: () => base.nixpkgsRevision(),
    nixpkgsSource: () => base.nixpkgsSource(),
    classifyOption,
    isLoading: (kind) => (byScope.has(kind as OptionScope) ? false : base.isLoading(kind)),
  };
}
