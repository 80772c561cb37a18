// Chooses the line breaks of a fixed-up document, greedily: a group goes on one line when it and
// what must follow it on that line fit; otherwise its priority groups are tried expanded one at a
// time (last first), and failing that the group is expanded. Indentation follows nesting, but a
// line gets at most one indent more than the line it continues, however many nestings opened on
// it — so `foo = bar {` does not push the set's body two levels in.
import { GroupKind, mergeSpacings, Spacing, TextKind, type Doc, type DocElement, type SpacingElement } from './doc';

/** What follows the piece being laid out: a chain of document slices. */
interface Rest {
  readonly doc: Doc;
  readonly index: number;
  readonly next: Rest | null;
}

/** Reads a document and what follows it, element by element, optionally descending into groups. */
class Reader {
  private doc: Doc;
  private index: number;
  private outer: Rest | null;
  private readonly stack: { doc: Doc; index: number }[] = [];
  private pending: DocElement | undefined;

  constructor(doc: Doc, index: number, outer: Rest | null) {
    this.doc = doc;
    this.index = index;
    this.outer = outer;
  }

  /** An independent reader at the same place. */
  clone(): Reader {
    const copy = new Reader(this.doc, this.index, this.outer);
    copy.stack.push(...this.stack);
    copy.pending = this.pending;
    return copy;
  }

  static of(rest: Rest | null): Reader {
    return rest ? new Reader(rest.doc, rest.index, rest.next) : new Reader([], 0, null);
  }

  /** The next element; groups are entered when `flatten`. */
  next(flatten: boolean): DocElement | undefined {
    for (;;) {
      let element: DocElement | undefined;
      if (this.pending) {
        element = this.pending;
        this.pending = undefined;
      } else if (this.index < this.doc.length) {
        element = this.doc[this.index++];
      } else if (this.stack.length > 0) {
        const frame = this.stack.pop()!;
        this.doc = frame.doc;
        this.index = frame.index;
        continue;
      } else if (this.outer) {
        this.doc = this.outer.doc;
        this.index = this.outer.index;
        this.outer = this.outer.next;
        continue;
      } else {
        return undefined;
      }
      if (flatten && element!.kind === 'group') {
        this.enter(element!.doc);
        continue;
      }
      return element;
    }
  }

  enter(doc: Doc): void {
    if (this.pending) throw new Error('enter with a pending element');
    this.stack.push({ doc: this.doc, index: this.index });
    this.doc = doc;
    this.index = 0;
  }

  unread(element: DocElement): void {
    this.pending = element;
  }

  /** The spacing starting at `first` merged with the spacings right after it. */
  mergedSpacing(first: SpacingElement, flatten: boolean): SpacingElement {
    let merged = first;
    for (;;) {
      const following = this.next(flatten);
      if (following === undefined) return merged;
      if (following.kind !== 'spacing') {
        this.unread(following);
        return merged;
      }
      merged = mergeSpacings(merged, following);
    }
  }
}

function width(value: string): number {
  return value.length;
}

/**
 * The document on one line if it fits in `columns`, else undefined. `nextIndent` is how much the
 * next line will be indented relative to this one (for a trailing comment's leading space).
 */
function fits(nextIndent: number, columns: number, doc: Doc): string | undefined {
  const reader = new Reader(doc, 0, null);
  let out = '';
  let ni = nextIndent;
  let c = columns;
  for (;;) {
    if (c < 0) return undefined;
    const element = reader.next(true);
    if (element === undefined) return out;
    if (element.kind === 'text') {
      switch (element.textKind) {
        case TextKind.Regular:
          out += element.text;
          ni -= width(element.text);
          c -= width(element.text);
          break;
        case TextKind.Comment:
          out += element.text;
          break;
        case TextKind.TrailingComment:
          out += ni === 0 ? ` ${element.text}` : element.text;
          break;
        case TextKind.Trailing:
          break;
      }
    } else if (element.kind === 'spacing') {
      const merged = reader.mergedSpacing(element, true);
      switch (merged.spacing) {
        case Spacing.Softbreak:
        case Spacing.Break:
          break;
        case Spacing.Softspace:
        case Spacing.Space:
        case Spacing.Hardspace:
          out += ' ';
          ni -= 1;
          c -= 1;
          break;
        default:
          return undefined;
      }
    }
  }
}

/** The width of what follows up to its first possible line break, everything compact. */
function firstLineWidth(reader: Reader): number {
  let total = 0;
  for (;;) {
    const element = reader.next(true);
    if (element === undefined) return total;
    if (element.kind === 'text') {
      if (element.textKind !== TextKind.Comment && element.textKind !== TextKind.TrailingComment) total += width(element.text);
    } else if (element.kind === 'spacing') {
      const merged = reader.mergedSpacing(element, true);
      if (merged.spacing !== Spacing.Hardspace) return total;
      total += 1;
    }
  }
}

/** Whether the first line of what follows fits in `target` columns, groups kept whole where they fit. */
function firstLineFits(target: number, max: number, rest: Rest | null): boolean {
  const reader = Reader.of(rest);
  let c = max;
  for (;;) {
    if (c < 0) return false;
    const element = reader.next(false);
    if (element === undefined) return max - c <= target;
    if (element.kind === 'text') {
      if (element.textKind === TextKind.Regular) c -= width(element.text);
    } else if (element.kind === 'spacing') {
      const merged = reader.mergedSpacing(element, false);
      if (merged.spacing !== Spacing.Hardspace) return max - c <= target;
      c -= 1;
    } else if (element.kind === 'group') {
      // What follows the group on its line must fit too: measure it on a copy of the reader.
      const after = reader.clone();
      const compact = fits(0, c - firstLineWidth(after), element.doc);
      if (compact === undefined) reader.enter(element.doc);
      else c -= width(compact);
    }
  }
}

/** Nesting and offset of the first text. */
function nextIndent(reader: Reader): [number, number] {
  for (;;) {
    const element = reader.next(true);
    if (element === undefined) return [0, 0];
    if (element.kind === 'text') return [element.nest, element.offset];
  }
}

/** A group's content cut around each of its priority groups: [before, priority group, after]. */
function priorityGroups(doc: Doc): [Doc, Doc, Doc][] {
  const segments: { priority: boolean; doc: Doc }[] = [];
  const collect = (elements: Doc) => {
    for (const element of elements) {
      if (element.kind === 'group' && element.group === GroupKind.Priority) segments.push({ priority: true, doc: element.doc });
      else if (element.kind === 'group' && element.group === GroupKind.Transparent) collect(element.doc);
      else {
        const last = segments[segments.length - 1];
        if (last && !last.priority) last.doc.push(element);
        else segments.push({ priority: false, doc: [element] });
      }
    }
  };
  collect(doc);
  const result: [Doc, Doc, Doc][] = [];
  segments.forEach((segment, index) => {
    if (!segment.priority) return;
    result.push([segments.slice(0, index).flatMap((s) => s.doc), segment.doc, segments.slice(index + 1).flatMap((s) => s.doc)]);
  });
  return result;
}

/** Replaces a document's own (not nested) soft spacings by their compact form. */
function unexpandSpacing(doc: Doc): Doc {
  const out: Doc = [];
  for (const element of doc) {
    if (element.kind === 'spacing') {
      if (element.spacing === Spacing.Space || element.spacing === Spacing.Softspace) out.push({ kind: 'spacing', spacing: Spacing.Hardspace, count: 0 });
      else if (element.spacing === Spacing.Break || element.spacing === Spacing.Softbreak) continue;
      else out.push(element);
    } else {
      out.push(element);
    }
  }
  return out;
}

/** Lays out a fixed-up document at `targetWidth` columns. */
export function layoutGreedy(targetWidth: number, doc: Doc): string {
  return new Layout(targetWidth).run(doc);
}

class Layout {
  private readonly out: string[] = [];
  /** The current column, not counting indentation. */
  private column = 0;
  /** Stack of [indentation, nesting level]; never empty. */
  private indents: [number, number][] = [[0, 0]];

  constructor(private readonly targetWidth: number) {}

  run(doc: Doc): string {
    this.goElement({ kind: 'group', group: GroupKind.Regular, doc }, null);
    return this.out.join('');
  }

  private snapshot(): [number, [number, number][], number] {
    return [this.column, this.indents.slice(), this.out.length];
  }

  private restore([column, indents, length]: [number, [number, number][], number]): void {
    this.column = column;
    this.indents = indents;
    this.out.length = length;
  }

  private top(): [number, number] {
    return this.indents[this.indents.length - 1]!;
  }

  private putText(nest: number, offset: number, value: string): void {
    for (;;) {
      const [indent, level] = this.top();
      if (nest > level) {
        this.indents.push([this.column === 0 ? indent + 2 : indent, nest]);
        break;
      }
      if (nest < level && this.indents.length > 1) {
        this.indents.pop();
        continue;
      }
      break;
    }
    if (this.column === 0) this.out.push(' '.repeat(this.top()[0] + offset));
    this.out.push(value);
    this.column += width(value);
  }

  private putRaw(value: string): void {
    this.out.push(value);
    this.column += width(value);
  }

  private putNewlines(count: number): void {
    this.out.push('\n'.repeat(count));
    this.column = 0;
  }

  private go(doc: Doc, rest: Rest | null): void {
    for (let index = 0; index < doc.length; index++) this.goElement(doc[index]!, { doc, index: index + 1, next: rest });
  }

  private goElement(element: DocElement, rest: Rest | null): void {
    const atLineStart = this.column === 0;
    if (element.kind === 'text') {
      if (element.textKind === TextKind.TrailingComment && this.column === 2 && nextIndent(Reader.of(rest))[0] > this.top()[1]) {
        // After a lone `[` or `{`, keep the comment visibly apart from the first item's comments.
        this.putRaw(' ');
        this.putRaw(element.text);
        return;
      }
      this.putText(element.nest, element.offset, element.text);
      return;
    }
    if (element.kind === 'spacing') {
      if (atLineStart) return;
      switch (element.spacing) {
        case Spacing.Break:
        case Spacing.Space:
        case Spacing.Hardline:
          return this.putNewlines(1);
        case Spacing.Hardspace:
          return this.putRaw(' ');
        case Spacing.Emptyline:
          return this.putNewlines(2);
        case Spacing.Newlines:
          return this.putNewlines(element.count);
        case Spacing.Softbreak:
          if (!firstLineFits(this.targetWidth - this.column, this.targetWidth, rest)) this.putNewlines(1);
          return;
        case Spacing.Softspace:
          if (firstLineFits(this.targetWidth - this.column - 1, this.targetWidth, rest)) this.putRaw(' ');
          else this.putNewlines(1);
          return;
      }
    }
    if (element.kind !== 'group') return;
    if (this.goGroup(element.doc, rest)) return;
    if (element.group !== GroupKind.Transparent) {
      const candidates = priorityGroups(element.doc);
      for (let index = candidates.length - 1; index >= 0; index--) {
        if (this.goPriorityGroup(candidates[index]!, rest)) return;
      }
    }
    this.go(element.doc, rest);
  }

  private goPriorityGroup([pre, priority, post]: [Doc, Doc, Doc], rest: Rest | null): boolean {
    const saved = this.snapshot();
    const afterPriority: Rest = { doc: post, index: 0, next: rest };
    if (!this.goGroup(pre, { doc: priority, index: 0, next: afterPriority })) return false;
    this.go(priority, { doc: unexpandSpacing(post), index: 0, next: rest });
    if (!this.goGroup(post, rest)) {
      this.restore(saved);
      return false;
    }
    return true;
  }

  /** Puts `doc` on the current line if it fits there with what must follow it; else changes nothing. */
  private goGroup(doc: Doc, rest: Rest | null): boolean {
    if (doc.length === 0) return true;
    if (this.column === 0) {
      let content = doc;
      const first = doc[0]!;
      if (first.kind === 'spacing') content = doc.slice(1);
      else if (first.kind === 'group' && first.doc[0]?.kind === 'spacing') content = [{ ...first, doc: first.doc.slice(1) }, ...doc.slice(1)];
      const [nest, offset] = nextIndent(new Reader(content, 0, null));
      const lastLevel = this.top()[1];
      const lineLevel = lastLevel + (nest > lastLevel ? 2 : 0);
      const indentWillIncrease = nextIndent(Reader.of(rest))[0] > lineLevel ? 2 : 0;
      const compact = fits(indentWillIncrease, this.targetWidth - firstLineWidth(Reader.of(rest)), content);
      if (compact === undefined) return false;
      this.putText(nest, offset, compact);
      return true;
    }
    const indentWillIncrease = nextIndent(Reader.of(rest))[0] > this.top()[1] ? 2 : 0;
    const compact = fits(indentWillIncrease - this.column, this.targetWidth - this.column - firstLineWidth(Reader.of(rest)), doc);
    if (compact === undefined) return false;
    this.putRaw(compact);
    return true;
  }
}
