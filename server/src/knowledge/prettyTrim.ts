// Reads a pretty-printed package record in one pass and cuts the members nobody reads before it is
// parsed. In nixpkgs' packages.json the CPE `identifiers`, `nonTeamMaintainers`, `teams`,
// `hydraPlatforms` and friends are 40% of the bytes; parsing them only to drop them would be most
// of the build time.
//
// It relies on the layout `nix-env --json` writes: one member per line, each nested level
// indented two more spaces, a multi-line value closing on a line holding only the member's
// indentation and `}` or `]` (a raw newline cannot occur inside a JSON string, so such a line is
// never inside one). The record is walked member by member with native `indexOf` jumps, which
// also finds where it ends, and rebuilt from the kept members. Anything unexpected returns
// undefined and the caller reads the record exactly instead; every result is checked by the
// JSON.parse that follows.

export interface TrimSpec {
  /** The member whose members are trimmed (`meta`). */
  within: string;
  /** Members removed. */
  drop: ReadonlySet<string>;
  /** Members removed and handed back as raw JSON text (for cheaper handling than a full parse). */
  extract: ReadonlySet<string>;
}

export interface TrimmedRecord {
  text: string;
  /** Raw JSON text of each extracted member that was found. */
  extracted: Record<string, string>;
  /** Index just past the record's closing brace. */
  end: number;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;

const KEEP = 0;
const DROP = 1;
const EXTRACT = 2;
const DESCEND = 3;

const closers = new Map<number, Buffer>();

/** `\n`, `indent` spaces, then `}` or `]`. */
function closerFor(indent: number, bracket: number): Buffer {
  const key = indent * 2 + (bracket === OPEN_BRACE ? 0 : 1);
  let closer = closers.get(key);
  if (!closer) {
    closer = Buffer.alloc(indent + 2, SPACE);
    closer[0] = NEWLINE;
    closer[indent + 1] = bracket === OPEN_BRACE ? CLOSE_BRACE : 0x5d;
    closers.set(key, closer);
  }
  return closer;
}

/** Decides a member's fate from its key bytes without making a string of every key. */
class KeyTable {
  private readonly byLength = new Map<number, { bytes: Buffer; name: string; action: number }[]>();

  constructor(entries: [string, number][]) {
    for (const [name, action] of entries) {
      const bytes = Buffer.from(name, 'utf8');
      const list = this.byLength.get(bytes.length) ?? [];
      list.push({ bytes, name, action });
      this.byLength.set(bytes.length, list);
    }
  }

  find(value: Buffer, start: number, end: number): { name: string; action: number } | undefined {
    const list = this.byLength.get(end - start);
    if (!list) return undefined;
    outer: for (const entry of list) {
      const bytes = entry.bytes;
      for (let k = 0; k < bytes.length; k++) if (value[start + k] !== bytes[k]) continue outer;
      return entry;
    }
    return undefined;
  }
}

const tables = new WeakMap<TrimSpec, { outer: KeyTable; inner: KeyTable }>();

function tablesOf(spec: TrimSpec) {
  let found = tables.get(spec);
  if (!found) {
    found = {
      outer: new KeyTable([[spec.within, DESCEND]]),
      inner: new KeyTable([...[...spec.drop].map((n): [string, number] => [n, DROP]), ...[...spec.extract].map((n): [string, number] => [n, EXTRACT])]),
    };
    tables.set(spec, found);
  }
  return found;
}

interface Walk {
  pieces: Buffer[];
  extracted: Record<string, string>;
  trimmed: boolean;
}

/**
 * Walks the object opened at `open` whose closing line is indented by `indent`, appending the
 * kept members to `walk.pieces`; returns the index past its closing brace, or -1 when the layout
 * is not the expected one.
 */
function walkObject(value: Buffer, open: number, indent: number, table: KeyTable, walk: Walk, spec: TrimSpec | undefined): number {
  let pos = open + 1;
  if (value[pos] === CLOSE_BRACE) {
    walk.pieces.push(EMPTY_OBJECT);
    return pos + 1;
  }
  walk.pieces.push(OPEN);
  let kept = 0;
  for (;;) {
    if (value[pos] !== NEWLINE) return -1;
    let column = 0;
    while (value[pos + 1 + column] === SPACE) column++;
    const lineStart = pos + 1 + column;
    if (column === indent && value[lineStart] === CLOSE_BRACE) {
      walk.pieces.push(CLOSE);
      return lineStart + 1;
    }
    if (column !== indent + 2 || value[lineStart] !== QUOTE) return -1;
    const keyEnd = value.indexOf(QUOTE, lineStart + 1);
    if (keyEnd < 0 || value[keyEnd - 1] === BACKSLASH) return -1;
    if (value[keyEnd + 1] !== 0x3a || value[keyEnd + 2] !== SPACE) return -1;
    const valueStart = keyEnd + 3;
    const first = value[valueStart];
    const known = table.find(value, lineStart + 1, keyEnd);
    const action = known ? known.action : KEEP;
    let end: number;
    if (action === DESCEND && first === OPEN_BRACE && spec) {
      if (kept++ > 0) walk.pieces.push(COMMA_BYTES);
      walk.pieces.push(value.subarray(lineStart, valueStart));
      end = walkObject(value, valueStart, indent + 2, tablesOf(spec).inner, walk, undefined);
      if (end < 0) return -1;
    } else {
      if (first === OPEN_BRACE || first === OPEN_BRACKET) {
        if (value[valueStart + 1] === first + 2) end = valueStart + 2; // `{}` or `[]`
        else {
          const closer = closerFor(indent + 2, first);
          const close = value.indexOf(closer, valueStart);
          if (close < 0) return -1;
          end = close + closer.length;
        }
      } else {
        const eol = value.indexOf(NEWLINE, valueStart);
        if (eol < 0) return -1;
        end = value[eol - 1] === COMMA ? eol - 1 : eol;
      }
      if (action === DROP) walk.trimmed = true;
      else if (action === EXTRACT) {
        walk.trimmed = true;
        walk.extracted[known!.name] = value.toString('utf8', valueStart, end);
      } else {
        if (kept++ > 0) walk.pieces.push(COMMA_BYTES);
        walk.pieces.push(value.subarray(lineStart, end));
      }
    }
    pos = value[end] === COMMA ? end + 1 : end;
  }
}

/**
 * The record whose `{` is at `value[start]` and whose key was indented by `indent`, without the
 * spec's members; undefined when it is not laid out as expected or not all of it is in `value`.
 */
export function trimPrettyRecord(value: Buffer, start: number, indent: number, spec: TrimSpec): TrimmedRecord | undefined {
  if (value[start] !== OPEN_BRACE) return undefined;
  const walk: Walk = { pieces: [], extracted: {}, trimmed: false };
  const end = walkObject(value, start, indent, tablesOf(spec).outer, walk, spec);
  if (end < 0) return undefined;
  return { text: Buffer.concat(walk.pieces).toString('utf8'), extracted: walk.extracted, end };
}

const OPEN = Buffer.from('{');
const CLOSE = Buffer.from('}');
const EMPTY_OBJECT = Buffer.from('{}');
const COMMA_BYTES = Buffer.from(',');
