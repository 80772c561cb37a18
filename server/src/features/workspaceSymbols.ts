// `workspace/symbol`: the workspace's top-level names, declared options and flake outputs, found
// by a query the way editors' "go to symbol" pickers expect: exact names first, then prefixes,
// then a word start (`backup` in `my.backup.enable`), then any subsequence of the letters, each
// case-insensitive. Each file's symbols are listed once per version of the file, so a query is one
// pass over them.
import { SymbolKind, type SymbolInformation } from 'vscode-languageserver-types';
import type { DefinedName, FileDeclarations } from '../analysis/fileDeclarations';
import type { IndexedFile } from '../workspace/workspaceIndex';

export interface SymbolSource {
  all(): Iterable<IndexedFile>;
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
/** Names are ranked by length up to this; longer ones rank as equally long. */
const MAX_RANKED_LENGTH = 256;

export class WorkspaceSymbols {
  /** Each file's entries, made once per version of its declarations. */
  private readonly perFile = new WeakMap<FileDeclarations, Entry[]>();

  constructor(private readonly source: SymbolSource) {}

  query(query: string, limit = WORKSPACE_SYMBOL_LIMIT): SymbolInformation[] {
    const wanted = query.trim().toLowerCase();
    // Hits bucketed by tier and name length, so ranking costs one pass, not a sort of every hit.
    const buckets: Entry[][] = [];
    for (const file of this.source.all()) {
      for (const entry of this.entriesOf(file)) {
        const tier = wanted ? matchTier(entry.lower, wanted) : Tier.Prefix;
        if (tier === undefined) continue;
        const key = tier * MAX_RANKED_LENGTH + Math.min(entry.name.length, MAX_RANKED_LENGTH - 1);
        (buckets[key] ??= []).push(entry);
      }
    }
    const found: SymbolInformation[] = [];
    for (const bucket of buckets) {
      if (!bucket) continue;
      bucket.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of bucket) {
        if (found.length >= limit) return found;
        found.push({ name: entry.name, kind: entry.kind, location: { uri: entry.uri, range: entry.range }, containerName: entry.container });
      }
    }
    return found;
  }

  /** Makes the entries of files that were just indexed, so the first query need not. */
  prepare(files: Iterable<IndexedFile>): void {
    for (const file of files) this.entriesOf(file);
  }

  private entriesOf(file: IndexedFile): Entry[] {
    let entries = this.perFile.get(file.declarations);
    if (entries) return entries;
    entries = [];
    const container = this.source.displayName(file.uri);
    const add = (name: string, kind: SymbolKind, range: Entry['range']) => entries!.push({ name, lower: name.toLowerCase(), kind, uri: file.uri, range, container });
    for (const option of file.declarations.options) add(option.path.join('.'), SymbolKind.Property, option.range);
    for (const name of file.declarations.names) add(name.name, symbolKind(name), name.range);
    this.perFile.set(file.declarations, entries);
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
