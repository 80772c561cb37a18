// Flake inputs through the real server, as an editor uses them: diagnostics and lenses from the
// lock, nixNur.flake.update, and nixNur.flake.pin editing the open (unsaved) flake.nix through
// workspace/applyEdit before Nix relocks from disk.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { gitEnvironment } from '../support/gitEnvironment';
import { TestClient } from '../support/lspClient';
import { nixInstallations, requireNixInCi } from '../support/nixInstallations';

requireNixInCi();

describe.each(nixInstallations().map((i) => [i.version, i] as const))('flake inputs over LSP with Nix %s', (_version, installation) => {
  let root: string | undefined;
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('locks, updates and pins an input while flake.nix is open', async () => {
    root = mkdtempSync(join(tmpdir(), 'nix-nur-flake-lsp-'));
    const { env, git, commitFlake } = gitEnvironment(installation, root);
    const dep = join(root, 'dep');
    const first = commitFlake(dep, '{ outputs = _: { value = 1; }; }\n', 'first');

    const flakeDir = join(root, 'app');
    mkdirSync(flakeDir);
    const flakePath = join(flakeDir, 'flake.nix');
    const text = `{\n  inputs.dep.url = "git+file://${dep}";\n  outputs = { self, dep }: { };\n}\n`;
    writeFileSync(flakePath, text);
    git(flakeDir, 'init', '-q');
    git(flakeDir, 'add', '-A');
    const uri = pathToFileURL(flakePath).href;

    ({ client } = await TestClient.start({ env, initializationOptions: { nixNur: { diagnostics: { debounceMs: 10 } } } }));
    await client.open(uri, text);
    const before = await client.diagnosticsFor(uri, 1);
    expect(before.diagnostics.map((d) => d.code)).toContain('flake-input-not-locked');

    const command = (name: string, args: object) => client!.request<Record<string, unknown>>('workspace/executeCommand', { command: name, arguments: [args] });
    await command('nixNur.flake.update', { flake: uri });
    const lock = () => JSON.parse(readFileSync(join(flakeDir, 'flake.lock'), 'utf8'));
    expect(lock().nodes.dep.locked.rev).toBe(first);

    // The lens shows the locked revision.
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    expect(lenses.some((lens) => lens.command?.title.includes(first.slice(0, 7)))).toBe(true);

    const second = commitFlake(dep, '{ outputs = _: { value = 2; }; }\n', 'second');
    const updated = await command('nixNur.flake.update', { flake: uri, input: 'dep' });
    expect(JSON.stringify(updated)).toContain(second);
    expect(lock().nodes.dep.locked.rev).toBe(second);

    // Pin to the first commit: the open buffer is edited (one undoable edit). This client cannot
    // save on request, so flake.nix on disk is never written behind it: the lock is made from a
    // copy holding the edited text, and the buffer keeps the edit until the user saves.
    const pinned = await command('nixNur.flake.pin', { flake: uri, input: 'dep', rev: first });
    expect(client.appliedEdits).toHaveLength(1);
    expect(client.texts.get(uri)!.getText()).toContain(`rev=${first}`);
    expect(readFileSync(flakePath, 'utf8')).toBe(text);
    expect(lock().nodes.dep.locked.rev).toBe(first);
    expect(JSON.stringify(pinned.warnings)).toContain('not saved');

    // An editor that saves on request (as VS Code does, through nixNur/saveDocument): the edit is
    // saved, and Nix locks the file on disk.
    writeFileSync(flakePath, client.texts.get(uri)!.getText());
    client.connection.onRequest('nixNur/saveDocument', (params: { uri: string }) => {
      writeFileSync(flakePath, client!.texts.get(params.uri)!.getText());
      return true;
    });
    await command('nixNur.flake.unpin', { flake: uri, input: 'dep' });
    expect(client.appliedEdits).toHaveLength(2);
    const onDisk = readFileSync(flakePath, 'utf8');
    expect(onDisk).not.toContain(`rev=${first}`);
    expect(onDisk).toBe(client.texts.get(uri)!.getText());
    expect(lock().nodes.dep.locked.rev).toBe(second);

    // An unknown input is refused with a clear message, and nothing changes.
    const lockText = readFileSync(join(flakeDir, 'flake.lock'), 'utf8');
    await expect(command('nixNur.flake.update', { flake: uri, input: 'nope' })).rejects.toThrow(/nope/);
    expect(readFileSync(join(flakeDir, 'flake.lock'), 'utf8')).toBe(lockText);
  });
});
