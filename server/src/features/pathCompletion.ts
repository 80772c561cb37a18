// Completion inside a path literal: `./` lists the directories and `.nix` files beside the
// document, `./modules/` those in `modules`. Directories are completed with their `/`, so the next
// level follows at once. The directory is read through `list`, so this stays free of file-system
// access; a directory that cannot be read gives nothing.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import type { CursorContext } from '../analysis/context';
import type { LineIndex } from '../analysis/lineIndex';

export interface DirectoryEntry {
  name: string;
  isDirectory: boolean;
}

/** The entries of an absolute directory, or undefined when it cannot be read. */
export type ListDirectory = (directory: string) => DirectoryEntry[] | undefined;

export interface PathCompletionParams {
  context: CursorContext;
  /** The document's text and the cursor's offset in it. */
  text: string;
  offset: number;
  lines: LineIndex;
  documentUri: string;
  list: ListDirectory;
}

/**
 * `./` alone is no path yet for the grammar (a path needs a character after its slash), so the
 * text just typed is read as one when the tree gives no context there.
 */
const PATH_BEING_TYPED = /(?:^|[\s[({=:;])(\.{1,2}\/(?:[A-Za-z0-9._+-]+\/)*)$/;

export function pathCompletions(params: PathCompletionParams): CompletionItem[] {
  const { context, documentUri, lines, list } = params;
  if (!documentUri.startsWith('file:')) return [];
  let typed: string;
  let typedStart: number;
  if (context.kind === 'path') {
    typed = context.text;
    typedStart = context.replaceOffsets.start;
  } else {
    if (context.kind !== 'none' || context.reason.startsWith('inside')) return [];
    const match = PATH_BEING_TYPED.exec(params.text.slice(Math.max(0, params.offset - 500), params.offset));
    if (!match) return [];
    typed = match[1]!;
    typedStart = params.offset - typed.length;
  }
  // Relative (`./`, `../`) and absolute paths; `~/` is the user's and `<…>` the search path's.
  if (!/^(\.{1,2}\/|\/)/.test(typed) || typed.includes('${')) return [];
  const slash = typed.lastIndexOf('/');
  const directoryPart = typed.slice(0, slash + 1);
  const prefix = typed.slice(slash + 1);
  const base = path.dirname(fileURLToPath(documentUri));
  const directory = path.isAbsolute(directoryPart) ? directoryPart : path.join(base, directoryPart);
  const entries = list(directory);
  if (!entries) return [];
  const start = typedStart + slash + 1;
  // Up to the end of the segment being typed, not of the whole literal.
  const literalEnd = context.kind === 'path' ? context.replaceOffsets.end : params.offset;
  const nextSlash = params.text.indexOf('/', params.offset);
  const end = nextSlash >= 0 && nextSlash < literalEnd ? nextSlash : literalEnd;
  const range: Range = lines.range({ start, end });
  const items: CompletionItem[] = [];
  for (const entry of entries) {
    if (!entry.name.startsWith(prefix) || (entry.name.startsWith('.') && !prefix.startsWith('.'))) continue;
    if (path.join(directory, entry.name) === fileURLToPath(documentUri)) continue;
    if (entry.isDirectory) {
      items.push({ label: `${entry.name}/`, kind: CompletionItemKind.Folder, textEdit: { range, newText: `${entry.name}/` } });
    } else if (entry.name.endsWith('.nix')) {
      items.push({ label: entry.name, kind: CompletionItemKind.File, textEdit: { range, newText: entry.name } });
    }
  }
  return items.sort((a, b) => a.label.localeCompare(b.label));
}
