// A Nix document: its text, version and syntax tree, kept in step through incremental edits.
import type { Edit, Parser, Point, Tree } from 'web-tree-sitter';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { parseWithin } from './boundedParse';
import { editBlankedChanges, grammarText, shiftBlanked } from './grammarText';

/**
 * Text changes are applied at once and mirrored into the old tree with `tree.edit`; the reparse
 * (which reuses every unchanged subtree) happens lazily, the first time someone asks for the tree.
 * A burst of keystrokes therefore costs one reparse, not one per keystroke.
 *
 * Positions: web-tree-sitter indexes JavaScript strings in UTF-16 code units, the same unit as LSP
 * positions, so `Point.column` and `Position.character` are interchangeable.
 *
 * The tree is parsed from the grammar's rendition of the text (grammarText.ts: the same length,
 * a few commas blanked); the blanked offsets are carried through edits, so that a comma that
 * becomes or stops being blanked outside the edited text is read again by the next parse.
 */
export class NixDocument {
  private text: TextDocument;
  private current: Tree | undefined;
  private stale = true;
  /** Commas blanked in the text the current tree was parsed from, moved along with later edits. */
  private blanked: number[] = [];
  /** The version whose parse was given up as too slow, if the current text's was. */
  private gaveUpAt: number | undefined;

  constructor(
    readonly uri: string,
    version: number,
    content: string,
    private readonly parser: Parser,
  ) {
    this.text = TextDocument.create(uri, 'nix', version, content);
  }

  get version(): number {
    return this.text.version;
  }

  get content(): string {
    return this.text.getText();
  }

  /** Length in UTF-16 code units, without materialising the text. */
  get length(): number {
    return this.text.offsetAt({ line: this.text.lineCount, character: 0 });
  }

  get lineCount(): number {
    return this.text.lineCount;
  }

  offsetAt(position: Position): number {
    return this.text.offsetAt(position);
  }

  positionAt(offset: number): Position {
    return this.text.positionAt(offset);
  }

  /** The syntax tree of the current text (parsed now if edits are pending). */
  get tree(): Tree {
    if (this.stale || !this.current) {
      const next = this.parser.parse(this.grammarInput(), this.current ?? null);
      if (!next) throw new Error(`tree-sitter could not parse ${this.uri}`);
      this.current?.delete();
      this.current = next;
      this.stale = false;
    }
    return this.current;
  }

  /**
   * The text the next parse reads (the grammar's rendition, grammarText.ts), with the current
   * tree told of every comma that became or stopped being blanked since it was parsed.
   */
  private grammarInput(): string {
    const input = grammarText(this.content);
    if (this.current) editBlankedChanges(this.current, this.blanked, input.blanked, (offset) => toPoint(this.text.positionAt(offset)));
    this.blanked = input.blanked;
    return input.text;
  }

  /**
   * The syntax tree, if it is there or can be parsed within `budgetMs`; undefined when parsing
   * takes longer (see `boundedParse.ts`). After giving up, only a `retry` (the debounced
   * diagnostics run) tries again, and only once the text has changed: requests answer at once.
   */
  treeWithin(budgetMs: number, retry: boolean): Tree | undefined {
    if (!this.stale && this.current) return this.current;
    if (this.gaveUpAt !== undefined && (!retry || this.gaveUpAt === this.version)) return undefined;
    const next = parseWithin(this.parser, this.grammarInput(), this.current ?? null, budgetMs);
    if (!next) {
      this.gaveUpAt = this.version;
      return undefined;
    }
    this.current?.delete();
    this.current = next;
    this.stale = false;
    this.gaveUpAt = undefined;
    return next;
  }

  /** Whether the last parse of this document was given up as too slow. */
  get parseGivenUp(): boolean {
    return this.gaveUpAt !== undefined;
  }

  /** Applies LSP content changes in order; full-text changes drop the old tree. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) {
        const start = this.text.offsetAt(change.range.start);
        const oldEnd = this.text.offsetAt(change.range.end);
        const startPoint = toPoint(this.text.positionAt(start));
        const oldEndPoint = toPoint(this.text.positionAt(oldEnd));
        this.text = TextDocument.update(this.text, [change], version);
        const newEnd = start + change.text.length;
        const edit: Edit = {
          startIndex: start,
          oldEndIndex: oldEnd,
          newEndIndex: newEnd,
          startPosition: startPoint,
          oldEndPosition: oldEndPoint,
          newEndPosition: toPoint(this.text.positionAt(newEnd)),
        };
        this.current?.edit(edit);
        this.blanked = shiftBlanked(this.blanked, start, oldEnd, newEnd);
      } else {
        this.text = TextDocument.update(this.text, [change], version);
        this.current?.delete();
        this.current = undefined;
      }
      this.stale = true;
    }
    this.text = TextDocument.update(this.text, [], version);
  }

  /**
   * Frees the tree's wasm memory but keeps the document: the next `tree` parses the text afresh.
   * For documents not in use while memory is needed for others.
   */
  releaseTree(): void {
    this.current?.delete();
    this.current = undefined;
    this.stale = true;
    this.blanked = [];
  }

  /** Whether a tree is held (parsed, or edited and awaiting its reparse). */
  get holdsTree(): boolean {
    return this.current !== undefined;
  }

  /** Frees the tree's wasm memory; the document must not be used afterwards. */
  dispose(): void {
    this.current?.delete();
    this.current = undefined;
  }
}

export function toPoint(position: Position): Point {
  return { row: position.line, column: position.character };
}

export function toPosition(point: Point): Position {
  return { line: point.row, character: point.column };
}
