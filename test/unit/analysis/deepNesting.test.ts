// Generated Nix can nest thousands of levels deep. Every entry point of the analysis must answer
// on such code without exhausting the stack: the part deeper than MAX_ANALYSIS_DEPTH is not
// analysed name by name, and its variables still count as uses of the definitions around it.
import { describe, expect, it } from 'vitest';
import { analyzeTree, MAX_ANALYSIS_DEPTH, symbolAt } from '../../../server/src/analysis/analysis';
import { contextAt } from '../../../server/src/analysis/context';
import { knowledgeSites } from '../../../server/src/analysis/knowledgeSites';
import { importedModules } from '../../../server/src/analysis/modules';
import { localDiagnostics } from '../../../server/src/features/local/diagnostics';
import { nixParser } from './nixSnippets';

const DEPTH = 20_000;

/** `open` repeated, then `middle`, then `close` repeated: `DEPTH` levels of one construct. */
function nested(open: string, middle: string, close = ''): string {
  return open.repeat(DEPTH) + middle + close.repeat(DEPTH);
}

const CASES: Record<string, string> = {
  'attribute sets': nested('{ a = ', 'x', '; }'),
  'rec sets': nested('rec { a = ', 'x', '; }'),
  lists: nested('[ ', 'x', ' ]'),
  'let bodies': nested('let a = 1; in ', 'x'),
  'let values': nested('let a = ', 'x', '; in a'),
  lambdas: nested('y: ', 'x'),
  'formals lambdas': nested('{ y ? 1 }: ', 'x'),
  applications: nested('f (', 'x', ')'),
  'with bodies': nested('with y; ', 'x'),
  parentheses: nested('(', 'x', ')'),
  'if chains': nested('if c then 1 else ', 'x'),
  'update chains': 'x' + ' // { }'.repeat(DEPTH),
  'module sets': `{ config, ... }: { services = ${nested('{ a = ', 'x', '; }')}; }`,
};

describe('deeply nested code', () => {
  for (const [name, body] of Object.entries(CASES)) {
    it(`analyses ${name} without exhausting the stack`, async () => {
      const parser = await nixParser();
      // `x` is defined outside and used only at the very bottom; `f`, `y` and `c` on every level.
      const text = `let x = 1; unused = 2; f = a: a; y = { }; c = true; in ${body}`;
      const tree = parser.parse(text)!;
      try {
        const analysis = analyzeTree(tree, text);
        expect(analysis.skipped).toBe(false);
        expect(analysis.tooDeep.length).toBeGreaterThan(0);
        // The use at the bottom still reaches the definition; the shallow part is fully analysed.
        const x = analysis.definitions.find((d) => d.name === 'x')!;
        expect(x.uses.map((u) => u.node.start)).toContain(text.lastIndexOf('x'));
        const codes = localDiagnostics(analysis, 'file:///deep.nix').map((d) => `${d.code}:${text.slice(analysis.lines.offsetAt(d.range.start), analysis.lines.offsetAt(d.range.end))}`);
        expect(codes).toContain('unused-binding:unused');
        expect(codes).not.toContain('unused-binding:x');
        expect(codes.filter((c) => c.startsWith('undefined-variable'))).toEqual([]);

        const bottom = text.lastIndexOf('x') + 1;
        for (const offset of [bottom, Math.floor(text.length / 2), 30]) {
          expect(contextAt(tree, text, offset, { parser }).kind).toBeTruthy();
          symbolAt(analysis, offset);
        }
        importedModules(analysis.root);
        knowledgeSites(analysis);
      } finally {
        tree.delete();
      }
    }, 60_000);
  }

  it('analyses everything up to the depth limit', async () => {
    const parser = await nixParser();
    // Each list level is one node deeper; the variable sits just above the limit.
    const levels = MAX_ANALYSIS_DEPTH - 10;
    const text = `let x = 1; in ${'[ '.repeat(levels)}x${' ]'.repeat(levels)}`;
    const tree = parser.parse(text)!;
    const analysis = analyzeTree(tree, text);
    tree.delete();
    expect(analysis.tooDeep).toEqual([]);
    expect(analysis.uses.map((u) => u.name)).toEqual(['x']);
  });
});
