import { describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { buildSyntaxTree, descendantsOf, lazySyntaxTree, nodeAt, type SyntaxNode } from '../../../server/src/analysis/syntaxTree';
import { parse } from './nixSnippets';

const CORPUS = [
  `{ config, lib, pkgs ? import <nixpkgs> { }, ... }@args:
let
  cfg = config.services.x; # a comment
  inherit (lib) mkIf /* inline */ mkOption;
  inherit args;
  f = a: b: a + b;
  s = { a.b.c = 1; "q" = 2; \${"d"} = 3; };
in
assert cfg.enable -> true;
with lib;
{
  x = if s ? a.b then s.a.b.c or 0 else -1;
  y = [ (f 1 2) ./path/\${toString 1}.nix ~/home <nixpkgs> https://x.org "str \${cfg.x} \\n" ''ind \${cfg.y} ''$ ''' '' ];
  z = rec { a = 1; b = a; } // { c = !true; d = 1.5; };
  w = let in builtins.map (x: x) [ ];
}`,
  '{ a, b ? /* c */ 1, ... }: a',
  'x: /* c */ x',
  'f /* c */ x',
  'a.b /* c */ or c',
  'let a = 1; /* c */ in a',
  'if /* c */ a then b else c',
  '{ inherit /* c */ (x) /* d */ a; }',
];

/** Fields as tree-sitter reports them, keyed by `type@start-end`, outside ERROR nodes. */
function treeSitterFields(tree: Tree): Map<string, string | null> {
  const fields = new Map<string, string | null>();
  const cursor = tree.walk();
  let errorDepth = 0;
  const walk = (depth: number) => {
    const isError = cursor.nodeType === 'ERROR';
    if (isError) errorDepth++;
    if (cursor.nodeIsNamed && errorDepth === 0 && depth > 0) {
      fields.set(`${cursor.nodeType}@${cursor.startIndex}-${cursor.endIndex}`, cursor.currentFieldName);
    }
    if (cursor.gotoFirstChild()) {
      do walk(depth + 1);
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    if (isError) errorDepth--;
  };
  walk(0);
  cursor.delete();
  return fields;
}

function shape(node: SyntaxNode): unknown {
  return [node.type, node.field, node.start, node.end, node.children.map(shape)];
}

describe('syntax tree copies', () => {
  it('infers the same fields tree-sitter reports', async () => {
    for (const text of CORPUS) {
      const tree = await parse(text);
      const expected = treeSitterFields(tree);
      const copy = buildSyntaxTree(tree);
      let compared = 0;
      for (const node of descendantsOf(copy)) {
        const key = `${node.type}@${node.start}-${node.end}`;
        if (!expected.has(key)) continue;
        expect(node.field, `${key} in ${text.slice(0, 40)}`).toBe(expected.get(key));
        compared++;
      }
      expect(compared).toBeGreaterThan(2);
      tree.delete();
    }
  });

  it('gives the same tree eagerly and lazily', async () => {
    for (const text of [...CORPUS, '{ a = ; b', 'let in']) {
      const tree = await parse(text);
      expect(shape(lazySyntaxTree(tree)), text).toEqual(shape(buildSyntaxTree(tree)));
      tree.delete();
    }
  });

  it('keeps no tree-sitter objects in the eager copy', async () => {
    const tree = await parse('{ a = [ 1 2 ]; }');
    const copy = buildSyntaxTree(tree);
    tree.delete();
    expect(shape(copy)).toBeTruthy();
    expect(copy.children[0]!.text).toBe('{ a = [ 1 2 ]; }');
  });

  it('flags errors and missing nodes', async () => {
    const tree = await parse('{ a = ; b = 1; }');
    const copy = buildSyntaxTree(tree);
    expect(copy.hasError).toBe(true);
    const missing = [...descendantsOf(copy)].filter((n) => n.isMissing).map((n) => n.type);
    expect(missing).toContain('identifier');
    const b = nodeAt(copy, 9);
    expect(b.text).toBe('b');
    expect(lazySyntaxTree(tree).hasError).toBe(true);
    tree.delete();
    const clean = await parse('{ a = 1; }');
    expect(buildSyntaxTree(clean).hasError).toBe(false);
    clean.delete();
  });

  it('finds the node at an offset, preferring the word that ends there', async () => {
    const tree = await parse('f x');
    const copy = buildSyntaxTree(tree);
    expect(nodeAt(copy, 1, true).text).toBe('f');
    expect(nodeAt(copy, 2, false).text).toBe('x');
    expect(nodeAt(copy, 3, true).text).toBe('x');
    tree.delete();
  });
});
