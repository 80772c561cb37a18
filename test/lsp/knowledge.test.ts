// Completion and hover answered from the real indexes (../shared/data: 84k nixpkgs packages, 15k
// NixOS options, NUR), through the built server over stdio.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem, CompletionList, Hover } from 'vscode-languageserver-protocol';
import packageSetAttributes from '../../server/src/features/packageSetAttributes.json';
import { TestClient } from '../support/lspClient';
import { sharedData, sharedDataPresent } from '../support/sharedData';

const data = sharedData;
const hasData = sharedDataPresent('nixpkgs/packages.json.br');

describe.runIf(hasData)('knowledge over LSP', () => {
  let client: TestClient;
  const cache = mkdtempSync(join(tmpdir(), 'nix-nur-cache-'));
  beforeAll(async () => {
    ({ client } = await TestClient.start({
      initializationOptions: {
        cacheDirectory: cache,
        nixNur: {
          offline: true,
          nixpkgs: { packages: join(data, 'nixpkgs', 'packages.json.br') },
          nixos: { options: join(data, 'nixpkgs', 'options.json.br') },
          homeManager: { options: join(data, 'home-manager', 'options.json.br') },
          nur: { repos: join(data, 'nur', 'repos.json'), packages: join(data, 'nur', 'packages.json') },
        },
      },
    }));
    // Indexes build in the background; wait until every source is ready.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const status = await client.request<{ sources: { source: string; state: string }[] }>('nixNur/status', {});
      if (status.sources.every((s) => s.state === 'ready' || s.state === 'off')) break;
      if (Date.now() > deadline) throw new Error(`indexes not ready: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 120_000);
  afterAll(async () => {
    await client.stop();
    rmSync(cache, { recursive: true, force: true });
  });

  async function complete(text: string): Promise<CompletionList> {
    const offset = text.indexOf('|');
    const source = text.replace('|', '');
    const uri = `file:///project/completion-${Math.random().toString(36).slice(2)}.nix`;
    await client.open(uri, source);
    const before = source.slice(0, offset);
    const line = before.split('\n').length - 1;
    const character = offset - (before.lastIndexOf('\n') + 1);
    const result = await client.request<CompletionList | CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    return Array.isArray(result) ? { isIncomplete: false, items: result } : result;
  }

  it('completes nixpkgs attributes after pkgs. with their versions', async () => {
    const list = await complete('{ pkgs, ... }: { environment.systemPackages = [ pkgs.ripgr| ]; }');
    const ripgrep = list.items.find((item) => item.label === 'ripgrep');
    expect(ripgrep).toBeDefined();
    expect(ripgrep!.detail).toMatch(/^\d+\.\d+/);
    const resolved = await client.request<CompletionItem>('completionItem/resolve', ripgrep);
    expect(JSON.stringify(resolved.documentation)).toContain('ripgrep');
    // The detail shows the version; the documentation below it does not repeat it.
    expect(JSON.stringify(resolved.documentation)).not.toContain(ripgrep!.detail!);
    // A search result's page of its own has no detail line above it: the version is in its title.
    const described = await client.request<{ documentation: { value: string } }>('workspace/executeCommand', {
      command: 'nixNur.knowledge.describe',
      arguments: [{ source: 'nixpkgs', path: ['ripgrep'] }],
    });
    expect(described.documentation.value.split('\n')[0]).toContain(ripgrep!.detail!);
  });

  it('completes enum values inside the quotes an editor closed, keeping the quotes', async () => {
    const list = await complete('{ config, ... }: { services.journald.storage = "vo|"; }');
    const volatile = list.items.find((i) => i.label === 'volatile');
    expect(list.items.map((i) => i.label)).toEqual(['volatile']);
    expect(volatile!.textEdit).toMatchObject({ newText: 'volatile', range: { start: { line: 0, character: 48 }, end: { line: 0, character: 50 } } });
    const before = await complete('{ config, ... }: { services.journald.storage = |; }');
    expect(before.items.map((i) => i.label)).toContain('"persistent"');
    const inList = await complete('{ config, ... }: { services.openssh.settings.PermitRootLogin = "|"; }');
    expect(inList.items.map((i) => i.label)).toContain('prohibit-password');
  });

  it('completes nested package sets', async () => {
    const list = await complete('{ pkgs }: pkgs.python313Packages.reque|');
    expect(list.items.map((i) => i.label)).toContain('requests');
  });

  it('completes packages inside with pkgs; [ … ]', async () => {
    const list = await complete('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ neovi| ]; }');
    expect(list.items.map((i) => i.label)).toContain('neovim');
  });

  it('completes NixOS options, flat and through <name> submodules', async () => {
    const flat = await complete('{ config, pkgs, ... }: { services.ngin| }');
    expect(flat.items.map((i) => i.label)).toContain('nginx');
    const submodule = await complete('{ config, ... }: { services.nginx.virtualHosts."example.org".forceS| }');
    expect(submodule.items.map((i) => i.label)).toContain('forceSSL');
  });

  it('completes NUR repositories and their packages', async () => {
    const repos = await complete('{ pkgs }: pkgs.nur.repos.mic|');
    expect(repos.items.map((i) => i.label)).toContain('mic92');
    const packages = await complete('{ pkgs }: pkgs.nur.repos.mic92.|');
    expect(packages.items.map((i) => i.label)).toEqual(expect.arrayContaining(['goatcounter', 'hello-nur', 'untilport']));
  });

  it('hovers a package with its meta', async () => {
    const uri = 'file:///project/hover.nix';
    await client.open(uri, '{ pkgs }: pkgs.ripgrep');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 17 } });
    const text = JSON.stringify(hover.contents);
    expect(text).toContain('ripgrep');
    expect(text).toMatch(/github\.com\/NixOS\/nixpkgs\/blob/);
  });

  it('hovers a group of options and an entry named in a set of submodules', async () => {
    const uri = 'file:///project/hover-groups.nix';
    const text = '{ config, ... }: {\n  services.nginx = { enable = true; };\n  users.users.alice = { isNormalUser = true; };\n}';
    await client.open(uri, text);
    const at = async (line: number, word: string) => {
      const character = text.split('\n')[line]!.indexOf(word) + 2;
      const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
      return hover ? (hover.contents as { value: string }).value : '';
    };
    const nginx = await at(1, 'nginx');
    expect(nginx).toMatch(/^\*\*services\.nginx\*\* — NixOS options/);
    expect(nginx).toMatch(/Nginx/i);
    expect(nginx).toMatch(/Options below: .*`enable`/);
    const alice = await at(2, 'alice');
    expect(alice).toMatch(/^\*\*users\.users\.alice\*\* — an entry of `users\.users`/);
    expect(alice).toMatch(/Options below: .*`extraGroups`/);
  });

  it('warns about unknown options and packages, suggesting the nearest name', async () => {
    const uri = 'file:///project/typos.nix';
    await client.open(uri, '{ config, pkgs, ... }: {\n  services.nginx.enabel = true;\n  environment.systemPackages = [ pkgs.ripgrpe ];\n}\n');
    const published = await client.diagnosticsFor(uri, 1);
    const messages = published.diagnostics.map((d) => `${d.code}: ${d.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^unknown-option: .*enabel.*Did you mean 'enable'/), expect.stringMatching(/^unknown-package: .*ripgrpe.*Did you mean 'ripgrep'/)]),
    );
    const option = published.diagnostics.find((d) => d.code === 'unknown-option')!;
    const actions = await client.request<{ title: string; edit?: { changes?: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: option.range,
      context: { diagnostics: [option] },
    });
    expect(actions.some((a) => a.edit?.changes?.[uri]?.[0]?.newText === 'enable')).toBe(true);
  });

  it("never calls the package set's own attributes unknown packages (pkgs.override, pkgs.extend, callPackage, …)", async () => {
    // Every name nixpkgs' stages add around its packages, as scripts/package-set-attributes.mjs
    // read them from nixpkgs, at the top level and on a nested package set.
    const { topLevel, anySet } = packageSetAttributes;
    const lines = [
      ...[...topLevel, ...anySet, 'lib', 'config', 'overlays', 'path', 'system'].map((name, i) => `  a${i} = pkgs.${name};`),
      ...anySet.map((name, i) => `  b${i} = pkgs.python313Packages.${name};`),
      '  typo = pkgs.ripgrpe;',
    ];
    const uri = 'file:///project/package-set.nix';
    await client.open(uri, `{ pkgs, ... }: {\n${lines.join('\n')}\n}\n`);
    const published = await client.diagnosticsFor(uri, 1);
    expect(published.diagnostics.filter((d) => d.code === 'unknown-package').map((d) => d.message)).toEqual([
      "Unknown nixpkgs package 'ripgrpe'. Did you mean 'ripgrep'?",
    ]);
  });

  it('hovers an option with its type and description', async () => {
    const uri = 'file:///project/hover-option.nix';
    await client.open(uri, '{ config, ... }: { services.openssh.enable = true; }');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 38 } });
    expect(JSON.stringify(hover.contents)).toContain('boolean');
  });
});
