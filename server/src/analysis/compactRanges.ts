// The entries a file's declarations list by the ten thousand (every top-level name of a nixpkgs
// package set, every option-path name, every relative path) keep their range as four small
// integers of their own instead of a `Range` with two `Position`s: three objects fewer each, some
// 100 bytes an entry, 5 MB for nixpkgs' largest files together in the workspace index. `range` is
// made when read — by the few entries a request answers with. Their names are strings of their
// own, not slices of the text (see `ownStrings`).
import type { Range } from 'vscode-languageserver-types';
import type { OutlineKind, ValueShape } from './fileOutline';
import type { LineIndex, OffsetRange } from './lineIndex';

/** Where an entry stands, as integers; what a worker thread's structured clone carries over. */
interface RangeFields {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

abstract class Ranged implements RangeFields {
  startLine = 0;
  startCharacter = 0;
  endLine = 0;
  endCharacter = 0;

  get range(): Range {
    return { start: { line: this.startLine, character: this.startCharacter }, end: { line: this.endLine, character: this.endCharacter } };
  }

  protected place(from: RangeFields): void {
    this.startLine = from.startLine;
    this.startCharacter = from.startCharacter;
    this.endLine = from.endLine;
    this.endCharacter = from.endCharacter;
  }
}

/** The fields of `at` in the text of `lines`. */
export function rangeFields(lines: LineIndex, at: OffsetRange): RangeFields {
  const start = lines.positionAt(at.start);
  const end = lines.positionAt(at.end);
  return { startLine: start.line, startCharacter: start.character, endLine: end.line, endCharacter: end.character };
}

export class CompactDefinedName extends Ranged {
  constructor(
    readonly name: string,
    readonly kind: OutlineKind,
    readonly value: ValueShape,
    at: RangeFields,
  ) {
    super();
    this.place(at);
  }
}

export class CompactOptionName extends Ranged {
  constructor(
    /** Replaced by the workspace index with a copy whose parts are shared among files. */
    public path: string[],
    readonly role: 'declaration' | 'use',
    at: RangeFields,
  ) {
    super();
    this.place(at);
  }
}

export class CompactRelativePath extends Ranged {
  constructor(
    readonly text: string,
    at: RangeFields,
  ) {
    super();
    this.place(at);
  }
}

/**
 * The entries again after a structured clone (from the workspace index's worker thread), which
 * keeps their fields but not their class. Entries that carry a `range` of their own are kept.
 */
export function revivedEntries<T extends object>(entries: readonly T[], revive: (entry: T & RangeFields) => T): T[] {
  return entries.map((entry) => ('range' in entry ? entry : revive(entry as T & RangeFields)));
}

/**
 * Copies of `strings` that share no memory with the text they were read from. V8 makes a name of
 * 13 characters or more, sliced out of a file's text, a view that keeps the whole text alive: an
 * index entry would keep the text of the version it was read from (a megabyte and more for the
 * largest nixpkgs files) long after the document was edited. A JSON round trip makes flat copies,
 * all in one pass.
 */
export function ownStrings(strings: readonly string[]): string[] {
  return strings.length === 0 ? [] : (JSON.parse(JSON.stringify(strings)) as string[]);
}
