import { describe, expect, it } from 'vitest';
import { contextAt } from '../../../server/src/analysis/context';
import { LineIndex } from '../../../server/src/analysis/lineIndex';
import { keywordCompletions } from '../../../server/src/features/keywordCompletion';
import { pathCompletions, type DirectoryEntry } from '../../../server/src/features/pathCompletion';
import { cursor, nixParser } from '../analysis/nixSnippets';

const URI = 'file:///project/configuration.nix';

/** A made-up tree: /project holds the document, a `modules` directory, files of several kinds. */
const TREE: Record<string, DirectoryEntry[]> = {
  '/project/': [
    { name: 'configuration.nix', isDirectory: false },
    { name: 'hardware.nix', isDirectory: false },
    { name: 'modules', isDirectory: true },
    { name: 'README.md', isDirectory: false },
    { name: '.git', isDirectory: true },
  ],
  '/project/modules/': [
    { name: 'default.nix', isDirectory: false },
    { name: 'desktop.nix', isDirectory: false },
  ],
};
const list = (directory: string) => TREE[directory.endsWith('/') ? directory : `${directory}/`];

async function contextOf(marked: string) {
  const { text, offset } = cursor(marked);
  const tree = (await nixParser()).parse(text)!;
  try {
    return { context: contextAt(tree, text, offset, { parser: await nixParser() }), text, offset };
  } finally {
    tree.delete();
  }
}

async function keywords(marked: string): Promise<string[]> {
  return keywordCompletions((await contextOf(marked)).context).map((item) => item.label);
}

/** Labels offered, and the text the first one replaces. */
async function paths(marked: string): Promise<{ labels: string[]; replaces?: string }> {
  const { context, text, offset } = await contextOf(marked);
  const lines = new LineIndex(text);
  const items = pathCompletions({ context, text, offset, lines, documentUri: URI, list });
  const edit = items[0]?.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } } } | undefined;
  return { labels: items.map((i) => i.label), replaces: edit && text.slice(lines.offsetAt(edit.range.start), lines.offsetAt(edit.range.end)) };
}

describe('keyword completion', () => {
  it('offers the keywords an expression can hold, by prefix', async () => {
    expect(await keywords('l|')).toEqual(['let']);
    expect(await keywords('{ a }: w|')).toEqual(['with']);
    expect(await keywords('if a t|')).toEqual(['then']);
    expect(await keywords('{ pkgs }: with pkgs; [ r| ]')).toEqual(['rec']);
    expect(await keywords('{ config, ... }: { inh| }')).toEqual(['inherit']);
  });

  it('offers none where no keyword can go, nor for a keyword already written', async () => {
    expect(await keywords('{ pkgs }: pkgs.l|')).toEqual([]);
    expect(await keywords('"l|"')).toEqual([]);
    expect(await keywords('|')).toEqual([]);
    expect(await keywords('let| a = 1; in a')).toEqual([]);
  });
});

describe('path completion', () => {
  it('lists directories and .nix files beside the document, the document itself left out', async () => {
    expect(await paths('{ imports = [ ./| ]; }')).toEqual({ labels: ['hardware.nix', 'modules/'], replaces: '' });
    expect(await paths('import ./mo|')).toEqual({ labels: ['modules/'], replaces: 'mo' });
    expect(await paths('import ./modules/|')).toEqual({ labels: ['default.nix', 'desktop.nix'], replaces: '' });
    expect(await paths('import ./modules/de|sktop.nix')).toEqual({ labels: ['default.nix', 'desktop.nix'], replaces: 'desktop.nix' });
    expect(await paths('import ./mo|dules/desktop.nix')).toEqual({ labels: ['modules/'], replaces: 'modules' });
  });

  it('offers nothing in strings, for unknown directories or other kinds of paths', async () => {
    expect((await paths('"./|"')).labels).toEqual([]);
    expect((await paths('import ./missing/|')).labels).toEqual([]);
    expect((await paths('import <nixpkgs/|>')).labels).toEqual([]);
  });
});
