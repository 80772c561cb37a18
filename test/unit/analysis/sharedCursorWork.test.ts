// Questions about the same version of a text share what one of them copied or repaired: the
// answers must be exactly those a fresh computation gives, before and after an edit.
import { describe, expect, it } from 'vitest';
import { contextAt } from '../../../server/src/analysis/context';
import { sharedLazySyntaxTree } from '../../../server/src/analysis/syntaxTree';
import { cursor, nixParser, parse } from './nixSnippets';

describe('the lazy copy shared by the questions about one version', () => {
  it('is the same copy for the same tree and text, and a new one for a new tree', async () => {
    const text = '{ a = 1; b = { c = 2; }; }';
    const tree = await parse(text);
    const next = await parse(`${text} `);
    try {
      const first = sharedLazySyntaxTree(tree, text);
      expect(sharedLazySyntaxTree(tree, text)).toBe(first);
      expect(sharedLazySyntaxTree(next, `${text} `)).not.toBe(first);
    } finally {
      tree.delete();
      next.delete();
    }
  });

  it('is kept for the few trees asked about last only', async () => {
    const texts = ['{ a = 1; }', '{ b = 2; }', '{ c = 3; }', '{ d = 4; }', '{ e = 5; }'];
    const trees = await Promise.all(texts.map((text) => parse(text)));
    try {
      const first = sharedLazySyntaxTree(trees[0]!, texts[0]!);
      // Asked again after others: still kept while among the last four.
      sharedLazySyntaxTree(trees[1]!, texts[1]!);
      expect(sharedLazySyntaxTree(trees[0]!, texts[0]!)).toBe(first);
      for (let i = 1; i < texts.length; i++) sharedLazySyntaxTree(trees[i]!, texts[i]!);
      expect(sharedLazySyntaxTree(trees[0]!, texts[0]!)).not.toBe(first);
    } finally {
      for (const tree of trees) tree.delete();
    }
  });

  it('is never shared for a large text', async () => {
    const text = `{ ${'a = 1; '.repeat(30_000)}}`;
    const tree = await parse(text);
    try {
      expect(sharedLazySyntaxTree(tree, text)).not.toBe(sharedLazySyntaxTree(tree, text));
    } finally {
      tree.delete();
    }
  });
});

describe('repeated questions about broken code', () => {
  it('answer as the first did, along the whole word, and follow an edit', async () => {
    const parser = await nixParser();
    // Broken where the cursor is: the name is read from a repaired copy of the text. The words of
    // the two versions end at the same offset.
    const versions = ['{ pkgs, ... }: {\n  services.openssh.setti|\n}\n', '{ pkgs, ... }: {\n  services.nginx.virtual|\n}\n'];
    for (const marked of versions) {
      const { text, offset } = cursor(marked);
      const tree = await parse(text);
      try {
        const first = contextAt(tree, text, offset, { parser });
        expect(first).toMatchObject({ kind: 'option' });
        const offsets = [offset, offset - 1, offset - 3, offset - 2];
        // Asked one after another (as hovers along the word are): the kept repair answers.
        const answers = offsets.map((at) => contextAt(tree, text, at, { parser }));
        for (const [i, at] of offsets.entries()) {
          // Each the same as a computation on a tree of its own, with nothing kept to share.
          const freshTree = await parse(text);
          try {
            expect(answers[i], `${marked} at ${at}`).toEqual(contextAt(freshTree, text, at, { parser }));
          } finally {
            freshTree.delete();
          }
        }
        expect(contextAt(tree, text, offset, { parser })).toEqual(first);
      } finally {
        tree.delete();
      }
    }
  });
});
