// Parses that would take minutes give up at their budget, and the parser stays usable after.
import { describe, expect, it } from 'vitest';
import { repairAround } from '../../../server/src/analysis/repair';
import { parseBudgetMs, parseWithin } from '../../../server/src/syntax/boundedParse';
import { nixParser } from '../../support/parse';

/** Each token of such a run makes the grammar's lexer read the rest of it: quadratic. */
const deepSelect = 'x' + '.a'.repeat(50_000);
const longSum = 'x' + '+a'.repeat(50_000);

describe('parseWithin', () => {
  it.each([
    ['a 50,000-deep `x.a.a.a…` select (100 KB)', deepSelect],
    ['a 50,000-term `x+a+a…` sum', longSum],
  ])('gives up on %s at its budget instead of taking minutes', async (_name, text) => {
    const parser = await nixParser();
    const started = performance.now();
    expect(parseWithin(parser, text, null, 200)).toBeUndefined();
    // Generous: the limit is checked between parser steps; minutes were the unbounded cost.
    expect(performance.now() - started).toBeLessThan(10_000);
    const after = parseWithin(parser, '{ a = 1; }', null, 5_000);
    expect(after?.rootNode.toString()).toContain('attrset_expression');
    after?.delete();
  });

  it('parses ordinary code, reusing an old tree', async () => {
    const parser = await nixParser();
    const tree = parseWithin(parser, 'let a = 1; in a', null, 5_000);
    expect(tree?.rootNode.hasError).toBe(false);
    const again = parseWithin(parser, 'let a = 1; in a', tree!, 5_000);
    expect(again?.rootNode.toString()).toBe(tree!.rootNode.toString());
    tree!.delete();
    again!.delete();
  });

  it('gives nixpkgs-sized files far more time than they need', () => {
    // A 0.8 MB file parses in about 0.2 s.
    expect(parseBudgetMs(815_037)).toBeGreaterThan(2_500);
    expect(parseBudgetMs(10)).toBeGreaterThanOrEqual(1_000);
  });
});

describe('repairs in a file of thousands of unclosed `{`', () => {
  it('stop at their budget: each reparse through error recovery took seconds', async () => {
    const parser = await nixParser();
    const text = '{'.repeat(50_000);
    const tree = parser.parse(text)!;
    const started = performance.now();
    const repaired = repairAround(parser, tree, text, text.length, true, () => true, 100);
    repaired?.tree.delete();
    tree.delete();
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
