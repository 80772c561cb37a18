import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FlakeLockError,
  lockedLastModified,
  lockedRefText,
  lockedRevision,
  originalRefText,
  parseFlakeLock,
  readFlakeLock,
  resolveInputPath,
  rootInputs,
  trackedRef,
} from '../../../server/src/flake/flakeLock';
import { compareInput, summarize } from '../../../server/src/features/flake/flakeUpdateCommand';
import { sharedData } from './nixSource';

const locksDir = join(sharedData, 'flake-locks');
const readLock = (name: string) => readFileSync(join(locksDir, name), 'utf8');

describe('flake.lock on real lock files', () => {
  const files = readdirSync(locksDir).filter((name) => name.endsWith('.flake.lock.json'));

  it('finds the real lock files', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  it.each(files)('%s: every root input resolves to a locked node', (name) => {
    const lock = parseFlakeLock(readLock(name));
    expect(lock.version).toBe(7);
    expect(rootInputs(lock).size).toBeGreaterThan(0);
    for (const input of rootInputs(lock).keys()) {
      const resolved = resolveInputPath(lock, [input]);
      expect(resolved, input).toBeDefined();
      expect(resolved!.node.locked?.type, input).toBeTypeOf('string');
      expect(lockedRefText(resolved!.node), input).toBeTypeOf('string');
    }
  });

  it('reads the 49 nodes of a large real lock and follows multi-element paths', () => {
    const lock = parseFlakeLock(readLock('real-ijohanne.flake.lock.json'));
    expect(lock.nodes.size).toBe(49);
    const exporter = 'prometheus-ecowitt-exporter';
    const direct = resolveInputPath(lock, [exporter, 'nixpkgs']);
    expect(direct?.followed).toEqual([]);
    // gitignore's nixpkgs follows git-hooks' nixpkgs, which follows the exporter's nixpkgs.
    const viaFollows = resolveInputPath(lock, [exporter, 'git-hooks', 'gitignore', 'nixpkgs']);
    expect(viaFollows?.node.key).toBe(direct?.node.key);
    expect(viaFollows?.followed).toEqual([
      [exporter, 'git-hooks', 'nixpkgs'],
      [exporter, 'nixpkgs'],
    ]);
    expect(resolveInputPath(lock, [exporter, 'no-such-input'])).toBeUndefined();
  });

  it('resolves a one-element follows ("dep": ["dep"])', () => {
    const lock = parseFlakeLock(readLock('follows.flake.lock.json'));
    const mid = resolveInputPath(lock, ['mid']);
    expect(mid?.node.inputs.get('dep')).toEqual({ follows: ['dep'] });
    expect(resolveInputPath(lock, ['mid', 'dep'])?.node.key).toBe('dep');
    expect(lockedRefText(resolveInputPath(lock, ['dep'])!.node)).toBe('path:/srv/flakes/depflake');
  });

  it('describes locked and original sources of git, path and forge inputs', () => {
    const lock = parseFlakeLock(readLock('real-NUR.flake.lock.json'));
    const nixpkgs = resolveInputPath(lock, ['nixpkgs'])!.node;
    expect(originalRefText(nixpkgs)).toBe('github:nixos/nixpkgs/nixos-unstable');
    expect(lockedRefText(nixpkgs)).toBe('github:nixos/nixpkgs/2c423e03bbafcff28bfadc6781a4a8257f205cb5');
    expect(trackedRef(nixpkgs)).toBe('nixos-unstable');
    expect(lockedRevision(nixpkgs)).toBe('2c423e03bbafcff28bfadc6781a4a8257f205cb5');
    expect(lockedLastModified(nixpkgs)).toBe(1787360063);

    const mic92 = resolveInputPath(parseFlakeLock(readLock('real-mic92.flake.lock.json')), ['nixpkgs'])!.node;
    expect(lockedRefText(mic92)).toBe('git+https://github.com/Mic92/nixpkgs?ref=refs/heads/main&rev=e796be1ea30ab5d4bad044b730846d87eb906874&shallow=1');
    expect(originalRefText(mic92)).toBe('git+https://github.com/Mic92/nixpkgs?shallow=1');

    const gitlab = resolveInputPath(parseFlakeLock(readLock('real-ethancedwards8.flake.lock.json')), ['dmenu'])!.node;
    expect(gitlab.flake).toBe(false);
    expect(originalRefText(gitlab)).toBe('gitlab:ethancedwards/dmenu-config');
  });

  it('reads the lock embedded in `nix flake metadata --json`', () => {
    const metadata = JSON.parse(readLock('path-and-git-inputs.metadata.json'));
    const lock = parseFlakeLock(JSON.stringify(metadata.locks));
    expect([...rootInputs(lock).keys()]).toEqual(['dep', 'dep2']);
  });

  it('reports what `nix flake lock --update-input dep` changed', () => {
    const v1 = parseFlakeLock(readLock('local-git-input.v1.flake.lock.json'));
    const v2 = parseFlakeLock(readLock('local-git-input.v2-after-update-input.flake.lock.json'));
    const update = compareInput('dep', v1, v2);
    expect(update).toEqual({
      input: 'dep',
      oldRev: 'd34d59e114b0e1fcaa3c3c96a4d05d62478c2f04',
      newRev: '315a86d1159d6e3a34732ed30bab7e28be57f5e7',
      oldLastModified: 1795310519,
      newLastModified: 1795310523,
      changed: true,
    });
    expect(summarize([update], 'dep')).toBe('dep: d34d59e → 315a86d, 4 seconds newer');
    const same = compareInput('dep', v2, v2);
    expect(same.changed).toBe(false);
    expect(summarize([same], 'dep')).toBe('dep: already up to date (315a86d)');
    expect(summarize([same])).toBe('All inputs are already up to date.');
  });
});

describe('flake.lock errors', () => {
  const minimal = (version: number) => JSON.stringify({ nodes: { root: { inputs: {} } }, root: 'root', version });

  it('accepts versions 5 and 6 as well as 7', () => {
    expect(parseFlakeLock(minimal(5)).version).toBe(5);
    expect(parseFlakeLock(minimal(6)).version).toBe(6);
  });

  it.each([
    ['{ "nodes": ', 'not valid JSON'],
    ['[]', 'JSON object'],
    [minimal(4), 'version 4, an old format'],
    [minimal(8), 'version 8, newer than'],
    ['{"nodes":{},"root":"root"}', 'no version'],
    ['{"nodes":{},"root":"root","version":7}', "no such node"],
    ['{"root":"root","version":7}', "no 'nodes'"],
    ['{"nodes":{"root":{"inputs":{"a":3}}},"root":"root","version":7}', 'neither a node name nor a follows path'],
    ['{"nodes":{"root":{"inputs":{"a":"gone"}}},"root":"root","version":7}', "missing node 'gone'"],
    ['{"nodes":{"root":{},"a":{"locked":{"rev":"x"}}},"root":"root","version":7}', 'without a type'],
  ])('refuses %s with a clear message', (text, message) => {
    expect(() => parseFlakeLock(text)).toThrow(FlakeLockError);
    expect(() => parseFlakeLock(text)).toThrow(message);
    const status = readFlakeLock(text);
    expect(status.state).toBe('invalid');
    expect(status.state === 'invalid' && status.message).toContain(message);
  });

  it('treats a missing flake.lock as missing, not invalid', () => {
    expect(readFlakeLock(undefined)).toEqual({ state: 'missing' });
  });

  it('stops at follows edges that go round in a circle', () => {
    const lock = parseFlakeLock(
      JSON.stringify({ nodes: { root: { inputs: { a: ['b'], b: ['a'] } } }, root: 'root', version: 7 }),
    );
    expect(resolveInputPath(lock, ['a'])).toBeUndefined();
  });
});
