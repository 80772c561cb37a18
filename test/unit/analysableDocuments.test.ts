// Which documents keep their trees: the most recently used, within a budget of characters; the
// others are parsed again when next used. Files over maxFileSize and files whose parse is over its
// budget are reported once each.
import { describe, expect, it } from 'vitest';
import { AnalysableDocuments } from '../../server/src/analysableDocuments';
import { NixDocument } from '../../server/src/syntax/document';
import { nixParser } from '../support/parse';

describe('AnalysableDocuments', () => {
  it('keeps the trees of the most recently used documents within the budget, and parses the others again', async () => {
    const parser = await nixParser();
    const released: string[] = [];
    const told: string[] = [];
    const documents = new AnalysableDocuments(() => 1_000_000, (message) => told.push(message), (uri) => released.push(uri), 70);
    const text = (name: string) => `{ ${name} = "${'x'.repeat(20)}"; }`;
    const a = new NixDocument('file:///a.nix', 1, text('a'), parser);
    const b = new NixDocument('file:///b.nix', 1, text('b'), parser);
    const c = new NixDocument('file:///c.nix', 1, text('c'), parser);
    expect(documents.check(a)).toBe(a);
    expect(documents.check(b)).toBe(b);
    expect(a.holdsTree && b.holdsTree).toBe(true);
    // A third does not fit: the least recently used (a) gives its tree up first.
    expect(documents.check(c)).toBe(c);
    expect(a.holdsTree).toBe(false);
    expect(released).toEqual(['file:///a.nix']);
    expect(b.holdsTree && c.holdsTree).toBe(true);
    // Used again, it is parsed again, and b (now the least recent) makes room.
    expect(documents.check(a)?.tree.rootNode.text).toBe(text('a'));
    expect(released).toEqual(['file:///a.nix', 'file:///b.nix']);
    expect(told).toEqual([]);
    for (const document of [a, b, c]) document.dispose();
  });

  it('reports a file over maxFileSize once, visibly, and does not parse it', async () => {
    const parser = await nixParser();
    const told: string[] = [];
    const documents = new AnalysableDocuments(() => 10, (message) => told.push(message));
    const big = new NixDocument('file:///dir/big%20file.nix', 1, '{ a = 1; b = 2; }', parser);
    expect(documents.check(big)).toBeUndefined();
    expect(documents.check(big)).toBeUndefined();
    expect(big.holdsTree).toBe(false);
    expect(told).toEqual(['big file.nix is not analysed: it has 17 characters, more than nixNur.maxFileSize (10).']);
  });
});
