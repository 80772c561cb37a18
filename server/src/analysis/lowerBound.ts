// Binary search over anything sorted: uses in document order, token lists by position.

/** The first index in `[0, count)` for which `isBefore` is false, `isBefore` being true for a prefix only. */
export function lowerBound(count: number, isBefore: (index: number) => boolean): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (isBefore(middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}
