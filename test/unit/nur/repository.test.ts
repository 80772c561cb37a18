import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNurRepositoryRoot, isNurRepository } from '../../../server/src/nur/repository';
import { scaffoldRepository } from '../../../server/src/nur/scaffold';
import { runProcess } from '../../../server/src/nix/process';
import { nixParser } from '../../support/parse';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'nur-detect-'));
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

function repo(name: string, files: Record<string, string>): string {
  const root = join(base, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('recognising a NUR repository', () => {
  it('recognises a scaffolded repository, and finds it from a file inside', async () => {
    const root = join(base, 'scaffolded');
    await scaffoldRepository({ directory: root, name: 'someone' }, { run: runProcess, clock: () => new Date() });
    const parser = await nixParser();
    expect(isNurRepository(root, parser)).toBe(true);
    expect(findNurRepositoryRoot(join(root, 'pkgs', 'greeting', 'default.nix'), parser)).toBe(root);
  });

  it('recognises a hand-written one with a pkgs/ directory or a flake over default.nix', async () => {
    const parser = await nixParser();
    expect(isNurRepository(repo('pkgs-dir', { 'default.nix': '{ pkgs }: { modules = { }; a = pkgs.callPackage ./pkgs/a { }; }', 'pkgs/a/default.nix': '{ }' }), parser)).toBe(true);
    expect(
      isNurRepository(
        repo('flake', {
          'default.nix': '{ pkgs ? import <nixpkgs> { } }: let inherit (pkgs) callPackage; in { lib = { }; tool = callPackage ./tool.nix { }; }',
          'flake.nix': '{ outputs = { self, nixpkgs }: { legacyPackages.x86_64-linux = import ./default.nix { pkgs = nixpkgs.legacyPackages.x86_64-linux; }; }; }',
        }),
        parser,
      ),
    ).toBe(true);
  });

  it('does not mistake other Nix projects for one', async () => {
    const parser = await nixParser();
    expect(isNurRepository(repo('empty', {}), parser)).toBe(false);
    expect(isNurRepository(repo('no-pkgs-argument', { 'default.nix': '{ stdenv }: { lib = { }; }', 'pkgs/x': '' }), parser)).toBe(false);
    expect(isNurRepository(repo('no-nur-attributes', { 'default.nix': '{ pkgs }: { hello = pkgs.hello; }', 'pkgs/x': '' }), parser)).toBe(false);
    expect(isNurRepository(repo('no-layout', { 'default.nix': '{ pkgs }: { lib = { }; }' }), parser)).toBe(false);
    expect(isNurRepository(repo('broken', { 'default.nix': '{ pkgs }: { lib = ', 'pkgs/x': '' }), parser)).toBe(false);
    expect(findNurRepositoryRoot(join(base, 'empty', 'x.nix'), parser)).toBeUndefined();
  });
});
