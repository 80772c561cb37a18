// Bad input must never take the server down: garbage, huge and deeply nested files, and long runs
// of random edits. After random edits the incrementally maintained tree must equal a fresh parse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentSymbol, FoldingRange } from 'vscode-languageserver-protocol';
import { repoRoot, TestClient } from '../support/lspClient';
import { seededRandom } from '../support/random';

const fixtureNames = ['flake.nix', 'modules/configuration.nix', 'pkgs/hello-nur/default.nix'];
const fixtures = fixtureNames.map((name) => readFileSync(join(repoRoot, 'test', 'fixtures', 'workspace', name), 'utf8'));

describe('robustness', () => {
  let client: TestClient;
  beforeAll(async () => {
    ({ client } = await TestClient.start({ initializationOptions: { nixNur: { diagnostics: { debounceMs: 10 } } } }));
  });
  afterAll(async () => {
    expect(await client.stop()).toBe(0);
  });

  const symbols = (uri: string) => client.request<DocumentSymbol[] | null>('textDocument/documentSymbol', { textDocument: { uri } });

  it('survives binary garbage', async () => {
    const random = seededRandom(1);
    let garbage = '';
    for (let i = 0; i < 20_000; i++) garbage += String.fromCharCode(Math.floor(random() * 0xffff));
    const uri = 'file:///project/garbage.nix';
    await client.open(uri, garbage);
    const published = await client.diagnosticsFor(uri, 1, 20_000);
    expect(published.diagnostics.length).toBeGreaterThan(0);
    expect(published.diagnostics.length).toBeLessThanOrEqual(100);
    expect(await symbols(uri)).toBeInstanceOf(Array);
  });

  it('does not parse a 5 MB file, and keeps answering', async () => {
    let text = '{\n';
    for (let i = 0; text.length < 5_000_000; i++) text += `  pkg${i} = { name = "p${i}"; version = "1.${i}"; deps = [ a b c ]; };\n`;
    text += '}\n';
    const uri = 'file:///project/huge.nix';
    await client.open(uri, text);
    expect((await client.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
    expect(await symbols(uri)).toBeNull();
    await client.change(uri, 2, [{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 2 } }, text: 'x' }]);
    expect((await client.diagnosticsFor(uri, 2)).diagnostics).toEqual([]);
    // Other documents are unaffected.
    const small = 'file:///project/small.nix';
    await client.open(small, '{ a = 1; }');
    expect((await symbols(small))!.map((s) => s.name)).toEqual(['a']);
    expect(client.logs.some((line) => line.includes('huge.nix') && line.includes('maxFileSize'))).toBe(true);
    // Said once, visibly (window/showMessage), though the document was edited and asked about since.
    expect(client.messages.filter((m) => m.message.includes('huge.nix is not analysed'))).toEqual([
      { type: 2, message: expect.stringContaining('more than nixNur.maxFileSize (1,000,000)') },
    ]);
  });

  it('handles deeply nested expressions', async () => {
    const depth = 20_000;
    const lists = '['.repeat(depth) + ']'.repeat(depth);
    const sets = '{ a = '.repeat(depth) + '1' + '; }'.repeat(depth);
    const lets = 'let a = 1; in '.repeat(depth) + 'a';
    for (const [name, text] of [['lists', lists], ['sets', sets], ['lets', lets]]) {
      const uri = `file:///project/deep-${name}.nix`;
      await client.open(uri, text);
      const errors = (await client.diagnosticsFor(uri, 1, 30_000)).diagnostics.filter((d) => d.severity === 1);
      expect(errors, name).toEqual([]);
      expect(await symbols(uri), name).toBeInstanceOf(Array);
      const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
      expect(folds, name).toBeInstanceOf(Array);
      await client.request('textDocument/selectionRange', { textDocument: { uri }, positions: [{ line: 0, character: Math.floor(text.length / 2) }] });
    }
  });

  it('keeps the incremental tree identical to a fresh parse through random edits on real files', async () => {
    const random = seededRandom(42);
    const snippets = ['{', '}', ';', ' = ', '"', "''", '${', 'let ', ' in ', '\n', 'pkgs.', '[ ', ' ]', '# c\n', 'x', 'é', '😀', '/*', '*/', ', ', ': '];
    for (const [index, original] of fixtures.entries()) {
      const uri = `file:///project/edited-${index}.nix`;
      let text = original;
      let version = 1;
      await client.open(uri, text, version);
      for (let step = 0; step < 150; step++) {
        // One to three changes per notification, applied in order, as editors batch them.
        const changes = [];
        for (let c = Math.floor(random() * 3) + 1; c > 0; c--) {
          const start = Math.floor(random() * (text.length + 1));
          const end = Math.min(text.length, start + (random() < 0.5 ? 0 : Math.floor(random() * 8)));
          const insert = random() < 0.8 ? snippets[Math.floor(random() * snippets.length)] : '';
          changes.push({ range: { start: positionAt(text, start), end: positionAt(text, end) }, text: insert });
          text = text.slice(0, start) + insert + text.slice(end);
        }
        await client.change(uri, ++version, changes);
        if (step % 25 === 24) {
          const fresh = `file:///project/fresh-${index}-${step}.nix`;
          await client.open(fresh, text);
          expect(await symbols(uri), `step ${step} of ${fixtureNames[index]}`).toEqual(await symbols(fresh));
          const [incremental, reference] = await Promise.all([client.diagnosticsFor(uri, version), client.diagnosticsFor(fresh, 1)]);
          expect(incremental.diagnostics).toEqual(reference.diagnostics);
        }
      }
    }
  });
});

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
