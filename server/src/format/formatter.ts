// Formats Nix code in the official style (RFC 166, as `nixfmt` prints it): width 100, indent 2.
// Pure: text and its parse tree in, text or a reason out. Code with syntax errors is refused, and
// so is any result whose tokens and comments differ from the input's — formatting must never
// change what the code says or lose a comment, whatever bug the layout rules may have.
import type { Parser, Tree } from 'web-tree-sitter';
import { syntaxProblems } from '../syntax/syntaxErrors';
import { buildFile, trailingFormalsCommas, UnsupportedSyntax } from './astBuilder';
import { fixup } from './fixup';
import { layoutGreedy } from './layout';
import { plainTree } from './plainTree';
import { prettyFile } from './prettyExpressions';
import { sameCode } from './tokenCheck';

export const DEFAULT_WIDTH = 100;

export type FormatResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'syntax'; message: string; line: number; character: number }
  | { ok: false; reason: 'internal'; message: string };

/** Formats `text`, whose parse tree is `tree`. */
export function formatTree(text: string, tree: Tree, width = DEFAULT_WIDTH): FormatResult {
  const root = plainTree(tree);
  const checked = tree.rootNode.hasError ? trailingFormalsCommas(root) : undefined;
  // Describing problems walks the tree through tree-sitter: only when there is one to describe.
  if (checked?.otherErrors) {
    const accepted = checked.commas;
    const lineStarts = accepted.size > 0 ? [0, ...[...text.matchAll(/\n/g)].map((match) => match.index + 1)] : [];
    const at = (line: number, character: number) => (lineStarts[line] ?? 0) + character;
    const first = syntaxProblems(tree).find((problem) => !accepted.has(at(problem.range.start.line, problem.range.start.character)));
    if (first) {
      return {
        ok: false,
        reason: 'syntax',
        message: `Not formatted: syntax error at line ${first.range.start.line + 1}, column ${first.range.start.character + 1}: ${first.message}`,
        line: first.range.start.line,
        character: first.range.start.character,
      };
    }
  }
  try {
    const file = buildFile(text, root);
    const out = layoutGreedy(width, fixup(prettyFile(file)));
    return { ok: true, text: `${out.trim()}\n` };
  } catch (error) {
    const message = error instanceof UnsupportedSyntax ? error.message : String(error);
    return { ok: false, reason: 'internal', message: `Not formatted: ${message}` };
  }
}

/**
 * Formats and checks the result: it must parse, and hold the same tokens and comments in the
 * same order. What cannot be checked safely is refused.
 */
export function formatChecked(text: string, parser: Parser, width = DEFAULT_WIDTH): FormatResult {
  const tree = parser.parse(text);
  if (!tree) return { ok: false, reason: 'internal', message: 'Not formatted: the parser gave up' };
  try {
    const result = formatTree(text, tree, width);
    if (!result.ok || result.text === text) return result;
    const after = parser.parse(result.text);
    if (!after) return { ok: false, reason: 'internal', message: 'Not formatted: the parser gave up on the result' };
    try {
      const difference = sameCode(text, tree, result.text, after);
      if (difference) return { ok: false, reason: 'internal', message: `Not formatted: the formatter would have changed the code (${difference}); please report this file` };
      return result;
    } finally {
      after.delete();
    }
  } finally {
    tree.delete();
  }
}
