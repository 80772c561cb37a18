import { describe, expect, it } from 'vitest';
import { boundedDistance, nearestName, typoBound } from '../../../server/src/analysis/nearestNames';

/** The textbook optimal-string-alignment distance, unbounded, to compare against. */
function reference(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

describe('edit distance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one', () => {
    expect(boundedDistance('enabel', 'enable', 3)).toBe(1);
    expect(boundedDistance('ngnix', 'nginx', 3)).toBe(1);
    expect(boundedDistance('helo', 'hello', 3)).toBe(1);
    expect(boundedDistance('hello', 'helo', 3)).toBe(1);
    expect(boundedDistance('hostname', 'hostName', 3)).toBe(1);
    expect(boundedDistance('kitten', 'sitting', 5)).toBe(3);
    expect(boundedDistance('', 'abc', 5)).toBe(3);
    expect(boundedDistance('same', 'same', 0)).toBe(0);
  });

  it('stops at the bound and agrees with the unbounded distance below it', () => {
    const words = ['', 'a', 'ab', 'ba', 'abc', 'acb', 'services', 'servcies', 'sevrices', 'systemPackages', 'systemPackage', 'xyz', 'enable', 'enabled', 'disable'];
    for (const a of words) {
      for (const b of words) {
        const exact = reference(a, b);
        for (const bound of [0, 1, 2, 3]) {
          expect(boundedDistance(a, b, bound), `${a} ${b} ${bound}`).toBe(Math.min(exact, bound + 1));
        }
      }
    }
  });
});

describe('nearest name', () => {
  it('suggests the closest candidate within the bound for the name length', () => {
    expect(typoBound('helo')).toBe(1);
    expect(typoBound('enabel')).toBe(2);
    expect(nearestName('enabel', ['package', 'enable', 'virtualHosts'])).toBe('enable');
    expect(nearestName('frobnicate', ['enable', 'package'])).toBeUndefined();
    expect(nearestName('extraLuaConfig', ['extraConfig'])).toBeUndefined();
  });

  it('prefers a difference in case, then the same first letter, then code-unit order', () => {
    expect(nearestName('hostname', ['hostNames', 'hostName'])).toBe('hostName');
    expect(nearestName('bat', ['cat', 'bag'])).toBe('bag');
    expect(nearestName('abcd', ['abce', 'abcf'])).toBe('abce');
  });

  it('never suggests the name itself', () => {
    expect(nearestName('hello', ['hello'])).toBeUndefined();
  });
});
