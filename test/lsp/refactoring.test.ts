// Refactorings and lints through the built server over stdio: code actions at a cursor, filtered
// by kind, with edits (and a created file) an editor can apply; lint diagnostics with codes and
// the settings that silence them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';

describe('refactorings over LSP', () => {
  let client: TestClient;
  let capabilities: Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'nix-nur-refactor-'));

  beforeAll(async () => {
    const started = await TestClient.start({
      resourceOperations: ['create'],
      initializationOptions: { nixNur: { diagnostics: { debounceMs: 20, ignore: ['url-literal'], exclude: ['**/generated/*.nix'] } } },
    });
    client = started.client;
    capabilities = started.initialize.capabilities as Record<string, unknown>;
  });
  afterAll(async () => {
    expect(await client.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  async function actionsAt(uri: string, line: number, character: number, only?: string[], diagnostics: Diagnostic[] = []): Promise<CodeAction[]> {
    const position = { line, character };
    return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  it('announces refactoring kinds', () => {
    expect(capabilities.codeActionProvider).toEqual({ codeActionKinds: ['quickfix', 'refactor.rewrite', 'refactor.extract', 'refactor.inline'] });
  });

  it('offers the refactorings that apply at the cursor, with their edits', async () => {
    const uri = 'file:///project/inherit.nix';
    await client.open(uri, '{ x }: { a = x.a; }');
    const actions = await actionsAt(uri, 0, 10);
    const inherit = actions.find((a) => a.title === "Convert to 'inherit (x) a;'");
    expect(inherit).toMatchObject({ kind: 'refactor.rewrite', edit: { changes: { [uri]: [{ newText: 'inherit (x) a;', range: { start: { line: 0, character: 9 }, end: { line: 0, character: 17 } } }] } } });
    expect(actions.map((a) => a.title)).toContain("Quote attribute name 'a'");
    expect(await actionsAt(uri, 0, 10, ['quickfix'])).toEqual([]);
    expect((await actionsAt(uri, 0, 10, ['refactor.rewrite'])).length).toBeGreaterThan(0);
  });

  it('publishes lints with codes, leaves out ignored codes, and fixes them', async () => {
    const uri = 'file:///project/lints.nix';
    await client.open(uri, 'rec { src = https://example.org/a.tar.gz; }', 1);
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    expect(diagnostics.map((d) => d.code)).toEqual(['needless-rec']);
    const actions = await actionsAt(uri, 0, 1, undefined, diagnostics);
    expect(actions.find((a) => a.title === "Remove the needless 'rec'")).toMatchObject({ kind: 'quickfix', isPreferred: true, diagnostics: [{ code: 'needless-rec' }] });
    // An ignored lint's fix is no quick fix, but still a refactoring where it applies.
    const atUrl = await actionsAt(uri, 0, 15);
    expect(atUrl.filter((a) => a.title === 'Write the URL as a string').map((a) => a.kind)).toEqual(['refactor.rewrite']);
  });

  it('reports nothing for excluded files', async () => {
    const uri = 'file:///project/generated/big.nix';
    await client.open(uri, 'rec { a = 1; }', 1);
    expect((await client.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
  });

  it('extracts an attribute set to a new file with a create operation', async () => {
    const uri = pathToFileURL(join(dir, 'default.nix')).href;
    await client.open(uri, '{ lib }: {\n  settings = {\n    a = lib.mkDefault 1;\n  };\n}\n', 3);
    const actions = await actionsAt(uri, 1, 4);
    const extract = actions.find((a) => a.title === 'Extract the attribute set to ./settings.nix');
    const newUri = pathToFileURL(join(dir, 'settings.nix')).href;
    expect(extract?.edit?.documentChanges).toEqual([
      { kind: 'create', uri: newUri, options: { overwrite: false, ignoreIfExists: false } },
      { textDocument: { uri: newUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '{ lib }:\n\n{\n  a = lib.mkDefault 1;\n}\n' }] },
      { textDocument: { uri, version: 3 }, edits: [{ range: { start: { line: 1, character: 13 }, end: { line: 3, character: 3 } }, newText: 'import ./settings.nix { inherit lib; }' }] },
    ]);
  });
});

describe('refactorings for a client that cannot create files', () => {
  it('does not offer extracting to a file', async () => {
    const { client } = await TestClient.start();
    try {
      const uri = 'file:///project/no-create.nix';
      await client.open(uri, '{ settings = { a = 1; }; }');
      const position = { line: 0, character: 3 };
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } });
      expect(actions.map((a) => a.title)).toContain("Flatten 'settings' into dotted bindings");
      expect(actions.some((a) => a.title.startsWith('Extract the attribute set'))).toBe(false);
    } finally {
      await client.stop();
    }
  });
});
