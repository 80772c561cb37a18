import { describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { reparseWithInsertion } from '../../../server/src/analysis/repair';
import { NixDocument } from '../../../server/src/syntax/document';
import { grammarText, parseNix, trailingFormalCommas } from '../../../server/src/syntax/grammarText';
import { nixParser } from '../../support/parse';
import { seededRandom } from '../../support/random';

/** The text with each blanked comma shown as `_`. */
function marked(text: string): string {
  const blanked = new Set(trailingFormalCommas(text));
  return [...text].map((c, i) => (blanked.has(i) ? '_' : c)).join('');
}

/** Every node of a tree with its span: what a fresh and an incremental parse must agree on. */
function shape(tree: Tree): string {
  const out: string[] = [];
  const cursor = tree.walk();
  for (;;) {
    out.push(`${cursor.nodeType}@${cursor.startIndex}-${cursor.endIndex}`);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return out.join(' ');
      }
    }
  }
}

describe('the text the grammar is given', () => {
  it('blanks the trailing comma of argument sets only', () => {
    expect(marked('{ a, }: a')).toBe('{ a_ }: a');
    expect(marked('{ a, b, }: a')).toBe('{ a, b_ }: a');
    expect(marked('{ pkgs ? import <nixpkgs> { }, }: pkgs')).toBe('{ pkgs ? import <nixpkgs> { }_ }: pkgs');
    expect(marked('{\n  a, # note\n  /* more */\n}: a')).toBe('{\n  a_ # note\n  /* more */\n}: a');
    expect(marked('{ lib ? import ../., }: lib')).toBe('{ lib ? import ../._ }: lib');
    expect(marked('{ a ? "${x}", b ? \'\'${y}\'\', }: a')).toBe('{ a ? "${x}", b ? \'\'${y}\'\'_ }: a');
    expect(marked("{ a'' ? 1, }: a''")).toBe("{ a'' ? 1_ }: a''");
    expect(marked('{ f ? { a, }: a, }: f')).toBe('{ f ? { a_ }: a_ }: f');
    expect(marked('args@{ ..., }: 1')).toBe('args@{ ..., }: 1');
    // Not argument sets: attribute sets, interpolations, strings, comments, broken commas.
    for (const text of ['{ a = 1, }', '{ a = 1;, }', '{ a.b = { }, }', '{ inherit a, }', '"${ a, }"', '{ "a", }', '" { a, } "', "'' { a, } ''", '# { a, }', '/* { a, } */', '{ a, , }', '{ , }', '[ { a = 1; }, ]']) {
      expect(trailingFormalCommas(text), text).toEqual([]);
    }
  });

  it('keeps the length, so offsets and positions are the same', () => {
    const text = '{\n  a,\n  b ? "é,}",\n}: a';
    const input = grammarText(text);
    expect(input.text.length).toBe(text.length);
    expect(input.blanked).toEqual([text.lastIndexOf(',')]);
    expect(input.text.replace(/ /g, '')).toBe(text.replace(/ /g, '').replace(/,\n}/, '\n}'));
  });

  it('keeps an edited document identical to a fresh parse when commas start or stop being trailing', async () => {
    const parser = await nixParser();
    const random = seededRandom(7);
    const pieces = [',', ' ', 'b', '}', '{', ' ? 1', '# c\n', '...', '"', ':', '\n'];
    let text = '{ a, b }: a';
    const document = new NixDocument('file:///project/edits.nix', 1, text, parser);
    void document.tree;
    for (let version = 2; version < 400; version++) {
      const at = Math.floor(random() * (text.length + 1));
      const removed = random() < 0.4 ? Math.min(Math.floor(random() * 4), text.length - at) : 0;
      const inserted = removed && random() < 0.5 ? '' : pieces[Math.floor(random() * pieces.length)]!;
      const start = document.positionAt(at);
      const end = document.positionAt(at + removed);
      document.update([{ range: { start, end }, text: inserted }], version);
      text = text.slice(0, at) + inserted + text.slice(at + removed);
      // Reset now and then, so that the text stays short and formal-like.
      if (text.length > 60) {
        text = '{ a, b ? 1, }: a';
        document.update([{ text }], ++version);
      }
      if (random() < 0.5) continue;
      const fresh = parseNix(parser, text)!;
      expect(shape(document.tree), JSON.stringify(text)).toBe(shape(fresh));
      fresh.delete();
    }
    document.dispose();
  });

  it('keeps a repaired tree identical to a fresh parse of the repaired text', async () => {
    const parser = await nixParser();
    // Inserting `}` after `{ a,` makes the comma before it trailing.
    for (const [text, at, insertion] of [['{ a, ', 5, '}: a'], ['{ a, }: a', 4, ' b'], ['{ a, b }: a', 5, '']] as const) {
      const tree = parseNix(parser, text)!;
      const repaired = reparseWithInsertion(parser, tree, text, at, insertion || ' ')!;
      const fresh = parseNix(parser, repaired.text)!;
      expect(shape(repaired.tree), repaired.text).toBe(shape(fresh));
      for (const t of [tree, repaired.tree, fresh]) t.delete();
    }
  });
});
