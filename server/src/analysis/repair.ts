// Code being typed is usually broken: `pkgs.` before the attribute name exists, `services.ngin`
// without `= …;`, `[ pkgs.|` without the closing bracket. tree-sitter recovers, but the recovered
// tree often hides the cursor inside an ERROR node. To read the code around the cursor as the user
// means it, small completions are tried after the word being typed (a placeholder name when the
// word is empty, then ` = null;`, `;`, closing brackets …), each reparsed incrementally from a copy
// of the tree, until the cursor's word sits in an error-free part of a tree.
import type { Edit, Parser, Tree } from 'web-tree-sitter';
import { editBlankedChanges, grammarText, shiftBlanked, trailingFormalCommas } from '../syntax/grammarText';
import { parseWithin } from '../syntax/boundedParse';

/** Stands for the empty word at the cursor; never shown to users (contexts report `prefix: ''`). */
export const CURSOR_PLACEHOLDER = 'nixNurCursor__';

/** Text tried after the word, in order; the first that gives a clean tree around the cursor wins. */
export const REPAIR_SUFFIXES: readonly string[] = ['', ' = null;', ';', ']', ' ];', ')', ' = null; }', '; }', ' ]; }', '}'];

/**
 * Repairs stop being tried once they have taken this long. Each is an incremental reparse: well
 * under a millisecond in most files, but tens of milliseconds in a large file that is broken
 * elsewhere too, where trying all of them for code none fixes would hold a completion for a third
 * of a second — and seconds each where error recovery meets thousands of unclosed `{`, so a
 * reparse itself gives up at the budget. The code is then read as tree-sitter recovered it.
 */
export const REPAIR_BUDGET_MS = 100;

export interface RepairedTree {
  tree: Tree;
  text: string;
  /** Characters inserted at the end of the word (placeholder plus suffix). */
  inserted: string;
  /** The cursor word's end in the repaired text (after the placeholder, if any). */
  wordEnd: number;
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Parses `text` with `insertion` added at `at`, reusing `tree` for everything else; undefined if
 * that takes longer than `budgetMs`. `parser` must have the tree's language; the caller's own
 * parser is used so that this layer creates no parser.
 */
export function reparseWithInsertion(
  parser: Parser,
  tree: Tree,
  text: string,
  at: number,
  insertion: string,
  budgetMs = REPAIR_BUDGET_MS,
): { tree: Tree; text: string } | undefined {
  const copy = tree.copy();
  try {
    const point = pointAt(text, at);
    const edit: Edit = {
      startIndex: at,
      oldEndIndex: at,
      newEndIndex: at + insertion.length,
      startPosition: point,
      oldEndPosition: point,
      newEndPosition: { row: point.row, column: point.column + insertion.length },
    };
    copy.edit(edit);
    const patchedText = text.slice(0, at) + insertion + text.slice(at);
    // `tree` was parsed from the grammar's rendition of `text` (see grammarText.ts).
    const input = grammarText(patchedText);
    const before = shiftBlanked(trailingFormalCommas(text), at, at, at + insertion.length);
    editBlankedChanges(copy, before, input.blanked, (offset) => pointAt(patchedText, offset));
    const patched = parseWithin(parser, input.text, copy, budgetMs);
    return patched ? { tree: patched, text: patchedText } : undefined;
  } finally {
    copy.delete();
  }
}

/**
 * Tries the repairs in order and returns the first tree `accept` takes (the caller deletes it), or
 * undefined when none helps or `budgetMs` has passed (one is always tried). `wordEnd` is where the
 * word at the cursor ends in the original text; `emptyWord` asks for the placeholder name to be
 * inserted there first.
 */
export function repairAround(
  parser: Parser,
  tree: Tree,
  text: string,
  wordEnd: number,
  emptyWord: boolean,
  accept: (repaired: RepairedTree) => boolean,
  budgetMs = REPAIR_BUDGET_MS,
): RepairedTree | undefined {
  const placeholder = emptyWord ? CURSOR_PLACEHOLDER : '';
  const started = performance.now();
  for (const suffix of REPAIR_SUFFIXES) {
    const inserted = placeholder + suffix;
    if (inserted === '') continue;
    const result = reparseWithInsertion(parser, tree, text, wordEnd, inserted, budgetMs - (performance.now() - started));
    if (!result) return undefined;
    const repaired: RepairedTree = { tree: result.tree, text: result.text, inserted, wordEnd: wordEnd + placeholder.length };
    if (accept(repaired)) return repaired;
    result.tree.delete();
    if (performance.now() - started > budgetMs) return undefined;
  }
  return undefined;
}
