import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPackage } from '../../../server/src/nur/addPackage';
import { RepositoryChangeError } from '../../../server/src/nur/fileChanges';
import { nixParser } from '../../support/parse';

const clock = () => new Date('2026-11-22T00:00:00Z');
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nur-add-package-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function writeDefaultNix(text: string) {
  writeFileSync(join(root, 'default.nix'), text);
}

async function add(name: string, extra: { builder?: string; source?: string } = {}, openDocumentText?: (path: string) => string | undefined) {
  return addPackage({ root, name, ...extra }, { parser: await nixParser(), clock, openDocumentText });
}

/** The file with the single insertion taken out again must be exactly the original. */
function expectSingleInsertion(before: string, after: string, inserted: string) {
  const at = after.indexOf(inserted);
  expect(at, `inserted text missing:\n${after}`).toBeGreaterThanOrEqual(0);
  expect(after.slice(0, at) + after.slice(at + inserted.length)).toBe(before);
}

const LAYOUT = `# my repository
{ pkgs ? import <nixpkgs> { } }:

{
  lib = import ./lib { inherit pkgs; };
  modules = import ./nixos-modules;

  # Packages
  alpha = pkgs.callPackage ./pkgs/alpha { };
  delta = pkgs.callPackage ./pkgs/delta { }; # keep this comment
  zulu = pkgs.callPackage ./pkgs/zulu { };
}
`;

describe('addPackage', () => {
  it('writes pkgs/<name>/default.nix and inserts the binding in alphabetical order, touching nothing else', async () => {
    writeDefaultNix(LAYOUT);
    const result = await add('charlie', { source: 'someone/charlie@v0.3.0' });

    const after = readFileSync(join(root, 'default.nix'), 'utf8');
    expectSingleInsertion(LAYOUT, after, 'charlie = pkgs.callPackage ./pkgs/charlie { };\n  ');
    expect(after.indexOf('alpha =')).toBeLessThan(after.indexOf('charlie ='));
    expect(after.indexOf('charlie =')).toBeLessThan(after.indexOf('delta ='));

    const packageFile = join(root, 'pkgs', 'charlie', 'default.nix');
    expect(result.created).toEqual([packageFile]);
    expect(readFileSync(packageFile, 'utf8')).toContain('owner = "someone";');
    expect(result.installable).toEqual({ file: 'default.nix', attr: 'charlie' });
    expect(result.edited).toHaveLength(1);
    expect(result.edited[0].written).toBe(true);
  });

  it('goes after the last package (past its comment) when it sorts last, and first when it sorts first', async () => {
    writeDefaultNix(LAYOUT);
    await add('echo');
    let after = readFileSync(join(root, 'default.nix'), 'utf8');
    expectSingleInsertion(LAYOUT, after, 'echo = pkgs.callPackage ./pkgs/echo { };\n  ');

    await add('zz-last');
    const before = after;
    after = readFileSync(join(root, 'default.nix'), 'utf8');
    expectSingleInsertion(before, after, '\n  zz-last = pkgs.callPackage ./pkgs/zz-last { };');
    expect(after).toContain('zulu = pkgs.callPackage ./pkgs/zulu { };\n  zz-last');

    await add('Aardvark');
    const again = readFileSync(join(root, 'default.nix'), 'utf8');
    expect(again.indexOf('Aardvark =')).toBeLessThan(again.indexOf('alpha ='));
  });

  it('inserts after a trailing comment instead of splitting it from its binding', async () => {
    const text = '{ pkgs }:\n{\n  alpha = pkgs.callPackage ./pkgs/alpha { }; # first\n}\n';
    writeDefaultNix(text);
    await add('beta');
    expect(readFileSync(join(root, 'default.nix'), 'utf8')).toBe('{ pkgs }:\n{\n  alpha = pkgs.callPackage ./pkgs/alpha { }; # first\n  beta = pkgs.callPackage ./pkgs/beta { };\n}\n');
  });

  it('copies how the file calls callPackage and keeps CRLF line ends', async () => {
    const text = '{ pkgs }:\r\nwith pkgs;\r\n{\r\n    b = callPackage ./pkgs/b { };\r\n}\r\n';
    writeDefaultNix(text);
    await add('c');
    expect(readFileSync(join(root, 'default.nix'), 'utf8')).toBe('{ pkgs }:\r\nwith pkgs;\r\n{\r\n    b = callPackage ./pkgs/b { };\r\n    c = callPackage ./pkgs/c { };\r\n}\r\n');
  });

  it('handles a one-line set and an empty set', async () => {
    writeDefaultNix('{ pkgs }: { a = pkgs.callPackage ./pkgs/a { }; c = pkgs.callPackage ./pkgs/c { }; }\n');
    await add('b');
    expect(readFileSync(join(root, 'default.nix'), 'utf8')).toBe('{ pkgs }: { a = pkgs.callPackage ./pkgs/a { }; b = pkgs.callPackage ./pkgs/b { }; c = pkgs.callPackage ./pkgs/c { }; }\n');

    writeDefaultNix('{ pkgs ? import <nixpkgs> { } }:\n{\n}\n');
    rmSync(join(root, 'pkgs'), { recursive: true, force: true });
    await add('first');
    expect(readFileSync(join(root, 'default.nix'), 'utf8')).toBe('{ pkgs ? import <nixpkgs> { } }:\n{\n  first = pkgs.callPackage ./pkgs/first { };\n}\n');
  });

  it('finds the package set when the file builds its result from it', async () => {
    const text = '{ pkgs }:\nlet\n  packages = {\n    a = pkgs.callPackage ./pkgs/a { };\n  };\nin\npackages // { lib = { }; }\n';
    writeDefaultNix(text);
    await add('b');
    expect(readFileSync(join(root, 'default.nix'), 'utf8')).toContain('    a = pkgs.callPackage ./pkgs/a { };\n    b = pkgs.callPackage ./pkgs/b { };\n  };');
  });

  it('refuses a name that is taken, in default.nix or on disk, and writes nothing', async () => {
    writeDefaultNix(LAYOUT);
    await expect(add('delta')).rejects.toThrow(/already has an attribute 'delta'/);
    await expect(add('lib')).rejects.toThrow(/meaning of its own/);
    mkdirSync(join(root, 'pkgs', 'orphan'), { recursive: true });
    await expect(add('orphan')).rejects.toThrow(/pkgs\/orphan already exists/);
    await expect(add('../escape')).rejects.toBeInstanceOf(RepositoryChangeError);
    await expect(add('tool', { builder: 'make' })).rejects.toThrow(/Unknown builder 'make'/);
    await expect(add('tool', { source: 'not a source' })).rejects.toThrow(/owner\/repo@rev/);
    expect(readFileSync(join(root, 'default.nix'), 'utf8')).toBe(LAYOUT);
    expect(existsSync(join(root, 'pkgs', 'delta'))).toBe(false);
    expect(existsSync(join(root, 'pkgs', 'tool'))).toBe(false);
  });

  it('explains when default.nix is missing or has no attribute set to add to', async () => {
    await expect(add('x')).rejects.toThrow(/default.nix does not exist/);
    writeDefaultNix('{ pkgs }: import ./packages.nix { inherit pkgs; }\n');
    await expect(add('x')).rejects.toThrow(/Could not find the attribute set of packages/);
  });

  it('leaves an open default.nix alone and returns the edit for the editor to apply', async () => {
    writeDefaultNix(LAYOUT);
    const unsaved = LAYOUT.replace('# Packages', '# Packages (edited, not saved)');
    const result = await add('bravo', {}, (path) => (path === join(root, 'default.nix') ? unsaved : undefined));
    expect(readFileSync(join(root, 'default.nix'), 'utf8')).toBe(LAYOUT);
    expect(result.edited[0].written).toBe(false);
    const document = TextDocument.create(result.edited[0].uri, 'nix', 1, unsaved);
    const applied = TextDocument.applyEdits(document, result.edited[0].edits);
    expectSingleInsertion(unsaved, applied, 'bravo = pkgs.callPackage ./pkgs/bravo { };\n  ');
    expect(existsSync(join(root, 'pkgs', 'bravo', 'default.nix'))).toBe(true);
  });
});
