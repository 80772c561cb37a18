// Option queries for NixOS and Home Manager. Paths are what the user wrote
// (`services.nginx.virtualHosts."example.org".root`, one part per attribute); the index's
// placeholder parts (`<name>`, `<config-name>`, Home Manager's `*` for list elements) match any
// one part, and a literal name wins over a placeholder where both exist.
import { isPlaceholderPart, SEPARATOR } from './attrPath';
import type { IndexFile } from './indexFile';
import type { OptionInfo, OptionRecord } from './optionRecord';
import { DEFAULT_CHILDREN_LIMIT, type ChildrenOptions, type ChildrenResult } from './packageIndex';

export interface OptionChild {
  name: string;
  /** `option`: declared option; `set`: only a prefix of options. */
  kind: 'option' | 'set';
  /** An option that also has sub-options (e.g. a submodule-typed option). */
  hasChildren?: boolean;
  /** `<name>` or `*`: stands for any attribute name the user chooses, not a literal name. */
  placeholder?: boolean;
  /** The option's type, when asked for (`OptionChildrenOptions.types`). */
  type?: string;
}

export interface OptionChildrenOptions extends ChildrenOptions {
  /**
   * Also each option's type (a completion list's details), read with the children: the records
   * together in a few reads, the path resolved once rather than once per child.
   */
  types?: boolean;
}

export type OptionPathKind =
  /** The path is a declared option. */
  | 'option'
  /** Options exist below the path (`services.nginx`). */
  | 'prefix'
  /** The path is inside an option's value (`boot.kernel.sysctl."vm.swappiness"` below the option `boot.kernel.sysctl`): the option's type decides, not the index. */
  | 'inside-option'
  | 'unknown';

export interface OptionPathClass {
  kind: OptionPathKind;
  /** The matched option (`option`) or the option whose value contains the path (`inside-option`), as in the index. */
  option?: string[];
}

/** Bounds the types kept per index (a NixOS set has about 20,000 options). */
const MAX_CACHED_TYPES = 50_000;
/** Bounds how many index paths a user path may stand for (placeholders can multiply them). */
const MAX_CANDIDATES = 64;
/** Bounds the paths whose resolution is kept (a module writes a few hundred option paths). */
const MAX_RESOLVED_PATHS = 5_000;
/** Bounds the option records kept decoded. */
const MAX_RECENT_INFO = 256;
/** Bounds the children lists kept. */
const MAX_RECENT_CHILDREN = 64;
/** Joins a path's parts into a map key; no attribute name holds it. */
const PATH_KEY_SEPARATOR = '\u0000';

/** The index keys a user path stands for (see `resolve`). Shared between callers: never modified. */
interface Resolution {
  readonly keys: readonly Buffer[];
  readonly lastOption?: number;
  readonly failedAt?: number;
}

export class OptionIndex {
  /** Placeholder children per option prefix (by the prefix's bytes); the index never changes. */
  private readonly placeholderCache = new Map<string, Buffer[]>();
  /** Types of the options listed so far, by entry (null: none): completion asks for the same siblings as the user types. */
  private readonly typeCache = new Map<number, string | null>();
  /**
   * What each path asked about resolved to: every keystroke's diagnostics classify the same option
   * paths of the file again, and completion and hover ask about the paths around the cursor.
   */
  private readonly resolved = new Map<string, Resolution>();
  /** The options read most recently, by entry: a hover is asked again as the mouse moves along a name. */
  private readonly recentInfo = new Map<number, OptionInfo>();
  /**
   * The children lists made most recently: completion asks for the same list again as the user
   * types on (each keystroke of an incomplete list, each explicit request, each file of a host).
   */
  private readonly recentChildren = new Map<string, ChildrenResult<OptionChild>>();

  constructor(readonly file: IndexFile) {}

  /** The keys of `<…>` and `*` children directly below `key`. */
  private placeholdersBelow(key: Buffer): Buffer[] {
    const id = key.toString('latin1');
    let found = this.placeholderCache.get(id);
    if (!found) {
      found = [];
      const table = this.file.table;
      for (const first of PLACEHOLDER_STARTS) {
        for (const child of table.children(key.length ? key : undefined, first).children) {
          if (isPlaceholderPart(child.name)) found.push(Buffer.from(table.childKey(child)));
        }
      }
      if (this.placeholderCache.size > 50_000) this.placeholderCache.clear();
      this.placeholderCache.set(id, found);
    }
    return found;
  }

  get count(): number {
    return this.file.count;
  }

  /**
   * The index keys `path` stands for, literal matches first. Each key names an option or a prefix
   * of options. `lastOption` is an option met on the way (the deepest), if any.
   */
  private resolve(path: readonly string[]): Resolution {
    const id = path.join(PATH_KEY_SEPARATOR);
    let found = this.resolved.get(id);
    if (!found) {
      found = this.resolveNow(path);
      if (this.resolved.size >= MAX_RESOLVED_PATHS) this.resolved.clear();
      this.resolved.set(id, found);
    }
    return found;
  }

  private resolveNow(path: readonly string[]): Resolution {
    const table = this.file.table;
    let keys: Buffer[] = [EMPTY];
    let lastOption: number | undefined;
    for (let depth = 0; depth < path.length; depth++) {
      const part = path[depth];
      const next: Buffer[] = [];
      const partBytes = Buffer.from(part, 'utf8');
      // A part written as the placeholder itself (`*`) matches both ways: keep it once.
      for (const key of keys) {
        const literal = key.length ? Buffer.concat([key, SEPARATOR_BYTE, partBytes]) : partBytes;
        if (next.length < MAX_CANDIDATES && table.exists(literal)) next.push(literal);
        for (const placeholder of this.placeholdersBelow(key)) {
          if (next.length < MAX_CANDIDATES && !next.some((k) => k.equals(placeholder))) next.push(placeholder);
        }
      }
      if (next.length === 0) return { keys: [], lastOption, failedAt: depth };
      for (const key of next) {
        const i = table.indexOfKey(key);
        if (i >= 0) lastOption = i;
      }
      keys = next;
    }
    return { keys, lastOption };
  }

  /** Options and option sets directly below `path` (`[]` for the top level); the items are the caller's to change. */
  children(path: readonly string[], options: OptionChildrenOptions = {}): ChildrenResult<OptionChild> {
    const limit = options.limit ?? DEFAULT_CHILDREN_LIMIT;
    const id = `${path.join(PATH_KEY_SEPARATOR)}${PATH_KEY_SEPARATOR}${options.prefix ?? ''}${PATH_KEY_SEPARATOR}${limit}${options.types ? 't' : ''}`;
    let found = this.recentChildren.get(id);
    if (found) {
      // Most recently used last.
      this.recentChildren.delete(id);
    } else {
      found = this.childrenNow(path, options, limit);
      if (this.recentChildren.size >= MAX_RECENT_CHILDREN) this.recentChildren.delete(this.recentChildren.keys().next().value!);
    }
    this.recentChildren.set(id, found);
    return { items: found.items.map((item) => ({ ...item })), incomplete: found.incomplete };
  }

  private childrenNow(path: readonly string[], options: OptionChildrenOptions, limit: number): ChildrenResult<OptionChild> {
    const { keys } = this.resolve(path);
    const merged = new Map<string, OptionChild>();
    /** The entry of each option child (the first key's, as `lookupOption` would find it). */
    const entries = new Map<OptionChild, number>();
    let incomplete = false;
    for (const key of keys) {
      const result = this.file.table.children(key.length ? key : undefined, options.prefix ?? '', limit);
      incomplete ||= result.incomplete;
      for (const child of result.children) {
        const existing = merged.get(child.name);
        const kind = child.entry >= 0 ? 'option' : 'set';
        if (existing) {
          if (kind === 'option' && !entries.has(existing)) entries.set(existing, child.entry);
          if (kind === 'option') existing.kind = 'option';
          if (child.hasChildren && existing.kind === 'option') existing.hasChildren = true;
          continue;
        }
        const item: OptionChild = { name: child.name, kind };
        if (kind === 'option') entries.set(item, child.entry);
        if (kind === 'option' && child.hasChildren) item.hasChildren = true;
        if (isPlaceholderPart(child.name)) item.placeholder = true;
        merged.set(child.name, item);
      }
    }
    let items = [...merged.values()];
    if (keys.length > 1) items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (items.length > limit) {
      items = items.slice(0, limit);
      incomplete = true;
    }
    if (options.types) this.addTypes(items, entries);
    return { items, incomplete };
  }

  /** Sets the type of each option among `items`, the records not read before read together. */
  private addTypes(items: OptionChild[], entries: ReadonlyMap<OptionChild, number>): void {
    const unread = [...new Set(items.map((item) => entries.get(item)).filter((entry): entry is number => entry !== undefined && !this.typeCache.has(entry)))];
    if (unread.length > 0) {
      const records = this.file.records<OptionRecord>(unread);
      if (this.typeCache.size + unread.length > MAX_CACHED_TYPES) this.typeCache.clear();
      unread.forEach((entry, k) => {
        const type = records[k]?.type;
        this.typeCache.set(entry, typeof type === 'string' ? type : null);
      });
    }
    for (const item of items) {
      const entry = entries.get(item);
      const type = entry === undefined ? undefined : this.typeCache.get(entry);
      if (type) item.type = type;
    }
  }

  /** The entry of the option `path` names, placeholders matched; -1 when it names none. */
  optionEntry(path: readonly string[]): number {
    if (path.length === 0) return -1;
    const table = this.file.table;
    for (const key of this.resolve(path).keys) {
      const i = table.indexOfKey(key);
      if (i >= 0) return i;
    }
    return -1;
  }

  /** The option `path` names, placeholders matched; undefined when it names none. */
  lookupOption(path: readonly string[]): OptionInfo | undefined {
    const i = this.optionEntry(path);
    return i >= 0 ? this.infoAt(i) : undefined;
  }

  /** The option stored at entry `i` (a copy of its own: callers may add to it). */
  infoAt(i: number): OptionInfo {
    let info = this.recentInfo.get(i);
    if (!info) {
      info = { loc: this.file.table.pathAt(i), ...this.file.record<OptionRecord>(i) };
      if (this.recentInfo.size >= MAX_RECENT_INFO) this.recentInfo.delete(this.recentInfo.keys().next().value!);
      this.recentInfo.set(i, info);
    }
    return { ...info, loc: [...info.loc] };
  }

  /** What `path` is for diagnostics: an option, a prefix of options, inside an option's value, or unknown. */
  classify(path: readonly string[]): OptionPathClass {
    if (path.length === 0) return { kind: 'prefix' };
    const table = this.file.table;
    const { keys, lastOption } = this.resolve(path);
    if (keys.length > 0) {
      for (const key of keys) {
        const i = table.indexOfKey(key);
        if (i >= 0) return { kind: 'option', option: table.pathAt(i) };
      }
      return { kind: 'prefix' };
    }
    if (lastOption !== undefined) return { kind: 'inside-option', option: table.pathAt(lastOption) };
    return { kind: 'unknown' };
  }
}

const EMPTY = Buffer.alloc(0);
const SEPARATOR_BYTE = Buffer.from([SEPARATOR]);
/** Placeholders begin with `<` or are `*`. */
const PLACEHOLDER_STARTS = ['<', '*'];
