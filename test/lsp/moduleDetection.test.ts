// Real nixpkgs files through the built server with the real NixOS option index: the package
// collection (all-packages.nix, which once got 174 `unknown-option` warnings) is no module, and a
// real NixOS module still gets its options checked.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/lspClient';
import { sharedData, sharedDataPresent } from '../support/sharedData';

const data = sharedData;
const archive = join(data, 'sources', 'nixpkgs-slim.tar.gz');
const hasData = sharedDataPresent('sources/nixpkgs-slim.tar.gz', 'nixpkgs/options.json.br');

const ALL_PACKAGES = 'nixpkgs-slim/pkgs/top-level/all-packages.nix';
const CADDY = 'nixpkgs-slim/nixos/modules/services/web-servers/caddy/default.nix';

describe.runIf(hasData)('module detection on real nixpkgs files', () => {
  let client: TestClient;
  const scratch = mkdtempSync(join(tmpdir(), 'nix-nur-modules-'));
  beforeAll(async () => {
    const tar = spawnSync('tar', ['-xzf', archive, '-C', scratch, ALL_PACKAGES, CADDY], { stdio: 'inherit' });
    expect(tar.status).toBe(0);
    ({ client } = await TestClient.start({
      initializationOptions: {
        cacheDirectory: join(scratch, 'cache'),
        nixNur: {
          offline: true,
          diagnostics: { debounceMs: 0 },
          nixpkgs: { packages: '' },
          nixos: { options: join(data, 'nixpkgs', 'options.json.br') },
          homeManager: { options: '' },
          nur: { repos: '', packages: '' },
        },
      },
    }));
    await client.untilIndexesReady();
  }, 120_000);
  afterAll(async () => {
    await client.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function codes(relativePath: string, text: string): Promise<string[]> {
    const uri = `file:///project/${relativePath}`;
    await client.open(uri, text, 1);
    return (await client.diagnosticsFor(uri, 1, 30_000)).diagnostics.map((d) => `${String(d.code)}: ${d.message}`);
  }

  it('does not check nixpkgs’ package collection as a module', async () => {
    const text = readFileSync(join(scratch, ALL_PACKAGES), 'utf8');
    const found = await codes('pkgs/top-level/all-packages.nix', text);
    expect(found.filter((c) => c.startsWith('unknown-option'))).toEqual([]);
    expect(found.filter((c) => c.startsWith('missing') || c.startsWith('unexpected'))).toEqual([]);
  });

  it('still checks a real NixOS module', async () => {
    const text = readFileSync(join(scratch, CADDY), 'utf8');
    expect((await codes('nixos/modules/caddy.nix', text)).filter((c) => c.startsWith('unknown-option'))).toEqual([]);
    // The same module with one option misspelt.
    const misspelt = text.replace('systemd.packages = [ cfg.package ];', 'systemd.pakages = [ cfg.package ];');
    expect(misspelt).not.toBe(text);
    expect((await codes('nixos/modules/caddy-misspelt.nix', misspelt)).filter((c) => c.startsWith('unknown-option'))).toEqual([
      expect.stringContaining("'systemd.pakages'"),
    ]);
  });
});
