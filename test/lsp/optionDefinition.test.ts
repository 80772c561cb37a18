// Go to definition on NixOS options through the built server: into the declaring module when the
// pinned nixpkgs (here a local tree named by NIX_PATH) is on disk, else to the declaration's page.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Location } from 'vscode-languageserver-protocol';
import { repoRoot, TestClient } from '../support/lspClient';

const fixtures = join(repoRoot, 'test', 'fixtures', 'knowledge');
const NGINX = 'nixos/modules/services/web-servers/nginx';

describe('option definition over LSP', () => {
  const root = mkdtempSync(join(tmpdir(), 'nix-nur-option-definition-'));
  const nixpkgs = join(root, 'nixpkgs');
  let client: TestClient;

  beforeAll(async () => {
    cpSync(join(fixtures, 'option-sources'), nixpkgs, { recursive: true });
    ({ client } = await TestClient.start({
      env: { ...process.env, NIX_PATH: `nixpkgs=${nixpkgs}` },
      initializationOptions: {
        cacheDirectory: join(root, 'cache'),
        // Nothing is evaluated: the options come from a file, the pin only says where the source is.
        trusted: false,
        nixNur: { offline: true, nixpkgs: { packages: '' }, nixos: { options: join(fixtures, 'options.json') }, homeManager: { options: '' }, nur: { repos: '', packages: '' } },
      },
    }));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await client.request<{ sources: { source: string; state: string }[] }>('nixNur/status', {});
      if (status.sources.every((s) => s.state === 'ready' || s.state === 'off')) break;
      if (Date.now() > deadline) throw new Error(`options not ready: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);
  afterAll(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function definition(marked: string): Promise<Location[]> {
    const offset = marked.indexOf('|');
    const text = marked.replace('|', '');
    const uri = pathToFileURL(join(root, `module-${Math.random().toString(36).slice(2)}.nix`)).href;
    await client.open(uri, text);
    return client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: offset } });
  }

  it('opens the binding that declares the option in the pinned nixpkgs', async () => {
    const locations = await definition('{ config, ... }: { services.nginx.ena|ble = true; }');
    expect(locations).toEqual([
      {
        uri: pathToFileURL(join(nixpkgs, NGINX, 'default.nix')).href,
        range: { start: { line: 10, character: 6 }, end: { line: 10, character: 12 } },
      },
    ]);
  });

  it('follows a submodule option into the file that declares it', async () => {
    const locations = await definition('{ ... }: { services.nginx.virtualHosts."example.org".ro|ot = ./www; }');
    expect(locations.map((l) => [l.uri, l.range.start.line])).toEqual([[pathToFileURL(join(nixpkgs, NGINX, 'vhost-options.nix')).href, 6]]);
  });

  it('answers with the declaration on GitHub when the file is not on disk', async () => {
    const locations = await definition('{ ... }: { boot.kernel.sys|ctl."net.ipv4.ip_forward" = 1; }');
    expect(locations).toHaveLength(1);
    expect(locations[0]!.uri).toMatch(/^https:\/\/github\.com\/NixOS\/nixpkgs\/blob\/[^/]+\/nixos\/modules\/config\/sysctl\.nix$/);
  });
});
