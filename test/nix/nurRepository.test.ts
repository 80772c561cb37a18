// A generated NUR repository, proven with real Nix (each installation of the machine): it parses,
// evaluates with a stand-in nixpkgs, its flake evaluates, its example builds, added packages and
// modules evaluate, and the NUR check reports success and failure on the right file and line.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModule } from '../../server/src/nur/addModule';
import { addPackage } from '../../server/src/nur/addPackage';
import { checkRepository } from '../../server/src/nur/check';
import type { NurDependencies } from '../../server/src/nur/dependencies';
import { scaffoldRepository } from '../../server/src/nur/scaffold';
import { PACKAGE_BUILDERS } from '../../server/src/nur/templates/package';
import { runProcess, type ProcessOptions } from '../../server/src/nix/process';
import { nixInstallations, requireNixInCi, type NixInstallation } from '../support/nixInstallations';
import { nixParser } from '../support/parse';

requireNixInCi();

const fixture = join(__dirname, '..', 'fixtures', 'nur', 'fake-nixpkgs');
const installations = nixInstallations();
const SLOW = 240_000;

describe.skipIf(installations.length === 0).each(installations.map((nix) => [nix.version, nix] as const))('a NUR repository with Nix %s', (_version, nix: NixInstallation) => {
  let work: string;
  let fake: string;
  let root: string;
  let system: string;
  const clock = () => new Date('2026-11-22T00:00:00Z');
  // Both Nix installations see the same /tmp, so everything lives under os.tmpdir().
  const env: NodeJS.ProcessEnv = {
    ...nix.env,
    NIX_PATH: '',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.org',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.org',
  };
  const deps: NurDependencies = { run: runProcess, clock, env };

  async function nixTool(program: string, args: string[], options: ProcessOptions = {}) {
    const result = await runProcess(program, args, { env, timeoutMs: 180_000, ...options });
    if (result.code !== 0) throw new Error(`${program} ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
    return result.stdout;
  }

  async function evalJson(expression: string, repo = root): Promise<any> {
    return JSON.parse(await nixTool('nix-instantiate', ['--eval', '--strict', '--json', '-I', `nixpkgs=${fake}`, '--argstr', 'repo', repo, '--argstr', 'fake', fake, '-E', expression]));
  }

  async function build(args: string[]): Promise<string> {
    const out = (await nixTool('nix-build', ['--no-out-link', '-I', `nixpkgs=${fake}`, ...args])).trim().split('\n');
    return out[out.length - 1];
  }

  const flakeArgs = () => ['--extra-experimental-features', 'nix-command flakes', '--override-input', 'nixpkgs', `path:${fake}`, '--no-write-lock-file'];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nur-nix-'));
    fake = join(work, 'fake-nixpkgs');
    cpSync(fixture, fake, { recursive: true });
    root = join(work, 'someone-nur');
    system = JSON.parse(await nixTool('nix-instantiate', ['--eval', '--json', '-E', 'builtins.currentSystem']));
  }, SLOW);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('scaffolds into a new directory and makes the first commit', async () => {
    const result = await scaffoldRepository({ directory: root, name: 'someone', gitInit: true }, deps);
    expect(result.git).toEqual({ initialized: true, committed: true });
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).trim().split('\n').sort();
    expect(tracked).toEqual([...result.files].sort());
  }, SLOW);

  it('has only files that Nix parses', async () => {
    for (const file of readTracked(root).filter((path) => path.endsWith('.nix'))) {
      await nixTool('nix-instantiate', ['--parse', join(root, file)]);
    }
  }, SLOW);

  it('evaluates default.nix with the stand-in and exposes what NUR expects', async () => {
    const value = await evalJson(`{ repo, fake }:
      let
        r = import (/. + repo + "/default.nix") { };
      in {
        names = builtins.attrNames r;
        lib = builtins.attrNames r.lib;
        homepage = r.lib.githubHomepage "a" "b";
        modules = builtins.attrNames r.modules;
        nixosModules = builtins.attrNames r.nixosModules;
        homeModules = builtins.attrNames r.homeModules;
        overlays = builtins.attrNames r.overlays;
        greeting = {
          inherit (r.greeting) name type;
          inherit (r.greeting.meta) description homepage mainProgram;
          license = r.greeting.meta.license.spdxId;
        };
      }`);
    expect(value).toEqual({
      names: ['greeting', 'homeModules', 'lib', 'modules', 'nixosModules', 'overlays'],
      lib: ['githubHomepage'],
      homepage: 'https://github.com/a/b',
      modules: ['greeting'],
      nixosModules: ['greeting'],
      homeModules: [],
      overlays: ['default'],
      greeting: {
        name: 'greeting-1.0.0',
        type: 'derivation',
        description: 'Prints a greeting from the someone NUR repository',
        homepage: 'https://github.com/someone/nur-packages',
        mainProgram: 'greeting',
        license: 'MIT',
      },
    });
  }, SLOW);

  it('has an overlay that adds the packages and a module that installs the example', async () => {
    const value = await evalJson(`{ repo, fake }:
      let
        pkgs = import (/. + fake) { overlays = [ (import (/. + repo + "/overlay.nix")) ]; };
        # By hand, the way the module system would call it: enabled, with the package option's default.
        module = import (/. + repo + "/nixos-modules/greeting.nix") {
          config.programs.greeting = { enable = true; package = module.options.programs.greeting.package.default; };
          inherit (pkgs) lib;
          inherit pkgs;
        };
      in {
        fromOverlay = pkgs.greeting.name;
        noLibInOverlay = pkgs.lib ? githubHomepage;
        enableType = module.options.programs.greeting.enable._type;
        condition = module.config.condition;
        installs = map (p: p.name) module.config.content.environment.systemPackages;
      }`);
    expect(value).toEqual({ fromOverlay: 'greeting-1.0.0', noLibInOverlay: false, enableType: 'option', condition: true, installs: ['greeting-1.0.0'] });
  }, SLOW);

  it('evaluates the flake with the stand-in as its nixpkgs input', async () => {
    const show = JSON.parse(await nixTool('nix', ['flake', 'show', '--json', ...flakeArgs(), root]));
    expect(Object.keys(show).sort()).toEqual(['homeModules', 'legacyPackages', 'nixosModules', 'overlays', 'packages']);
    expect(show.packages[system].greeting).toMatchObject({ type: 'derivation', name: 'greeting-1.0.0' });
    expect(show.nixosModules.greeting.type).toBe('nixos-module');
    expect(show.overlays.default.type).toBe('nixpkgs-overlay');

    const packages = JSON.parse(await nixTool('nix', ['eval', '--json', ...flakeArgs(), `${root}#packages.${system}`, '--apply', 'builtins.attrNames']));
    expect(packages).toEqual(['greeting']);
    const legacy = JSON.parse(await nixTool('nix', ['eval', '--json', ...flakeArgs(), `${root}#legacyPackages.${system}`, '--apply', 'builtins.attrNames']));
    expect(legacy).toEqual(['greeting', 'homeModules', 'lib', 'modules', 'nixosModules', 'overlays']);
    await nixTool('nix', ['flake', 'check', '--no-build', ...flakeArgs(), root]);
  }, SLOW);

  it('builds the example package, directly and through ci.nix', async () => {
    const out = await build([root, '-A', 'greeting']);
    const script = `${nix.storePrefix}${out}/bin/greeting`;
    expect(execFileSync('/bin/sh', [script], { encoding: 'utf8' })).toBe('Hello from the someone NUR repository!\n');

    const cached = await evalJson(`{ repo, fake }: map (p: p.name) (import (/. + repo + "/ci.nix") { }).cachePackages`);
    expect(cached).toEqual(['greeting-1.0.0']);
    expect(await build([join(root, 'ci.nix'), '-A', 'cacheOutputs'])).toBe(out);
  }, SLOW);

  it('adds packages that evaluate for every builder, and a local one that builds', async () => {
    const parser = await nixParser();
    const sources: Record<string, string> = {
      'stdenv.mkDerivation': 'GNOME/gnome-hello@v1.2.3',
      buildGoModule: 'junegunn/fzf@v0.56.3',
      'rustPlatform.buildRustPackage': 'BurntSushi/ripgrep@14.1.1',
      'python3Packages.buildPythonApplication': 'psf/black@24.10.0',
      buildNpmPackage: 'prettier/prettier@3.3.3',
    };
    const names: string[] = [];
    for (const builder of PACKAGE_BUILDERS) {
      const name = `from-${builder.split('.').pop()!.toLowerCase()}`;
      names.push(name);
      const result = addPackage({ root, name, builder, source: sources[builder] }, { parser, clock });
      expect(result.installable).toEqual({ file: 'default.nix', attr: name });
      await nixTool('nix-instantiate', ['--parse', result.created[0]]);
      // Evaluation only: the sources would need the network, and their hashes are still fake.
      const drv = (await nixTool('nix-instantiate', ['-I', `nixpkgs=${fake}`, root, '-A', name])).trim();
      expect(drv).toMatch(/^\/nix\/store\/[a-z0-9]{32}-from-.*\.drv$/);
    }
    const fetched = await evalJson(`{ repo, fake }: let r = import (/. + repo + "/default.nix") { }; in { inherit (r.from-buildrustpackage) version; src = r.from-buildrustpackage.src.name; meta = r.from-buildrustpackage.meta.homepage; }`);
    expect(fetched).toEqual({ version: '14.1.1', src: 'source', meta: 'https://github.com/BurntSushi/ripgrep' });

    // A package whose source is in the repository builds offline.
    const local = addPackage({ root, name: 'hello-local' }, { parser, clock });
    const packageFile = local.created[0];
    const generated = readFileSync(packageFile, 'utf8');
    const withLocalSource = generated.replace(/  src = fetchFromGitHub \{[\s\S]*?\n  \};\n/, [
      '  src = ./src;',
      '',
      "  installPhase = ''",
      '    install -Dm755 hello.sh "$out/bin/hello-local"',
      "  '';",
      '',
    ].join('\n'));
    expect(withLocalSource).not.toBe(generated);
    writeFileSync(packageFile, withLocalSource);
    mkdirSync(join(root, 'pkgs', 'hello-local', 'src'));
    writeFileSync(join(root, 'pkgs', 'hello-local', 'src', 'hello.sh'), '#!/bin/sh\necho local\n');
    const out = await build([root, '-A', 'hello-local']);
    expect(execFileSync('/bin/sh', [`${nix.storePrefix}${out}/bin/hello-local`], { encoding: 'utf8' })).toBe('local\n');

    const attributes = await evalJson(`{ repo, fake }: builtins.attrNames (import (/. + repo + "/default.nix") { })`);
    expect(attributes).toEqual(['from-buildgomodule', 'from-buildnpmpackage', 'from-buildpythonapplication', 'from-buildrustpackage', 'from-mkderivation', 'greeting', 'hello-local', 'homeModules', 'lib', 'modules', 'nixosModules', 'overlays']);
  }, SLOW);

  it('adds a module that is listed and evaluates', async () => {
    const result = addModule({ root, name: 'hello-local' }, { parser: await nixParser() });
    await nixTool('nix-instantiate', ['--parse', result.created[0]]);
    const value = await evalJson(`{ repo, fake }:
      let
        pkgs = import (/. + fake) { };
        modules = (import (/. + repo + "/default.nix") { inherit pkgs; }).modules;
        module = modules.hello-local {
          config.programs.hello-local = { enable = true; package = module.options.programs.hello-local.package.default; };
          inherit pkgs;
          inherit (pkgs) lib;
        };
      in {
        names = builtins.attrNames modules;
        installs = map (p: p.name) module.config.content.environment.systemPackages;
      }`);
    expect(value).toEqual({ names: ['greeting', 'hello-local'], installs: ['hello-local-0.1.0'] });
  }, SLOW);

  it('passes the NUR check and lists the packages', async () => {
    const result = await checkRepository({ root, nixpkgs: fake }, deps);
    expect(result.message).toMatch(/evaluates as NUR evaluates it: 7 packages/);
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([]);
    expect(result.packages.map((p) => p.attr).sort()).toEqual([
      'from-buildgomodule',
      'from-buildnpmpackage',
      'from-buildpythonapplication',
      'from-buildrustpackage',
      'from-mkderivation',
      'greeting',
      'hello-local',
    ]);
    expect(result.packages.find((p) => p.attr === 'greeting')).toEqual({
      attr: 'greeting',
      name: 'greeting-1.0.0',
      pname: 'greeting',
      version: '1.0.0',
      description: 'Prints a greeting from the someone NUR repository',
    });
    expect(result.command).toEqual(expect.arrayContaining(['--option', 'restrict-eval', 'true']));
  }, SLOW);

  it('fails the NUR check with a diagnostic on the file and line of the mistake', async () => {
    const bad = join(work, 'bad');
    cpSync(root, bad, { recursive: true });
    const file = join(bad, 'pkgs', 'greeting', 'default.nix');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('dontBuild = true;'));
    lines.splice(at, 0, '  broken = undefinedVariable;');
    writeFileSync(file, lines.join('\n'));

    const result = await checkRepository({ root: bad, nixpkgs: fake }, deps);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/undefined variable 'undefinedVariable'/);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0].path).toBe(file);
    expect(result.diagnostics[0].diagnostics[0]).toMatchObject({
      range: { start: { line: at, character: 11 }, end: { line: at, character: 28 } },
      code: 'nur/evaluation-error',
      source: 'nur check',
    });
  }, SLOW);

  it('refuses a fetch at evaluation time, as NUR does without network', async () => {
    const bad = join(work, 'fetches');
    cpSync(root, bad, { recursive: true });
    const file = join(bad, 'pkgs', 'greeting', 'default.nix');
    writeFileSync(file, readFileSync(file, 'utf8').replace('src = ./src;', 'src = builtins.fetchTarball "https://example.org/greeting.tar.gz";'));

    const result = await checkRepository({ root: bad, nixpkgs: fake }, deps);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/access to URI 'https:\/\/example.org\/greeting.tar.gz' is forbidden in restricted mode/);
    const [{ path, diagnostics }] = result.diagnostics;
    if (path === file) {
      // Newer Nix reports the call itself.
      expect(diagnostics[0].range.start.line).toBe(readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes('fetchTarball')));
    } else {
      // Nix 2.8 only names the derivation and attribute; the diagnostic quotes them.
      expect(path).toBe(join(bad, 'default.nix'));
      expect(diagnostics[0].message).toMatch(/attribute 'src' of the derivation 'greeting-1.0.0'/);
    }
  }, SLOW);
});

function readTracked(root: string): string[] {
  return execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
}
