// Memory stays bounded with several large documents open: only the most recently used keep their
// trees and analyses, within a budget of characters, and a document whose state was released is
// parsed and analysed again when next asked about. The answers must not change with it: here a
// large document is asked everything once, pushed out by two others, and asked again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARSED_TEXT_BUDGET } from '../../server/src/analysableDocuments';
import { TestClient } from '../support/lspClient';

/** A package-set-like file of about `characters` characters, with names to hover and two problems. */
function largeDocument(characters: number, tag: string): string {
  const lines = ['{ lib, pkgs, ... }:', 'let', `  helper${tag} = x: x + 1;`, '  unusedThing = 1;', 'in {'];
  for (let i = 0; lines.join('\n').length < characters; i++) {
    lines.push(`  item${i} = { name = "item${i}-${tag}"; value = helper${tag} ${i}; deps = [ pkgs.hello lib.id ]; };`);
  }
  lines.push('  last = missingName;', '}', '');
  return lines.join('\n');
}

/** Three documents together over the budget: opening the third releases the first. */
const SIZE = Math.ceil((PARSED_TEXT_BUDGET * 0.42) / 1000) * 1000;
const uris = ['a', 'b', 'c'].map((name) => `file:///eviction/${name}.nix`);
const texts = ['a', 'b', 'c'].map((tag) => largeDocument(SIZE, tag));

describe('documents whose trees and analyses were released', () => {
  let client: TestClient;
  beforeAll(async () => {
    ({ client } = await TestClient.start({ initializationOptions: { nixNur: { diagnostics: { debounceMs: 0 } } } }));
  }, 30_000);
  afterAll(async () => {
    await client?.stop();
  });

  it('give the same answers once rebuilt', async () => {
    const [a, b, c] = uris as [string, string, string];
    const text = texts[0]!;
    const lines = text.split('\n');
    const useLine = 5 + 1200;
    const useCharacter = lines[useLine]!.indexOf('helpera') + 2;
    const position = { line: useLine, character: useCharacter };
    const answers = async (version: number) => ({
      diagnostics: (await client.diagnosticsFor(a, version, 60_000)).diagnostics,
      hover: await client.request('textDocument/hover', { textDocument: { uri: a }, position }),
      definition: await client.request('textDocument/definition', { textDocument: { uri: a }, position }),
      references: await client.request('textDocument/references', { textDocument: { uri: a }, position, context: { includeDeclaration: true } }),
      tokens: ((await client.request('textDocument/semanticTokens/full', { textDocument: { uri: a } })) as { data: number[] }).data,
      symbols: await client.request('textDocument/documentSymbol', { textDocument: { uri: a } }),
    });

    await client.open(a, text);
    const before = await answers(1);
    // The answers are about something: the use resolves, and both problems are reported.
    expect(before.definition).toMatchObject([{ uri: a, range: { start: { line: 2 } } }]);
    expect(before.diagnostics.map((d) => d.message).join('\n')).toMatch(/unusedThing[\s\S]*missingName|missingName[\s\S]*unusedThing/);
    expect(before.tokens.length).toBeGreaterThan(1000);
    // Re-indexing after the open has run, so nothing asks for `a` while the others are opened.
    await new Promise((resolve) => setTimeout(resolve, 500));

    for (const [uri, other] of [[b, texts[1]!], [c, texts[2]!]] as const) {
      await client.open(uri, other);
      await client.diagnosticsFor(uri, 1, 60_000);
    }
    expect(client.logs.filter((line) => line.startsWith('released the tree and analysis of'))).toEqual([
      `released the tree and analysis of ${a} to make room (rebuilt when next needed)`,
    ]);

    // An edit that leaves the text as it was brings diagnostics again, from a fresh parse.
    const edited = { start: { line: 3, character: 2 }, end: { line: 3, character: 13 } };
    await client.change(a, 2, [{ range: edited, text: 'unusedThing' }]);
    const after = await answers(2);
    expect(after).toEqual(before);
  }, 120_000);
});
