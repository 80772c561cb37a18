// `lib.` completion, hover and definition through the real server: a trusted workspace whose
// flake.lock pins a stand-in nixpkgs by path, evaluated by the real Nix installations.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CompletionList, Hover, Location } from 'vscode-languageserver-protocol';
import { repoRoot, TestClient } from '../support/lspClient';
import { nixInstallations, requireNixInCi } from '../support/nixInstallations';

requireNixInCi();

describe.each(nixInstallations().map((i) => [i.version, i] as const))('lib. over LSP with Nix %s', (_version, installation) => {
  let root: string | undefined;
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('completes, hovers and jumps to lib functions of the pinned nixpkgs', async () => {
    root = mkdtempSync(join(tmpdir(), 'nix-nur-lib-lsp-'));
    const nixpkgs = join(root, 'nixpkgs');
    cpSync(join(repoRoot, 'test', 'fixtures', 'knowledge', 'lib-nixpkgs'), nixpkgs, { recursive: true });
    // NixOS modules too, so that options (read from a file here) can be followed into the same tree.
    cpSync(join(repoRoot, 'test', 'fixtures', 'knowledge', 'option-sources'), nixpkgs, { recursive: true });
    const project = join(root, 'project');
    mkdirSync(project);
    const locked = { type: 'path', path: nixpkgs };
    writeFileSync(join(project, 'flake.lock'), JSON.stringify({ nodes: { nixpkgs: { locked, original: locked }, root: { inputs: { nixpkgs: 'nixpkgs' } } }, root: 'root', version: 7 }));
    const home = join(root, 'home');
    mkdirSync(home);
    ({ client } = await TestClient.start({
      env: { ...installation.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache') },
      rootUri: pathToFileURL(project).href,
      initializationOptions: {
        cacheDirectory: join(root, 'cache'),
        // lib and options matter here: the other sources stay off.
        nixNur: {
          offline: true,
          nixpkgs: { packages: '' },
          nixos: { options: join(repoRoot, 'test', 'fixtures', 'knowledge', 'options.json') },
          homeManager: { options: '' },
          nur: { repos: '', packages: '' },
        },
      },
    }));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await client.request<{ lib?: { state: string; message?: string }; sources: { state: string }[] }>('nixNur/status', {});
      if (status.lib?.state === 'ready' && status.sources.every((s) => s.state === 'ready' || s.state === 'off')) break;
      if (Date.now() > deadline) throw new Error(`lib index not ready: ${JSON.stringify(status.lib)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const uri = pathToFileURL(join(project, 'default.nix')).href;
    const text = '{ lib, ... }: lib.strings.concatStrings [ ]';
    await client.open(uri, text);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 26 } });
    expect(list.items.map((i) => i.label)).toContain('concatStrings');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 30 } });
    expect(JSON.stringify(hover.contents)).toContain('concatStrings');
    const definition = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: 30 } });
    expect(definition[0]?.uri).toBe(pathToFileURL(join(nixpkgs, 'lib', 'strings.nix')).href);

    // An option's declaration opens in the tree lib was evaluated from.
    const moduleUri = pathToFileURL(join(project, 'configuration.nix')).href;
    await client.open(moduleUri, '{ ... }: { services.nginx.enable = true; }');
    const declared = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: moduleUri }, position: { line: 0, character: 28 } });
    expect(declared.map((l) => [l.uri, l.range.start.line])).toEqual([[pathToFileURL(join(nixpkgs, 'nixos', 'modules', 'services', 'web-servers', 'nginx', 'default.nix')).href, 10]]);
  });
});
