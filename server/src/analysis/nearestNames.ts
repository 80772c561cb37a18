// "Did you mean …?" for a misspelt name: the candidates closest to it by Damerau-Levenshtein
// distance (optimal string alignment: insertions, deletions, substitutions, and swaps of two
// neighbouring characters, each costing one), within a bound that grows with the name's length.

/**
 * The largest distance still taken for a typo of `name`: 1 up to 4 characters, then 2. Real typos
 * are one or two slips; a larger bound mostly finds a different name (`extraLuaConfig` is not a
 * typo of `extraConfig`).
 */
export function typoBound(name: string): number {
  return name.length <= 4 ? 1 : 2;
}

/** The rows `boundedDistance` fills, grown when a longer candidate comes. */
let rows = new Int32Array(3 * 64);

/**
 * The distance between `a` and `b`, or `bound + 1` as soon as it is certain to exceed `bound`
 * (so comparing a name with thousands of candidates costs little).
 */
export function boundedDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  if (a === b) return 0;
  const width = b.length + 1;
  if (rows.length < width * 3) rows = new Int32Array(width * 6);
  // Three rows of one shared buffer (thousands of candidates are compared per name): two back
  // (for swaps), the previous one, and the one being filled.
  let older = 0;
  let previous = width;
  let current = 2 * width;
  const row = rows;
  for (let j = 0; j < width; j++) {
    row[older + j] = 0;
    row[previous + j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    row[current] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j < width; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(row[previous + j]! + 1, row[current + j - 1]! + 1, row[previous + j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, row[older + j - 2]! + 1);
      row[current + j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > bound) return bound + 1;
    const freed = older;
    older = previous;
    previous = current;
    current = freed;
  }
  return Math.min(row[previous + b.length]!, bound + 1);
}

/**
 * The candidate closest to `name` within `bound` (default `typoBound(name)`), or undefined.
 * Ties go to a candidate differing only in case, then to one with the same first letter, then
 * to the first in code-unit order.
 */
export function nearestName(name: string, candidates: Iterable<string>, bound: number = typoBound(name)): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = boundedDistance(name, candidate, bound);
    if (distance > bound) continue;
    // Distance first; the tie-breakers only order candidates at the same distance.
    const score = distance * 4 + (candidate.toLowerCase() === lower ? 0 : 2) + (candidate[0] === name[0] ? 0 : 1);
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
