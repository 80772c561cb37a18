// Reusing the copy of an earlier version of a document when the next version is copied. Typing
// changes a few characters; everything before and after them is the same text, and a node of the
// same type over the same unchanged text has the same syntax inside (its tokens are the same, and
// so is the grammar that derived them). Such a subtree is copied from the earlier copy, in plain
// JavaScript with its offsets shifted, instead of being read node by node from tree-sitter, which
// costs a WebAssembly call per step. Subtrees holding errors are always read again: how
// tree-sitter recovers can depend on what surrounds them.
import type { SyntaxNode } from './syntaxTree';
import { textDifference } from './textDifference';

/** How deep into the earlier copy a subtree is looked for (real code nests a few dozen levels). */
export const MAX_REUSE_DEPTH = 64;

export class SubtreeReuse {
  /** Offsets below this are unchanged text in both versions. */
  private readonly unchangedBefore: number;
  /** New-text offsets from this one on are unchanged text, `shift` characters later than before. */
  private readonly unchangedFrom: number;
  private readonly shift: number;

  constructor(
    private readonly previous: SyntaxNode,
    text: string,
  ) {
    const difference = textDifference(previous.source.text, text);
    this.unchangedBefore = difference.start;
    this.unchangedFrom = difference.newEnd;
    this.shift = text.length - previous.source.text.length;
  }

  /**
   * The error-free node of the earlier copy that has `type` and spans, in the earlier text, the
   * unchanged text found at `[start, end)` in the new one; undefined when there is none.
   */
  find(type: string, start: number, end: number): SyntaxNode | undefined {
    let oldStart: number;
    let oldEnd: number;
    if (end <= this.unchangedBefore) {
      oldStart = start;
      oldEnd = end;
    } else if (start >= this.unchangedFrom) {
      oldStart = start - this.shift;
      oldEnd = end - this.shift;
    } else {
      return undefined;
    }
    // Down from the root: at each level, the last child starting at or before the span. Not
    // deeper than MAX_REUSE_DEPTH: every node of the new tree asks, so a search as deep as the
    // earlier tree would cost its depth per node, and code broken by an unclosed string can parse
    // thousands of levels deep. A subtree found no deeper is simply read from tree-sitter again.
    let node = this.previous;
    for (let depth = 0; depth < MAX_REUSE_DEPTH; depth++) {
      const kids = node.children;
      let low = 0;
      let high = kids.length - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if (kids[mid]!.start <= oldStart) {
          found = mid;
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
      // Zero-width siblings may share a start with the node wanted: step back over them.
      while (found > 0 && kids[found]!.start === kids[found - 1]!.start && kids[found]!.end < oldEnd) found--;
      const child = found >= 0 ? kids[found] : undefined;
      if (!child || child.end < oldEnd) return undefined;
      if (child.start === oldStart && child.end === oldEnd && child.type === type) return child.errorInside ? undefined : child;
      node = child;
    }
    return undefined;
  }
}
