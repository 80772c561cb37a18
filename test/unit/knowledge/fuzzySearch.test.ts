import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchTier, searchTable } from '../../../server/src/knowledge/fuzzySearch';
import type { IndexFile } from '../../../server/src/knowledge/indexFile';
import { buildFromBytes, removeTemporaryDirectories } from './testSetup';

afterAll(removeTemporaryDirectories);

let file: IndexFile;

beforeAll(async () => {
  const names = [
    'ripgrep',
    'ripgrep-all',
    'python313Packages.requests',
    'python313Packages.requests-toolbelt',
    'python312Packages.requests',
    'grepcidr',
    'gnugrep',
    'ruby-packages.rails',
    'haskellPackages.RipGrep',
    'nodePackages.prettier',
  ];
  const json = `{${names.map((n) => `"${n}": {"pname": "x"}`).join(',')}}`;
  file = (await buildFromBytes('packages', Buffer.from(json))).file;
});

const search = (query: string, limit = 20) => searchTable(file.table, query, limit).map((h) => [file.table.pathAt(h.entry).join('.'), h.tier]);

describe('searchTable', () => {
  it('ranks exact names, then prefixes, then word starts, then subsequences', () => {
    expect(search('ripgrep')).toEqual([
      ['ripgrep', MatchTier.Exact],
      ['haskellPackages.RipGrep', MatchTier.Exact],
      ['ripgrep-all', MatchTier.Prefix],
    ]);
    expect(search('grep')).toEqual([
      ['grepcidr', MatchTier.Prefix],
      ['haskellPackages.RipGrep', MatchTier.WordStart],
      ['gnugrep', MatchTier.Subsequence],
      ['ripgrep', MatchTier.Subsequence],
      ['ripgrep-all', MatchTier.Subsequence],
    ]);
  });

  it('finds a package by its last part and orders ties by length', () => {
    expect(search('requests').slice(0, 3)).toEqual([
      ['python312Packages.requests', MatchTier.Exact],
      ['python313Packages.requests', MatchTier.Exact],
      ['python313Packages.requests-toolbelt', MatchTier.Prefix],
    ]);
  });

  it('matches dotted queries against the whole path, case-insensitively', () => {
    expect(search('PYTHON313packages.req')).toEqual([
      ['python313Packages.requests', MatchTier.Prefix],
      ['python313Packages.requests-toolbelt', MatchTier.Prefix],
    ]);
  });

  it('matches subsequences and stays within the limit', () => {
    expect(search('prqtb')).toEqual([['python313Packages.requests-toolbelt', MatchTier.Subsequence]]);
    expect(search('e', 3)).toHaveLength(3);
    expect(search('')).toEqual([]);
    expect(search('zzzz')).toEqual([]);
  });
});
