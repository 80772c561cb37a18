// nixNur.build through the real server over JSON-RPC, as an editor runs it: progress arrives as
// $/progress, the log as nixNur/output, and the result carries the store paths. Untrusted
// workspaces are refused before Nix runs.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureWorkspace, type FixtureWorkspace } from '../fixtures/build/workspace';
import { TestClient } from '../support/lspClient';
import { nixInstallations, requireNixInCi } from '../support/nixInstallations';

requireNixInCi();

describe.each(nixInstallations().map((i) => [i.version, i] as const))('nixNur.build over LSP with Nix %s', (_version, installation) => {
  let workspace: FixtureWorkspace | undefined;
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    workspace?.remove();
  });

  it('builds a flake package with progress, log lines and output paths', async () => {
    workspace = fixtureWorkspace('flake', installation);
    ({ client } = await TestClient.start({ env: workspace.env, initializationOptions: { outputNotifications: true } }));
    const result = await client.request<{ status: string; outputs: string[] }>('workspace/executeCommand', {
      command: 'nixNur.build',
      arguments: [{ installable: '.#app', cwd: workspace.uri }],
    });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toHaveLength(1);
    expect(existsSync(installation.storePrefix + result.outputs[0])).toBe(true);
    const kinds = client.progress.map((p) => p.value.kind);
    expect(kinds[0]).toBe('begin');
    expect(kinds.at(-1)).toBe('end');
    expect(client.progress.some((p) => p.value.kind === 'report' && /Building/.test(p.value.message ?? ''))).toBe(true);
    expect(client.output.length).toBeGreaterThan(0);
  });

  it('refuses to build in an untrusted workspace', async () => {
    workspace = fixtureWorkspace('flake', installation);
    ({ client } = await TestClient.start({ env: workspace.env, initializationOptions: { trusted: false } }));
    await expect(
      client.request('workspace/executeCommand', { command: 'nixNur.build', arguments: [{ installable: '.#app', cwd: workspace.uri }] }),
    ).rejects.toThrow(/not trusted/);
    expect(client.progress).toEqual([]);
  });
});
