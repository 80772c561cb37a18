// A first start with no network and an empty cache: every index fails to download at once. The
// user gets one calm message that says what failed, what still works and which settings take
// files, and everything that needs no index answers as usual.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionList, Hover } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';

// Nothing listens on the discard port: every download is refused, as offline.
const unreachable = (file: string) => `http://127.0.0.1:9/${file}`;

describe('a first start offline', () => {
  let client: TestClient;
  const cache = mkdtempSync(join(tmpdir(), 'nix-nur-offline-cache-'));
  beforeAll(async () => {
    ({ client } = await TestClient.start({
      initializationOptions: {
        cacheDirectory: cache,
        nixNur: {
          nixpkgs: { packages: unreachable('packages.json.br') },
          nixos: { options: unreachable('options.json.br') },
          nur: { repos: unreachable('repos.json'), packages: unreachable('packages.json') },
        },
      },
    }));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await client.request<{ sources: { state: string }[] }>('nixNur/status', {});
      if (status.sources.every((source) => source.state === 'failed' || source.state === 'off')) break;
      if (Date.now() > deadline) throw new Error(`indexes still loading: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 90_000);
  afterAll(async () => {
    await client.stop();
    rmSync(cache, { recursive: true, force: true });
  });

  it('shows one warning naming what failed, what works and the settings that take files', async () => {
    await client.until(() => client.messages.length > 0, 10_000, 'a message');
    // Later failures of the same burst would arrive within the digest's quiet time.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(client.messages).toHaveLength(1);
    const [{ type, message }] = client.messages;
    expect(type).toBe(2);
    expect(message).toMatch(/nixpkgs packages, NixOS options, NUR repositories and NUR packages could not be loaded/);
    expect(message).toMatch(/diagnostics, builtins, local names/);
    expect(message).toContain('`nixNur.nixpkgs.packages`');
    expect(message).toContain('`nixNur.nur.packages`');
  });

  it('still completes local names and builtins, and hovers builtins', async () => {
    const uri = 'file:///project/offline.nix';
    const text = 'let greeting = "hi"; in [ gree builtins.toStr (builtins.toString 1) ]';
    await client.open(uri, text);
    const local = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: text.indexOf('gree ') + 4 } });
    expect(local.items.map((item) => item.label)).toContain('greeting');
    const builtin = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: text.indexOf('toStr') + 5 } });
    expect(builtin.items.map((item) => item.label)).toContain('toString');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: text.indexOf('toString') + 2 } });
    expect(JSON.stringify(hover.contents)).toContain('toString');
  });
});
