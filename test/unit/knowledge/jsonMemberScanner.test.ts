import { describe, expect, it } from 'vitest';
import { KnowledgeInputError } from '../../../server/src/knowledge/errors';
import { JsonMemberScanner, type ScannerOptions } from '../../../server/src/knowledge/jsonMemberScanner';

interface Seen {
  members: { key: string; value: unknown; offset: number; nested: boolean }[];
  dangling: { key: string; offset: number }[];
}

/**
 * Runs the scanner over `text` split into chunks of `chunkSize` bytes. With `pretty`, the sink
 * reads pretty-printed values itself when it can (up to the key's closing line) and counts how
 * many it read that way.
 */
function scan(text: string | Buffer, chunkSize = 1 << 20, options: ScannerOptions = {}, pretty?: { read: number }): Seen {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const seen: Seen = { members: [], dangling: [] };
  const scanner = new JsonMemberScanner(
    {
      member(key, value, offset, nested) {
        seen.members.push({ key, value: JSON.parse(value.toString('utf8')), offset, nested });
      },
      dangling(key, offset) {
        seen.dangling.push({ key, offset });
      },
      prettyValue: pretty
        ? (key, chunk, start, offset, nested, indent) => {
            const close = chunk.indexOf(`\n${' '.repeat(indent)}}`, start);
            if (close < 0) return -1;
            const end = close + indent + 2;
            try {
              seen.members.push({ key, value: JSON.parse(chunk.toString('utf8', start, end)), offset, nested });
            } catch {
              return -1;
            }
            pretty.read++;
            return end;
          }
        : undefined,
    },
    options,
  );
  for (let i = 0; i < bytes.length; i += chunkSize) scanner.push(bytes.subarray(i, i + chunkSize));
  scanner.end();
  return seen;
}

const tricky = `{
  "plain": { "a": 1 },
  "esc\\"aped \\\\ key": { "s": "quote \\" and backslash \\\\" },
  "braces": { "text": "} ] { [ \\"}\\" ", "list": [ "]", { "x": "}" } ] },
  "unicode ключ": { "name": "naïve – 日本語 🎉" },
  "\\u0041scii": { "n": null },
  "deep": { "a": { "b": { "c": [ [ [ ] ] ] } } }
}`;

describe('JsonMemberScanner', () => {
  it('reports each top-level member of a bare object with its parsed value and offset', () => {
    const text = '{"hello": {"version": "1"}, "x": {"y": [1, 2]}}';
    const seen = scan(text);
    expect(seen.members.map((m) => m.key)).toEqual(['hello', 'x']);
    expect(seen.members[0].value).toEqual({ version: '1' });
    expect(seen.members[1].value).toEqual({ y: [1, 2] });
    expect(text.slice(seen.members[1].offset, seen.members[1].offset + 1)).toBe('{');
    expect(seen.members.every((m) => !m.nested)).toBe(true);
  });

  it('handles escapes, braces inside strings and unicode, whatever the chunk boundaries', () => {
    const expected = JSON.parse(tricky) as Record<string, unknown>;
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const seen = scan(tricky, size);
      expect(seen.members.map((m) => m.key)).toEqual(Object.keys(expected));
      for (const member of seen.members) expect(member.value).toEqual(expected[member.key]);
    }
  });

  it('reads the wrapped channel shape by descending into "packages"', () => {
    const seen = scan('{ "version": "2", "packages": { "hello": { "name": "hello-1" }, "a.b": { "name": "b" } } }', 6, { containerKey: 'packages' });
    const records = seen.members.filter((m) => m.nested);
    expect(records.map((m) => m.key)).toEqual(['hello', 'a.b']);
    // The version is a top-level scalar, reported but not nested.
    expect(seen.members.find((m) => m.key === 'version')).toMatchObject({ nested: false, value: '2' });
  });

  it('descends into the wrapper even when "packages" comes before "version"', () => {
    const options = { containerKey: 'packages', recordFields: new Set(['name', 'meta']) };
    const seen = scan('{ "packages": { "hello": { "name": "h" } }, "version": 2 }', 5, options);
    expect(seen.members.filter((m) => m.nested).map((m) => m.key)).toEqual(['hello']);
  });

  it('treats a bare record that is named like the wrapper as a record', () => {
    const options = { containerKey: 'packages', recordFields: new Set(['name', 'meta']) };
    const seen = scan('{ "packages": { "name": "packages-1.0", "meta": { "x": 1 } }, "hello": { "name": "h" } }', 4, options);
    expect(seen.members.map((m) => [m.key, m.nested])).toEqual([
      ['packages', false],
      ['hello', false],
    ]);
    expect(seen.members[0].value).toEqual({ name: 'packages-1.0', meta: { x: 1 } });
  });

  it('reports dangling values (what Nix 2.8 writes when a value throws) and carries on', () => {
    const text = '{ "a": { "x": 1 }, "broken": , "b": { "y": 2 }, "last": }';
    const seen = scan(text, 3);
    expect(seen.members.map((m) => m.key)).toEqual(['a', 'b']);
    expect(seen.dangling.map((d) => d.key)).toEqual(['broken', 'last']);
    expect(text[seen.dangling[0].offset]).toBe(',');
  });

  it('fails on input cut short, naming the byte offset and the member', () => {
    const text = '{ "a": { "x": 1 }, "b": { "y": [1, 2';
    expect(() => scan(text, 4)).toThrowError(KnowledgeInputError);
    try {
      scan(text, 4);
    } catch (error) {
      expect((error as KnowledgeInputError).offset).toBe(Buffer.byteLength(text));
      expect((error as KnowledgeInputError).key).toBe('b');
      expect((error as Error).message).toMatch(/ends early at byte \d+ .*"b"/);
    }
  });

  it('fails on invalid JSON with the offset of the problem', () => {
    expect(() => scan('{ "a" { } }')).toThrowError(/invalid JSON at byte 6: expected ":"/);
    expect(() => scan('[1, 2]')).toThrowError(/expected a JSON object/);
    expect(() => scan('{ "a": {}, }')).toThrowError(/expected a key after ","/);
    expect(() => scan('{ "a": {} } trailing')).toThrowError(/after the end/);
    expect(() => scan('')).toThrowError(/ends early at byte 0/);
  });

  it('accepts a byte order mark and surrounding whitespace', () => {
    const seen = scan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n { "a": {} } \n')]), 1);
    expect(seen.members.map((m) => m.key)).toEqual(['a']);
  });

  it('offers pretty-printed values to the receiver, and delivers them exactly when it declines', () => {
    const value = { one: { a: '}\n' }, two: { b: [1, { c: 2 }] } };
    const pretty = JSON.stringify(value, null, 2);
    const counter = { read: 0 };
    const shortcut = scan(pretty, 1 << 20, {}, counter);
    expect(counter.read).toBe(2);
    expect(shortcut.members.map((m) => [m.key, m.value])).toEqual(Object.entries(value));
    // Split mid-value: the receiver cannot see the whole value and declines.
    const split = { read: 0 };
    expect(scan(pretty, 17, {}, split).members.map((m) => [m.key, m.value])).toEqual(Object.entries(value));
    expect(split.read).toBeLessThan(2);
  });

  it('delivers a value exactly when indentation misleads the receiver', () => {
    // The inner object closes at the key's indentation: a guess by layout ends too early.
    const text = '{\n  "a": {\n    "inner": {\n  }\n  },\n  "b": {}\n}';
    const seen = scan(text, 1 << 20, {}, { read: 0 });
    expect(seen.members.map((m) => [m.key, m.value])).toEqual([
      ['a', { inner: {} }],
      ['b', {}],
    ]);
  });
});
