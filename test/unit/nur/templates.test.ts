import { describe, expect, it } from 'vitest';
import { repositoryFiles } from '../../../server/src/nur/scaffold';
import { stableNixosRelease, type RepositoryTemplateContext } from '../../../server/src/nur/templates/context';
import { ciChannels } from '../../../server/src/nur/templates/ci';
import { packageTemplate, PACKAGE_BUILDERS } from '../../../server/src/nur/templates/package';
import { moduleTemplate } from '../../../server/src/nur/templates/module';
import { syntaxProblems } from '../../../server/src/syntax/syntaxErrors';
import { parseNix } from '../../support/parse';

const context: RepositoryTemplateContext = { name: 'someone', owner: 'SomeOne', githubRepo: 'nur-packages', today: new Date('2026-11-22T00:00:00Z') };

async function expectCleanNix(text: string, label: string) {
  const tree = await parseNix(text);
  try {
    expect(syntaxProblems(tree), label).toEqual([]);
    expect(tree.rootNode.hasError, label).toBe(false);
  } finally {
    tree.delete();
  }
}

describe('the repository template', () => {
  const files = repositoryFiles(context);
  const byPath = new Map(files.map((file) => [file.path, file.content]));

  it('has every file a NUR repository needs', () => {
    expect([...byPath.keys()].sort()).toEqual(
      [
        '.github/workflows/build.yml',
        '.gitignore',
        'README.md',
        'ci.nix',
        'default.nix',
        'flake.nix',
        'home-modules/default.nix',
        'lib/default.nix',
        'nixos-modules/default.nix',
        'nixos-modules/greeting.nix',
        'overlay.nix',
        'overlays/default.nix',
        'pkgs/greeting/default.nix',
        'pkgs/greeting/src/greeting.sh',
      ].sort(),
    );
  });

  it('writes Nix that tree-sitter parses without errors', async () => {
    for (const file of files.filter((f) => f.path.endsWith('.nix'))) await expectCleanNix(file.content, file.path);
  });

  it('lays default.nix out as NUR expects', () => {
    const text = byPath.get('default.nix')!;
    expect(text).toContain('{ pkgs ? import <nixpkgs> { } }:');
    for (const binding of ['lib = import ./lib { inherit pkgs; };', 'modules = import ./nixos-modules;', 'nixosModules = import ./nixos-modules;', 'homeModules = import ./home-modules;', 'overlays = import ./overlays;', 'greeting = pkgs.callPackage ./pkgs/greeting { };']) {
      expect(text).toContain(binding);
    }
    expect(text).toContain('nur.repos.someone');
  });

  it('points links at the GitHub owner and keeps the NUR name for NUR', () => {
    expect(byPath.get('pkgs/greeting/default.nix')).toContain('homepage = "https://github.com/SomeOne/nur-packages";');
    expect(byPath.get('README.md')).toContain('"github-contact": "SomeOne"');
    expect(byPath.get('README.md')).toContain('nur.repos.someone.greeting');
  });

  it('checks like NUR in CI, on the current stable channel and unstable, then notifies NUR', () => {
    const workflow = byPath.get('.github/workflows/build.yml')!;
    expect(workflow).toContain('--option restrict-eval true');
    expect(workflow).toContain("nix-env -f . -qa '*' --meta");
    expect(workflow).toContain('- nixos-26.05');
    expect(workflow).toContain('- nixos-unstable');
    expect(workflow).toContain('nix-build ci.nix -A cacheOutputs');
    expect(workflow).toContain('curl -fsS -XPOST "https://nur-update.nix-community.org/update?repo=someone"');
    expect(workflow).not.toMatch(/\t/);
  });

  it('ignores result links', () => {
    expect(byPath.get('.gitignore')!.split('\n')).toEqual(expect.arrayContaining(['result', 'result-*']));
  });
});

describe('the stable NixOS release on a given day', () => {
  it('follows the May and November releases', () => {
    expect(stableNixosRelease(new Date('2026-01-15T00:00:00Z'))).toBe('25.11');
    expect(stableNixosRelease(new Date('2026-05-31T00:00:00Z'))).toBe('25.11');
    expect(stableNixosRelease(new Date('2026-06-01T00:00:00Z'))).toBe('26.05');
    expect(stableNixosRelease(new Date('2026-11-30T00:00:00Z'))).toBe('26.05');
    expect(stableNixosRelease(new Date('2026-12-01T00:00:00Z'))).toBe('26.11');
    expect(stableNixosRelease(new Date('2030-02-01T00:00:00Z'))).toBe('29.11');
    expect(ciChannels(new Date('2027-07-01T00:00:00Z'))).toEqual(['nixos-27.05', 'nixos-unstable']);
  });
});

describe('package templates', () => {
  const today = new Date('2026-11-22T10:00:00Z');

  it('parse cleanly for every builder, with and without a source', async () => {
    for (const builder of PACKAGE_BUILDERS) {
      for (const source of [undefined, { owner: 'o', repo: 'r', rev: 'v1.2.3' }, { owner: 'o', repo: 'r', rev: 'main' }]) {
        const { content } = packageTemplate({ name: 'tool', builder, source, today });
        await expectCleanNix(content, `${builder} ${JSON.stringify(source)}`);
        expect(content).toContain('hash = lib.fakeHash;');
        expect(content).toMatch(/description = "TODO: [^"]+";/);
        expect(content).toContain('license = lib.licenses.mit;');
      }
    }
  });

  it('adds the dependency hash the builder needs', () => {
    const hashes: Record<string, string | undefined> = {
      'stdenv.mkDerivation': undefined,
      buildGoModule: 'vendorHash',
      'rustPlatform.buildRustPackage': 'cargoHash',
      'python3Packages.buildPythonApplication': undefined,
      buildNpmPackage: 'npmDepsHash',
    };
    for (const builder of PACKAGE_BUILDERS) {
      const { content } = packageTemplate({ name: 'tool', builder, today });
      for (const attribute of ['vendorHash', 'cargoHash', 'npmDepsHash']) {
        expect(content.includes(`${attribute} = lib.fakeHash;`), `${builder} ${attribute}`).toBe(hashes[builder] === attribute);
      }
      expect(content).toContain(`${builder}${builder === 'stdenv.mkDerivation' ? ' (finalAttrs: {' : ' rec {'}`);
    }
  });

  it('turns a version tag into version and tag, anything else into rev and an unstable version', () => {
    const tagged = packageTemplate({ name: 'rg', builder: 'rustPlatform.buildRustPackage', source: { owner: 'BurntSushi', repo: 'ripgrep', rev: '14.1.1' }, today }).content;
    expect(tagged).toContain('version = "14.1.1";');
    expect(tagged).toContain('tag = version;');
    expect(tagged).not.toContain('"${version}"');
    expect(tagged).toContain('owner = "BurntSushi";');
    expect(tagged).toContain('homepage = "https://github.com/BurntSushi/ripgrep";');

    const vTagged = packageTemplate({ name: 'x', builder: 'stdenv.mkDerivation', source: { owner: 'o', repo: 'r', rev: 'v2.0' }, today }).content;
    expect(vTagged).toContain('version = "2.0";');
    expect(vTagged).toContain('tag = "v${finalAttrs.version}";');

    const commit = packageTemplate({ name: 'x', builder: 'buildGoModule', source: { owner: 'o', repo: 'r', rev: 'a'.repeat(40) }, today });
    expect(commit.content).toContain('version = "0-unstable-2026-11-22";');
    expect(commit.content).toContain(`rev = "${'a'.repeat(40)}";`);
    expect(commit.notes.join(' ')).toMatch(/date of the commit/);

    const branch = packageTemplate({ name: 'x', builder: 'buildGoModule', source: { owner: 'o', repo: 'r', rev: 'main' }, today });
    expect(branch.notes.join(' ')).toMatch(/branch/);
  });
});

describe('module template', () => {
  it('installs the package of the same name when there is one, else frames a service', async () => {
    const program = moduleTemplate({ name: 'tool', packagePath: '../pkgs/tool' });
    await expectCleanNix(program, 'program');
    expect(program).toContain('options.programs.tool = {');
    expect(program).toContain('enable = lib.mkEnableOption "tool";');
    expect(program).toContain('default = pkgs.callPackage ../pkgs/tool { };');

    const service = moduleTemplate({ name: 'daemon' });
    await expectCleanNix(service, 'service');
    expect(service).toContain('options.services.daemon = {');
    expect(service).toContain('config = lib.mkIf cfg.enable {');
  });
});
