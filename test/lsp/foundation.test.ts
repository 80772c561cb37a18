// The built server over stdio: lifecycle, incremental sync, diagnostics, symbols, folding, selection.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentSymbol, FoldingRange, SelectionRange } from 'vscode-languageserver-protocol';
import { repoRoot, TestClient } from '../support/lspClient';

const fixtures = join(repoRoot, 'test', 'fixtures', 'workspace');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');

describe('language server over stdio', () => {
  let client: TestClient;
  let capabilities: Record<string, unknown>;
  let serverInfo: { name: string; version?: string } | undefined;

  beforeAll(async () => {
    const started = await TestClient.start({ initializationOptions: { nixNur: { diagnostics: { debounceMs: 50 } } } });
    client = started.client;
    capabilities = started.initialize.capabilities as Record<string, unknown>;
    serverInfo = started.initialize.serverInfo;
  });
  afterAll(async () => {
    expect(await client.stop()).toBe(0);
  });

  it('announces itself and incremental sync', () => {
    expect(serverInfo?.name).toBe('nix-nur-language-server');
    expect(capabilities.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(capabilities).toMatchObject({ documentSymbolProvider: expect.anything(), foldingRangeProvider: true, selectionRangeProvider: true });
  });

  it('publishes syntax errors with readable messages and clears them after an incremental fix', async () => {
    const uri = 'file:///project/broken.nix';
    await client.open(uri, '{\n  a = 1;\n  b = 2\n}\n', 1);
    const first = await client.diagnosticsFor(uri, 1);
    expect(first.diagnostics).toHaveLength(1);
    expect(first.diagnostics[0]).toMatchObject({
      message: "Missing ';' at the end of this binding",
      code: 'missing-semicolon',
      severity: 1,
      source: 'nix-nur',
      range: { start: { line: 2, character: 6 }, end: { line: 2, character: 7 } },
    });
    // Type the ';' as an editor sends it: one incremental change.
    await client.change(uri, 2, [{ range: { start: { line: 2, character: 7 }, end: { line: 2, character: 7 } }, text: ';' }]);
    expect((await client.diagnosticsFor(uri, 2)).diagnostics).toEqual([]);
    // And break it again elsewhere: an unclosed brace after deleting the last line's '}'.
    await client.change(uri, 3, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 1 } }, text: '' }]);
    const third = await client.diagnosticsFor(uri, 3);
    expect(third.diagnostics.map((d) => d.message)).toEqual(["'{' is never closed: expected '}'"]);
    expect(third.diagnostics[0].range.start).toEqual({ line: 0, character: 0 });
  });

  it('never publishes diagnostics for a version that is already outdated', async () => {
    const uri = 'file:///project/typing.nix';
    await client.open(uri, '{ }', 1);
    await client.diagnosticsFor(uri, 1);
    const word = 'a = 1;';
    for (let i = 0; i < word.length; i++) {
      await client.change(uri, 2 + i, [{ range: { start: { line: 0, character: 2 + i }, end: { line: 0, character: 2 + i } }, text: word[i] }]);
    }
    const last = 1 + word.length;
    expect((await client.diagnosticsFor(uri, last)).diagnostics).toEqual([]);
    const versions = client.diagnostics.get(uri)!.map((p) => p.version);
    // Typing faster than the debounce: only the first and the last version were ever published.
    expect(versions).toEqual([1, last]);
  });

  it('outlines a flake: inputs, outputs, let bindings and nested attribute sets', async () => {
    const uri = 'file:///project/flake.nix';
    await client.open(uri, read('flake.nix'));
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((s) => s.name)).toEqual(['description', 'inputs', 'outputs']);
    const inputs = symbols[1];
    expect(inputs.children!.map((s) => s.name)).toEqual(['nixpkgs.url', 'home-manager', 'nur.url']);
    expect(inputs.children![1].children!.map((s) => s.name)).toEqual(['url', 'inputs.nixpkgs.follows']);
    const outputs = symbols[2];
    expect(outputs.kind).toBe(12); // Function
    expect(outputs.children!.map((s) => s.name)).toEqual(['system', 'pkgs', 'packages.${system}', 'nixosConfigurations.workstation']);
    const workstation = outputs.children![3];
    expect(workstation.detail).toBe('nixpkgs.lib.nixosSystem');
    expect(workstation.children!.map((s) => s.name)).toEqual(['system', 'modules']);
    expect(workstation.children![1].children!.map((s) => s.name)).toEqual(['[2]']);
    expect(workstation.children![1].children![0].children!.map((s) => s.name)).toEqual(['networking.hostName']);
  });

  it('outlines NixOS option paths as written', async () => {
    const uri = 'file:///project/configuration.nix';
    await client.open(uri, read('modules/configuration.nix'));
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((s) => s.name)).toEqual([
      'services.openssh.enable',
      'services.nginx',
      'users.users.alice',
      'environment.systemPackages',
      'boot.kernel.sysctl.net.ipv4.ip_forward',
    ]);
    expect(symbols[1].children!.map((s) => s.name)).toEqual(['enable', 'virtualHosts.example.org']);
    expect(symbols[0]).toMatchObject({ kind: 17, selectionRange: { start: { line: 4, character: 2 }, end: { line: 4, character: 25 } } });
  });

  it('folds attribute sets, lists, comments and regions', async () => {
    const uri = 'file:///project/configuration.nix';
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    const spans = ranges.map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);
    expect(spans).toContain('3-12 region');
    expect(spans).toContain('5-10'); // services.nginx = { … }
    expect(spans).toContain('19-24'); // the package list, up to the line before ']'
    expect(spans).toContain('2-26'); // the module's attribute set, up to the line before '}'
  });

  it('expands a selection from a word outwards', async () => {
    const uri = 'file:///project/configuration.nix';
    const [selection] = await client.request<SelectionRange[]>('textDocument/selectionRange', {
      textDocument: { uri },
      positions: [{ line: 8, character: 8 }],
    });
    const texts: string[] = [];
    const lines = read('modules/configuration.nix').split('\n');
    for (let s: SelectionRange | undefined = selection; s; s = s.parent) {
      const { start, end } = s.range;
      texts.push(start.line === end.line ? lines[start.line].slice(start.character, end.character) : `${start.line}-${end.line}`);
    }
    expect(texts.slice(0, 4)).toEqual(['forceSSL', 'forceSSL = true;', '8-9', '7-10']);
    expect(texts.at(-1)).toBe('0-28');
  });

  it('has no command id that the VS Code client registers itself', () => {
    // vscode-languageclient registers every server command in VS Code; a client command of the
    // same id would make activation fail.
    const serverIds = (capabilities.executeCommandProvider as { commands: string[] }).commands;
    expect(serverIds).toContain('nixNur.build');
    const clientIds = new Set<string>();
    for (const file of readdirSync(join(repoRoot, 'client', 'src'), { recursive: true })) {
      if (!String(file).endsWith('.ts')) continue;
      const text = readFileSync(join(repoRoot, 'client', 'src', String(file)), 'utf8');
      for (const match of text.matchAll(/registerCommand\(\s*'([^']+)'/g)) clientIds.add(match[1]);
    }
    expect(clientIds.size).toBeGreaterThan(5);
    expect(serverIds.filter((id) => clientIds.has(id))).toEqual([]);
  });

  it('answers requests for unknown documents without failing', async () => {
    const uri = 'file:///project/never-opened.nix';
    expect(await client.request('textDocument/documentSymbol', { textDocument: { uri } })).toBeNull();
  });
});

describe('settings', () => {
  it('reads nixNur settings from workspace/configuration and warns once about a bad value', async () => {
    const { client } = await TestClient.start({ configuration: { nixNur: { diagnostics: { debounceMs: 'soon' } } } });
    try {
      const warning = await client.until(() => client.messages.find((m) => m.message.includes('debounceMs')), 10_000, 'a settings warning');
      expect(warning.type).toBe(2);
      expect(warning.message).toContain('nixNur.diagnostics.debounceMs: expected a number');
      // A notification: a request would make some editors (Neovim) block on a prompt.
      expect(warning.asRequest).toBeUndefined();
    } finally {
      await client.stop();
    }
  });

  it('reads settings from initializationOptions for clients without workspace/configuration', async () => {
    const { client } = await TestClient.start({ initializationOptions: { nixNur: { maxFileSize: -1 } } });
    try {
      const warning = await client.until(() => client.messages.find((m) => m.message.includes('maxFileSize')), 10_000, 'a settings warning');
      expect(warning.message).toContain('nixNur.maxFileSize');
    } finally {
      await client.stop();
    }
  });
});
