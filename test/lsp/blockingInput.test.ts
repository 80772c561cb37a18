// No document under nixNur.maxFileSize may hold the server: requests on it are answered in time,
// diagnostics are published, other documents keep working, and the user is told when a file is
// not analysed. The shapes are the ones that did block: a 50,000-deep `x.a.a.a…` select (100 KB;
// no diagnostics within 30 s, hover 15 s, symbols 11.5 s — the grammar's lexer rereads the rest of
// such a run at every token) and 50,000 unclosed `{` (hover 3 s; completion and definition
// half a minute each, in reparses through tree-sitter's error recovery).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/lspClient';

/** Generous for a slow machine; the unbounded versions took from 15 s to minutes. */
const ANSWER_WITHIN_MS = 10_000;

function within<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} was not answered within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const at = (uri: string, character: number) => ({ textDocument: { uri }, position: { line: 0, character } });

describe('documents that used to block the server', () => {
  let client: TestClient;
  beforeAll(async () => {
    ({ client } = await TestClient.start({ initializationOptions: { nixNur: { diagnostics: { debounceMs: 10 } } } }));
  });
  afterAll(async () => {
    expect(await client.stop()).toBe(0);
  });

  it('a 50,000-deep `x.a.a.a…` select: every request answers, and the user is told it is not analysed', async () => {
    const uri = 'file:///project/deep-select.nix';
    await client.open(uri, 'x' + '.a'.repeat(50_000));
    expect((await within('diagnostics', client.diagnosticsFor(uri, 1, ANSWER_WITHIN_MS))).diagnostics).toEqual([]);
    await within('hover', client.request('textDocument/hover', at(uri, 5)));
    await within('documentSymbol', client.request('textDocument/documentSymbol', { textDocument: { uri } }));
    await within('completion', client.request('textDocument/completion', at(uri, 3)));
    await within('definition', client.request('textDocument/definition', at(uri, 3)));
    await within('foldingRange', client.request('textDocument/foldingRange', { textDocument: { uri } }));
    await client.until(() => client.messages.find((m) => m.message.includes('deep-select.nix is not analysed')), ANSWER_WITHIN_MS, 'the not-analysed message');
    expect(client.messages.filter((m) => m.message.includes('deep-select.nix')).length).toBe(1);

    // Other documents are unaffected, and the file is analysed again once it is ordinary code.
    const small = 'file:///project/small-next-to-deep.nix';
    await client.open(small, '{ a = 1; }');
    expect(await within('documentSymbol', client.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri: small } }))).toEqual([
      expect.objectContaining({ name: 'a' }),
    ]);
    await client.change(uri, 2, [{ text: 'let unused = 1; in 2' }]);
    const published = await within('diagnostics after the fix', client.diagnosticsFor(uri, 2, ANSWER_WITHIN_MS));
    expect(published.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('unused')]);
  }, 120_000);

  it('50,000 unclosed `{`: hover, completion and definition answer in time', async () => {
    const uri = 'file:///project/unclosed-braces.nix';
    await client.open(uri, '{'.repeat(50_000));
    await within('diagnostics', client.diagnosticsFor(uri, 1, ANSWER_WITHIN_MS));
    await within('hover', client.request('textDocument/hover', at(uri, 5)));
    await within('completion', client.request('textDocument/completion', at(uri, 3)));
    await within('definition', client.request('textDocument/definition', at(uri, 3)));
    await within('documentSymbol', client.request('textDocument/documentSymbol', { textDocument: { uri } }));
  }, 120_000);
});
