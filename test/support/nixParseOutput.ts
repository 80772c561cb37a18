// Comparing what `nix-instantiate --parse` prints for two files. Nix 2.8 prints the attributes of
// a set or `let` in the order of its symbol table's pointers, which differs between two texts
// holding the same code; and an indented string starting with an interpolation prints as
// `("" + x + …)` or `(x + …)` depending on the indentation stripped before it (both are strings).
// So outputs are compared as sorted multisets of their tokens, string literals whole, with those
// empty leading strings dropped: any token added, lost or changed, any string content changed,
// still shows.
export function canonicalParseOutput(output: string): string {
  const tokens = output.match(/"(?:[^"\\]|\\.)*"|[A-Za-z0-9_'.\/-]+|\S/g) ?? [];
  const kept: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    // `( "" + x` is `( x`: skip the empty string and its `+`.
    if (tokens[index] === '""' && tokens[index + 1] === '+' && tokens[index - 1] === '(') {
      index++;
      continue;
    }
    kept.push(tokens[index]!);
  }
  return kept.sort().join(' ');
}
