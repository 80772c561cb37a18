// Attribute paths as the indexes store them: the parts joined by a NUL byte. Nix strings cannot
// contain NUL, so the separator never collides with a name, and because it sorts below every other
// byte, sorting the joined names bytewise keeps each attribute's subtree right after it
// (`a`, `a␀b`, `a␀c`, then `a-b`), so all members of a set are one contiguous range.

export const SEPARATOR = 0;

/** Encodes a path for comparison against the index's names. */
export function encodePath(parts: readonly string[]): Buffer {
  return Buffer.from(parts.join('\0'), 'utf8');
}

/**
 * Splits a package key as `nix-env -qaP` prints it (`python313Packages.requests`). nix-env joins
 * with a bare `.`, so a dot inside one attribute name cannot be told apart; nixpkgs has none.
 */
export function splitPackageKey(key: string): string[] {
  return key.split('.');
}

/** The parts an option index uses for "any attribute name": `<name>`, `<config-name>`, `*`, … */
export function isPlaceholderPart(part: string): boolean {
  return part === '*' || (part.length > 2 && part.charCodeAt(0) === 0x3c && part.charCodeAt(part.length - 1) === 0x3e);
}

/** Renders a path the way a user writes it in Nix, quoting parts that are not plain identifiers. */
export function formatAttrPath(parts: readonly string[]): string {
  return parts.map(formatAttrName).join('.');
}

export function formatAttrName(part: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(part) || isPlaceholderPart(part)) return part;
  return JSON.stringify(part).replace(/\$\{/g, '\\${');
}
