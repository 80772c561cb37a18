// One shared Nix parser for unit tests, and a helper to split a `|` cursor marker out of a snippet.
import type { Parser, Tree } from 'web-tree-sitter';
import { parseNix as parseNixText } from '../../server/src/syntax/grammarText';
import { createNixParser } from '../../server/src/syntax/parser';

let parser: Parser | undefined;

export async function nixParser(): Promise<Parser> {
  parser ??= await createNixParser();
  return parser;
}

export async function parseNix(source: string): Promise<Tree> {
  const tree = parseNixText(await nixParser(), source);
  if (!tree) throw new Error('parse failed');
  return tree;
}

/** `'{ a = pk|; }'` → the text without the marker and the marker's offset. */
export function withCursor(marked: string, marker = '|'): { text: string; offset: number } {
  const offset = marked.indexOf(marker);
  if (offset < 0) throw new Error(`no cursor marker '${marker}' in: ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + marker.length), offset };
}
