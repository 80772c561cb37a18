import { describe, expect, it } from 'vitest';
import { repairAround, type RepairedTree } from '../../../server/src/analysis/repair';
import { cursor, nixParser, parse } from './nixSnippets';

/** Repairs `marked` at its cursor (the end of the word there), counting the reparses. */
async function repair(marked: string, budgetMs?: number): Promise<{ repaired: RepairedTree | undefined; reparses: number }> {
  const { text, offset } = cursor(marked);
  const parser = await nixParser();
  const tree = await parse(text);
  let reparses = 0;
  const counting = new Proxy(parser, {
    get(target, key, receiver) {
      if (key !== 'parse') return Reflect.get(target, key, receiver);
      return (...args: Parameters<typeof parser.parse>) => {
        reparses++;
        return target.parse(...args);
      };
    },
  });
  // Taken when the whole repaired text parses without an error.
  const accept = (candidate: RepairedTree) => !candidate.tree.rootNode.hasError;
  try {
    const repaired = repairAround(counting, tree, text, offset, false, accept, budgetMs);
    return { repaired, reparses };
  } finally {
    tree.delete();
  }
}

describe('repairing code being typed', () => {
  it('tries the completions in order until one makes the code around the cursor clean', async () => {
    const { repaired, reparses } = await repair('[ pkgs.rip|');
    expect(repaired?.text).toBe('[ pkgs.rip]');
    // ` = null;` and `;` came first and did not help.
    expect(reparses).toBe(3);
    repaired?.tree.delete();
  });

  it('stops once its time is spent, after one try at least', async () => {
    const { repaired, reparses } = await repair('[ pkgs.rip|', 0);
    expect(repaired).toBeUndefined();
    expect(reparses).toBe(1);
  });
});
