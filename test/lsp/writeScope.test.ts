// Over JSON-RPC, as any client sends them: commands that write files refuse targets outside the
// workspace folders, before anything runs or is written.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/lspClient';

describe('file-writing commands stay in the workspace', () => {
  let base: string;
  let workspace: string;
  let outside: string;
  let client: TestClient;
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'write-scope-lsp-'));
    workspace = join(base, 'workspace');
    outside = join(base, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
    ({ client } = await TestClient.start({ rootUri: pathToFileURL(workspace).href }));
  });
  afterAll(async () => {
    await client.stop();
    rmSync(base, { recursive: true, force: true });
  });

  const command = (name: string, params: unknown) => client.request('workspace/executeCommand', { command: name, arguments: [params] });

  it('nixNur.nur.scaffold: `x/../../outside/nurtest` is refused and nothing is created', async () => {
    const climbing = `${pathToFileURL(workspace).href}/x/../../outside/nurtest`;
    await expect(command('nixNur.nur.scaffold', { directory: climbing, name: 'someone' })).rejects.toThrow(/outside the workspace folders/);
    expect(existsSync(join(outside, 'nurtest'))).toBe(false);
    await expect(command('nixNur.nur.scaffold', { directory: pathToFileURL(join(workspace, 'nur')).href, name: 'someone', owner: '--upload-pack=touch x' })).rejects.toThrow(
      /not a valid GitHub user or organisation name/,
    );
    expect(existsSync(join(workspace, 'nur'))).toBe(false);
  });

  it('nixNur.flake.update: a flake.nix outside the workspace and not open in the editor is refused', async () => {
    const flake = join(outside, 'flake.nix');
    writeFileSync(flake, '{ outputs = { self }: { }; }\n');
    await expect(command('nixNur.flake.update', { flake: pathToFileURL(flake).href })).rejects.toThrow(/outside the workspace folders/);
    expect(existsSync(join(outside, 'flake.lock'))).toBe(false);
    expect(readFileSync(flake, 'utf8')).toBe('{ outputs = { self }: { }; }\n');
  });
});
