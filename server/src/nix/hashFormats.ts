// The spellings of a Nix hash — SRI (`sha256-<base64>`), Nix's own base32, base16 and base64, bare
// or with an `algo:` prefix — and conversions between them. A hash the user wrote in one spelling
// is reported by Nix in another (SRI), so finding it in the source needs all of them.

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha512';

export const HASH_SIZES: Record<HashAlgorithm, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

export type HashEncoding = 'sri' | 'base32' | 'base16' | 'base64';

export interface ParsedHash {
  algorithm: HashAlgorithm;
  bytes: Uint8Array;
  /** How it was written, so a replacement can be written the same way. */
  encoding: HashEncoding;
  /** Whether it was written as `algo:digest`. */
  prefixed: boolean;
}

// Nix's base32 alphabet omits e, o, u and t.
const BASE32_ALPHABET = '0123456789abcdfghijklmnpqrsvwxyz';

const base32Length = (size: number) => Math.ceil((size * 8) / 5);
const base64Length = (size: number) => Math.ceil(size / 3) * 4;

/** Nix's base32: the last character encodes the lowest bits, so the string is read from its end. */
export function toNixBase32(bytes: Uint8Array): string {
  const length = base32Length(bytes.length);
  let out = '';
  for (let n = length - 1; n >= 0; n--) {
    const bit = n * 5;
    const i = bit >> 3;
    const j = bit & 7;
    const low = bytes[i] >> j;
    const high = i + 1 < bytes.length ? bytes[i + 1] << (8 - j) : 0;
    out += BASE32_ALPHABET[(low | high) & 0x1f];
  }
  return out;
}

export function fromNixBase32(text: string, size: number): Uint8Array | undefined {
  if (text.length !== base32Length(size)) return undefined;
  const bytes = new Uint8Array(size);
  for (let k = 0; k < text.length; k++) {
    const digit = BASE32_ALPHABET.indexOf(text[k]);
    if (digit < 0) return undefined;
    const n = text.length - 1 - k;
    const bit = n * 5;
    const i = bit >> 3;
    const j = bit & 7;
    bytes[i] |= (digit << j) & 0xff;
    const carry = digit >> (8 - j);
    if (i + 1 < size) bytes[i + 1] |= carry;
    else if (carry !== 0) return undefined; // bits beyond the hash: not a valid encoding
  }
  return bytes;
}

export function toBase16(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

export function toSri(algorithm: HashAlgorithm, bytes: Uint8Array): string {
  return `${algorithm}-${toBase64(bytes)}`;
}

function decodeDigest(digest: string, size: number): { bytes: Uint8Array; encoding: Exclude<HashEncoding, 'sri'> } | undefined {
  if (digest.length === size * 2 && /^[0-9a-fA-F]+$/.test(digest)) {
    return { bytes: new Uint8Array(Buffer.from(digest, 'hex')), encoding: 'base16' };
  }
  if (digest.length === base32Length(size)) {
    const bytes = fromNixBase32(digest, size);
    if (bytes) return { bytes, encoding: 'base32' };
  }
  if (digest.length === base64Length(size) && /^[A-Za-z0-9+/]+={0,2}$/.test(digest)) {
    const bytes = new Uint8Array(Buffer.from(digest, 'base64'));
    if (bytes.length === size) return { bytes, encoding: 'base64' };
  }
  return undefined;
}

/**
 * Parses any spelling Nix accepts. A bare digest needs the algorithm from elsewhere
 * (`outputHashAlgo`, or the attribute name `sha256`); without one, sha256 is assumed.
 */
export function parseHash(text: string, defaultAlgorithm: HashAlgorithm = 'sha256'): ParsedHash | undefined {
  const sri = /^(md5|sha1|sha256|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(text);
  if (sri) {
    const algorithm = sri[1] as HashAlgorithm;
    const bytes = new Uint8Array(Buffer.from(sri[2], 'base64'));
    if (bytes.length !== HASH_SIZES[algorithm]) return undefined;
    return { algorithm, bytes, encoding: 'sri', prefixed: false };
  }
  const prefixed = /^(md5|sha1|sha256|sha512):(.+)$/.exec(text);
  const algorithm = (prefixed?.[1] as HashAlgorithm | undefined) ?? defaultAlgorithm;
  const decoded = decodeDigest(prefixed ? prefixed[2] : text, HASH_SIZES[algorithm]);
  return decoded && { algorithm, bytes: decoded.bytes, encoding: decoded.encoding, prefixed: !!prefixed };
}

/** Writes a hash in the given spelling. */
export function formatHash(algorithm: HashAlgorithm, bytes: Uint8Array, encoding: HashEncoding, prefixed = false): string {
  if (encoding === 'sri') return toSri(algorithm, bytes);
  const digest = encoding === 'base32' ? toNixBase32(bytes) : encoding === 'base16' ? toBase16(bytes) : toBase64(bytes);
  return prefixed ? `${algorithm}:${digest}` : digest;
}

/** Every way the same hash may appear in a Nix file. */
export function hashSpellings(algorithm: HashAlgorithm, bytes: Uint8Array): string[] {
  const spellings = new Set<string>([toSri(algorithm, bytes)]);
  for (const encoding of ['base32', 'base16', 'base64'] as const) {
    spellings.add(formatHash(algorithm, bytes, encoding, false));
    spellings.add(formatHash(algorithm, bytes, encoding, true));
  }
  return [...spellings];
}

/** The placeholder hashes (`lib.fakeHash`, `lib.fakeSha256`, `""`) are all zeros once parsed. */
export function isZeroHash(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0);
}
