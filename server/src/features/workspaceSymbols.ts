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

/**
 * A file's symbols in the order of its declarations (options first, then names): a few thousand
 * per nixpkgs package set, so they are two arrays of strings, not an object each. The lower-case
 * spelling is the name itself wherever the name has no capitals. Kind and range are read from the
 * declaration only for the symbols an answer carries.
 */
interface FileSymbols {
  uri: string;
  declarations: FileDeclarations;
  container: string;
  names: string[];
  lowers: string[];
}

interface Hit {
  symbols: FileSymbols;
  at: number;
}

const Tier = { Exact: 0, Prefix: 1, WordStart: 2, Subsequence: 3 } as const;
/** Names are ranked by length up to this; longer ones rank as equally long. */
const MAX_RANKED_LENGTH = 256;

export class WorkspaceSymbols {
  /** Each file's entries, made once per version of its declarations. */
  private readonly perFile = new WeakMap<FileDeclarations, FileSymbols>();

  constructor(private readonly source: SymbolSource) {}

  query(query: string, limit = WORKSPACE_SYMBOL_LIMIT): SymbolInformation[] {
    const wanted = query.trim().toLowerCase();
    // Hits bucketed by tier and name length, so ranking costs one pass, not a sort of every hit.
    const buckets: Hit[][] = [];
    for (const file of this.source.all()) {
      const symbols = this.symbolsOf(file);
      const { names, lowers } = symbols;
      for (let at = 0; at < names.length; at++) {
        const tier = wanted ? matchTier(lowers[at]!, wanted) : Tier.Prefix;
        if (tier === undefined) continue;
        const key = tier * MAX_RANKED_LENGTH + Math.min(names[at]!.length, MAX_RANKED_LENGTH - 1);
        (buckets[key] ??= []).push({ symbols, at });
      }
    }
    const found: SymbolInformation[] = [];
    for (const bucket of buckets) {
      if (!bucket) continue;
      bucket.sort((a, b) => {
        const x = a.symbols.names[a.at]!;
        const y = b.symbols.names[b.at]!;
        return x < y ? -1 : x > y ? 1 : 0;
      });
      for (const hit of bucket) {
        if (found.length >= limit) return found;
        found.push(symbolInformation(hit));
      }
    }
    return found;
  }

  /** Makes the entries of files that were just indexed, so the first query need not. */
  prepare(files: Iterable<IndexedFile>): void {
    for (const file of files) this.symbolsOf(file);
  }

  private symbolsOf(file: IndexedFile): FileSymbols {
    let symbols = this.perFile.get(file.declarations);
    if (symbols) return symbols;
    const { options, names } = file.declarations;
    symbols = { uri: file.uri, declarations: file.declarations, container: this.source.displayName(file.uri), names: [], lowers: [] };
    for (const option of options) symbols.names.push(option.path.join('.'));
    for (const name of names) symbols.names.push(name.name);
    for (const name of symbols.names) symbols.lowers.push(lowerCase(name));
    this.perFile.set(file.declarations, symbols);
    return symbols;
  }
}

/** The name in lower case: the very same string when it has no capitals (no copy kept). */
function lowerCase(name: string): string {
  const lower = name.toLowerCase();
  return lower === name ? name : lower;
}

function symbolInformation({ symbols, at }: Hit): SymbolInformation {
  const { options, names } = symbols.declarations;
  const option = options[at];
  const defined = option ? undefined : names[at - options.length]!;
  return {
    name: symbols.names[at]!,
    kind: defined ? symbolKind(defined) : SymbolKind.Property,
    location: { uri: symbols.uri, range: (option ?? defined)!.range },
    containerName: symbols.container,
  };
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
