import { describe, expect, it } from 'vitest';
import { printFlakeRef } from '../../../server/src/flake/flakeRef';
import { refFromAttributes, type RefAttributes } from '../../../server/src/flake/refAttributes';

const print = (attrs: RefAttributes) => {
  const ref = refFromAttributes(attrs);
  return ref && printFlakeRef(ref);
};

describe('flake references in attribute form', () => {
  it.each([
    [{ type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-unstable' }, 'github:NixOS/nixpkgs/nixos-unstable'],
    [{ type: 'github', owner: 'o', repo: 'r', rev: 'a'.repeat(40), narHash: 'sha256-x', lastModified: 1 }, `github:o/r/${'a'.repeat(40)}`],
    [{ type: 'gitlab', owner: 'o', repo: 'r', host: 'gitlab.example.org' }, 'gitlab:o/r?host=gitlab.example.org'],
    [{ type: 'sourcehut', owner: '~u', repo: 'p', dir: 'nix' }, 'sourcehut:~u/p?dir=nix'],
    [{ type: 'git', url: 'https://h/x.git', rev: 'b'.repeat(40), ref: 'main', revCount: 3 }, `git+https://h/x.git?ref=main&rev=${'b'.repeat(40)}`],
    [{ type: 'git', url: 'file:///srv/x', submodules: true }, 'git+file:///srv/x?submodules=1'],
    [{ type: 'path', path: '/srv/flakes/dep', lastModified: 2 }, 'path:/srv/flakes/dep'],
    [{ type: 'tarball', url: 'https://h/x.tar.gz' }, 'https://h/x.tar.gz'],
    [{ type: 'tarball', url: 'https://h/latest' }, 'tarball+https://h/latest'],
    [{ type: 'file', url: 'https://h/a.json' }, 'https://h/a.json'],
    [{ type: 'indirect', id: 'nixpkgs', ref: 'nixos-24.05' }, 'nixpkgs/nixos-24.05'],
    [{ type: 'hg', url: 'https://h/r', rev: 'c'.repeat(40) }, `hg+https://h/r?rev=${'c'.repeat(40)}`],
  ] as [RefAttributes, string][])('%j → %s', (attrs, text) => {
    expect(print(attrs)).toBe(text);
  });

  it('gives nothing for unknown types or missing required attributes', () => {
    expect(refFromAttributes({ type: 'svn', url: 'x' })).toBeUndefined();
    expect(refFromAttributes({ type: 'github', owner: 'o' })).toBeUndefined();
    expect(refFromAttributes({ owner: 'o', repo: 'r' })).toBeUndefined();
  });
});
