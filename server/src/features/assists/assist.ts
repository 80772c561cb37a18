// What every refactoring ("assist") shares: the question it is asked (an analysis and a selection)
// and its answer (offset edits, maybe a new file). Assists are pure functions of that; the code
// action wiring turns their answers into LSP types.
import type { Analysis } from '../../analysis/analysis';
import { nodeAt, type SyntaxNode } from '../../analysis/syntaxTree';

export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** The LSP code action kinds assists use (plain strings, so this file needs no LSP import). */
export type AssistKind = 'refactor.rewrite' | 'refactor.extract' | 'refactor.inline' | 'quickfix';

export interface AssistResult {
  title: string;
  kind: AssistKind;
  /** Edits of the document the assist was asked about. */
  edits: OffsetEdit[];
  /** A file to create beside the document (a name relative to its directory) with its text. */
  newFile?: { name: string; text: string };
}

export interface AssistContext {
  readonly analysis: Analysis;
  /** The selection, as offsets; equal for a bare cursor. */
  readonly start: number;
  readonly end: number;
  /** Whether a file named so exists beside the document (for assists that create one). */
  readonly siblingExists?: (name: string) => boolean;
  /** Whether the client can create files as part of an edit. */
  readonly canCreateFiles?: boolean;
}

export type Assist = (context: AssistContext) => AssistResult[];

/** The innermost node at the cursor (the selection's start), and its ancestors, innermost first. */
export function ancestorsAtCursor(context: AssistContext): SyntaxNode[] {
  const chain: SyntaxNode[] = [];
  for (let node: SyntaxNode | null = nodeAt(context.analysis.root, context.start, true); node; node = node.parent) chain.push(node);
  return chain;
}

/** The innermost ancestor at the cursor of one of `types`. */
export function enclosing(context: AssistContext, ...types: string[]): SyntaxNode | undefined {
  return ancestorsAtCursor(context).find((node) => types.includes(node.type));
}

/** The node the selection covers exactly (blanks around it ignored), or undefined. */
export function selectedNode(context: AssistContext): SyntaxNode | undefined {
  const text = context.analysis.text;
  let start = context.start;
  let end = context.end;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (start === end) return undefined;
  let node: SyntaxNode | undefined = nodeAt(context.analysis.root, start, false);
  // The outermost node starting here and ending at the selection's end.
  let found: SyntaxNode | undefined;
  for (; node && node.start === start; node = node.parent ?? undefined) {
    if (node.end === end) found = node;
    if (node.end > end) break;
  }
  return found;
}

/** The whitespace a line starts with, for the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let i = lineStart;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text.slice(lineStart, i);
}

/** Whether `node` and everything under it hold no syntax error. */
export function clean(node: SyntaxNode | undefined): node is SyntaxNode {
  return !!node && !node.hasError;
}

/** A name no identifier of the text spells: `base`, `base1`, `base2`, … */
export function freshName(text: string, base: string): string {
  const taken = new Set(text.match(/[A-Za-z_][A-Za-z0-9_'-]*/g) ?? []);
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/**
 * Moves lines 2.. of `text` (a node's text, whose first line starts mid-line) so that the least
 * indented of them starts at `to`, keeping their indentation relative to each other.
 */
export function shiftTail(text: string, to: string): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  let common: number | undefined;
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const width = line.length - line.trimStart().length;
    common = common === undefined ? width : Math.min(common, width);
  }
  return lines.map((line, i) => (i === 0 || !line.trim() ? line.trimEnd() : to + line.slice(common ?? 0))).join('\n');
}

/** Re-indents lines 2.. of `text` from `from` to `to` (lines not starting with `from` keep theirs). */
export function reindent(text: string, from: string, to: string): string {
  if (from === to) return text;
  return text
    .split('\n')
    .map((line, i) => (i > 0 && line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}

/**
 * Whether an expression of the lowest precedence (`let`, `with`, a function) can replace `node`
 * without parentheses: it is a whole value, a body, or already in parentheses.
 */
export function standsAlone(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return true;
  if (['parenthesized_expression', 'source_code', 'binding', 'inherit_from', 'interpolation'].includes(parent.type)) return true;
  return node.field === 'body' && ['function_expression', 'let_expression', 'with_expression', 'assert_expression'].includes(parent.type);
}

/** Node types that need no parentheses wherever an expression goes (`f x`, `x.a`, `[ x ]`). */
const ATOMS: ReadonlySet<string> = new Set([
  'variable_expression', 'integer_expression', 'float_expression', 'string_expression', 'indented_string_expression',
  'path_expression', 'hpath_expression', 'spath_expression', 'uri_expression', 'list_expression', 'attrset_expression',
  'rec_attrset_expression', 'parenthesized_expression',
]);

/** `node`'s text, in parentheses unless it is an atom. */
export function asOperand(node: SyntaxNode): string {
  const atom = ATOMS.has(node.type) || (node.type === 'select_expression' && !node.child('default'));
  return atom ? node.text : `(${node.text})`;
}
