import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findNixpkgsPin, pinFromFlakeLock, pinFromNixPath, splitNixPath } from '../../../server/src/knowledge/nixpkgsPin';
import { removeTemporaryDirectories, sharedData, temporaryDirectory } from './testSetup';

afterAll(removeTemporaryDirectories);

const lock = (name: string) => readFileSync(join(sharedData, 'flake-locks', name), 'utf8');

describe('the nixpkgs a flake.lock pins', () => {
  it('reads a github pin of NixOS/nixpkgs from a real lock file', () => {
    const pin = pinFromFlakeLock(lock('real-ijohanne.flake.lock.json'), '/p/flake.lock');
    expect(pin).toMatchObject({
      kind: 'locked',
      location: 'github:NixOS/nixpkgs/6201e203d09599479a3b3450ed24fa81537ebc4e',
      rev: '6201e203d09599479a3b3450ed24fa81537ebc4e',
      upstream: true,
      description: '/p/flake.lock, input nixpkgs',
    });
    if (pin?.kind !== 'locked') throw new Error('expected a locked pin');
    expect(pin.locked).toEqual({
      type: 'github',
      owner: 'NixOS',
      repo: 'nixpkgs',
      rev: '6201e203d09599479a3b3450ed24fa81537ebc4e',
      narHash: expect.stringMatching(/^sha256-/),
    });
  });

  it('reads a git pin of a fork, which is not upstream', () => {
    const pin = pinFromFlakeLock(lock('real-mic92.flake.lock.json'), 'flake.lock');
    expect(pin).toMatchObject({ kind: 'locked', upstream: false, rev: 'e796be1ea30ab5d4bad044b730846d87eb906874' });
    if (pin?.kind !== 'locked') throw new Error('expected a locked pin');
    expect(pin.locked).toMatchObject({ type: 'git', url: 'https://github.com/Mic92/nixpkgs', ref: 'refs/heads/main', shallow: true });
  });

  it('follows `follows` references and reads path inputs', () => {
    const text = JSON.stringify({
      nodes: {
        root: { inputs: { nixpkgs: ['other', 'nixpkgs'], other: 'other' } },
        other: { inputs: { nixpkgs: 'np' }, locked: { type: 'path', path: '/srv/other' } },
        np: { locked: { type: 'path', path: '/srv/nixpkgs', narHash: 'sha256-AAAA' } },
      },
      root: 'root',
      version: 7,
    });
    expect(pinFromFlakeLock(text, 'flake.lock')).toEqual({ kind: 'path', path: '/srv/nixpkgs', description: 'flake.lock, input nixpkgs' });
  });

  it('rejects fields that could smuggle anything into a command', () => {
    const withRev = (locked: object) => JSON.stringify({ nodes: { root: { inputs: { nixpkgs: 'n' } }, n: { locked } }, root: 'root' });
    expect(pinFromFlakeLock(withRev({ type: 'github', owner: 'NixOS', repo: 'nix pkgs', rev: 'a'.repeat(40) }), 'f')).toBeUndefined();
    expect(pinFromFlakeLock(withRev({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: 'main; rm -rf /' }), 'f')).toBeUndefined();
    expect(pinFromFlakeLock(withRev({ type: 'git', url: '-oProxyCommand=x', rev: 'a'.repeat(40) }), 'f')).toBeUndefined();
    expect(pinFromFlakeLock(withRev({ type: 'path', path: 'relative/dir' }), 'f')).toBeUndefined();
    expect(pinFromFlakeLock(withRev({ type: 'indirect', id: 'nixpkgs' }), 'f')).toBeUndefined();
    expect(pinFromFlakeLock('not json', 'f')).toBeUndefined();
  });

  it('finds no pin in a lock without nixpkgs', () => {
    expect(pinFromFlakeLock(lock('path-and-git-inputs.flake.lock.json'), 'f')).toBeUndefined();
  });
});

describe('the nixpkgs NIX_PATH names', () => {
  it('splits entries without breaking URLs', () => {
    expect(splitNixPath('nixpkgs=https://example.org/x.tar.gz:/home/u/chan::nixos-config=/etc/nixos/configuration.nix:foo=channel:nixos-24.05')).toEqual([
      'nixpkgs=https://example.org/x.tar.gz',
      '/home/u/chan',
      'nixos-config=/etc/nixos/configuration.nix',
      'foo=channel:nixos-24.05',
    ]);
  });

  it('reads nixpkgs=PATH, nixpkgs=channel:NAME, and directories holding nixpkgs', () => {
    expect(pinFromNixPath('nixos-config=/etc/x:nixpkgs=/srv/nixpkgs')).toMatchObject({ kind: 'path', path: '/srv/nixpkgs' });
    expect(pinFromNixPath('nixpkgs=channel:nixos-24.05')).toMatchObject({ kind: 'channel', channel: 'nixos-24.05' });
    expect(pinFromNixPath('nixpkgs=https://example.org/nixpkgs.tar.gz')).toBeUndefined();
    expect(pinFromNixPath('/nix/var/nix/profiles/per-user/root/channels', (p) => p.endsWith('/channels/nixpkgs'))).toMatchObject({
      kind: 'path',
      path: '/nix/var/nix/profiles/per-user/root/channels/nixpkgs',
    });
  });

  it('prefers a workspace flake.lock over NIX_PATH', () => {
    const folder = temporaryDirectory();
    mkdirSync(folder, { recursive: true });
    expect(findNixpkgsPin([folder], 'nixpkgs=/srv/np')).toMatchObject({ kind: 'path', path: '/srv/np' });
    writeFileSync(join(folder, 'flake.lock'), lock('real-ijohanne.flake.lock.json'));
    expect(findNixpkgsPin([folder], 'nixpkgs=/srv/np')).toMatchObject({ kind: 'locked', upstream: true });
  });
});
