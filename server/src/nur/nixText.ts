// Writing values into generated Nix source safely.
import { quoteString } from '../analysis/names';

/** A double-quoted Nix string literal holding exactly `value` (no interpolation can sneak in). */
export const nixString = quoteString;

/** Joins template lines and ends the file with one newline. */
export function nixFile(lines: readonly string[]): string {
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
