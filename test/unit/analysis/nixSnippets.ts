// Shared by the analysis and local-feature tests: parsing snippets and reading `|` cursor markers.
import type { Parser, Tree } from 'web-tree-sitter';
import { analyzeTree, type Analysis, type AnalysisOptions } from '../../../server/src/analysis/analysis';
import { parseNix } from '../../../server/src/syntax/grammarText';
import { createNixParser } from '../../../server/src/syntax/parser';

let parser: Parser | undefined;

export async function nixParser(): Promise<Parser> {
  parser ??= await createNixParser();
  return parser;
}

export async function parse(text: string): Promise<Tree> {
  const tree = parseNix(await nixParser(), text);
  if (!tree) throw new Error('parse failed');
  return tree;
}

/** Splits `a.b|c` into the text without the marker and the marker's offset. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error(`no | cursor in ${marked}`);
  if (marked.indexOf('|', offset + 1) >= 0) throw new Error(`more than one | in ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

export async function analyze(text: string, options?: AnalysisOptions): Promise<Analysis> {
  const tree = await parse(text);
  try {
    return analyzeTree(tree, text, options);
  } finally {
    tree.delete();
  }
}

/** Offsets of every occurrence of `word` as a whole word in `text`. */
export function occurrences(text: string, word: string): number[] {
  const result: number[] = [];
  const re = new RegExp(`(?<![A-Za-z0-9_'-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_'-])`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) result.push(m.index);
  return result;
}
