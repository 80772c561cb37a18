// The layout document the formatter builds before choosing line breaks: texts, spacings and
// groups, in the Wadler/Leijen style the official Nix formatter is built on. A group is printed on
// one line when it fits, else its `line`s become line breaks; soft spacings break only where the
// next piece would not fit; priority groups are expanded first so that what is left and right of
// them can stay compact (the last argument of a call, the body of a function).

/** How a text counts when fitting lines. */
export const enum TextKind {
  Regular = 0,
  /** Does not count towards the line width. */
  Comment = 1,
  /** A `# …` at the end of a line: a comment with its own placement rule. */
  TrailingComment = 2,
  /** Printed only when its group is expanded (the trailing comma of formals). */
  Trailing = 3,
}

/** Spacings in increasing strength; two spacings in a row merge into the stronger one. */
export const enum Spacing {
  /** A line break, or nothing when the rest of the line fits. */
  Softbreak = 0,
  /** A line break in an expanded group, else nothing. */
  Break = 1,
  Hardspace = 2,
  /** A line break, or a space when the rest of the line fits. */
  Softspace = 3,
  /** A line break in an expanded group, else a space. */
  Space = 4,
  Hardline = 5,
  Emptyline = 6,
  /** `count` line breaks. */
  Newlines = 7,
}

export const enum GroupKind {
  Regular = 0,
  /** Expanded first when its parent does not fit, keeping its siblings compact. */
  Priority = 1,
  /** Its priority groups belong to its parent; otherwise a regular group. */
  Transparent = 2,
}

export interface TextElement {
  readonly kind: 'text';
  /** Nesting depth; indentation is worked out from it when a line starts. */
  nest: number;
  /** Extra columns beyond the nesting (lines inside indented strings). */
  offset: number;
  textKind: TextKind;
  text: string;
}

export interface SpacingElement {
  readonly kind: 'spacing';
  readonly spacing: Spacing;
  /** Line breaks of a `Newlines` spacing. */
  readonly count: number;
}

export interface GroupElement {
  readonly kind: 'group';
  group: GroupKind;
  doc: Doc;
}

/** Nesting or offset applied to everything inside; resolved into the texts by `fixup`. */
export interface NestElement {
  readonly kind: 'nest';
  nest: number;
  offset: number;
  doc: Doc;
}

export type DocElement = TextElement | SpacingElement | GroupElement | NestElement;
export type Doc = DocElement[];

export const EMPTY: Doc = [];

export function text(value: string, textKind: TextKind = TextKind.Regular): Doc {
  return value === '' ? [] : [{ kind: 'text', nest: 0, offset: 0, textKind, text: value }];
}

export const comment = (value: string): Doc => text(value, TextKind.Comment);
export const trailingComment = (value: string): Doc => text(value, TextKind.TrailingComment);
export const trailing = (value: string): Doc => text(value, TextKind.Trailing);

/** Spacing elements are never changed once made, so each kind exists once. */
const spacingElement = (value: Spacing, count = 0): SpacingElement => Object.freeze({ kind: 'spacing', spacing: value, count });
const SOFTBREAK = spacingElement(Spacing.Softbreak);
const BREAK = spacingElement(Spacing.Break);
const SOFTSPACE = spacingElement(Spacing.Softspace);
const SPACE = spacingElement(Spacing.Space);
const HARDSPACE = spacingElement(Spacing.Hardspace);
const HARDLINE = spacingElement(Spacing.Hardline);
const EMPTYLINE = spacingElement(Spacing.Emptyline);
const NEWLINE = spacingElement(Spacing.Newlines, 1);

export const softline_ = (): Doc => [SOFTBREAK];
export const line_ = (): Doc => [BREAK];
export const softline = (): Doc => [SOFTSPACE];
export const line = (): Doc => [SPACE];
export const hardspace = (): Doc => [HARDSPACE];
export const hardline = (): Doc => [HARDLINE];
export const emptyline = (): Doc => [EMPTYLINE];
export const newline = (): Doc => [NEWLINE];

export function group(doc: Doc, kind: GroupKind = GroupKind.Regular): Doc {
  return doc.length === 0 ? [] : [{ kind: 'group', group: kind, doc }];
}

export function nest(doc: Doc): Doc {
  return doc.length === 0 ? [] : [{ kind: 'nest', nest: 1, offset: 0, doc }];
}

/** Indents by `columns` exactly, outside the one-indent-per-line rule (indented strings). */
export function offset(columns: number, doc: Doc): Doc {
  return doc.length === 0 || columns === 0 ? doc : [{ kind: 'nest', nest: 0, offset: columns, doc }];
}

export function cat(...docs: Doc[]): Doc {
  return docs.flat();
}

export function sepBy(separator: () => Doc, docs: Doc[]): Doc {
  const out: Doc = [];
  docs.forEach((doc, index) => {
    if (index > 0) out.push(...separator());
    out.push(...doc);
  });
  return out;
}

export function surroundWith(outside: () => Doc, inner: Doc): Doc {
  return [...outside(), ...inner, ...outside()];
}

export function isSpacing(element: DocElement | undefined): element is SpacingElement {
  return element?.kind === 'spacing';
}

export function isSoftSpacing(element: DocElement | undefined): boolean {
  return isSpacing(element) && (element.spacing <= Spacing.Break || element.spacing === Spacing.Softspace || element.spacing === Spacing.Space);
}

export function isHardSpacing(element: DocElement | undefined): boolean {
  return isSpacing(element) && !isSoftSpacing(element);
}

/** Texts that are comments, or groups of nothing but comments and hard spacings. */
export function isComment(element: DocElement): boolean {
  if (element.kind === 'text') return element.textKind === TextKind.Comment || element.textKind === TextKind.TrailingComment;
  if (element.kind === 'group') return element.doc.every((inner) => isComment(inner) || isHardSpacing(inner));
  return false;
}

/** The spacing two spacings in a row amount to. */
export function mergeSpacings(a: SpacingElement, b: SpacingElement): SpacingElement {
  let x = a;
  let y = b;
  if (x.spacing > y.spacing || (x.spacing === y.spacing && x.count > y.count)) [x, y] = [y, x];
  const make = (value: Spacing, count = 0): SpacingElement => ({ kind: 'spacing', spacing: value, count });
  if (x.spacing === Spacing.Break && (y.spacing === Spacing.Softspace || y.spacing === Spacing.Hardspace)) return make(Spacing.Space);
  if (x.spacing === Spacing.Softbreak && y.spacing === Spacing.Hardspace) return make(Spacing.Softspace);
  if (y.spacing === Spacing.Newlines) {
    if (x.spacing === Spacing.Newlines) return make(Spacing.Newlines, x.count + y.count);
    if (x.spacing === Spacing.Emptyline) return make(Spacing.Newlines, y.count + 2);
    if (x.spacing === Spacing.Hardspace) return y;
    return make(Spacing.Newlines, y.count + 1);
  }
  return y;
}

/** Whether a document would print anything at all besides spacing. */
export function hasText(doc: Doc): boolean {
  return doc.some((element) => element.kind === 'text' || ((element.kind === 'group' || element.kind === 'nest') && hasText(element.doc)));
}
