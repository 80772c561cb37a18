// A streaming reader for one big JSON object of records (`{ "hello": {…}, "ripgrep": {…}, … }`),
// fed the decompressed bytes chunk by chunk. It never holds the document: it finds where each
// member's value starts and ends (tracking only string state and nesting depth) and hands over the
// bytes of that one value, which the caller `JSON.parse`s. A 328 MB packages.json thus costs one
// byte scan plus one small parse per package, and memory for one package at a time.
//
// Wrapped files (`{ "version": "2", "packages": { … } }`, NUR's `{ "repos": { … } }`) are read by
// descending into the container key's object; bare files are read at the top level.
//
// A shortcut for pretty-printed files (what `nix-env --json` writes): when a key starts its own
// line, its object value is first offered to the receiver's `prettyValue`, which may read it with
// layout-based jumps (a raw newline cannot occur inside a JSON string, so a line holding only the
// key's indentation and `}` ends the value) and say where it ended. When it declines, the value is
// walked byte by byte as usual. Half of nixpkgs' packages.json is indentation, so this saves most
// of the byte walk.
import { KnowledgeInputError } from './errors';

export interface MemberSink {
  /**
   * One complete member. `value` holds exactly the value's bytes and is only valid during the
   * call (it may alias the input chunk). `offset` is the byte offset of the value in the stream.
   * `nested` is true for members of the container object, false for top-level members.
   */
  member(key: string, value: Buffer, offset: number, nested: boolean): void;
  /**
   * `"key":` directly followed by `,` or `}`: the program writing the file failed while writing
   * this value (Nix 2.8's `nix-env --json` does this when a package's meta throws).
   */
  dangling(key: string, offset: number): void;
  /**
   * Optional: offered an object value of a key that starts its own line (pretty-printed input),
   * beginning at `chunk[start]` (the key's line is indented by `indent` columns). Return the index
   * just past the value if it was read completely from `chunk`, or -1 to have it delimited
   * exactly and delivered to `member` instead.
   */
  prettyValue?(key: string, chunk: Buffer, start: number, offset: number, nested: boolean, indent: number): number;
}

export interface ScannerOptions {
  /** Top-level key whose object holds the records in the wrapped shape (`packages`, `repos`). */
  containerKey?: string;
  /**
   * Field names of a record. A top-level `containerKey` member whose first key is one of these is a
   * record that happens to carry that name, not the wrapper (only consulted when no scalar
   * top-level member such as `"version": "2"` came before it).
   */
  recordFields?: ReadonlySet<string>;
}

// Scanner states.
const BEFORE_ROOT = 0;
const KEY_OR_END = 1; // after `{`
const KEY = 2; // after `,`
const IN_KEY = 3;
const COLON = 4;
const VALUE = 5;
const IN_VALUE = 6; // inside an object or array value
const IN_SCALAR_STRING = 7;
const IN_SCALAR_WORD = 8;
const COMMA_OR_END = 9;
const PROBE_KEY = 10; // deciding whether the container key's object is the wrapper
const DONE = 11;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON_CHAR = 0x3a;

/** How many spaces stand between the previous newline and position `i`; -1 if anything else does. */
function lineIndent(chunk: Buffer, i: number): number {
  let j = i - 1;
  while (j >= 0 && chunk[j] === 0x20) j--;
  return j >= 0 && chunk[j] === 0x0a ? i - j - 1 : -1;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export class JsonMemberScanner {
  private state = BEFORE_ROOT;
  /** 0: the top-level object; 1: inside the container object. */
  private level = 0;
  /** Absolute offset of the current chunk's first byte. */
  private base = 0;

  // The key being read.
  private keyParts: Buffer[] = [];
  private keyStart = -1;
  private keyEscaped = false;
  private keyOffset = 0;
  private key = '';

  // The value being captured.
  private valueParts: Buffer[] = [];
  private valueStart = -1;
  private valueOffset = 0;
  private depth = 0;
  private inString = false;
  /** A backslash ended the previous chunk inside a string: the next byte is escaped. */
  private escapePending = false;

  private sawTopLevelScalar = false;
  private probing = false;
  /** The columns before the current key when the key starts a line, else -1. */
  private keyIndent = -1;

  constructor(
    private readonly sink: MemberSink,
    private readonly options: ScannerOptions = {},
  ) {}

  /** Bytes consumed so far. */
  get offset(): number {
    return this.base;
  }

  push(chunk: Buffer): void {
    const len = chunk.length;
    if (len === 0) return;
    let i = 0;
    if (this.escapePending) {
      this.escapePending = false;
      i = 1;
    }
    while (i < len) {
      switch (this.state) {
        case IN_VALUE:
          i = this.scanNested(chunk, i, len);
          break;
        case BEFORE_ROOT: {
          const c = chunk[i];
          if (isWhitespace(c) || (this.base + i === 0 && c === 0xef)) {
            i++;
          } else if (c === 0xbb || c === 0xbf) {
            // The rest of a UTF-8 byte order mark.
            if (this.base + i > 2) this.fail(chunk, i, 'expected a JSON object');
            i++;
          } else if (c === OPEN_BRACE) {
            this.state = KEY_OR_END;
            i++;
          } else {
            this.fail(chunk, i, 'expected a JSON object');
          }
          break;
        }
        case KEY_OR_END:
        case KEY:
        case PROBE_KEY: {
          const c = chunk[i];
          if (isWhitespace(c)) {
            i++;
          } else if (c === QUOTE) {
            this.keyStart = i + 1;
            this.keyParts = [];
            this.keyEscaped = false;
            this.keyOffset = this.base + i;
            this.keyIndent = lineIndent(chunk, i);
            this.probing = this.state === PROBE_KEY;
            this.state = IN_KEY;
            i++;
          } else if (c === CLOSE_BRACE && this.state !== KEY) {
            if (this.state === PROBE_KEY) {
              // An empty container: nothing to report.
              this.dropValue();
              this.state = COMMA_OR_END;
            } else {
              this.closeObject();
            }
            i++;
          } else {
            this.fail(chunk, i, this.state === KEY ? 'expected a key after ","' : 'expected a key or "}"');
          }
          break;
        }
        case IN_KEY:
          i = this.scanKey(chunk, i, len);
          break;
        case COLON: {
          const c = chunk[i];
          if (isWhitespace(c)) i++;
          else if (c === COLON_CHAR) {
            this.state = VALUE;
            i++;
          } else this.fail(chunk, i, `expected ":" after the key "${this.key}"`);
          break;
        }
        case VALUE:
          i = this.startValue(chunk, i);
          break;
        case IN_SCALAR_STRING:
        case IN_SCALAR_WORD:
          i = this.scanScalar(chunk, i, len);
          break;
        case COMMA_OR_END: {
          const c = chunk[i];
          if (isWhitespace(c)) i++;
          else if (c === COMMA) {
            this.state = KEY;
            i++;
          } else if (c === CLOSE_BRACE) {
            this.closeObject();
            i++;
          } else this.fail(chunk, i, `expected "," or "}" after the value of "${this.key}"`);
          break;
        }
        case DONE: {
          if (isWhitespace(chunk[i])) i++;
          else this.fail(chunk, i, 'unexpected data after the end of the JSON object');
          break;
        }
      }
    }
    // Keep the unfinished key or value: the chunk's bytes are referenced, not copied.
    if (this.state === IN_KEY && this.keyStart >= 0) {
      this.keyParts.push(chunk.subarray(this.keyStart));
      this.keyStart = 0;
    }
    if (this.valueStart >= 0) {
      this.valueParts.push(chunk.subarray(this.valueStart));
      this.valueStart = 0;
    }
    this.base += len;
  }

  /** Call after the last chunk: a document that stopped early is an error, never a short index. */
  end(): void {
    if (this.state === DONE) return;
    const where = this.key ? ` (in the value of "${this.key}")` : '';
    throw new KnowledgeInputError(`the input ends early at byte ${this.base}${where}: the file is truncated`, this.base, this.key || undefined);
  }

  private fail(chunk: Buffer, i: number, what: string): never {
    const near = JSON.stringify(chunk.toString('utf8', i, Math.min(chunk.length, i + 24)));
    throw new KnowledgeInputError(`invalid JSON at byte ${this.base + i}: ${what}, found ${near}`, this.base + i, this.key || undefined);
  }

  private closeObject(): void {
    if (this.level === 1) {
      this.level = 0;
      this.state = COMMA_OR_END;
    } else {
      this.state = DONE;
    }
  }

  private scanKey(chunk: Buffer, i: number, len: number): number {
    for (; i < len; i++) {
      const c = chunk[i];
      if (c === BACKSLASH) {
        this.keyEscaped = true;
        i++;
        if (i >= len) this.escapePending = true;
      } else if (c === QUOTE) {
        const tail = chunk.subarray(this.keyStart, i);
        const bytes = this.keyParts.length ? Buffer.concat([...this.keyParts, tail]) : tail;
        this.keyParts = [];
        this.keyStart = -1;
        this.key = this.decodeKey(bytes);
        return this.afterKey(i + 1);
      }
    }
    return len;
  }

  private decodeKey(bytes: Buffer): string {
    const text = bytes.toString('utf8');
    if (!this.keyEscaped) return text;
    try {
      return JSON.parse(`"${text}"`) as string;
    } catch {
      throw new KnowledgeInputError(`invalid JSON at byte ${this.keyOffset}: bad escape in a key`, this.keyOffset);
    }
  }

  private afterKey(i: number): number {
    if (!this.probing) {
      this.state = COLON;
      return i;
    }
    this.probing = false;
    if (this.options.recordFields?.has(this.key)) {
      // A record that happens to carry the container's name: keep capturing it as a value.
      this.depth = 1;
      this.inString = false;
      this.state = IN_VALUE;
      this.key = this.options.containerKey ?? this.key;
      return i;
    }
    // The wrapper: its members are the records.
    this.dropValue();
    this.level = 1;
    this.state = COLON;
    return i;
  }

  private startValue(chunk: Buffer, i: number): number {
    const c = chunk[i];
    if (isWhitespace(c)) return i + 1;
    if (c === COMMA || c === CLOSE_BRACE) {
      this.sink.dangling(this.key, this.base + i);
      this.state = COMMA_OR_END;
      return i; // The comma or brace is read again as the end of this member.
    }
    this.valueStart = i;
    this.valueParts = [];
    this.valueOffset = this.base + i;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (c === OPEN_BRACE && this.level === 0 && this.key === this.options.containerKey) {
        if (this.sawTopLevelScalar) {
          this.dropValue();
          this.level = 1;
          this.state = KEY_OR_END;
        } else {
          this.state = PROBE_KEY;
        }
        return i + 1;
      }
      if (this.keyIndent >= 0 && c === OPEN_BRACE && this.sink.prettyValue) {
        const end = this.sink.prettyValue(this.key, chunk, i, this.valueOffset, this.level === 1, this.keyIndent);
        if (end > i) {
          this.valueStart = -1;
          this.state = COMMA_OR_END;
          return end;
        }
      }
      this.depth = 1;
      this.inString = false;
      this.state = IN_VALUE;
      return i + 1;
    }
    if (this.level === 0) this.sawTopLevelScalar = true;
    if (c === QUOTE) {
      this.inString = true;
      this.state = IN_SCALAR_STRING;
      return i + 1;
    }
    this.state = IN_SCALAR_WORD;
    return i;
  }

  /** The hot loop: finds the end of an object or array value. */
  private scanNested(chunk: Buffer, i: number, len: number): number {
    let depth = this.depth;
    let inString = this.inString;
    for (; i < len; i++) {
      const c = chunk[i];
      if (inString) {
        if (c === BACKSLASH) {
          i++;
          if (i >= len) this.escapePending = true;
        } else if (c === QUOTE) {
          inString = false;
        }
      } else if (c === QUOTE) {
        inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--depth === 0) {
          this.depth = 0;
          this.inString = false;
          this.emit(chunk, i + 1);
          return i + 1;
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    return len;
  }

  private scanScalar(chunk: Buffer, i: number, len: number): number {
    if (this.state === IN_SCALAR_STRING) {
      for (; i < len; i++) {
        const c = chunk[i];
        if (c === BACKSLASH) {
          i++;
          if (i >= len) this.escapePending = true;
        } else if (c === QUOTE) {
          this.emit(chunk, i + 1);
          return i + 1;
        }
      }
      return len;
    }
    for (; i < len; i++) {
      const c = chunk[i];
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)) {
        this.emit(chunk, i);
        return i;
      }
    }
    return len;
  }

  private emit(chunk: Buffer, end: number): void {
    const tail = chunk.subarray(this.valueStart, end);
    const value = this.valueParts.length ? Buffer.concat([...this.valueParts, tail]) : tail;
    this.valueParts = [];
    this.valueStart = -1;
    this.state = COMMA_OR_END;
    this.sink.member(this.key, value, this.valueOffset, this.level === 1);
  }

  private dropValue(): void {
    this.valueParts = [];
    this.valueStart = -1;
  }
}
