import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageIndex } from '../../../server/src/knowledge/packageIndex';
import { buildFromBytes, fixture, removeTemporaryDirectories } from './testSetup';

afterAll(removeTemporaryDirectories);

let index: PackageIndex;

beforeAll(async () => {
  index = new PackageIndex((await buildFromBytes('packages', readFileSync(fixture('packages.json')))).file);
});

describe('PackageIndex.children', () => {
  it('lists the top level with sets and packages', () => {
    expect(index.children([])).toEqual({
      items: [
        { name: 'hello', kind: 'package' },
        { name: 'olsrd', kind: 'package' },
        { name: 'python313Packages', kind: 'set' },
        { name: 'ripgrep', kind: 'package' },
        { name: 'steam', kind: 'package' },
      ],
      incomplete: false,
    });
  });

  it('lists the members of a set, filtered by prefix and capped', () => {
    expect(index.children(['python313Packages']).items.map((i) => i.name)).toEqual(['pyyaml', 'requests', 'requests-toolbelt']);
    expect(index.children(['python313Packages'], { prefix: 'req' }).items.map((i) => i.name)).toEqual(['requests', 'requests-toolbelt']);
    expect(index.children(['python313Packages'], { limit: 2 })).toEqual({
      items: [
        { name: 'pyyaml', kind: 'package' },
        { name: 'requests', kind: 'package' },
      ],
      incomplete: true,
    });
    expect(index.children(['python313Packages'], { prefix: 'requests-t', limit: 1 }).incomplete).toBe(false);
  });

  it('answers nothing below a package or an unknown name', () => {
    expect(index.children(['hello']).items).toEqual([]);
    expect(index.children(['nope']).items).toEqual([]);
    expect(index.children([], { prefix: 'zzz' }).items).toEqual([]);
  });
});

describe('PackageIndex.lookup and kindOf', () => {
  it('finds packages by exact path only', () => {
    expect(index.lookup(['ripgrep'])?.version).toBe('14.1.1');
    expect(index.lookup(['python313Packages', 'requests'])?.pname).toBe('requests');
    expect(index.lookup(['python313Packages'])).toBeUndefined();
    expect(index.lookup(['rip'])).toBeUndefined();
    const paths = [['python313Packages', 'requests'], ['rip'], ['ripgrep'], ['python313Packages']];
    expect(index.lookupMany(paths)).toEqual(paths.map((path) => index.lookup(path)));
  });

  it('tells packages, sets and unknown paths apart', () => {
    expect(index.kindOf(['ripgrep'])).toBe('package');
    expect(index.kindOf(['python313Packages'])).toBe('set');
    expect(index.kindOf(['python313'])).toBeUndefined();
    expect(index.kindOf([])).toBe('set');
  });
});
