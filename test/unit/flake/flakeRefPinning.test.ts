import { describe, expect, it } from 'vitest';
import { parseFlakeRef, printFlakeRef } from '../../../server/src/flake/flakeRef';
import { namedBranch, pinnedRevision, pinSupport, pinToRevision, unpinToBranch } from '../../../server/src/flake/flakeRefPinning';

const REV = '0123456789abcdef0123456789abcdef01234567';
const OTHER = 'fedcba9876543210fedcba9876543210fedcba98';
const pin = (text: string, rev = REV) => printFlakeRef(pinToRevision(parseFlakeRef(text), rev));
const unpin = (text: string, branch?: string) => printFlakeRef(unpinToBranch(parseFlakeRef(text), branch));

describe('pinning flake references to a commit', () => {
  it.each([
    ['github:NixOS/nixpkgs/nixos-unstable', `github:NixOS/nixpkgs/${REV}`],
    ['github:NixOS/nixpkgs', `github:NixOS/nixpkgs/${REV}`],
    [`github:NixOS/nixpkgs/${OTHER}`, `github:NixOS/nixpkgs/${REV}`],
    ['github:o/r?ref=main&dir=sub', `github:o/r?rev=${REV}&dir=sub`],
    [`github:o/r?dir=sub&rev=${OTHER}`, `github:o/r?dir=sub&rev=${REV}`],
    ['gitlab:o/r/v2', `gitlab:o/r/${REV}`],
    ['sourcehut:~u/p', `sourcehut:~u/p/${REV}`],
    ['git+https://example.org/x.git?ref=main', `git+https://example.org/x.git?ref=main&rev=${REV}`],
    ['git+file:///tmp/dep', `git+file:///tmp/dep?rev=${REV}`],
    [`git+ssh://git@h/x?rev=${OTHER}&ref=dev`, `git+ssh://git@h/x?rev=${REV}&ref=dev`],
    ['hg+https://h/r', `hg+https://h/r?rev=${REV}`],
    ['nixpkgs', `nixpkgs/${REV}`],
    ['nixpkgs/nixos-24.05', `nixpkgs/nixos-24.05/${REV}`],
    ['flake:nixpkgs', `flake:nixpkgs/${REV}`],
  ])('%s → %s', (from, to) => {
    expect(pin(from)).toBe(to);
    expect(pinnedRevision(parseFlakeRef(to))).toBe(REV);
  });

  it('keeps the branch of git and registry references next to the commit', () => {
    expect(namedBranch(parseFlakeRef(pin('git+https://h/x?ref=main')))).toBe('main');
    expect(namedBranch(parseFlakeRef(pin('nixpkgs/nixos-24.05')))).toBe('nixos-24.05');
  });

  it('refuses references that cannot name a commit, and hashes that are not commits', () => {
    for (const text of ['path:/x', './x', 'https://h/a.tar.gz', 'file+https://h/f']) {
      const support = pinSupport(parseFlakeRef(text));
      expect(support.pinnable).toBe(false);
      expect(() => pin(text)).toThrow(/pinned|commits/);
    }
    expect(() => pin('github:o/r', 'abc123')).toThrow('not a full commit hash');
  });
});

describe('unpinning flake references', () => {
  it.each([
    [`github:NixOS/nixpkgs/${REV}`, undefined, 'github:NixOS/nixpkgs'],
    [`github:NixOS/nixpkgs/${REV}`, 'nixos-unstable', 'github:NixOS/nixpkgs/nixos-unstable'],
    [`github:o/r?rev=${REV}&dir=x`, 'main', 'github:o/r?ref=main&dir=x'],
    [`github:o/r?rev=${REV}`, undefined, 'github:o/r'],
    [`git+https://h/x?ref=main&rev=${REV}`, undefined, 'git+https://h/x?ref=main'],
    [`git+https://h/x?ref=main&rev=${REV}`, 'dev', 'git+https://h/x?ref=dev'],
    [`git+file:///tmp/dep?rev=${REV}`, undefined, 'git+file:///tmp/dep'],
    [`git+file:///tmp/dep?rev=${REV}`, 'main', 'git+file:///tmp/dep?ref=main'],
    [`nixpkgs/nixos-24.05/${REV}`, undefined, 'nixpkgs/nixos-24.05'],
    [`nixpkgs/${REV}`, 'nixos-25.05', 'nixpkgs/nixos-25.05'],
  ])('%s (branch %s) → %s', (from, branch, to) => {
    expect(unpin(from, branch)).toBe(to);
    expect(pinnedRevision(parseFlakeRef(to))).toBeUndefined();
  });

  it('pin then unpin with the old branch gives back the original', () => {
    for (const [text, branch] of [
      ['github:NixOS/nixpkgs/nixos-unstable', 'nixos-unstable'],
      ['git+https://h/x?ref=main', undefined],
      ['nixpkgs/nixos-24.05', undefined],
      ['github:o/r?ref=main&dir=x', 'main'],
    ] as const) {
      expect(unpin(pin(text), branch)).toBe(text);
    }
  });

  it('refuses a commit hash as a branch name', () => {
    expect(() => unpin(`github:o/r/${REV}`, OTHER)).toThrow('not a branch or tag name');
  });
});
