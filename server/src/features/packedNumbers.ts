// Long lists of small non-negative integers (semantic tokens: five numbers a token, tens of
// thousands of tokens in a large file) kept between requests, packed: 4 bytes a number instead of
// the 8 or more of a plain array. An edit replaces a run of them in place, moving the rest with
// one block copy, as long as the buffer has room; a new buffer is made with room to spare only
// when it has not (making one per keystroke would cost a fresh allocation of the whole list).

/** Spare room a new buffer is given: an eighth, and at least a few thousand numbers. */
function withRoom(length: number): number {
  return length + Math.max(4096, length >> 3);
}

/** `numbers` packed, with no room to spare (the first edit that grows it makes some). */
export function packNumbers(numbers: ArrayLike<number>): Uint32Array {
  return Uint32Array.from(numbers);
}

/**
 * `data` with the numbers `[from, to)` replaced by `inserted`. `data` is taken over: its buffer is
 * reused when it has room (the result is then a view of it), so it must not be read afterwards.
 */
export function replaceNumbers(data: Uint32Array, from: number, to: number, inserted: ArrayLike<number>): Uint32Array {
  const length = data.length - (to - from) + inserted.length;
  const end = from + inserted.length;
  if (data.byteOffset === 0 && length * 4 <= data.buffer.byteLength) {
    const whole = new Uint32Array(data.buffer);
    if (end !== to) whole.copyWithin(end, to, data.length);
    whole.set(inserted, from);
    return whole.subarray(0, length);
  }
  const result = new Uint32Array(withRoom(length));
  result.set(data.subarray(0, from));
  result.set(inserted, from);
  result.set(data.subarray(to), end);
  return result.subarray(0, length);
}
