// What nixpkgs' `lib` holds, two levels deep (`lib.concatStrings`, `lib.strings.concatStrings`),
// as read from an evaluated nixpkgs: each member's kind, where it is defined, its documentation.
// This file is the data (as kept on disk, checked when read back) and the queries completion and
// hover ask; `libSource.ts` produces the data.
import type { ChildrenOptions, ChildrenResult } from './packageIndex';
import { DEFAULT_CHILDREN_LIMIT } from './packageIndex';

/** Bumped whenever the shape of `LibIndexData` changes, so older cache files are rebuilt. */
export const LIB_INDEX_FORMAT = 1;

/**
 * `function`: a lambda, a builtin or an attribute set with `__functor`; `set`: an attribute set
 * (its members are listed one level down only); `value`: anything else, including values whose
 * evaluation fails (`throws`).
 */
export type LibKind = 'function' | 'set' | 'value';

export type DocStyle = 'markdown' | 'plain';

/** A formal of a function taking an attribute set (`{ name, type ? null }:`). */
export interface LibFormal {
  name: string;
  optional: boolean;
}

/** One member as stored: positions point into the index's file table. */
export interface LibEntryData {
  name: string;
  kind: LibKind;
  /** Evaluating it fails (removed or deprecated functions usually `throw`). */
  throws?: boolean;
  /** `[file index, line]`. */
  pos?: [number, number];
  doc?: string;
  docStyle?: DocStyle;
  /** The signature from the doc's type section: `concatStrings :: [string] -> string`. */
  type?: string;
  /** Argument names from the doc's inputs section, in order. */
  args?: string[];
  formals?: LibFormal[];
  /** The expression an `inherit (…)` took it from, as written: `builtins`, `self.strings`. */
  inheritedFrom?: string;
  /** The lib member it re-exports (`['strings', 'concatStrings']` for `lib.concatStrings`). */
  aliasOf?: string[];
  /** The members of a set, sorted by name (only at the top level). */
  children?: LibEntryData[];
}

export interface LibIndexData {
  format: number;
  /** The nixpkgs tree that was evaluated: a store path or a local checkout. */
  source: string;
  /** The pins (`github:NixOS/nixpkgs/<rev>`, `path:/…`) known to name this tree. */
  locations: string[];
  /** The nixpkgs commit, when known (for source links). */
  revision?: string;
  /** When it was built (ms since the epoch). */
  builtAt: number;
  /** For a tree outside the store: the newest modification time of its files that were read. */
  stamp?: number;
  /** Files named by positions: relative to `source` when inside it, else absolute. */
  files: string[];
  /** The members of `lib`, sorted by name. */
  entries: LibEntryData[];
}

export interface LibChild {
  name: string;
  kind: LibKind;
}

export interface LibPosition {
  /** Relative to the nixpkgs root (`lib/strings.nix`), or absolute when outside it. */
  file: string;
  line: number;
  /** The file on this machine, for going to the definition. */
  absolutePath: string;
}

/** What hover shows for one `lib` member. */
export interface LibInfo {
  path: string[];
  kind: LibKind;
  throws?: boolean;
  position?: LibPosition;
  doc?: string;
  docStyle?: DocStyle;
  type?: string;
  args?: string[];
  formals?: LibFormal[];
  inheritedFrom?: string;
  /** Set when the documentation and position come from the member this one re-exports. */
  aliasOf?: string[];
  /** How many members a set has (only the top-level sets are listed). */
  memberCount?: number;
  /** The nixpkgs commit the index was built from. */
  revision?: string;
}

/** Raised when data read back from disk does not have the expected shape. */
export class LibIndexFormatError extends Error {
  override readonly name = 'LibIndexFormatError';
}

const MAX_ALIAS_STEPS = 4;

export class LibIndex {
  private readonly top: Map<string, LibEntryData>;

  constructor(readonly data: LibIndexData) {
    this.top = new Map(data.entries.map((e) => [e.name, e]));
  }

  /** How many members are listed, both levels. */
  get count(): number {
    return this.data.entries.reduce((n, e) => n + 1 + (e.children?.length ?? 0), 0);
  }

  /** The nixpkgs tree that was evaluated, as Nix named it. */
  get source(): string {
    return this.data.source;
  }

  get revision(): string | undefined {
    return this.data.revision;
  }

  /**
   * The members of `lib` at `path` (`[]`: `lib.` itself; `['strings']`: `lib.strings.`) whose
   * names start with `prefix`, sorted. Sets below the second level were not listed: empty.
   */
  children(path: readonly string[], options: ChildrenOptions = {}): ChildrenResult<LibChild> {
    const members = this.membersAt(path);
    if (!members) return { items: [], incomplete: false };
    const prefix = options.prefix ?? '';
    const limit = Math.max(0, options.limit ?? DEFAULT_CHILDREN_LIMIT);
    const items: LibChild[] = [];
    let incomplete = false;
    for (const entry of members) {
      if (!entry.name.startsWith(prefix)) continue;
      if (items.length >= limit) {
        incomplete = true;
        break;
      }
      items.push({ name: entry.name, kind: entry.kind });
    }
    return { items, incomplete };
  }

  /**
   * The member at `path`. A re-export without documentation of its own (`lib.concatStrings`)
   * shows the documentation and position of what it re-exports (`lib.strings.concatStrings`).
   */
  lookup(path: readonly string[]): LibInfo | undefined {
    const entry = this.entryAt(path);
    if (!entry) return undefined;
    const info: LibInfo = { path: [...path], kind: entry.kind };
    if (entry.throws) info.throws = true;
    if (entry.inheritedFrom) info.inheritedFrom = entry.inheritedFrom;
    if (entry.children) info.memberCount = entry.children.length;
    if (this.data.revision) info.revision = this.data.revision;

    let described = entry;
    const target = this.aliasTarget(entry);
    if (target && !entry.doc) {
      described = target.entry;
      info.aliasOf = target.path;
    } else if (entry.aliasOf) {
      info.aliasOf = [...entry.aliasOf];
    }
    const position = this.position(described.pos ?? entry.pos);
    if (position) info.position = position;
    if (described.doc) {
      info.doc = described.doc;
      info.docStyle = described.docStyle ?? 'plain';
    }
    if (described.type) info.type = described.type;
    if (described.args?.length) info.args = [...described.args];
    const formals = entry.formals ?? described.formals;
    if (formals?.length) info.formals = formals.map((f) => ({ ...f }));
    return info;
  }

  private membersAt(path: readonly string[]): LibEntryData[] | undefined {
    if (path.length === 0) return this.data.entries;
    if (path.length === 1) return this.top.get(path[0])?.children;
    return undefined;
  }

  private entryAt(path: readonly string[]): LibEntryData | undefined {
    if (path.length === 1) return this.top.get(path[0]);
    if (path.length === 2) return findByName(this.top.get(path[0])?.children, path[1]);
    return undefined;
  }

  /** Follows `aliasOf` to the member that is documented (a few steps at most, never in a loop). */
  private aliasTarget(entry: LibEntryData): { entry: LibEntryData; path: string[] } | undefined {
    let current = entry;
    let found: { entry: LibEntryData; path: string[] } | undefined;
    const seen = new Set<LibEntryData>([entry]);
    for (let step = 0; step < MAX_ALIAS_STEPS && current.aliasOf; step++) {
      const next = this.entryAt(current.aliasOf);
      if (!next || seen.has(next)) break;
      seen.add(next);
      found = { entry: next, path: [...current.aliasOf] };
      if (next.doc) break;
      current = next;
    }
    return found;
  }

  private position(pos: [number, number] | undefined): LibPosition | undefined {
    if (!pos) return undefined;
    const file = this.data.files[pos[0]];
    if (file === undefined) return undefined;
    const absolutePath = file.startsWith('/') ? file : `${this.data.source.replace(/\/+$/, '')}/${file}`;
    return { file, line: pos[1], absolutePath };
  }
}

function findByName(entries: LibEntryData[] | undefined, name: string): LibEntryData | undefined {
  if (!entries) return undefined;
  // Sorted by code units: binary search.
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = entries[middle].name;
    if (candidate === name) return entries[middle];
    if (candidate < name) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

export function byCodeUnits(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

// ---- Reading back from disk --------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const KINDS: readonly LibKind[] = ['function', 'set', 'value'];

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new LibIndexFormatError(`${what} is not a list of strings`);
  return value as string[];
}

function entryFrom(value: unknown, fileCount: number, depth: number): LibEntryData {
  if (!isObject(value) || typeof value.name !== 'string' || !KINDS.includes(value.kind as LibKind)) {
    throw new LibIndexFormatError('a member without a name or kind');
  }
  const entry: LibEntryData = { name: value.name, kind: value.kind as LibKind };
  if (value.throws === true) entry.throws = true;
  if (value.pos !== undefined) {
    const pos = value.pos;
    if (!Array.isArray(pos) || pos.length !== 2 || !Number.isInteger(pos[0]) || !Number.isInteger(pos[1]) || pos[0] < 0 || pos[0] >= fileCount) {
      throw new LibIndexFormatError(`member ${value.name} has a bad position`);
    }
    entry.pos = [pos[0] as number, pos[1] as number];
  }
  if (typeof value.doc === 'string') entry.doc = value.doc;
  if (value.docStyle === 'markdown' || value.docStyle === 'plain') entry.docStyle = value.docStyle;
  if (typeof value.type === 'string') entry.type = value.type;
  if (value.args !== undefined) entry.args = stringList(value.args, `the arguments of ${value.name}`);
  if (value.formals !== undefined) {
    if (!Array.isArray(value.formals)) throw new LibIndexFormatError(`the formals of ${value.name} are not a list`);
    entry.formals = value.formals.map((f) => {
      if (!isObject(f) || typeof f.name !== 'string' || typeof f.optional !== 'boolean') throw new LibIndexFormatError(`a bad formal of ${value.name}`);
      return { name: f.name, optional: f.optional };
    });
  }
  if (typeof value.inheritedFrom === 'string') entry.inheritedFrom = value.inheritedFrom;
  if (value.aliasOf !== undefined) entry.aliasOf = stringList(value.aliasOf, `the alias of ${value.name}`);
  if (value.children !== undefined) {
    if (depth > 0 || !Array.isArray(value.children)) throw new LibIndexFormatError(`bad members under ${value.name}`);
    entry.children = value.children.map((c) => entryFrom(c, fileCount, depth + 1));
    assertSorted(entry.children, value.name);
  }
  return entry;
}

function assertSorted(entries: LibEntryData[], where: string): void {
  for (let i = 1; i < entries.length; i++) {
    if (byCodeUnits(entries[i - 1], entries[i]) >= 0) throw new LibIndexFormatError(`the members of ${where} are not sorted`);
  }
}

/** Checks data parsed from a cache file; throws `LibIndexFormatError` on anything unexpected. */
export function libIndexDataFrom(value: unknown): LibIndexData {
  if (!isObject(value)) throw new LibIndexFormatError('not an object');
  if (value.format !== LIB_INDEX_FORMAT) throw new LibIndexFormatError(`format ${String(value.format)}, expected ${LIB_INDEX_FORMAT}`);
  if (typeof value.source !== 'string' || typeof value.builtAt !== 'number') throw new LibIndexFormatError('no source or build time');
  const files = stringList(value.files, 'files');
  if (!Array.isArray(value.entries)) throw new LibIndexFormatError('no members');
  const entries = value.entries.map((e) => entryFrom(e, files.length, 0));
  assertSorted(entries, 'lib');
  const data: LibIndexData = {
    format: LIB_INDEX_FORMAT,
    source: value.source,
    locations: value.locations === undefined ? [] : stringList(value.locations, 'locations'),
    builtAt: value.builtAt,
    files,
    entries,
  };
  if (typeof value.revision === 'string') data.revision = value.revision;
  if (typeof value.stamp === 'number') data.stamp = value.stamp;
  return data;
}
