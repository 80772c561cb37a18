// LSP 3.17's `CompletionList.itemDefaults`: what every item of a list shares is sent once, for
// clients that declare they apply it (VS Code does; Neovim 0.7 does not, and gets full items).
// An option list's items all replace the same word and differ in their data only by their last
// path part, which is their label: sent once, such a list is a fraction of its size, and the
// server builds, serialises and collects a fraction of the garbage per keystroke.
import type { CompletionItem, CompletionList, Range } from 'vscode-languageserver';
import type { CompletionData } from './features/completion';

/** The `itemDefaults` a client applies, from `textDocument.completion.completionList.itemDefaults`. */
export interface ItemDefaultsSupport {
  editRange: boolean;
  data: boolean;
}

export function itemDefaultsSupport(capabilities: { textDocument?: { completion?: { completionList?: { itemDefaults?: string[] } } } }): ItemDefaultsSupport {
  const declared = capabilities.textDocument?.completion?.completionList?.itemDefaults ?? [];
  return { editRange: declared.includes('editRange'), data: declared.includes('data') };
}

/**
 * Option data sent once for a list: an item's option is the list's `parent` path and its label.
 * A client applies list defaults to the items it resolves, so resolve gets this back.
 */
interface SharedOptionData {
  kind: 'option';
  scope: Extract<CompletionData, { kind: 'option' }>['scope'];
  parent: string[];
  uri?: string;
}

/** The list with what all its items share moved to `itemDefaults`, as far as the client applies it. */
export function withItemDefaults(list: CompletionList | null, support: ItemDefaultsSupport): CompletionList | null {
  if (!list || list.items.length < 2) return list;
  const range = support.editRange ? sharedEditRange(list.items) : undefined;
  const data = support.data ? sharedOptionData(list.items) : undefined;
  if (!range && !data) return list;
  // The items are the features' fresh objects: changed in place (an undefined field is not sent).
  for (const item of list.items) {
    if (range) {
      const newText = (item.textEdit as { newText: string }).newText;
      item.textEdit = undefined;
      // Without `textEditText` the label is what the default range gets.
      if (newText !== item.label) item.textEditText = newText;
    }
    if (data) item.data = undefined;
  }
  list.itemDefaults = { ...(range && { editRange: range }), ...(data && { data }) };
  return list;
}

/** An item's data as the features made it, whether it came whole or from the list's defaults. */
export function itemData(item: CompletionItem): CompletionData | undefined {
  const data = item.data as CompletionData | SharedOptionData | undefined;
  if (data?.kind === 'option' && 'parent' in data && Array.isArray(data.parent)) {
    return { kind: 'option', scope: data.scope, path: [...data.parent, item.label], uri: data.uri };
  }
  return data as CompletionData | undefined;
}

/** The range every item's edit replaces, when every item has one and it is the same. */
function sharedEditRange(items: CompletionItem[]): Range | undefined {
  let shared: Range | undefined;
  for (const item of items) {
    const edit = item.textEdit;
    // An item without an edit would get the default range and its label: no shared range then.
    if (!edit || !('range' in edit)) return undefined;
    if (!shared) shared = edit.range;
    else if (!sameRange(shared, edit.range)) return undefined;
  }
  return shared;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The option data all items share, when each names the same parent and scope and its label as the last part. */
function sharedOptionData(items: CompletionItem[]): SharedOptionData | undefined {
  let shared: SharedOptionData | undefined;
  for (const item of items) {
    const data = item.data as CompletionData | undefined;
    if (data?.kind !== 'option' || data.path.length === 0 || data.path[data.path.length - 1] !== item.label) return undefined;
    if (!shared) shared = { kind: 'option', scope: data.scope, parent: data.path.slice(0, -1), uri: data.uri };
    else if (shared.scope !== data.scope || shared.uri !== data.uri || !isParentOf(shared.parent, data.path)) return undefined;
  }
  return shared;
}

/** Whether `path` is `parent` and one more part. */
function isParentOf(parent: readonly string[], path: readonly string[]): boolean {
  if (path.length !== parent.length + 1) return false;
  for (let i = 0; i < parent.length; i++) if (parent[i] !== path[i]) return false;
  return true;
}
