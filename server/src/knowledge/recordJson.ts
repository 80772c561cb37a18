// Parses the bytes of one record handed over by the scanner, mending the one kind of damage real
// producers cause. Nix 2.8's `nix-env --json --meta` writes a meta attribute's key before
// evaluating its value; when the value throws it leaves the key dangling (`"homepage": }`) and
// carries on with the next package. Such a record is still worth keeping: the dangling attribute
// becomes null (absent) and the caller is told which one it was.

export interface ParsedRecord {
  value: unknown;
  /** Names of attributes whose value was missing and were read as null. */
  dangling: string[];
}

/** JSON.parse for one record; throws a SyntaxError when even the mended text is not JSON. */
export function parseRecordJson(bytes: Buffer): ParsedRecord {
  const text = bytes.toString('utf8');
  try {
    return { value: JSON.parse(text), dangling: [] };
  } catch (error) {
    const mended = mendDanglingValues(text);
    if (mended.dangling.length === 0) throw error;
    return { value: JSON.parse(mended.text), dangling: mended.dangling };
  }
}

/**
 * Inserts `null` after every `"key":` that is directly followed by `,` or `}`, and drops commas
 * left directly before `}` or `]`. Only outside strings, so text inside descriptions is untouched.
 */
export function mendDanglingValues(text: string): { text: string; dangling: string[] } {
  const dangling: string[] = [];
  let out = '';
  let copiedUpTo = 0;
  let inString = false;
  let stringStart = 0;
  let lastString = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) {
        inString = false;
        lastString = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (c === 0x22) {
      inString = true;
      stringStart = i;
    } else if (c === 0x3a || c === 0x2c) {
      let j = i + 1;
      while (j < text.length && isSpace(text.charCodeAt(j))) j++;
      const next = text.charCodeAt(j);
      if (c === 0x3a && (next === 0x2c || next === 0x7d)) {
        out += text.slice(copiedUpTo, i + 1) + ' null';
        copiedUpTo = i + 1;
        dangling.push(lastString);
      } else if (c === 0x2c && (next === 0x7d || next === 0x5d)) {
        out += text.slice(copiedUpTo, i);
        copiedUpTo = i + 1;
      }
    }
  }
  return { text: out + text.slice(copiedUpTo), dangling };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
