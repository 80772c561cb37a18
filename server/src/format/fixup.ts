// Normalises a document before layout: nestings are resolved into the texts, spacings in a row
// merge, texts in a row join, and hard spacings and comments at the edges of a group move out of
// it — a comment's line break inside a group would otherwise force the whole group to expand.
import {
  isComment,
  isHardSpacing,
  mergeSpacings,
  Spacing,
  type Doc,
  type DocElement,
  type GroupElement,
  type SpacingElement,
  type TextElement,
} from './doc';

const NOTHING: Doc = [];

/** A resolved document: no nest elements, texts carry their absolute nesting and offset. */
export function fixup(doc: Doc): Doc {
  return fixupWithin(doc, 0, 0);
}

class Output {
  readonly items: DocElement[] = [];
  /** Whether the next text may join the last one (only texts that were adjacent in the input). */
  private joinable = false;

  spacing(element: SpacingElement): void {
    const last = this.items[this.items.length - 1];
    if (last?.kind === 'spacing') this.items[this.items.length - 1] = mergeSpacings(last, element);
    else this.items.push(element);
    this.joinable = false;
  }

  text(element: TextElement): void {
    const last = this.items[this.items.length - 1];
    if (this.joinable && last?.kind === 'text' && last.textKind === element.textKind) {
      this.items[this.items.length - 1] = { ...last, text: last.text + element.text };
    } else {
      this.items.push(element);
    }
    this.joinable = true;
  }

  barrier(): void {
    this.joinable = false;
  }

  group(element: GroupElement): void {
    this.items.push(element);
    this.joinable = false;
  }

  /** Takes the last element out when it is a hard space (it moves into a following group). */
  takeHardspace(): SpacingElement | undefined {
    const last = this.items[this.items.length - 1];
    if (last?.kind === 'spacing' && last.spacing === Spacing.Hardspace) {
      this.items.pop();
      return last;
    }
    return undefined;
  }

  /** Adds already-fixed elements as if they came next in the input. */
  replay(elements: Doc): void {
    for (const element of elements) {
      if (element.kind === 'spacing') this.spacing(element);
      else if (element.kind === 'text') this.text(element);
      else if (element.kind === 'group') this.group(element);
    }
  }
}

function fixupWithin(doc: Doc, nest: number, offset: number): Doc {
  const out = new Output();
  append(out, doc, nest, offset);
  return out.items;
}

function append(out: Output, doc: Doc, nest: number, offset: number): void {
  for (const element of doc) {
    switch (element.kind) {
      case 'spacing':
        out.spacing(element);
        break;
      case 'text':
        // Each text element sits in the document once, so its nesting is resolved in place.
        element.nest += nest;
        element.offset += offset;
        out.text(element);
        break;
      case 'nest':
        append(out, element.doc, nest + element.nest, offset + element.offset);
        break;
      case 'group':
        appendGroup(out, element, nest, offset);
        break;
    }
  }
}

function appendGroup(out: Output, element: GroupElement, nest: number, offset: number): void {
  const movedSpace = out.takeHardspace();
  const inner = fixupWithin(movedSpace ? [movedSpace, ...element.doc] : element.doc, nest, offset);
  let start = 0;
  while (start < inner.length && (isHardSpacing(inner[start]) || isComment(inner[start]!))) start++;
  let end = inner.length;
  while (end > start && isHardSpacing(inner[end - 1])) end--;
  const pre = start === 0 ? NOTHING : inner.slice(0, start);
  const post = end === inner.length ? NOTHING : inner.slice(end);
  let body = start === 0 && end === inner.length ? inner : inner.slice(start, end);
  if (body.length === 1 && body[0]!.kind === 'group' && body[0]!.group === element.group) body = body[0]!.doc;
  out.barrier();
  out.replay(pre);
  if (body.length > 0) out.group({ kind: 'group', group: element.group, doc: body });
  out.replay(post);
}

