import { describe, expect, it } from 'vitest';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';
import { itemData, itemDefaultsSupport, withItemDefaults } from '../../server/src/completionItemDefaults';

const range = { start: { line: 2, character: 19 }, end: { line: 2, character: 21 } };
const option = (name: string, newText = name): CompletionItem => ({
  label: name,
  kind: 10,
  textEdit: { range: { start: { ...range.start }, end: { ...range.end } }, newText },
  data: { kind: 'option', scope: 'nixos', path: ['services', 'openssh', name], uri: 'file:///c.nix' },
});
const list = (...items: CompletionItem[]): CompletionList => ({ isIncomplete: false, items });
const vscode = itemDefaultsSupport({ textDocument: { completion: { completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] } } } });

describe('completion item defaults', () => {
  it('reads what the client applies from its capabilities', () => {
    expect(vscode).toEqual({ editRange: true, data: true });
    expect(itemDefaultsSupport({})).toEqual({ editRange: false, data: false });
    expect(itemDefaultsSupport({ textDocument: { completion: { completionList: { itemDefaults: ['editRange'] } } } })).toEqual({ editRange: true, data: false });
  });

  it('sends the shared range and the shared option data once', () => {
    const answer = withItemDefaults(list(option('enable'), option('"x.y"'.slice(1, -1), '"x.y"')), vscode)!;
    expect(answer.itemDefaults).toEqual({ editRange: range, data: { kind: 'option', scope: 'nixos', parent: ['services', 'openssh'], uri: 'file:///c.nix' } });
    expect(JSON.parse(JSON.stringify(answer.items))).toEqual([
      { label: 'enable', kind: 10 },
      { label: 'x.y', kind: 10, textEditText: '"x.y"' },
    ]);
  });

  it('gives resolve the option of an item whose data came from the list', () => {
    const answer = withItemDefaults(list(option('enable'), option('ports')), vscode)!;
    const applied = { ...answer.items[1]!, data: answer.itemDefaults!.data };
    expect(itemData(applied)).toEqual({ kind: 'option', scope: 'nixos', path: ['services', 'openssh', 'ports'], uri: 'file:///c.nix' });
    expect(itemData({ label: 'hello', data: { kind: 'package', path: ['hello'] } })).toEqual({ kind: 'package', path: ['hello'] });
  });

  it('keeps full items when anything differs or the client does not apply defaults', () => {
    const other = option('ports');
    other.textEdit = { range: { start: range.start, end: range.start }, newText: 'ports' };
    const mixed = withItemDefaults(list(option('enable'), other), vscode)!;
    expect(mixed.itemDefaults?.editRange).toBeUndefined();
    expect(mixed.items[1]!.textEdit).toBeDefined();
    // A keyword item without data keeps the option items' data on each of them.
    const keyword: CompletionItem = { label: 'with', textEdit: { range, newText: 'with' } };
    const withKeyword = withItemDefaults(list(option('enable'), keyword), vscode)!;
    expect(withKeyword.itemDefaults?.data).toBeUndefined();
    expect(withKeyword.items[0]!.data).toBeDefined();
    const neovim = withItemDefaults(list(option('enable'), option('ports')), itemDefaultsSupport({}))!;
    expect(neovim.itemDefaults).toBeUndefined();
    expect(neovim.items[0]!.textEdit).toBeDefined();
  });
});
