// The options the workspace's own files declare, added to what the option indexes answer: so
// completion (also of `config.my.backup.`), hover, value completion and the unknown-option check
// know `my.backup.enable` from `./backup.nix` without Nix, from the moment the file is indexed.
// A workspace module may be a NixOS or a Home Manager module: its options join both (not
// flake-parts', which only an evaluated flake knows).
//
// Where the index and the workspace disagree the index wins for options it knows (it was
// evaluated), and the workspace answers for the rest. While no index is loaded, a path the
// workspace does not know is left undecided rather than called unknown.
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver-types';
import type { OptionChild, OptionChildrenOptions, OptionPathClass } from '../knowledge/optionIndex';
import type { OptionInfo } from '../knowledge/optionRecord';
import type { ChildrenResult } from '../knowledge/packageIndex';
import type { DeclaredOptionTree, WorkspaceOption } from '../workspace/declaredOptionTree';
import type { KnowledgeQueries, OptionScope } from './knowledgeQueries';

export interface WorkspaceOptionSource {
  readonly options: DeclaredOptionTree;
  /** True until the first scan of the workspace folders is done. */
  readonly scanning: boolean;
  /** A file's path relative to its workspace folder. */
  displayName(uri: string): string;
}

const DEFAULT_LIMIT = 200;

/** `base` with the workspace's declared options added; `base` itself when the workspace declares none. */
export function withWorkspaceOptions(base: KnowledgeQueries | undefined, workspace: WorkspaceOptionSource | undefined): KnowledgeQueries | undefined {
  if (!workspace || (workspace.options.size === 0 && !workspace.scanning)) return base;
  // Asked on every request; the queries read the workspace's options as they are when asked, so
  // one per pair serves until the channel's queries change.
  const known = madeFor.get(workspace);
  if (known && known.base === base) return known.queries;
  const queries = new WorkspaceKnowledge(base, workspace);
  madeFor.set(workspace, { base, queries });
  return queries;
}

const madeFor = new WeakMap<WorkspaceOptionSource, { base: KnowledgeQueries | undefined; queries: KnowledgeQueries }>();

/** The option as hover and completion show it, from the first file that declares it. */
export function workspaceOptionInfo(path: readonly string[], declarations: readonly WorkspaceOption[], workspace: WorkspaceOptionSource): OptionInfo | undefined {
  const first = declarations[0];
  if (!first) return undefined;
  const { option } = first;
  return {
    loc: [...path],
    type: option.type,
    description: option.description,
    descriptionFormat: 'markdown',
    default: option.default,
    example: option.example,
    readOnly: option.readOnly,
    declarations: declarations.map(({ uri, option: o }) => ({ name: workspace.displayName(uri), url: `${uri}#L${o.range.start.line + 1}` })),
  };
}

/** Go to the declarations of a workspace option. */
export function workspaceOptionDefinition(path: readonly string[], workspace: WorkspaceOptionSource | undefined): Location[] {
  return (workspace?.options.lookup(path) ?? []).map(({ uri, option }) => ({ uri: uri.startsWith('file:') ? uri : pathToFileURL(uri).href, range: option.range }));
}

const NOTHING = { items: [], incomplete: false, loading: false };

class WorkspaceKnowledge implements KnowledgeQueries {
  constructor(
    private readonly base: KnowledgeQueries | undefined,
    private readonly workspace: WorkspaceOptionSource,
  ) {}

  optionChildren(scope: OptionScope, path: readonly string[], options: OptionChildrenOptions = {}): ChildrenResult<OptionChild> & { loading: boolean } {
    if (scope === 'flake-parts') return this.base?.optionChildren(scope, path, options) ?? NOTHING;
    const prefix = options.prefix ?? '';
    const limit = options.limit ?? DEFAULT_LIMIT;
    const fromBase = this.base?.optionChildren(scope, path, options) ?? NOTHING;
    const declared = this.workspace.options.children(path, prefix);
    if (declared.length === 0) return fromBase;
    const byName = new Map<string, OptionChild>(fromBase.items.map((item) => [item.name, item]));
    for (const child of declared) {
      const known = byName.get(child.name);
      if (known && (known.kind === 'option' || child.kind === 'set')) continue;
      byName.set(child.name, child.placeholder ? { name: child.name, kind: child.kind, placeholder: true } : { name: child.name, kind: child.kind });
    }
    const items = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { items: items.slice(0, limit), incomplete: fromBase.incomplete || items.length > limit, loading: fromBase.loading };
  }

  lookupOption(scope: OptionScope, path: readonly string[]): OptionInfo | undefined {
    const known = this.base?.lookupOption(scope, path);
    if (known || scope === 'flake-parts') return known;
    return workspaceOptionInfo(path, this.workspace.options.lookup(path), this.workspace);
  }

  classifyOption(scope: OptionScope, path: readonly string[]): OptionPathClass | undefined {
    const fromBase = this.base?.classifyOption(scope, path);
    if (fromBase?.kind === 'option' || fromBase?.kind === 'inside-option' || scope === 'flake-parts') return fromBase;
    const declared = this.workspace.options.classify(path);
    if (declared !== 'unknown') return { kind: declared };
    return fromBase;
  }

  /** Options count as loading until the workspace's files are read: one of them may declare what a module sets. */
  isLoading(kind: Parameters<KnowledgeQueries['isLoading']>[0]): boolean {
    if ((kind === 'nixos' || kind === 'home-manager') && this.workspace.scanning) return true;
    return this.base?.isLoading(kind) ?? false;
  }

  packageChildren(...args: Parameters<KnowledgeQueries['packageChildren']>) {
    return this.base?.packageChildren(...args) ?? NOTHING;
  }

  lookupPackage(path: readonly string[]) {
    return this.base?.lookupPackage(path);
  }

  lookupPackages(paths: readonly (readonly string[])[]) {
    return this.base?.lookupPackages(paths) ?? paths.map(() => undefined);
  }

  lookupNurRepo(name: string) {
    return this.base?.lookupNurRepo(name);
  }

  libChildren(...args: Parameters<KnowledgeQueries['libChildren']>) {
    return this.base?.libChildren(...args) ?? NOTHING;
  }

  lookupLib(path: readonly string[]) {
    return this.base?.lookupLib(path);
  }

  nixpkgsRevision(): string {
    return this.base?.nixpkgsRevision() ?? '';
  }

  nixpkgsSource(): string | undefined {
    return this.base?.nixpkgsSource();
  }
}
