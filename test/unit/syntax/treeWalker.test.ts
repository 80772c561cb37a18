// Whole-tree walks that call web-tree-sitter's WebAssembly directly must see exactly what its
// TreeCursor sees: on real files, on broken code, and on trees deep enough to grow the cursor's
// stack (and with it, possibly, the WebAssembly memory the walker reads through).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { buildSyntaxTree, descendantsOf } from '../../../server/src/analysis/syntaxTree';
import { directWalks, useDirectWalks, walkTree, type TreeWalker } from '../../../server/src/syntax/treeWalker';
import { nixParser, parseNix } from '../../support/parse';

const fixtures = join(__dirname, '..', '..', 'fixtures');

function nixFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return nixFiles(path);
    return name.endsWith('.nix') ? [path] : [];
  });
}

function trace(walker: TreeWalker): string[] {
  const seen: string[] = [];
  try {
    for (;;) {
      seen.push(`${walker.nodeTypeId} ${walker.startIndex}-${walker.endIndex} ${walker.nodeIsNamed ? 'n' : 'a'}${walker.nodeIsMissing ? 'm' : ''}`);
      if (walker.gotoFirstChild()) continue;
      while (!walker.gotoNextSibling()) if (!walker.gotoParent()) return seen;
    }
  } finally {
    walker.delete();
  }
}

/** The walk and the copy, once directly and once through TreeCursor. */
function both(tree: Tree, text: string) {
  useDirectWalks(true);
  const direct = { walk: trace(walkTree(tree)), copy: [...descendantsOf(buildSyntaxTree(tree, text))].map((n) => `${n.type} ${n.field} ${n.start}-${n.end} ${n.hasError}`) };
  useDirectWalks(false);
  const cursor = { walk: trace(walkTree(tree)), copy: [...descendantsOf(buildSyntaxTree(tree, text))].map((n) => `${n.type} ${n.field} ${n.start}-${n.end} ${n.hasError}`) };
  useDirectWalks(true);
  return { direct, cursor };
}

describe('direct tree walks', () => {
  afterEach(() => useDirectWalks(true));

  it('are used once the parser is loaded', async () => {
    await nixParser();
    expect(directWalks()).toBe(true);
  });

  it('see what TreeCursor sees on every fixture file', async () => {
    const files = nixFiles(fixtures);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const tree = await parseNix(text);
      const { direct, cursor } = both(tree, text);
      expect(direct.walk, file).toEqual(cursor.walk);
      expect(direct.copy, file).toEqual(cursor.copy);
      tree.delete();
    }
  });

  it('see the same errors and missing tokens in broken code, and non-ASCII offsets', async () => {
    for (const text of ['{ a = ; b = [ 1 2; c = "é${x}"; }', 'let x = in', '{ ünïcode = "✓"; a.${b = 1; }', '"unterminated']) {
      const tree = await parseNix(text);
      const { direct, cursor } = both(tree, text);
      expect(direct.walk, text).toEqual(cursor.walk);
      expect(direct.copy, text).toEqual(cursor.copy);
      tree.delete();
    }
  });

  it('stay right on a tree deep enough to grow the cursor stack', async () => {
    const depth = 5000;
    const text = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const tree = await parseNix(text);
    const { direct, cursor } = both(tree, text);
    expect(direct.walk.length).toBeGreaterThan(3 * depth);
    expect(direct.walk).toEqual(cursor.walk);
    tree.delete();
  });
});
