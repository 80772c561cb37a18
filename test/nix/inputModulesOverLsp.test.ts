// The NixOS modules of a flake input (`tools.nixosModules.<name>`) through the real server, listed
// by the real Nix installations from the source flake.lock locks the input to: completion (first
// "still listing", then the names), hover and go to definition; nothing for an untrusted workspace.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CompletionList, Hover, Location } from 'vscode-languageserver-protocol';
import { InputModules } from '../../server/src/flake/inputModules';
import { nixCommandsFor } from '../../server/src/knowledge/nixEvaluation';
import { gitEnvironment } from '../support/gitEnvironment';
import { TestClient } from '../support/lspClient';
import { nixInstallations, requireNixInCi } from '../support/nixInstallations';

requireNixInCi();

const FLAKE = `{
  inputs.tools.url = "git+file:///srv/tools";
  outputs = { self, tools }: {
    nixosModules.default = { imports = [ tools.nixosModules.se ]; };
  };
}
`;
const CURSOR = { line: 3, character: FLAKE.split('\n')[3]!.indexOf('.se ') + 3 };

describe.each(nixInstallations().map((i) => [i.version, i] as const))('input modules over LSP with Nix %s', (_version, installation) => {
  let root: string | undefined;
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A git repository whose flake has three modules, and a flake locked to it. */
  function project(): { env: NodeJS.ProcessEnv; flakeUri: string; tools: string } {
    root = mkdtempSync(join(tmpdir(), 'nix-nur-input-modules-'));
    const { env, git } = gitEnvironment(installation, root);
    const tools = join(root, 'tools');
    mkdirSync(join(tools, 'modules'), { recursive: true });
    writeFileSync(
      join(tools, 'flake.nix'),
      '{\n  outputs = { self }: {\n    nixosModules = {\n      server = ./modules/server.nix;\n      sensors = import ./modules/sensors.nix;\n      desktop = { ... }: { };\n    };\n  };\n}\n',
    );
    writeFileSync(join(tools, 'modules', 'server.nix'), '{ config, lib, ... }: { }\n');
    writeFileSync(join(tools, 'modules', 'sensors.nix'), '{ config, lib, ... }: { }\n');
    git(tools, 'init', '-q');
    git(tools, 'add', '-A');
    git(tools, 'commit', '-qm', 'modules');
    const rev = git(tools, 'rev-parse', 'HEAD');

    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'flake.nix'), FLAKE.replace('/srv/tools', tools));
    const lock = {
      nodes: {
        root: { inputs: { tools: 'tools' } },
        tools: { locked: { type: 'git', url: `file://${tools}`, rev, lastModified: 1700000000 }, original: { type: 'git', url: `file://${tools}` } },
      },
      root: 'root',
      version: 7,
    };
    writeFileSync(join(app, 'flake.lock'), JSON.stringify(lock, null, 2));
    return { env, flakeUri: pathToFileURL(join(app, 'flake.nix')).href, tools };
  }

  it('completes, hovers and jumps to the modules of a locked input', async () => {
    const { env, flakeUri, tools } = project();
    // Diagnostics (which start listings of the modules the text uses) wait long here, so that the
    // completion below is the first to ask.
    ({ client } = await TestClient.start({ env, initializationOptions: { nixNur: { offline: true, diagnostics: { debounceMs: 60_000 } } } }));
    const text = FLAKE.replace('/srv/tools', tools);
    await client.open(flakeUri, text.replace('tools.nixosModules.se', 'tools.se'));
    await client.change(flakeUri, 2, [{ text }]);
    const complete = () => client!.request<CompletionList>('textDocument/completion', { textDocument: { uri: flakeUri }, position: CURSOR });

    // The first answer comes at once: nothing yet, and incomplete, so the editor asks again.
    const first = await complete();
    expect(first).toEqual({ isIncomplete: true, items: [] });
    const deadline = Date.now() + 60_000;
    let list = first;
    while (list.isIncomplete) {
      if (Date.now() > deadline) throw new Error(`modules never listed: ${client.logs.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      list = await complete();
    }
    // Completion filters by the typed prefix `se`.
    expect(list.items.map((i) => i.label).sort()).toEqual(['sensors', 'server']);

    const storePrefix = installation.storePrefix;
    const server = list.items.find((i) => i.label === 'server')!;
    expect(String(server.documentation)).toMatch(/\/nix\/store\/[a-z0-9]{32}-source\/modules\/server\.nix$/);

    // With the whole name written: hover and definition.
    const full = FLAKE.replace('/srv/tools', tools).replace('nixosModules.se ]', 'nixosModules.server ]');
    await client.change(flakeUri, 3, [{ text: full }]);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: flakeUri }, position: CURSOR });
    expect(JSON.stringify(hover.contents)).toContain('NixOS module of the input `tools`');
    const definition = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: flakeUri }, position: CURSOR });
    expect(definition).toHaveLength(1);
    expect(definition[0]!.uri).toMatch(/^file:\/\/\/nix\/store\/[a-z0-9]{32}-source\/modules\/server\.nix$/);
    // The store the listing Nix uses is where the file is (a chrooted Nix's store is under its root).
    expect(execFileSync('cat', [storePrefix + new URL(definition[0]!.uri).pathname], { encoding: 'utf8' })).toContain('config, lib');
  });

  it('lists the modules a flake already uses as soon as it is opened', async () => {
    const { env, flakeUri, tools } = project();
    ({ client } = await TestClient.start({ env, initializationOptions: { nixNur: { offline: true } } }));
    await client.open(flakeUri, FLAKE.replace('/srv/tools', tools));
    await client.until(() => client!.logs.some((line) => line.includes('input tools: 3 NixOS modules')), 60_000, 'the modules of tools listed');
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: flakeUri }, position: CURSOR });
    expect(list.isIncomplete).toBe(false);
    expect(list.items.map((i) => i.label).sort()).toEqual(['sensors', 'server']);
  });

  it('lists nothing for an untrusted workspace', async () => {
    const { env, flakeUri, tools } = project();
    ({ client } = await TestClient.start({ env, initializationOptions: { trusted: false, nixNur: { offline: true } } }));
    await client.open(flakeUri, FLAKE.replace('/srv/tools', tools));
    const list = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri: flakeUri }, position: CURSOR });
    expect(list?.items ?? []).toEqual([]);
    expect(list?.isIncomplete ?? false).toBe(false);
  });
});

describe.each(nixInstallations().map((i) => [i.version, i] as const))('InputModules with Nix %s', (_version, installation) => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A local flake directory (a `path` lock) with this flake.nix. */
  function flakeDir(text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'nix-nur-input-modules-'));
    made.push(dir);
    writeFileSync(join(dir, 'flake.nix'), text);
    return dir;
  }

  async function settle(modules: InputModules, dir: string) {
    const locked = { type: 'path', path: dir };
    let state = modules.modulesOf(locked, 'input x');
    const deadline = Date.now() + 60_000;
    while (state.state === 'loading' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = modules.modulesOf(locked, 'input x');
    }
    return state;
  }

  const make = () =>
    new InputModules({
      commands: () => nixCommandsFor(join(installation.binDir, 'nix'), { PATH: String(installation.env.PATH) }),
      offline: () => true,
      log: () => undefined,
    });

  it('lists no modules for a flake without nixosModules, and says why a broken flake lists none', async () => {
    const modules = make();
    expect(await settle(modules, flakeDir('{ outputs = { self }: { packages = { }; }; }\n'))).toEqual({ state: 'ready', modules: [] });
    const broken = await settle(modules, flakeDir('{ outputs = { self }: { nixosModules = { a = ./a.nix; }\n'));
    expect(broken.state).toBe('failed');
    expect(broken.state === 'failed' && broken.message).toMatch(/^listing its NixOS modules failed: error: /);
    modules.dispose();
  });

  it('refuses a lock it cannot fetch', () => {
    const modules = make();
    expect(modules.modulesOf({ type: 'git', url: '--upload-pack=x', rev: 'a'.repeat(40) }, 'input x')).toMatchObject({ state: 'failed' });
    modules.dispose();
  });
});
