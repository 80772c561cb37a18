// Parsing and the server's first answers on a 10,000-line file. Baseline: web-tree-sitter alone
// on the same text, so the server's own overhead shows as a ratio.
import { join } from 'node:path';
import { NixDocument } from '../server/src/syntax/document';
import { grammarText } from '../server/src/syntax/grammarText';
import { createNixParser, findParserFiles } from '../server/src/syntax/parser';
import { syntaxProblems } from '../server/src/syntax/syntaxErrors';
import { documentSymbols } from '../server/src/features/documentSymbols';
import { TestClient } from '../test/support/lspClient';
import { median, ms, percentile, printTable, timeRuns } from './support/stats';
import { generateNixFile } from './support/nixSource';

async function main() {
  const text = generateNixFile(10_000);
  const parser = await createNixParser(findParserFiles([join(process.cwd(), 'dist')]));
  const rows: string[][] = [];
  const row = (what: string, samples: number[], baseline?: number) =>
    rows.push([what, ms(median(samples)), ms(percentile(samples, 95)), baseline ? `${(median(samples) / baseline).toFixed(2)}×` : '']);

  const raw = await timeRuns(9, () => parser.parse(text)!.delete());
  const rawMedian = median(raw);
  row('baseline: web-tree-sitter full parse', raw);
  row('the text the grammar is given (grammarText, part of every parse)', await timeRuns(9, () => void grammarText(text)), rawMedian);
  row('NixDocument open + tree', await timeRuns(9, () => {
    const document = new NixDocument('file:///bench.nix', 1, text, parser);
    void document.tree;
    document.dispose();
  }), rawMedian);

  // One keystroke in the middle of the file, then the tree: the incremental path.
  const document = new NixDocument('file:///bench.nix', 1, text, parser);
  void document.tree;
  const middle = document.positionAt(Math.floor(text.length / 2));
  let version = 1;
  const rawTree = parser.parse(text)!;
  let rawText = text;
  const offset = Math.floor(text.length / 2);
  const rawIncremental = await timeRuns(30, () => {
    rawText = rawText.slice(0, offset) + ' ' + rawText.slice(offset);
    rawTree.edit({
      startIndex: offset, oldEndIndex: offset, newEndIndex: offset + 1,
      startPosition: { row: middle.line, column: middle.character },
      oldEndPosition: { row: middle.line, column: middle.character },
      newEndPosition: { row: middle.line, column: middle.character + 1 },
    });
    parser.parse(rawText, rawTree)!.delete();
  });
  row('baseline: web-tree-sitter reparse after one edit', rawIncremental);
  row('NixDocument edit + incremental reparse', await timeRuns(30, () => {
    document.update([{ range: { start: middle, end: middle }, text: ' ' }], ++version);
    void document.tree;
  }), median(rawIncremental));
  row('syntax diagnostics (clean file)', await timeRuns(9, () => syntaxProblems(document.tree)));
  row('document symbols', await timeRuns(9, () => documentSymbols(document.tree)));
  document.dispose();

  // Through JSON-RPC: didOpen → publishDiagnostics, and a documentSymbol request.
  const { client } = await TestClient.start({ initializationOptions: { nixNur: { diagnostics: { debounceMs: 0 } } } });
  const toDiagnostics: number[] = [];
  const toSymbols: number[] = [];
  for (let i = 0; i < 7; i++) {
    const uri = `file:///bench-${i}.nix`;
    const start = performance.now();
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1, 60_000);
    toDiagnostics.push(performance.now() - start);
    const symbolsStart = performance.now();
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    toSymbols.push(performance.now() - symbolsStart);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  await client.stop();
  row('LSP: didOpen → diagnostics', toDiagnostics, rawMedian);
  row('LSP: documentSymbol after open', toSymbols);

  console.log(`10,000-line file: ${text.split('\n').length} lines, ${(text.length / 1024).toFixed(0)} KiB\n`);
  printTable(['what', 'median', 'p95', 'vs baseline'], rows);
}

void main();
