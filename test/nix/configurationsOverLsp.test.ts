// The options of the workspace's own configurations, evaluated by the real Nix over the real
// nixpkgs, Home Manager, sops-nix, nix-darwin and flake-parts: completion, hover and "did you mean"
// in the files each configuration imports; the status per configuration; Nix 2.8 refused by this
// nixpkgs with a plain message while the channel's options stay; nothing evaluated when untrusted;
// go to definition on evaluated options, into the store.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CompletionItem, CompletionList, Diagnostic, Hover, Location } from 'vscode-languageserver-protocol';
import type { ConfigurationStatus } from '../../server/src/configurations/configurationService';
import { makeFlake, nixEnvironment, sourcesAvailable, unpackedNixpkgs, FLAKES, type FlakeName } from '../support/configurationFlakes';
import { repoRoot, TestClient } from '../support/lspClient';
import { nixInstallations, requireNixInCi, type NixInstallation } from '../support/nixInstallations';

requireNixInCi();

const modern = nixInstallations().find((i) => /^2\.(1[89]|[2-9]\d)/.test(i.version));
const old = nixInstallations().find((i) => /^2\.([0-9]|1[0-7])\./.test(i.version));
if (process.env.CI && !sourcesAvailable()) throw new Error('CI expects ../shared/data/sources');
// The first evaluation with a Nix copies nixpkgs into its store (minutes on a busy machine).
const EVALUATION_MS = 12 * 60_000;
/** Locking copies nixpkgs into the store once (minutes on a busy machine); evaluations take seconds to a minute each. */
const TEST_MS = 15 * 60_000;

const root = mkdtempSync(join(tmpdir(), 'nix-nur-configurations-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
/** One cache for the NixOS flake's tests: it is evaluated once. */
const SHARED_CACHE = join(root, 'cache-nixos');

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

async function serve(
  name: FlakeName,
  installation: NixInstallation,
  options: { trusted?: boolean; cache?: string; channelOptions?: string; configurations?: unknown } = {},
): Promise<{ dir: string; client: TestClient }> {
  const dir = makeFlake(name, root, installation);
  ({ client } = await TestClient.start({
    env: nixEnvironment(installation),
    rootUri: pathToFileURL(dir).href,
    initializationOptions: {
      trusted: options.trusted ?? true,
      cacheDirectory: options.cache ?? join(root, `cache-${name}-${installation.version}`),
      nixNur: { offline: true, configurations: options.configurations ?? 'auto', nixos: { options: options.channelOptions ?? '' }, nixpkgs: { packages: '' }, nur: { repos: '', packages: '' } },
    },
  }));
  return { dir, client: client! };
}

async function settled(client: TestClient): Promise<ConfigurationStatus[]> {
  const deadline = Date.now() + EVALUATION_MS;
  for (;;) {
    const { configurations } = await client.request<{ configurations: ConfigurationStatus[] }>('nixNur/configurations', {});
    if (configurations.length > 0 && configurations.every((c) => c.phase === 'ready' || c.phase === 'failed')) return configurations;
    if (Date.now() > deadline) throw new Error(`configurations not evaluated: ${JSON.stringify(configurations)}\n${client.logs.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Opens a file of the flake and completes at the end of `before` in it. */
async function completeAfter(client: TestClient, file: string, text: string, before: string): Promise<CompletionItem[]> {
  const uri = pathToFileURL(file).href;
  await client.open(uri, text);
  const offset = text.indexOf(before) + before.length;
  const lines = text.slice(0, offset).split('\n');
  const list = await client.request<CompletionList | null>('textDocument/completion', {
    textDocument: { uri },
    position: { line: lines.length - 1, character: lines.at(-1)!.length },
  });
  return list?.items ?? [];
}

describe.skipIf(!modern || !sourcesAvailable())('configurations evaluated by Nix %s', () => {
  it('gives every file of a NixOS configuration its options: own modules, Home Manager inside NixOS, sops-nix', async () => {
    // Its cache is the next test's: one evaluation of this configuration serves both.
    const { dir, client } = await serve('nixos', modern!, { cache: SHARED_CACHE });
    const status = await settled(client);
    expect(status).toHaveLength(1);
    expect(status[0]).toMatchObject({ id: 'nixosConfigurations.box', phase: 'ready' });
    // NixOS, sops-nix and Home Manager's users: 11,788 options with this nixpkgs and Home Manager
    // (Home Manager's options typed from `pkgs` among them), 10,962 before the walk gave them `pkgs`.
    expect(status[0]!.options).toBeGreaterThan(11_700);

    const configuration = join(dir, 'configuration.nix');
    const typed = FLAKES.nixos['configuration.nix'].replace('home-manager.users.alice.programs.git.enable = true;', 'home-manager.users.alice.programs.git.');
    const git = await completeAfter(client, configuration, typed, 'home-manager.users.alice.programs.git.');
    expect(git.map((i) => i.label)).toEqual(expect.arrayContaining(['enable', 'userName', 'extraConfig']));
    // git-cliff's `settings` has a type made from `pkgs`, which Home Manager's submodule only has when the walk gives it.
    const users = join(dir, 'users', 'default.nix');
    const cliff = await completeAfter(client, users, '{ ... }:\n{\n  home-manager.users.alice.programs.git-cliff.\n}\n', 'programs.git-cliff.');
    expect(cliff.map((i) => i.label)).toContain('settings');

    // Completion in a Home Manager module the NixOS configuration imports for a user.
    const alice = join(dir, 'users', 'alice.nix');
    const aliceItems = await completeAfter(client, alice, '{ pkgs, ... }:\n{\n  programs.git.\n}\n', 'programs.git.');
    expect(aliceItems.map((i) => i.label)).toContain('enable');

    // Hover names the configuration; options declared in the workspace and by sops-nix are known.
    const hoverAt = async (needle: string) => {
      const text = FLAKES.nixos['configuration.nix'];
      const offset = text.indexOf(needle) + 1;
      const lines = text.slice(0, offset).split('\n');
      return client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: pathToFileURL(configuration).href },
        position: { line: lines.length - 1, character: lines.at(-1)!.length },
      });
    };
    await client.change(pathToFileURL(configuration).href, 2, [{ text: FLAKES.nixos['configuration.nix'] }]);
    const backup = await hoverAt('enable = true;\n  sops');
    expect(JSON.stringify(backup?.contents)).toContain('nightly backups');
    expect(JSON.stringify(backup?.contents)).toContain('nixosConfigurations.box');
    const owner = await hoverAt('owner');
    expect(JSON.stringify(owner?.contents)).toContain('sops.secrets');

    // No option of the configuration is unknown; a typo below a Home Manager user is caught.
    const uri = pathToFileURL(configuration).href;
    const clean = await client.diagnosticsFor(uri, 2);
    expect(clean.diagnostics.filter((d) => d.code === 'unknown-option')).toEqual([]);
    const typo = FLAKES.nixos['configuration.nix'].replace('programs.git.enable', 'programs.git.enabel');
    await client.change(uri, 3, [{ text: typo }]);
    const found = await client.diagnosticsFor(uri, 3);
    const unknown = found.diagnostics.filter((d: Diagnostic) => d.code === 'unknown-option');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.message).toMatch(/enabel/);
    expect(JSON.stringify(unknown[0]!.data ?? unknown[0]!.message)).toContain('enable');

    // A file no configuration imports keeps the channel's options (none are loaded here) and the
    // options the workspace's modules declare (`my.backup`, read from the source), but not what only
    // the evaluated configuration has (sops-nix's options).
    const unrelated = await completeAfter(client, join(dir, 'unrelated.nix'), '{ config, ... }:\n{\n  sops.\n}\n', 'sops.');
    expect(unrelated).toEqual([]);
    const declared = await completeAfter(client, join(dir, 'unrelated-too.nix'), '{ config, ... }:\n{\n  my.\n}\n', 'my.');
    expect(declared.map((item) => item.label)).toEqual(['backup']);
  }, TEST_MS);

  it('goes to the declaring line of an evaluated option, in the store copy of the input that declares it', async () => {
    // The first test's evaluation, from the shared cache; run alone, this one evaluates.
    const { dir, client } = await serve('nixos', modern!, { cache: SHARED_CACHE });
    await settled(client);
    const text = FLAKES.nixos['configuration.nix'];
    const uri = pathToFileURL(join(dir, 'configuration.nix')).href;
    await client.open(uri, text);
    const at = (needle: string, into: number) => {
      const lines = text.slice(0, text.indexOf(needle) + into).split('\n');
      return { line: lines.length - 1, character: lines.at(-1)!.length };
    };
    /** The definition's one location, and its line as read from the store of the Nix that evaluated. */
    const declared = async (position: { line: number; character: number }) => {
      const found = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position });
      expect(found).toHaveLength(1);
      const source = readFileSync(modern!.storePrefix + fileURLToPath(found[0]!.uri), 'utf8');
      return { uri: found[0]!.uri, line: source.split('\n')[found[0]!.range.start.line]! };
    };
    // sops-nix declares `owner` inside a submodule of the module its flake exports as a directory.
    const owner = await declared(at('owner', 2));
    expect(owner.uri).toMatch(/^file:\/\/\/nix\/store\/[a-z0-9]{32}-source\/modules\/sops\/default\.nix$/);
    expect(owner.line).toMatch(/^\s*owner = /);
    // A Home Manager option below a NixOS user.
    const git = await declared(at('programs.git.enable', 'programs.git.'.length + 2));
    expect(git.uri).toMatch(/^file:\/\/\/nix\/store\/[a-z0-9]{32}-source\/modules\/programs\/git\.nix$/);
    expect(git.line).toMatch(/^\s*enable = /);
    // Hover links the declaring line (the file was read above).
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: at('owner', 2) });
    const line = readFileSync(modern!.storePrefix + fileURLToPath(owner.uri), 'utf8').split('\n').findIndex((l) => /^\s*owner = /.test(l)) + 1;
    expect(JSON.stringify(hover.contents)).toContain(`(${owner.uri}#L${line})`);
    // An option the workspace's own module declares links that file, not the flake's store copy.
    const backup = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: at('backup.enable', 'backup.'.length + 2) });
    expect(JSON.stringify(backup.contents)).toContain(`(${pathToFileURL(join(dir, 'backup.nix')).href}#L3)`);
  }, TEST_MS);

  it('reuses the evaluated set from the cache, and evaluates again when an imported file is saved', async () => {
    // The previous test evaluated this configuration into the same cache; run alone, this one does.
    const first = await serve('nixos', modern!, { cache: SHARED_CACHE });
    await settled(first.client);
    if (first.client.logs.some((line) => line.includes('options in'))) {
      await first.client.stop();
      await serve('nixos', modern!, { cache: SHARED_CACHE });
    }
    const current = client!;
    const status = await settled(current);
    expect(status[0]).toMatchObject({ phase: 'ready' });
    expect(current.logs.some((line) => line.includes('options in'))).toBe(false);
    // A save of an imported module (its content changed) evaluates the configuration again.
    const backup = join(first.dir, 'backup.nix');
    writeFileSync(backup, FLAKES.nixos['backup.nix'].replace('nightly backups', 'hourly backups'));
    await current.connection.sendNotification('textDocument/didSave', { textDocument: { uri: pathToFileURL(backup).href } });
    await current.until(() => current.logs.some((line) => /nixosConfigurations\.box: \d+ options in/.test(line)), EVALUATION_MS, 'evaluated again');
  }, TEST_MS);

  it('evaluates homeConfigurations, darwinConfigurations and flake-parts', async () => {
    const home = await serve('home', modern!);
    expect((await settled(home.client))[0]).toMatchObject({ id: 'homeConfigurations.alice', phase: 'ready' });
    const homeItems = await completeAfter(home.client, join(home.dir, 'home.nix'), '{ pkgs, ... }:\n{\n  programs.git.\n}\n', 'programs.git.');
    expect(homeItems.map((i) => i.label)).toContain('enable');
    await home.client.stop();

    const darwin = await serve('darwin', modern!);
    const darwinStatus = await settled(darwin.client);
    expect(darwinStatus[0]).toMatchObject({ id: 'darwinConfigurations.mac', phase: 'ready' });
    const casks = await completeAfter(darwin.client, join(darwin.dir, 'darwin.nix'), '{ pkgs, ... }:\n{\n  homebrew.c\n}\n', 'homebrew.c');
    expect(casks.map((i) => i.label)).toContain('casks');
    await darwin.client.stop();

    const parts = await serve('parts', modern!);
    const partsStatus = await settled(parts.client);
    expect(partsStatus.find((c) => c.id === 'flake-parts')).toMatchObject({ phase: 'ready' });
  }, TEST_MS);

  it("offers flake-parts' options while editing flake.nix and the modules it imports", async () => {
    const { dir, client } = await serve('parts', modern!);
    expect((await settled(client)).find((c) => c.id === 'flake-parts')).toMatchObject({ phase: 'ready' });
    const flake = join(dir, 'flake.nix');
    const uri = pathToFileURL(flake).href;
    const text = readFileSync(flake, 'utf8');
    await client.open(uri, text);
    let version = 1;
    const positionAfter = (written: string, before: string) => {
      const lines = written.slice(0, written.indexOf(before) + before.length).split('\n');
      return { line: lines.length - 1, character: lines.at(-1)!.length };
    };
    const labelsAfter = async (written: string, before: string) => {
      await client.change(uri, ++version, [{ text: written }]);
      const list = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: positionAfter(written, before) });
      return (list?.items ?? []).map((item) => item.label);
    };

    // Inside perSystem: the per-system options; at the top of mkFlake's module: flake-parts' own.
    expect(await labelsAfter(text.replace('packages.hello = pkgs.hello;', 'devS'), 'devS')).toContain('devShells');
    expect(await labelsAfter(text.replace('systems = [', 'de\n      systems = ['), 'de')).toContain('debug');
    // The function form, called through `inputs.`.
    const functionForm = text
      .replace('flake-parts.lib.mkFlake { inherit inputs; } {', 'inputs.flake-parts.lib.mkFlake { inherit inputs; } ({ withSystem, ... }: {')
      .replace('    };\n}\n', '    });\n}\n')
      .replace('packages.hello = pkgs.hello;', 'check');
    expect(await labelsAfter(functionForm, 'check')).toContain('checks');
    const topOfFunction = await labelsAfter(functionForm.replace('systems = [', 'per\n      systems = ['), 'per');
    expect(topOfFunction).toContain('perSystem');
    expect(topOfFunction).not.toContain('packages');

    // Hover names the option and the configuration it came from.
    await client.change(uri, ++version, [{ text }]);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionAfter(text, 'sys') });
    expect(JSON.stringify(hover?.contents)).toContain('**systems**');
    expect(JSON.stringify(hover?.contents)).toContain('From the configuration `flake-parts`');
    // Go to definition lands where flake-parts declares the option, in the store.
    const declared = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionAfter(text, 'sys') });
    expect(declared).toHaveLength(1);
    expect(declared[0]!.uri).toMatch(/^file:\/\/\/nix\/store\/[a-z0-9]{32}-source\/.*\.nix$/);
    const declaring = readFileSync(modern!.storePrefix + fileURLToPath(declared[0]!.uri), 'utf8').split('\n')[declared[0]!.range.start.line];
    expect(declaring).toMatch(/^\s*systems = /);

    // Nothing the evaluated set has is unknown; a typo inside perSystem is, with a suggestion.
    const clean = await client.diagnosticsFor(uri, version);
    expect(clean.diagnostics.filter((d) => d.code === 'unknown-option')).toEqual([]);
    await client.change(uri, ++version, [{ text: text.replace('packages.hello = pkgs.hello;', 'devShell.default = pkgs.mkShell { };') }]);
    const unknown = (await client.diagnosticsFor(uri, version)).diagnostics.filter((d: Diagnostic) => d.code === 'unknown-option');
    expect(unknown.map((d) => d.message)).toEqual(["Unknown flake-parts option 'perSystem.devShell'. Did you mean 'devShells'?"]);

    // A module the mkFlake module imports gets the same set.
    const shells = join(dir, 'parts', 'shells.nix');
    const inShells = await completeAfter(client, shells, readFileSync(shells, 'utf8').replace('devShells.default = pkgs.mkShell { };', 'formatt'), 'formatt');
    expect(inShells.map((i) => i.label)).toContain('formatter');
    await client.close(pathToFileURL(shells).href);
    const topOfShells = await completeAfter(client, shells, '{ ... }:\n{\n  imports = [ ];\n  syst\n}\n', 'syst');
    expect(topOfShells.map((i) => i.label)).toContain('systems');
  }, TEST_MS);

  it('evaluates a classic configuration.nix with <nixpkgs> from NIX_PATH', async () => {
    const nixpkgs = unpackedNixpkgs();
    const dir = join(root, 'classic');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'configuration.nix'), '{ config, lib, ... }:\n{\n  imports = [ ./backup.nix ];\n  _module.check = false;\n  my.backup.enable = true;\n}\n');
    writeFileSync(join(dir, 'backup.nix'), FLAKES.nixos['backup.nix']);
    ({ client } = await TestClient.start({
      env: { ...nixEnvironment(modern!), NIX_PATH: `nixpkgs=${nixpkgs}` },
      rootUri: pathToFileURL(dir).href,
      initializationOptions: { cacheDirectory: join(root, 'cache-classic'), nixNur: { offline: true, nixos: { options: '' }, nixpkgs: { packages: '' }, nur: { repos: '', packages: '' } } },
    }));
    const status = await settled(client!);
    expect(status[0]).toMatchObject({ id: 'configuration.nix', phase: 'ready' });
    const items = await completeAfter(client!, join(dir, 'backup.nix'), '{ lib, ... }:\n{\n  my.backup.\n}\n', 'my.backup.');
    expect(items.map((i) => i.label)).toEqual(['enable']);
  }, TEST_MS);

  it('evaluates only the configurations nixNur.configurations names, and none for []', async () => {
    const none = await serve('nixos', modern!, { configurations: [] });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await none.client.request<{ configurations: ConfigurationStatus[] }>('nixNur/configurations', {})).configurations).toEqual([]);
    await none.client.stop();
    const other = await serve('nixos', modern!, { configurations: ['nixosConfigurations.elsewhere'] });
    const deadline = Date.now() + 60_000;
    while (!other.client.logs.some((line) => line.includes('configurations')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await other.client.request<{ configurations: ConfigurationStatus[] }>('nixNur/configurations', {})).configurations).toEqual([]);
  }, TEST_MS);

  it("shows a failure in the status and on the file Nix points at", async () => {
    const dir = makeFlake('nixos', join(root, 'broken'), modern!);
    writeFileSync(join(dir, 'backup.nix'), '{ lib, ... }:\n{\n  options.my.backup.enable = lib.mkEnableOption "nightly backups"\n}\n');
    ({ client } = await TestClient.start({
      env: nixEnvironment(modern!),
      rootUri: pathToFileURL(dir).href,
      initializationOptions: { cacheDirectory: join(root, 'cache-broken'), nixNur: { offline: true, nixos: { options: '' }, nixpkgs: { packages: '' }, nur: { repos: '', packages: '' } } },
    }));
    const status = await settled(client!);
    expect(status[0]).toMatchObject({ id: 'nixosConfigurations.box', phase: 'failed' });
    expect(status[0]!.error).toMatch(/syntax error/);
    const uri = pathToFileURL(join(dir, 'backup.nix')).href;
    await client!.until(() => client!.diagnostics.get(uri)?.some((p) => p.diagnostics.some((d) => String(d.message).includes('nixosConfigurations.box'))), 10_000, 'the failure on backup.nix');
  }, TEST_MS);

  it('starts no Nix process in an untrusted workspace', async () => {
    const { client } = await serve('nixos', modern!, { trusted: false });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { configurations } = await client.request<{ configurations: ConfigurationStatus[] }>('nixNur/configurations', {});
    expect(configurations).toEqual([]);
    expect(client.logs.filter((line) => line.includes('configurations'))).toEqual([]);
  }, TEST_MS);
});

describe.skipIf(!old || !sourcesAvailable())('configurations with an older Nix', () => {
  it('says plainly that this nixpkgs needs a newer Nix, and keeps the channel options', async () => {
    const channelOptions = join(repoRoot, '..', 'shared', 'data', 'nixpkgs', 'options.json.br');
    const { dir, client } = await serve('nixpkgsOnly', old!, { channelOptions });
    const status = await settled(client);
    expect(status[0]).toMatchObject({ id: 'nixosConfigurations.box', phase: 'failed', needsNewerNix: { required: '2.18', installed: old!.version } });
    expect(status[0]!.error).toBe(`its nixpkgs needs Nix 2.18 or newer; the installed Nix is ${old!.version}`);
    // The file keeps the channel's options.
    await client.until(() => client.logs.some((line) => /options/i.test(line) && /index|loaded/i.test(line)) || undefined, 60_000, 'channel options loaded').catch(() => undefined);
    let items: CompletionItem[] = [];
    for (let i = 0; i < 100 && !items.some((item) => item.label === 'enable'); i++) {
      items = await completeAfter(client, join(dir, 'configuration.nix'), '{ config, ... }:\n{\n  services.openssh.\n}\n', 'services.openssh.');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(items.map((item) => item.label)).toContain('enable');
  }, TEST_MS);
});
