import { describe, expect, it } from 'vitest';
import { trimPrettyRecord, type TrimSpec } from '../../../server/src/knowledge/prettyTrim';

const spec: TrimSpec = { within: 'meta', drop: new Set(['identifiers', 'teams']), extract: new Set(['platforms']) };

const record = {
  name: 'x-1',
  meta: {
    description: 'keeps "quotes" and } braces',
    identifiers: { cpeParts: { part: 'a' }, possibleCPEs: [] },
    platforms: ['x86_64-linux', 'aarch64-darwin'],
    teams: [],
    empty: {},
  },
  version: '1',
};

/** A record as nix-env prints it inside the top-level object: key at column 2. */
function printed(value: unknown): Buffer {
  const body = JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
  return Buffer.from(`{\n  "x": ${body},\n  "next": {}\n}`);
}

describe('trimPrettyRecord', () => {
  it('drops and extracts meta members and says where the record ends', () => {
    const bytes = printed(record);
    const start = bytes.indexOf('{', 1);
    const trimmed = trimPrettyRecord(bytes, start, 2, spec)!;
    expect(JSON.parse(trimmed.text)).toEqual({ name: 'x-1', meta: { description: 'keeps "quotes" and } braces', empty: {} }, version: '1' });
    expect(JSON.parse(trimmed.extracted.platforms)).toEqual(['x86_64-linux', 'aarch64-darwin']);
    expect(bytes.toString('utf8', trimmed.end, trimmed.end + 2)).toBe(',\n');
  });

  it('declines layouts it does not know, and records cut off by the chunk end', () => {
    const compact = Buffer.from(`{"x": ${JSON.stringify(record)}}`);
    expect(trimPrettyRecord(compact, 6, 0, spec)).toBeUndefined();
    const bytes = printed(record);
    const start = bytes.indexOf('{', 1);
    expect(trimPrettyRecord(bytes.subarray(0, bytes.length - 30), start, 2, spec)).toBeUndefined();
    expect(trimPrettyRecord(bytes, start, 4, spec)).toBeUndefined();
  });
});
