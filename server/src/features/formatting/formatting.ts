// Formatting a document or a selection: the built-in formatter, or the user's own command. The
// answer is the smallest edit that turns the text into the formatted text, so the cursor and
// the editor's undo history stay where the code did not change.
import type { Parser, Tree } from 'web-tree-sitter';
import type { Position, TextEdit } from 'vscode-languageserver-types';
import { formatChecked } from '../../format/formatter';
import { formatRange } from '../../format/rangeFormat';
import { runExternalFormatter } from './externalFormatter';

export interface FormattingSource {
  text: string;
  tree: Tree;
  positionAt(offset: number): Position;
}

export interface FormattingOptions {
  parser: Parser;
  /** `nixNur.formatting.command`; empty for the built-in formatter. */
  command: readonly string[];
  /** The user's command runs only in a trusted workspace. */
  trusted: boolean;
  cwd?: string;
  signal?: AbortSignal;
}

/** Edits, or a message saying why nothing was changed. */
export type FormattingAnswer = { edits: TextEdit[]; note?: string } | { error: string };

export async function formatDocument(source: FormattingSource, options: FormattingOptions): Promise<FormattingAnswer> {
  if (options.command.length > 0 && options.trusted) {
    const result = await runExternalFormatter(options.command, source.text, { cwd: options.cwd, signal: options.signal });
    if (!result.ok) return { error: result.message };
    return { edits: minimalEdits(source, 0, source.text.length, result.text) };
  }
  const result = formatChecked(source.text, options.parser);
  if (!result.ok) return { error: result.message };
  const note = options.command.length > 0 ? 'nixNur.formatting.command is not run in an untrusted workspace; used the built-in formatter' : undefined;
  return { edits: minimalEdits(source, 0, source.text.length, result.text), note };
}

/** Formats the smallest whole bindings or expression around `[start, end)` (the user's command formats whole documents only). */
export async function formatSelection(source: FormattingSource, start: number, end: number, options: FormattingOptions): Promise<FormattingAnswer> {
  if (options.command.length > 0 && options.trusted) return formatDocument(source, options);
  const result = formatRange(source.text, source.tree, options.parser, start, end);
  if (!result.ok) return { error: result.message };
  return { edits: minimalEdits(source, result.start, result.end, result.text) };
}

/** One edit replacing only what differs between `text[start, end)` and `replacement`. */
function minimalEdits(source: FormattingSource, start: number, end: number, replacement: string): TextEdit[] {
  const original = source.text.slice(start, end);
  if (original === replacement) return [];
  let prefix = 0;
  const limit = Math.min(original.length, replacement.length);
  while (prefix < limit && original[prefix] === replacement[prefix]) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && original[original.length - 1 - suffix] === replacement[replacement.length - 1 - suffix]) suffix++;
  return [
    {
      range: { start: source.positionAt(start + prefix), end: source.positionAt(end - suffix) },
      newText: replacement.slice(prefix, replacement.length - suffix),
    },
  ];
}
