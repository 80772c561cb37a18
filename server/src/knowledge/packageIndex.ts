// Package queries over a loaded index: the members of an attribute set (for completion after
// `pkgs.` or `python313Packages.`) and one package's record (for hover and item documentation).
import { encodePath } from './attrPath';
import type { IndexFile } from './indexFile';
import { expandPackageRecord, type PackageInfo, type PackageRecord } from './packageRecord';

export interface ChildrenOptions {
  /** Only names starting with this (what the user typed so far). */
  prefix?: string;
  /** At most this many items (default 200); `incomplete` tells when more exist. */
  limit?: number;
}

export interface PackageChild {
  name: string;
  /** `package`: a derivation; `set`: an attribute set of further packages. */
  kind: 'package' | 'set';
  /** A package that also has members (rare; e.g. a package with passthru sets listed). */
  hasChildren?: boolean;
}

export interface ChildrenResult<T> {
  items: T[];
  /** More matched than the limit: the client should ask again as the user types. */
  incomplete: boolean;
}

export const DEFAULT_CHILDREN_LIMIT = 200;

export class PackageIndex {
  constructor(readonly file: IndexFile) {}

  get count(): number {
    return this.file.count;
  }

  children(path: readonly string[], options: ChildrenOptions = {}): ChildrenResult<PackageChild> {
    const table = this.file.table;
    const parent = path.length ? encodePath(path) : undefined;
    const { children, incomplete } = table.children(parent, options.prefix ?? '', options.limit ?? DEFAULT_CHILDREN_LIMIT);
    const items = children.map((child): PackageChild => {
      if (child.entry < 0) return { name: child.name, kind: 'set' };
      return child.hasChildren ? { name: child.name, kind: 'package', hasChildren: true } : { name: child.name, kind: 'package' };
    });
    return { items, incomplete };
  }

  /** The package at exactly `path`, or undefined. */
  lookup(path: readonly string[]): PackageInfo | undefined {
    const i = this.file.table.indexOf(path);
    if (i < 0) return undefined;
    return { path: [...path], ...expandPackageRecord(this.file.record<PackageRecord>(i)) };
  }

  /** `lookup` of each path, reading the records together (see `IndexFile.records`). */
  lookupMany(paths: readonly (readonly string[])[]): (PackageInfo | undefined)[] {
    const table = this.file.table;
    const entries = paths.map((path) => table.indexOf(path));
    const found = entries.filter((i) => i >= 0);
    const records = this.file.records<PackageRecord>(found);
    let next = 0;
    return paths.map((path, k) => (entries[k]! < 0 ? undefined : { path: [...path], ...expandPackageRecord(records[next++]!) }));
  }

  /** Whether `path` is a package, a set of packages, or unknown here. */
  kindOf(path: readonly string[]): 'package' | 'set' | undefined {
    if (path.length === 0) return 'set';
    const key = encodePath(path);
    const table = this.file.table;
    if (table.indexOfKey(key) >= 0) return 'package';
    return table.hasDescendants(key) ? 'set' : undefined;
  }
}
