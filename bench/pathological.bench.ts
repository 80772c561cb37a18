// Inputs that used to block the server, and how long the first answers on them take now. The
// baseline rows are web-tree-sitter alone, unbounded, on the same shape at growing depth: the
// grammar's lexer makes a long run like `x.a.a.a…` quadratic (each token rereads the rest of the
// run), so 50,000 deep would take minutes. The server gives such a parse up at its budget
// (`syntax/boundedParse.ts`) and answers; the aim is every answer within 1 s.
//
// `npm run bench pathological`.
import { join } from 'node:path';
import { createNixParser, findParserFiles } from '../server/src/syntax/parser';
import { TestClient } from '../test/support/lspClient';
import { meets, ms, printTable, slope } from './support/stats';

const AIM_MS = 1000;

const shapes: { name: string; text: (depth: number) => string; cursor: number }[] = [
  { name: '`x.a.a.a…` select', text: (depth) => 'x' + '.a'.repeat(depth), cursor: 5 },
  { name: '`x+a+a…` sum', text: (depth) => 'x' + '+a'.repeat(depth), cursor: 5 },
  { name: 'unclosed `{`', text: (depth) => '{'.repeat(depth), cursor: 5 },
];

async function main() {
  const parser = await createNixParser(findParserFiles([join(process.cwd(), 'dist')]));
  const rows: string[][] = [];

  for (const shape of shapes) {
    const points: { x: number; y: number }[] = [];
    for (const depth of [1_000, 2_000, 4_000]) {
      const start = performance.now();
      parser.parse(shape.text(depth))!.delete();
      const took = performance.now() - start;
      points.push({ x: depth, y: took });
      rows.push([`baseline: unbounded parse, ${shape.name} ${depth.toLocaleString('en')} deep`, ms(took), '']);
    }
    const perThousand = slope(points) * 1000;
    const growth = points[2].y / Math.max(points[0].y, 0.001);
    rows.push([`  growth 1k → 4k deep (4× the text): ${growth.toFixed(1)}× the time; ${ms(perThousand)} per 1,000 more`, '', '']);
  }

  const { client } = await TestClient.start({ initializationOptions: { nixNur: { diagnostics: { debounceMs: 0 } } } });
  for (const shape of shapes) {
    const uri = `file:///bench/${shape.name.replace(/\W+/g, '-')}.nix`;
    const position = { line: 0, character: shape.cursor };
    let start = performance.now();
    await client.open(uri, shape.text(50_000));
    await client.diagnosticsFor(uri, 1, 600_000);
    const toDiagnostics = performance.now() - start;
    rows.push([`LSP, 50,000 deep ${shape.name}: didOpen → diagnostics`, ms(toDiagnostics), meets(toDiagnostics, AIM_MS + 1000)]);
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/definition', 'textDocument/documentSymbol']) {
      start = performance.now();
      await client.request(method, { textDocument: { uri }, position });
      const took = performance.now() - start;
      rows.push([`LSP, 50,000 deep ${shape.name}: ${method.slice('textDocument/'.length)}`, ms(took), meets(took, AIM_MS)]);
    }
  }
  await client.stop();

  console.log(`Aim: every answer within ${AIM_MS} ms (diagnostics: within the parse budget, about a second more).\n`);
  printTable(['what', 'time', 'aim'], rows);
}

void main();
