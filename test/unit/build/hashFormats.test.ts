import { describe, expect, it } from 'vitest';
import { formatHash, fromNixBase32, hashSpellings, isZeroHash, parseHash, toNixBase32, toSri } from '../../../server/src/nix/hashFormats';

// Pairs printed by real Nix (2.8 and 2.26) for `outputHash = <base32>`: "specified: <SRI>".
const ONES_BASE32 = '1111111111111111111111111111111111111111111111111111';
const ONES_SRI = 'sha256-IYQQQgghhBBCCCGEEEIIIYQQQgghhBBCCCGEEEIIIYQ=';
// What Nix reported as "got" for a file containing "fixed content\n", and its sha256 in hex.
const FIXED_SRI = 'sha256-rc95GuKAPAwQ8Nq5xDDDmsWAv5XWqDSiSPTe3XLGlmU=';

describe('Nix base32', () => {
  it('decodes the way Nix does', () => {
    const bytes = fromNixBase32(ONES_BASE32, 32)!;
    expect(toSri('sha256', bytes)).toBe(ONES_SRI);
  });

  it('encodes the way nix-hash does', () => {
    // `printf 'fixed content\n' | nix-hash --type sha256 --flat --base32` (via a file)
    expect(toNixBase32(parseHash(FIXED_SRI)!.bytes)).toBe('0rcnqrrdvppl92i39a6njnzq1icsqcqc9ffsy080qg40w8d7kkxd');
  });

  it('round-trips', () => {
    const bytes = new Uint8Array(Buffer.from(FIXED_SRI.slice('sha256-'.length), 'base64'));
    const text = toNixBase32(bytes);
    expect(text).toHaveLength(52);
    expect(fromNixBase32(text, 32)).toEqual(bytes);
  });

  it('rejects characters outside its alphabet and bits beyond the hash', () => {
    expect(fromNixBase32('e'.repeat(52), 32)).toBeUndefined();
    expect(fromNixBase32('z'.repeat(52), 32)).toBeUndefined();
    expect(fromNixBase32('0'.repeat(51), 32)).toBeUndefined();
  });
});

describe('parseHash', () => {
  const sha = (text: string) => {
    const parsed = parseHash(text);
    return parsed && { algorithm: parsed.algorithm, sri: toSri(parsed.algorithm, parsed.bytes), encoding: parsed.encoding, prefixed: parsed.prefixed };
  };

  it('reads every spelling of the same hash', () => {
    const bytes = parseHash(FIXED_SRI)!.bytes;
    const hex = Buffer.from(bytes).toString('hex');
    expect(sha(FIXED_SRI)).toEqual({ algorithm: 'sha256', sri: FIXED_SRI, encoding: 'sri', prefixed: false });
    expect(sha(hex)).toMatchObject({ sri: FIXED_SRI, encoding: 'base16', prefixed: false });
    expect(sha(`sha256:${hex}`)).toMatchObject({ sri: FIXED_SRI, encoding: 'base16', prefixed: true });
    expect(sha(toNixBase32(bytes))).toMatchObject({ sri: FIXED_SRI, encoding: 'base32' });
    expect(sha(`sha256:${toNixBase32(bytes)}`)).toMatchObject({ sri: FIXED_SRI, encoding: 'base32', prefixed: true });
  });

  it('knows the other algorithms by length', () => {
    expect(parseHash(`sha512-${Buffer.alloc(64).toString('base64')}`)?.algorithm).toBe('sha512');
    expect(parseHash(`sha1:${'0'.repeat(40)}`)?.algorithm).toBe('sha1');
    expect(parseHash('0'.repeat(128), 'sha512')?.encoding).toBe('base16');
  });

  it('rejects what is not a hash', () => {
    expect(parseHash('')).toBeUndefined();
    expect(parseHash('sha256-short')).toBeUndefined();
    expect(parseHash('hello')).toBeUndefined();
  });

  it('recognises the placeholders as zeros', () => {
    expect(isZeroHash(parseHash('sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')!.bytes)).toBe(true);
    expect(isZeroHash(parseHash('0'.repeat(52))!.bytes)).toBe(true);
    expect(isZeroHash(parseHash(FIXED_SRI)!.bytes)).toBe(false);
  });
});

describe('formatHash and hashSpellings', () => {
  it('writes a hash in the requested spelling', () => {
    const bytes = parseHash(ONES_SRI)!.bytes;
    expect(formatHash('sha256', bytes, 'base32')).toBe(ONES_BASE32);
    expect(formatHash('sha256', bytes, 'base32', true)).toBe(`sha256:${ONES_BASE32}`);
    expect(formatHash('sha256', bytes, 'sri')).toBe(ONES_SRI);
  });

  it('lists every spelling once', () => {
    const spellings = hashSpellings('sha256', parseHash(ONES_SRI)!.bytes);
    expect(spellings).toContain(ONES_SRI);
    expect(spellings).toContain(ONES_BASE32);
    expect(spellings).toContain(`sha256:${ONES_BASE32}`);
    expect(new Set(spellings).size).toBe(spellings.length);
  });
});
