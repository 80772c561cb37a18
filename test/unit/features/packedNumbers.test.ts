// Packed lists edited as plain arrays are by `splice`: the same numbers after every edit, in the
// same buffer while it has room.
import { describe, expect, it } from 'vitest';
import { packNumbers, replaceNumbers } from '../../../server/src/features/packedNumbers';
import { seededRandom } from '../../support/random';

describe('replaceNumbers', () => {
  it('gives what splice gives, over random edits that grow and shrink the list', () => {
    const random = seededRandom(11);
    const plain = Array.from({ length: 3000 }, (_, i) => i % 1000);
    let packed = packNumbers(plain);
    for (let step = 0; step < 400; step++) {
      const from = Math.floor(random() * (plain.length + 1));
      const to = from + Math.floor(random() * Math.min(50, plain.length - from + 1));
      const inserted = Array.from({ length: Math.floor(random() * 60) }, () => Math.floor(random() * 100_000));
      plain.splice(from, to - from, ...inserted);
      packed = replaceNumbers(packed, from, to, inserted);
      expect(packed.length).toBe(plain.length);
      if (!plain.every((n, i) => packed[i] === n)) expect.fail(`step ${step}: the lists differ`);
    }
  });

  it('reuses the buffer while it has room, and makes one with room to spare when it has not', () => {
    const exact = packNumbers([1, 2, 3, 4, 5]);
    const grown = replaceNumbers(exact, 1, 2, [7, 7]);
    expect(Array.from(grown)).toEqual([1, 7, 7, 3, 4, 5]);
    expect(grown.buffer).not.toBe(exact.buffer);
    const again = replaceNumbers(grown, 0, 1, [8, 8, 8]);
    expect(Array.from(again)).toEqual([8, 8, 8, 7, 7, 3, 4, 5]);
    expect(again.buffer).toBe(grown.buffer);
    const shrunk = replaceNumbers(again, 2, 8, []);
    expect(Array.from(shrunk)).toEqual([8, 8]);
    expect(shrunk.buffer).toBe(grown.buffer);
  });
});
