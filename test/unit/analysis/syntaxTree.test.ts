import { describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { analyzeTree, type Analysis } from '../../../server/src/analysis/analysis';
import { buildSyntaxTree, descendantsOf, lazySyntaxTree, nodeAt, type SyntaxNode } from '../../../server/src/analysis/syntaxTree';
import { MAX_REUSE_DEPTH } from '../../../server/src/analysis/subtreeReuse';
import { nixParser, parse } from './nixSnippets';

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

function pointAt(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { row: before.split('\n').length - 1, column: offset - lineStart };
}

function errorFlags(node: SyntaxNode): unknown {
  return [node.hasError, node.children.map(errorFlags)];
}

function shape(node: SyntaxNode): unknown {
  return [node.type, node.field, node.start, node.end, node.children.map(shape)];
}

describe('syntax tree copies', () => {
  it('infers the same fields tree-sitter reports', async () => {
    for (const text of CORPUS) {
      const tree = await parse(text);
      const expected = treeSitterFields(tree);
      const copy = buildSyntaxTree(tree, text);
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
      expect(shape(lazySyntaxTree(tree, text)), text).toEqual(shape(buildSyntaxTree(tree, text)));
      tree.delete();
    }
  });

  it('reads the same spans tree-sitter reports, in clean and broken code', async () => {
    // Spans of parents come from their children and identifier ends from the text: every kind of
    // first and last child (tokens, comments, missing tokens) and every kind of token is here.
    const samples = [
      ...CORPUS,
      "{ a'b-c_1 = x'; b = 0123; c = 1.5e3; d = ./a/b; e = <p/q>; f = \"x\\n\\\"\${y}z\"; g = ''a ''${b} '''c''; }",
      '/* lead */ { a = 1; /* inner */ } # trail',
      '{ # first\n  a = 1; # last\n}',
      'let\n  f = { x, y ? 2, ... }@args: x;\nin f { x = 1; } # done',
      '[ 1 2.0 "s" ./p <n> http://u.org (x) ]',
    ];
    for (const sample of samples) {
      for (let cut = sample.length; cut > 0; cut -= 7) {
        const text = sample.slice(0, cut);
        const tree = await parse(text);
        expect(shape(buildSyntaxTree(tree, text)), text).toEqual(shape(lazySyntaxTree(tree, text)));
        expect(buildSyntaxTree(tree, text).hasError, text).toBe(tree.rootNode.hasError);
        tree.delete();
      }
    }
  });

  it('copies what an edit did not touch from the copy of the earlier version', async () => {
    const parser = await nixParser();
    let text = CORPUS[0]!;
    let tree = parser.parse(text)!;
    let copy = buildSyntaxTree(tree, text);
    // A deterministic stream of edits, many of which break the code for a while.
    let seed = 42;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const pieces = ['a', ' ', ';', '{ ', ' }', '"', ' = ', '.', '\n', '(', ')', '[ ', ' ]', 'x: ', 'let y = 1; in ', '${', '# c\n'];
    for (let round = 0; round < 300; round++) {
      const at = random(text.length + 1);
      const removed = random(3) === 0 ? Math.min(random(6), text.length - at) : 0;
      const inserted = removed && random(2) === 0 ? '' : pieces[random(pieces.length)]!;
      const next = text.slice(0, at) + inserted + text.slice(at + removed);
      tree.edit({
        startIndex: at,
        oldEndIndex: at + removed,
        newEndIndex: at + inserted.length,
        startPosition: pointAt(text, at),
        oldEndPosition: pointAt(text, at + removed),
        newEndPosition: pointAt(next, at + inserted.length),
      });
      const nextTree = parser.parse(next, tree)!;
      tree.delete();
      const fresh = buildSyntaxTree(nextTree, next);
      const incremental = buildSyntaxTree(nextTree, next, copy);
      expect(shape(incremental), next).toEqual(shape(fresh));
      expect(errorFlags(incremental), next).toEqual(errorFlags(fresh));
      [text, tree, copy] = [next, nextTree, incremental];
    }
    tree.delete();
  });

  it('really takes unchanged subtrees from the earlier copy', async () => {
    const parser = await nixParser();
    const text = '{ a = { b = 1; }; c = [ 2 ]; }';
    const tree = parser.parse(text)!;
    const copy = buildSyntaxTree(tree, text);
    // Mark a node of the earlier copy far from the edit: the marker must come through.
    const inner = [...descendantsOf(copy)].find((n) => n.type === 'binding_set' && n.parent?.type === 'attrset_expression' && n.start === 8)!;
    (inner as { field: string | null }).field = 'marker';
    const next = `${text.slice(0, 27)} 3${text.slice(27)}`;
    tree.edit({ startIndex: 27, oldEndIndex: 27, newEndIndex: 29, startPosition: pointAt(text, 27), oldEndPosition: pointAt(text, 27), newEndPosition: pointAt(next, 29) });
    const nextTree = parser.parse(next, tree)!;
    const incremental = buildSyntaxTree(nextTree, next, copy);
    expect([...descendantsOf(incremental)].filter((n) => n.field === 'marker').map((n) => n.text)).toEqual(['b = 1;']);
    expect([...descendantsOf(buildSyntaxTree(nextTree, next))].some((n) => n.field === 'marker')).toBe(false);
    tree.delete();
    nextTree.delete();
  });

  it('analyses an edited document the same with or without the earlier analysis', async () => {
    const parser = await nixParser();
    const text = CORPUS[0]!;
    const tree = parser.parse(text)!;
    const previous = analyzeTree(tree, text);
    const at = text.indexOf('f = a: b: a + b;') + 'f = a: b: a + b'.length;
    const next = `${text.slice(0, at)} + cfg${text.slice(at)}`;
    tree.edit({ startIndex: at, oldEndIndex: at, newEndIndex: at + 6, startPosition: pointAt(text, at), oldEndPosition: pointAt(text, at), newEndPosition: pointAt(next, at + 6) });
    const nextTree = parser.parse(next, tree)!;
    const summary = (a: Analysis) => ({
      uses: a.uses.map((u) => `${u.name}@${u.node.start}:${u.resolution.kind}`),
      definitions: a.definitions.map((d) => `${d.name}@${d.nameNodes[0]!.start}:${d.uses.length}`),
      duplicates: a.duplicates.map((d) => d.path.join('.')),
    });
    expect(summary(analyzeTree(nextTree, next, { previous }))).toEqual(summary(analyzeTree(nextTree, next)));
    expect(summary(analyzeTree(nextTree, next, { previous })).uses).toContain(`cfg@${at + 3}:local`);
    // Handed over instead: taken once, when the copy starts.
    const steps: string[] = [];
    const handedOver = analyzeTree(nextTree, next, { takePrevious: () => (steps.push('taken'), previous) });
    expect(steps).toEqual(['taken']);
    expect(summary(handedOver)).toEqual(summary(analyzeTree(nextTree, next)));
    tree.delete();
    nextTree.delete();
  });

  it('copies the same after an earlier version that parsed thousands of levels deep', async () => {
    // An unclosed string turns the rest of the file inside out, nested far deeper than subtrees
    // are looked for in the earlier copy; closing it must give what a fresh copy gives.
    const parser = await nixParser();
    const bindings = Array.from({ length: 400 }, (_, i) => `  s${i} = { enable = true; port = ${i}; name = "n${i}"; };`);
    const quoteLine = 20;
    const unclosed = ['{', ...bindings.slice(0, quoteLine), '  note = "', ...bindings.slice(quoteLine), '}', ''].join('\n');
    const at = unclosed.indexOf('note = "') + 'note = '.length;
    const tree = parser.parse(unclosed)!;
    const previous = analyzeTree(tree, unclosed);
    const depth = (node: SyntaxNode): number => Math.max(0, ...[...descendantsOf(node)].filter((n) => n.children.length === 0).map((leaf) => {
      let d = 0;
      for (let n: SyntaxNode | null = leaf; n; n = n.parent) d++;
      return d;
    }));
    expect(depth(previous.root)).toBeGreaterThan(MAX_REUSE_DEPTH);
    const next = `${unclosed.slice(0, at)}"${unclosed.slice(at)}`;
    tree.edit({ startIndex: at, oldEndIndex: at, newEndIndex: at + 1, startPosition: pointAt(unclosed, at), oldEndPosition: pointAt(unclosed, at), newEndPosition: pointAt(next, at + 1) });
    const nextTree = parser.parse(next, tree)!;
    const incremental = analyzeTree(nextTree, next, { previous });
    const fresh = analyzeTree(nextTree, next);
    expect(shape(incremental.root)).toEqual(shape(fresh.root));
    expect(errorFlags(incremental.root)).toEqual(errorFlags(fresh.root));
    expect(incremental.uses.length).toBe(fresh.uses.length);
    tree.delete();
    nextTree.delete();
  });

  it('keeps no tree-sitter objects in the eager copy', async () => {
    const text = '{ a = [ 1 2 ]; }';
    const tree = await parse(text);
    const copy = buildSyntaxTree(tree, text);
    tree.delete();
    expect(shape(copy)).toBeTruthy();
    expect(copy.children[0]!.text).toBe('{ a = [ 1 2 ]; }');
  });

  it('flags errors and missing nodes', async () => {
    const text = '{ a = ; b = 1; }';
    const tree = await parse(text);
    const copy = buildSyntaxTree(tree, text);
    expect(copy.hasError).toBe(true);
    const missing = [...descendantsOf(copy)].filter((n) => n.isMissing).map((n) => n.type);
    expect(missing).toContain('identifier');
    const b = nodeAt(copy, 9);
    expect(b.text).toBe('b');
    expect(lazySyntaxTree(tree, text).hasError).toBe(true);
    tree.delete();
    const clean = await parse('{ a = 1; }');
    expect(buildSyntaxTree(clean, '{ a = 1; }').hasError).toBe(false);
    clean.delete();
  });

  it('finds the node at an offset, preferring the word that ends there', async () => {
    const tree = await parse('f x');
    const copy = buildSyntaxTree(tree, 'f x');
    expect(nodeAt(copy, 1, true).text).toBe('f');
    expect(nodeAt(copy, 2, false).text).toBe('x');
    expect(nodeAt(copy, 3, true).text).toBe('x');
    tree.delete();
  });
});
