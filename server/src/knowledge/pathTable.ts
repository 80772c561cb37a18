// Queries over the sorted names of an index (see attrPath.ts for the order). Every question is a
// binary search or a short walk over one contiguous range; nothing is decoded into strings
// except the answers, so a lookup or a 200-item children list takes microseconds.
import { encodePath, SEPARATOR } from './attrPath';

export interface TableChild {
  /** The attribute name of the child. */
  name: string;
  /** The entry that is exactly this child, or -1 when the child only exists as a prefix. */
  entry: number;
  /** Whether longer names continue below this child. */
  hasChildren: boolean;
  /** An entry whose name starts with the child's path, and that path's length in bytes. */
  keyEntry: number;
  keyLength: number;
}

export interface TableChildren {
  children: TableChild[];
  /** More children matched than the limit allowed. */
  incomplete: boolean;
}

export class PathTable {
  /** Decoded last parts of entries, filled as children lists ask for them. */
  private lastParts: (string | undefined)[] | undefined;
  /** Decoded set names, by the byte offset where a children list found them. */
  private readonly setNames = new Map<number, string>();

  constructor(
    readonly names: Buffer,
    private readonly offsets: Uint32Array,
    readonly size: number,
  ) {}

  /** The encoded path of a child (a view into the names). */
  childKey(child: TableChild): Buffer {
    const start = this.offsets[child.keyEntry];
    return this.names.subarray(start, start + child.keyLength);
  }

  /** Where entry `i`'s name starts in `names`. */
  startOf(i: number): number {
    return this.offsets[i];
  }

  /** Where entry `i`'s name ends in `names`. */
  endOf(i: number): number {
    return this.offsets[i + 1];
  }

  /** The attribute path of entry `i`. */
  pathAt(i: number): string[] {
    return this.names.toString('utf8', this.offsets[i], this.offsets[i + 1]).split('\0');
  }

  /** The entry whose path is exactly `parts`, or -1. */
  indexOf(parts: readonly string[]): number {
    return this.indexOfKey(encodePath(parts));
  }

  indexOfKey(key: Buffer): number {
    const i = this.lowerBound(key);
    return i < this.size && this.compareAt(i, key) === 0 ? i : -1;
  }

  /** The first entry whose name is not below `key`. */
  lowerBound(key: Buffer, lo = 0, hi = this.size): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(mid, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Compares entry `i` with `key` bytewise. */
  compareAt(i: number, key: Buffer): number {
    const names = this.names;
    const start = this.offsets[i];
    const length = this.offsets[i + 1] - start;
    const n = length < key.length ? length : key.length;
    for (let j = 0; j < n; j++) {
      const d = names[start + j] - key[j];
      if (d !== 0) return d;
    }
    return length - key.length;
  }

  /** Whether entry `i` starts with `prefix`. */
  startsWith(i: number, prefix: Buffer): boolean {
    const start = this.offsets[i];
    if (this.offsets[i + 1] - start < prefix.length) return false;
    const names = this.names;
    for (let j = 0; j < prefix.length; j++) if (names[start + j] !== prefix[j]) return false;
    return true;
  }

  /** Whether any entry lies strictly below `key` (has `key␀` as a prefix). */
  hasDescendants(key: Buffer): boolean {
    const below = Buffer.concat([key, SEPARATOR_BYTE]);
    const i = this.lowerBound(below);
    return i < this.size && this.startsWith(i, below);
  }

  /** Whether `key` names an entry or a prefix of entries. */
  exists(key: Buffer): boolean {
    const i = this.lowerBound(key);
    if (i >= this.size || !this.startsWith(i, key)) return false;
    const length = this.offsets[i + 1] - this.offsets[i];
    return length === key.length || this.names[this.offsets[i] + key.length] === SEPARATOR || this.hasDescendants(key);
  }

  /**
   * The distinct children directly below `parentKey` (an encoded path; empty for the top level),
   * optionally only those whose name starts with `namePrefix`, at most `limit` of them, in order.
   */
  children(parentKey: Buffer | undefined, namePrefix = '', limit = Infinity): TableChildren {
    const base = parentKey && parentKey.length > 0 ? Buffer.concat([parentKey, SEPARATOR_BYTE]) : EMPTY;
    const searchKey = namePrefix ? Buffer.concat([base, Buffer.from(namePrefix, 'utf8')]) : base;
    const children: TableChild[] = [];
    let i = this.lowerBound(searchKey);
    const names = this.names;
    const offsets = this.offsets;
    while (i < this.size && this.startsWith(i, searchKey)) {
      if (children.length >= limit) return { children, incomplete: true };
      const entryStart = offsets[i];
      const start = entryStart + base.length;
      const end = offsets[i + 1];
      let stop = start;
      while (stop < end && names[stop] !== SEPARATOR) stop++;
      const keyLength = stop - entryStart;
      const exact = stop === end;
      let name: string;
      let next: number;
      let hasChildren: boolean;
      if (exact) {
        name = this.lastPart(i, start, stop);
        // The entry itself; its subtree, if any, follows directly.
        next = i + 1;
        hasChildren = next < this.size && this.continuesBelow(next, entryStart, keyLength);
      } else {
        name = this.setName(start, stop);
        hasChildren = true;
        next = i;
      }
      if (hasChildren) next = this.afterSubtree(entryStart, keyLength, next);
      children.push({ name, entry: exact ? i : -1, hasChildren, keyEntry: i, keyLength });
      i = next;
    }
    return { children, incomplete: false };
  }

  private lastPart(i: number, start: number, stop: number): string {
    this.lastParts ??= new Array<string | undefined>(this.size);
    let name = this.lastParts[i];
    if (name === undefined) {
      name = this.names.toString('utf8', start, stop);
      this.lastParts[i] = name;
    }
    return name;
  }

  private setName(start: number, stop: number): string {
    let name = this.setNames.get(start);
    if (name === undefined) {
      name = this.names.toString('utf8', start, stop);
      if (this.setNames.size > 100_000) this.setNames.clear();
      this.setNames.set(start, name);
    }
    return name;
  }

  /** Whether entry `i` continues below the path `names[keyStart, keyStart + keyLength)` (starts with it and a separator). */
  private continuesBelow(i: number, keyStart: number, keyLength: number): boolean {
    const start = this.offsets[i];
    if (this.offsets[i + 1] - start <= keyLength) return false;
    const names = this.names;
    if (names[start + keyLength] !== SEPARATOR) return false;
    for (let j = keyLength - 1; j >= 0; j--) if (names[start + j] !== names[keyStart + j]) return false;
    return true;
  }

  /** The first entry at or after `from` that is neither the path `names[keyStart, +keyLength)` nor below it. */
  private afterSubtree(keyStart: number, keyLength: number, from: number): number {
    // Most subtrees are small: step over them before searching.
    const stepEnd = Math.min(this.size, from + 8);
    let j = from;
    for (; j < stepEnd; j++) {
      if (!this.isPathOrBelow(j, keyStart, keyLength)) return j;
    }
    // Names below the path are `path␀…`; the first byte string above all of them is `path\x01`.
    // Searched for in place: a children list does this once per child with children.
    let lo = j;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.isBeforePathEnd(mid, keyStart, keyLength)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether entry `i` sorts before `names[keyStart, +keyLength)` followed by the byte 1. */
  private isBeforePathEnd(i: number, keyStart: number, keyLength: number): boolean {
    const names = this.names;
    const start = this.offsets[i];
    const length = this.offsets[i + 1] - start;
    const n = length < keyLength ? length : keyLength;
    for (let j = 0; j < n; j++) {
      const d = names[start + j] - names[keyStart + j];
      if (d !== 0) return d < 0;
    }
    // Equal so far: a shorter entry comes first; else its next byte against the 1.
    return length <= keyLength || names[start + keyLength] < 1;
  }

  /** Whether entry `i` is the path `names[keyStart, +keyLength)` or lies below it. */
  private isPathOrBelow(i: number, keyStart: number, keyLength: number): boolean {
    const start = this.offsets[i];
    const length = this.offsets[i + 1] - start;
    if (length < keyLength) return false;
    const names = this.names;
    if (length > keyLength && names[start + keyLength] !== SEPARATOR) return false;
    for (let j = keyLength - 1; j >= 0; j--) if (names[start + j] !== names[keyStart + j]) return false;
    return true;
  }
}

const SEPARATOR_BYTE = Buffer.from([SEPARATOR]);
const EMPTY = Buffer.alloc(0);
