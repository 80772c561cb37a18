import { describe, expect, it } from 'vitest';
import { FlakeRefError, parseFlakeRef, printFlakeRef, queryValue, tryParseFlakeRef } from '../../../server/src/flake/flakeRef';

const REV = '0123456789abcdef0123456789abcdef01234567';

describe('flake references', () => {
  const roundTrips = [
    'github:NixOS/nixpkgs',
    'github:NixOS/nixpkgs/nixos-unstable',
    `github:NixOS/nixpkgs/${REV}`,
    'github:owner/repo?dir=sub/flake',
    'github:owner/repo?ref=feature/x&dir=a',
    'github:owner/repo?host=git.example.com',
    'gitlab:owner/repo/v1.0',
    'sourcehut:~sircmpwn/hare?ref=main',
    `git+https://example.org/x.git?ref=main&rev=${REV}`,
    'git+ssh://git@github.com/owner/repo.git',
    'git+file:///tmp/some/repo',
    'git+http://example.org/x?submodules=1',
    'hg+https://example.org/repo',
    'path:/abs/dir',
    'path:./relative',
    './relative',
    '/absolute/dir',
    'tarball+https://example.org/x',
    'https://github.com/owner/repo/archive/main.tar.gz',
    'file+https://example.org/x.tar.gz',
    'https://example.org/file.txt',
    'nixpkgs',
    'nixpkgs/nixos-24.05',
    'flake:nixpkgs',
    `nixpkgs/${REV}`,
    `nixpkgs/nixos-24.05/${REV}`,
    'github:owner/repo?dir=a%20b',
  ];
  it.each(roundTrips)('prints %s back as written', (text) => {
    expect(printFlakeRef(parseFlakeRef(text))).toBe(text);
  });

  it('reads forge references into owner, repo and the ref-or-rev segment', () => {
    expect(parseFlakeRef('github:NixOS/nixpkgs/nixos-unstable')).toEqual({
      type: 'github',
      owner: 'NixOS',
      repo: 'nixpkgs',
      refOrRev: 'nixos-unstable',
      query: [],
    });
    const withQuery = parseFlakeRef('gitlab:o/r?ref=main&dir=x&host=gitlab.example.org');
    expect(withQuery.type).toBe('gitlab');
    expect(queryValue(withQuery, 'ref')).toBe('main');
    expect(queryValue(withQuery, 'dir')).toBe('x');
    expect(queryValue(withQuery, 'host')).toBe('gitlab.example.org');
    expect(parseFlakeRef('sourcehut:~user/project')).toMatchObject({ type: 'sourcehut', owner: '~user', repo: 'project' });
  });

  it('reads git, mercurial, path, archive and registry references', () => {
    expect(parseFlakeRef(`git+https://example.org/x.git?ref=main&rev=${REV}`)).toEqual({
      type: 'git',
      url: 'https://example.org/x.git',
      query: [
        ['ref', 'main'],
        ['rev', REV],
      ],
    });
    expect(parseFlakeRef('git+file:///tmp/repo')).toMatchObject({ type: 'git', url: 'file:///tmp/repo' });
    expect(parseFlakeRef('hg+https://h/r')).toMatchObject({ type: 'mercurial', url: 'https://h/r' });
    expect(parseFlakeRef('path:./x')).toMatchObject({ type: 'path', path: './x', explicit: true });
    expect(parseFlakeRef('/srv/flake')).toMatchObject({ type: 'path', path: '/srv/flake', explicit: false });
    expect(parseFlakeRef('https://h/a.tar.xz')).toMatchObject({ type: 'tarball', url: 'https://h/a.tar.xz', explicit: false });
    expect(parseFlakeRef('https://h/a.json')).toMatchObject({ type: 'file', url: 'https://h/a.json', explicit: false });
    expect(parseFlakeRef('tarball+https://h/latest')).toMatchObject({ type: 'tarball', explicit: true });
    expect(parseFlakeRef('nixpkgs')).toEqual({ type: 'indirect', id: 'nixpkgs', explicit: false, query: [] });
    expect(parseFlakeRef('nixpkgs/nixos-24.05')).toMatchObject({ type: 'indirect', id: 'nixpkgs', ref: 'nixos-24.05' });
    expect(parseFlakeRef(`flake:nixpkgs/${REV}`)).toMatchObject({ type: 'indirect', id: 'nixpkgs', rev: REV, explicit: true });
    expect(parseFlakeRef(`nixpkgs/release/${REV}`)).toMatchObject({ ref: 'release', rev: REV });
  });

  it('decodes percent-escapes in query values and encodes them again', () => {
    const ref = parseFlakeRef('github:o/r?dir=a%20b%26c');
    expect(queryValue(ref, 'dir')).toBe('a b&c');
    expect(printFlakeRef(ref)).toBe('github:o/r?dir=a%20b%26c');
  });

  it.each([
    ['', 'empty'],
    ['github:onlyowner', 'owner/repo'],
    ['git+ftp://example.org/x', 'transport'],
    ['foo:bar', 'unknown scheme'],
    ['nixpkgs/a/b/c', 'name[/ref][/rev]'],
    ['nixpkgs/branch/notahash', 'not a commit hash'],
    ['git+https:no-slashes', 'not a URL'],
    ['9lives', 'neither a flake registry name'],
  ])('refuses %j with a reason', (text, reason) => {
    expect(() => parseFlakeRef(text)).toThrow(FlakeRefError);
    expect(() => parseFlakeRef(text)).toThrow(reason);
    expect(tryParseFlakeRef(text)).toBeUndefined();
  });
});
