// Completion lists for a client that applies `CompletionList.itemDefaults` (as VS Code declares
// it): what all items share is sent once, and resolve still finds each option's documentation
// once the client has put the defaults back into the item.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem, CompletionList, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, VSCODE_ITEM_DEFAULTS } from '../support/lspClient';
import { sharedData, sharedDataPresent } from '../support/sharedData';

const data = sharedData;
const hasData = sharedDataPresent('nixpkgs/options.json.br');

describe.runIf(hasData)('completion item defaults over LSP', () => {
  let client: TestClient;
  const cache = mkdtempSync(join(tmpdir(), 'nix-nur-cache-'));
  beforeAll(async () => {
    ({ client } = await TestClient.start({
      completionItemDefaults: VSCODE_ITEM_DEFAULTS,
      initializationOptions: {
        cacheDirectory: cache,
        nixNur: { offline: true, nixpkgs: { packages: '' }, nixos: { options: join(data, 'nixpkgs', 'options.json.br') }, nur: { repos: '', packages: '' } },
      },
    }));
    await client.untilIndexesReady(90_000);
  }, 120_000);
  afterAll(async () => {
    await client.stop();
    rmSync(cache, { recursive: true, force: true });
  });

  async function complete(source: string, line: number, character: number): Promise<CompletionList> {
    const uri = `file:///project/defaults-${Math.random().toString(36).slice(2)}.nix`;
    await client.open(uri, source);
    return client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
  }

  it('sends the replaced range and the option data once, and resolves an item with the defaults applied', async () => {
    const list = await complete('{ config, ... }:\n{\n  services.openssh.\n}\n', 2, 19);
    expect(list.itemDefaults?.editRange).toEqual({ start: { line: 2, character: 19 }, end: { line: 2, character: 19 } });
    expect(list.itemDefaults?.data).toMatchObject({ kind: 'option', scope: 'nixos', parent: ['services', 'openssh'] });
    const enable = list.items.find((item) => item.label === 'enable')!;
    expect(enable).toBeDefined();
    expect(enable.textEdit).toBeUndefined();
    expect(enable.data).toBeUndefined();
    // As the client applies the defaults: the item's data is the list's.
    const resolved = await client.request<CompletionItem>('completionItem/resolve', { ...enable, data: list.itemDefaults!.data });
    expect((resolved.documentation as MarkupContent).value).toContain('services.openssh.enable');
  });
});
