// `workspace/symbol`: the workspace's top-level names, declared options and flake outputs, found
// by a query the way editors' "go to symbol" pickers expect: exact names first, then prefixes,
// then a word start (`backup` in `my.backup.enable`), then any subsequence of the letters, each
// case-insensitive. The flat list of symbols is built once per index generation, so a query is
// one pass over it.
import { SymbolKind, type SymbolInformation } from 'vscode-languageserver-types';
import type { DefinedName } from '../analysis/fileDeclarations';
import type { IndexedFile } from '../workspace/workspaceIndex';

export interface SymbolSource {
  all(): Iterable<IndexedFile>;
  readonly generation: number;
  displayName(uri: string): string;
}

/** The most symbols one answer carries; the editor asks again as the query grows. */
export const WORKSPACE_SYMBOL_LIMIT = 256;

interface Entry {
  name: string;
  lower: string;
  kind: SymbolKind;
  uri: string;
  range: DefinedName['range'];
  container: string;
}

const Tier = { Exact: 0, Prefix: 1, WordStart: 2, Subsequence: 3 } as const;

export class WorkspaceSymbols {
  private entries: Entry[] = [];
  private builtAt = -1;

  constructor(private readonly source: SymbolSource) {}

  query(query: string, limit = WORKSPACE_SYMBOL_LIMIT): SymbolInformation[] {
    const entries = this.current();
    const wanted = query.trim().toLowerCase();
    const hits: { entry: Entry; tier: number }[] = [];
    for (const entry of entries) {
      const tier = wanted ? matchTier(entry.lower, wanted) : Tier.Prefix;
      if (tier !== undefined) hits.push({ entry, tier });
    }
    hits.sort((a, b) => a.tier - b.tier || a.entry.name.length - b.entry.name.length || (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0));
    return hits.slice(0, limit).map(({ entry }) => ({
      name: entry.name,
      kind: entry.kind,
      location: { uri: entry.uri, range: entry.range },
      containerName: entry.container,
    }));
  }

  private current(): Entry[] {
    if (this.builtAt === this.source.generation) return this.entries;
    const entries: Entry[] = [];
    for (const file of this.source.all()) {
      const container = this.source.displayName(file.uri);
      const add = (name: string, kind: SymbolKind, range: Entry['range']) => entries.push({ name, lower: name.toLowerCase(), kind, uri: file.uri, range, container });
      for (const option of file.declarations.options) add(option.path.join('.'), SymbolKind.Property, option.range);
      for (const name of file.declarations.names) add(name.name, symbolKind(name), name.range);
    }
    this.entries = entries;
    this.builtAt = this.source.generation;
    return entries;
  }
}

function symbolKind(name: DefinedName): SymbolKind {
  if (name.kind === 'flakeOutput') return SymbolKind.Module;
  if (name.value === 'function') return SymbolKind.Function;
  if (name.value === 'set') return SymbolKind.Namespace;
  return name.kind === 'let' ? SymbolKind.Variable : SymbolKind.Field;
}

function isBoundary(c: string | undefined): boolean {
  return c === undefined || c === '.' || c === '-' || c === '_' || c === '/';
}

/** How well `name` (lower case) matches `query` (lower case), or undefined. */
function matchTier(name: string, query: string): number | undefined {
  if (name === query) return Tier.Exact;
  if (name.startsWith(query)) return Tier.Prefix;
  for (let at = name.indexOf(query); at >= 0; at = name.indexOf(query, at + 1)) {
    if (isBoundary(name[at - 1])) return Tier.WordStart;
  }
  let i = 0;
  for (let j = 0; j < name.length && i < query.length; j++) if (name[j] === query[i]) i++;
  return i === query.length ? Tier.Subsequence : undefined;
}
