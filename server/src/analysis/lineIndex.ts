// Offsets (UTF-16 code units, as tree-sitter reports them for JavaScript strings) to LSP positions.
import type { Position, Range } from 'vscode-languageserver-types';

export interface OffsetRange {
  start: number;
  end: number;
}

export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  positionAt(offset: number): Position {
    const starts = this.starts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - starts[low]! };
  }

  offsetAt(position: Position): number {
    const starts = this.starts();
    if (position.line >= starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const lineStart = starts[position.line]!;
    const nextStart = position.line + 1 < starts.length ? starts[position.line + 1]! : this.text.length + 1;
    return Math.min(lineStart + Math.max(0, position.character), nextStart - 1, this.text.length);
  }

  range(range: OffsetRange): Range {
    return { start: this.positionAt(range.start), end: this.positionAt(range.end) };
  }
}
