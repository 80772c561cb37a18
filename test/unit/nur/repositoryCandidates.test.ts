// Which NUR repository "Add Package…" and its siblings mean, found before they ask anything.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepositoriesCommand, NurCommandError } from '../../../server/src/features/nur/nurCommands';
import { nurRepositoryCandidates } from '../../../server/src/nur/repositoryCandidates';
import { nixParser } from '../../support/parse';

const demo = join(__dirname, '..', '..', '..', 'demo');
const REPO = (name: string) => ({
  'default.nix': `{ pkgs ? import <nixpkgs> { } }: { modules = { }; ${name} = pkgs.callPackage ./pkgs/${name} { }; }`,
  [`pkgs/${name}/default.nix`]: '{ stdenv }: stdenv.mkDerivation { name = "x"; }',
});

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'nur-candidates-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const root = join(base, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the NUR repository a command is about', () => {
  it("is the demo's nur-packages, from the workspace folder, though the folder itself is a flake", async () => {
    const workspace = join(base, 'demo');
    cpSync(demo, workspace, { recursive: true });
    const parser = await nixParser();
    expect(nurRepositoryCandidates(join(workspace, 'flake.nix'), [workspace], parser)).toEqual({ repositories: [join(workspace, 'nur-packages')], fromActiveFile: false });
    expect(nurRepositoryCandidates(undefined, [workspace], parser).repositories).toEqual([join(workspace, 'nur-packages')]);
  });

  it("is the active file's repository alone when the file is in one", async () => {
    const workspace = folder('two', { 'flake.nix': '{ }', ...prefixed('alice', REPO('a')), ...prefixed('bob', REPO('b')) });
    const parser = await nixParser();
    expect(nurRepositoryCandidates(join(workspace, 'bob', 'pkgs', 'b', 'default.nix'), [workspace], parser)).toEqual({ repositories: [join(workspace, 'bob')], fromActiveFile: true });
    // Elsewhere: both, for the user to pick one.
    expect(nurRepositoryCandidates(join(workspace, 'flake.nix'), [workspace], parser).repositories).toEqual([join(workspace, 'alice'), join(workspace, 'bob')]);
  });

  it('is none in a workspace without one, and the workspace folder when it is one', async () => {
    const parser = await nixParser();
    expect(nurRepositoryCandidates(undefined, [folder('plain', { 'flake.nix': '{ }', 'pkgs/x.nix': '{ }' })], parser).repositories).toEqual([]);
    const own = folder('own', REPO('c'));
    expect(nurRepositoryCandidates(undefined, [own], parser).repositories).toEqual([own]);
  });

  it('answers the command with URIs, and refuses arguments that are not file URIs', async () => {
    const parser = await nixParser();
    const own = folder('own-uri', REPO('d'));
    expect(findRepositoriesCommand([{ folders: [pathToFileURL(own).href] }], { parser })).toEqual({ repositories: [pathToFileURL(own).href], fromActiveFile: false });
    expect(() => findRepositoriesCommand([{ folders: 'file:///x' }], { parser })).toThrow(NurCommandError);
    expect(() => findRepositoriesCommand([{ file: 'https://example.org/a.nix', folders: [] }], { parser })).toThrow(/file: URI/);
  });
});

function prefixed(prefix: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [`${prefix}/${path}`, text]));
}
