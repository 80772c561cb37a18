// The lib index from a hand-written evaluation listing and hand-written source files: building it
// (relative files, docs, re-exports), its queries, and its cache file.
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LibIndex, LibIndexFormatError, libIndexDataFrom, type LibIndexData } from '../../../server/src/knowledge/libIndex';
import { buildLibIndexData } from '../../../server/src/knowledge/libSource';
import { findLibCacheFor, libCachePath, pruneLibCaches, readLibCache, writeLibCache } from '../../../server/src/knowledge/libCache';
import { type EvaluatedMember } from '../../../server/src/knowledge/libEvaluation';
import { removeTemporaryDirectories, temporaryDirectory } from './testSetup';

afterAll(removeTemporaryDirectories);

const ROOT = '/nix/store/00000000000000000000000000000000-source';

const FILES: Record<string, string> = {
  [`${ROOT}/lib/default.nix`]: [
    'let',
    '  libraries = self: {',
    '    strings = import ./strings.nix { lib = self; };',
    '    lists = import ./lists.nix { lib = self; };',
    '    inherit (self.strings) join;',
    '    inherit (self.lists) count;',
    '    /** Local documentation wins over the re-exported one. */',
    '    inherit (self.lists) last;',
    '    # Removed.',
    '    gone = throw "gone";',
    '  };',
    'in fix libraries',
  ].join('\n'),
  [`${ROOT}/lib/strings.nix`]: [
    '{ lib }:',
    '{',
    '  /**',
    '    Joins strings.',
    '',
    '    # Type',
    '',
    '    ```',
    '    join :: string -> [string] -> string',
    '    ```',
    '  */',
    '  join = sep: list: builtins.concatStringsSep sep list;',
    '  inherit (builtins) stringLength;',
    '}',
  ].join('\n'),
  [`${ROOT}/lib/lists.nix`]: [
    '{ lib }:',
    '{',
    '  /**',
    '    Counts the elements that pass.',
    '',
    '    # Inputs',
    '',
    '    `pred`',
    '    : The test',
    '',
    '    `list`',
    '    : The elements',
    '  */',
    '  count = pred: list: 0;',
    '  /** The last element. */',
    '  last = list: null;',
    '  inherit (lib.strings) join;',
    '}',
  ].join('\n'),
};

function pos(file: string, line: number, column: number) {
  return { file: `${ROOT}/lib/${file}`, line, column };
}

/** What the evaluation reports for the files above (listed unsorted, as a test of sorting). */
const MEMBERS: EvaluatedMember[] = [
  {
    name: 'strings',
    kind: 'set',
    pos: pos('default.nix', 3, 5),
    formals: [],
    children: [
      { name: 'stringLength', kind: 'function', pos: pos('strings.nix', 13, 22), formals: [] },
      { name: 'join', kind: 'function', pos: pos('strings.nix', 12, 3), formals: [] },
    ],
  },
  {
    name: 'lists',
    kind: 'set',
    pos: pos('default.nix', 4, 5),
    formals: [],
    children: [
      { name: 'count', kind: 'function', pos: pos('lists.nix', 14, 3), formals: [] },
      { name: 'last', kind: 'function', pos: pos('lists.nix', 16, 3), formals: [] },
      { name: 'join', kind: 'function', pos: pos('lists.nix', 17, 24), formals: [] },
    ],
  },
  { name: 'join', kind: 'function', pos: pos('default.nix', 5, 28), formals: [] },
  { name: 'count', kind: 'function', pos: pos('default.nix', 6, 26), formals: [] },
  { name: 'last', kind: 'function', pos: pos('default.nix', 8, 26), formals: [] },
  { name: 'gone', kind: 'throws', pos: pos('default.nix', 10, 5), formals: [] },
  { name: 'mkThing', kind: 'function', pos: { file: '/elsewhere/thing.nix', line: 3, column: 1 }, formals: [{ name: 'type', optional: true }, { name: 'name', optional: false }] },
  { name: 'computed', kind: 'value', formals: [] },
];

function build(): LibIndexData {
  return buildLibIndexData(MEMBERS, {
    source: ROOT,
    readFile: (file) => FILES[file],
    locations: ['github:NixOS/nixpkgs/0123456789abcdef0123456789abcdef01234567'],
    revision: '0123456789abcdef0123456789abcdef01234567',
    now: () => 1_700_000_000_000,
  });
}

describe('building the lib index', () => {
  const data = build();

  it('sorts members, keeps positions relative to the tree, and reads docs from the files', () => {
    expect(data.entries.map((e) => e.name)).toEqual(['computed', 'count', 'gone', 'join', 'last', 'lists', 'mkThing', 'strings']);
    expect(data.files).toEqual(['lib/default.nix', 'lib/strings.nix', 'lib/lists.nix', '/elsewhere/thing.nix']);
    const strings = data.entries.find((e) => e.name === 'strings')!;
    expect(strings.children!.map((c) => c.name)).toEqual(['join', 'stringLength']);
    expect(strings.children![0]).toMatchObject({ doc: 'Joins strings.', docStyle: 'markdown', type: 'join :: string -> [string] -> string', pos: [1, 12] });
    expect(strings.children![1]).toEqual({ name: 'stringLength', kind: 'function', inheritedFrom: 'builtins', pos: [1, 13] });
  });

  it('recognises re-exports from lib sets, at the top level and between sets', () => {
    const top = (name: string) => data.entries.find((e) => e.name === name)!;
    expect(top('join')).toMatchObject({ inheritedFrom: 'self.strings', aliasOf: ['strings', 'join'] });
    expect(top('count')).toMatchObject({ aliasOf: ['lists', 'count'] });
    expect(top('count').doc).toBeUndefined();
    // Documented where it is inherited: that documentation is its own.
    expect(top('last')).toMatchObject({ aliasOf: ['lists', 'last'], doc: 'Local documentation wins over the re-exported one.' });
    const listsJoin = top('lists').children!.find((c) => c.name === 'join')!;
    expect(listsJoin).toMatchObject({ inheritedFrom: 'lib.strings', aliasOf: ['strings', 'join'] });
  });

  it('marks members that throw, keeps formals, and leaves members without a position or readable file undocumented', () => {
    const top = (name: string) => data.entries.find((e) => e.name === name)!;
    expect(top('gone')).toMatchObject({ kind: 'value', throws: true, doc: 'Removed.' });
    expect(top('mkThing')).toEqual({ name: 'mkThing', kind: 'function', pos: [3, 3], formals: [{ name: 'name', optional: false }, { name: 'type', optional: true }] });
    expect(top('computed')).toEqual({ name: 'computed', kind: 'value' });
  });
});

describe('lib index queries', () => {
  const index = new LibIndex(build());

  it('lists the members of lib and of its sets, by prefix, up to a limit', () => {
    expect(index.children([]).items.map((i) => `${i.name}:${i.kind}`)).toEqual([
      'computed:value',
      'count:function',
      'gone:value',
      'join:function',
      'last:function',
      'lists:set',
      'mkThing:function',
      'strings:set',
    ]);
    expect(index.children([], { prefix: 'l' })).toEqual({ items: [{ name: 'last', kind: 'function' }, { name: 'lists', kind: 'set' }], incomplete: false });
    expect(index.children([], { prefix: 'c', limit: 1 })).toEqual({ items: [{ name: 'computed', kind: 'value' }], incomplete: true });
    expect(index.children(['strings']).items.map((i) => i.name)).toEqual(['join', 'stringLength']);
    expect(index.children(['strings', 'join'])).toEqual({ items: [], incomplete: false });
    expect(index.children(['nothing'])).toEqual({ items: [], incomplete: false });
    expect(index.count).toBe(8 + 2 + 3);
  });

  it('looks up a member, showing a re-export with the documentation and position of what it re-exports', () => {
    expect(index.lookup(['join'])).toEqual({
      path: ['join'],
      kind: 'function',
      inheritedFrom: 'self.strings',
      aliasOf: ['strings', 'join'],
      revision: '0123456789abcdef0123456789abcdef01234567',
      position: { file: 'lib/strings.nix', line: 12, absolutePath: `${ROOT}/lib/strings.nix` },
      doc: 'Joins strings.',
      docStyle: 'markdown',
      type: 'join :: string -> [string] -> string',
    });
    expect(index.lookup(['lists', 'count'])).toMatchObject({ args: ['pred', 'list'], position: { file: 'lib/lists.nix', line: 14 } });
    expect(index.lookup(['count'])).toMatchObject({ aliasOf: ['lists', 'count'], args: ['pred', 'list'] });
    // Its own documentation, its own position.
    expect(index.lookup(['last'])).toMatchObject({ doc: 'Local documentation wins over the re-exported one.', position: { file: 'lib/default.nix', line: 8 } });
    // lists.join → strings.join, followed through.
    expect(index.lookup(['lists', 'join'])).toMatchObject({ aliasOf: ['strings', 'join'], type: 'join :: string -> [string] -> string' });
    expect(index.lookup(['strings'])).toMatchObject({ kind: 'set', memberCount: 2 });
    expect(index.lookup(['gone'])).toMatchObject({ kind: 'value', throws: true });
    expect(index.lookup(['mkThing'])?.position).toEqual({ file: '/elsewhere/thing.nix', line: 3, absolutePath: '/elsewhere/thing.nix' });
    expect(index.lookup(['missing'])).toBeUndefined();
    expect(index.lookup(['strings', 'join', 'deeper'])).toBeUndefined();
    expect(index.lookup([])).toBeUndefined();
  });

  it('stops at aliases that go round in a circle', () => {
    const looping = new LibIndex({
      format: 1,
      source: ROOT,
      locations: [],
      builtAt: 0,
      files: [],
      entries: [
        { name: 'a', kind: 'function', aliasOf: ['b'] },
        { name: 'b', kind: 'function', aliasOf: ['a'] },
      ],
    });
    expect(looping.lookup(['a'])).toMatchObject({ path: ['a'], aliasOf: ['b'] });
  });
});

describe('the lib cache file', () => {
  it('writes and reads back the same data, found by the pin it belongs to', () => {
    const dir = temporaryDirectory();
    const data = build();
    const path = libCachePath(dir, ROOT);
    writeLibCache(path, data);
    expect(readLibCache(path)).toEqual(data);
    expect(findLibCacheFor(dir, data.locations[0])?.path).toBe(path);
    expect(findLibCacheFor(dir, 'github:NixOS/nixpkgs/ffffffffffffffffffffffffffffffffffffffff')).toBeUndefined();
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('treats damaged, foreign and older files as absent', () => {
    const dir = temporaryDirectory();
    const path = join(dir, 'lib-damaged.json');
    writeFileSync(path, '{"format": 1, "source": "/x", "builtAt": 0, "files": [], "entr');
    expect(readLibCache(path)).toBeUndefined();
    writeFileSync(path, JSON.stringify({ ...build(), format: 0 }));
    expect(readLibCache(path)).toBeUndefined();
    expect(readLibCache(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('checks the shape of what it reads back', () => {
    const good = JSON.parse(JSON.stringify(build())) as LibIndexData;
    expect(libIndexDataFrom(good)).toEqual(good);
    expect(() => libIndexDataFrom({ ...good, entries: [{ name: 'x', kind: 'macro' }] })).toThrow(LibIndexFormatError);
    expect(() => libIndexDataFrom({ ...good, entries: [{ name: 'x', kind: 'value', pos: [99, 1] }] })).toThrow(/bad position/);
    expect(() => libIndexDataFrom({ ...good, entries: [...good.entries].reverse() })).toThrow(/not sorted/);
    expect(() => libIndexDataFrom({ ...good, files: [1] })).toThrow(/files/);
    const nested = { ...good, entries: [{ name: 'a', kind: 'set', children: [{ name: 'b', kind: 'set', children: [] }] }] };
    expect(() => libIndexDataFrom(nested)).toThrow(/bad members/);
  });

  it('keeps the newest few caches and the one in use', () => {
    const dir = temporaryDirectory();
    mkdirSync(dir, { recursive: true });
    const paths = ['a', 'b', 'c', 'd', 'e'].map((name, i) => {
      const path = libCachePath(dir, `/nix/store/${name}`);
      writeLibCache(path, { ...build(), source: `/nix/store/${name}` });
      const time = new Date(1_700_000_000_000 + i * 60_000);
      utimesSync(path, time, time);
      return path;
    });
    const old = new Date(Date.now() - 2 * 3600_000);
    const leftover = join(dir, 'lib-0000.json.1.abcd.tmp');
    writeFileSync(leftover, 'partial');
    utimesSync(leftover, old, old);
    pruneLibCaches(dir, paths[0]);
    const left = readdirSync(dir).map((n) => join(dir, n)).sort();
    expect(left).toEqual([paths[0], paths[2], paths[3], paths[4]].sort());
    expect(readFileSync(paths[4], 'utf8')).toContain('/nix/store/e');
  });
});
