// The text tree-sitter is given. The grammar we ship (tree-sitter-nix 0.0.2) rejects a trailing
// comma after the last argument of a function's argument set when there is a single argument or a
// comment follows it — `{ a, }:`, `{ pkgs ? import <nixpkgs> { }, }:`, `{ a, # note\n}:` — all of
// which Nix accepts and nixfmt writes. So before parsing, such a comma is replaced by a space: the
// text keeps its length, every offset and position stays where it is, and the grammar sees an
// argument set it knows. Nothing else is changed.
//
// Only a comma directly inside an argument set (a `{` whose first tokens are `a,`, `a ?` or `...`)
// whose next token is the set's `}` is blanked, and only when the token before it can end an
// argument (not `,` or `...`): that is where Nix accepts it, and nowhere else (`{ a = 1, }`,
// `{ ..., }` and `{ a, , }` are errors, and stay errors). Strings, comments and interpolations are
// skipped with Nix's own lexing rules, so a comma in `"a, }"` or `# a, }` is never touched.
//
// A tree parsed from the rewritten text reads the rewritten text too (a blanked comma's node text
// is a space); offsets are what everything else uses.
import type { Parser, Point, Tree } from 'web-tree-sitter';

export interface GrammarText {
  /** The text to parse: the input with the commas at `blanked` replaced by spaces. */
  text: string;
  /** Offsets of the blanked commas, ascending. */
  blanked: number[];
}

const COMMA = 44;
const SPACE = 32;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const DOT = 46;
const HASH = 35;
const SLASH = 47;
const STAR = 42;
const QUOTE = 34;
const APOSTROPHE = 39;
const DOLLAR = 36;
const BACKSLASH = 92;
const NEWLINE = 10;
const QUESTION = 63;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
/** Stand-ins for `previous` (below) that are no character. */
const NOTHING = -1;
const ELLIPSIS = -2;

function isWhitespace(c: number): boolean {
  return c === SPACE || c === NEWLINE || c === 9 || c === 13;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57) || c === APOSTROPHE || c === 45;
}

/** `...` as a token (the ellipsis of an argument set), not the end of a path such as `./...`. */
function isEllipsis(text: string, at: number): boolean {
  if (text.charCodeAt(at + 1) !== DOT || text.charCodeAt(at + 2) !== DOT) return false;
  const before = at > 0 ? text.charCodeAt(at - 1) : SPACE;
  return before !== SLASH && before !== DOT && !isIdentifierPart(before);
}

/** Where Nix's lexer is: in code, or in a string of either kind. */
const enum Mode {
  Code,
  String,
  IndentedString,
}

const enum Opener {
  Brace,
  Interpolation,
  Paren,
  Bracket,
}

/** What the first tokens inside a `{` say it is. */
const enum Shape {
  /** Nothing seen yet. */
  Open,
  /** One identifier seen: `{ a` starts argument sets and attribute sets alike. */
  FirstName,
  /** `{ a,`, `{ a ?` or `{ ...`: an argument set. */
  Arguments,
  /** Anything else: `{ a =`, `{ a.b`, `{ inherit`, `{ "a"`. */
  Other,
}

interface Frame {
  opener: Opener;
  /** For an interpolation: the string it returns to. */
  returnTo: Mode;
  shape: Shape;
}

/** A comma that may be a trailing one: `}` or a comment after it (a necessary condition). */
const MAYBE_TRAILING_COMMA = /,\s*(?:\}|#|\/\*)/;

/** The offsets of the commas to blank in `text` (see above), ascending. */
export function trailingFormalCommas(text: string): number[] {
  const found: number[] = [];
  // Most files have no comma followed by `}` or a comment at all: no need to lex them.
  if (!MAYBE_TRAILING_COMMA.test(text)) return found;
  const frames: Frame[] = [];
  let mode = Mode.Code;
  // The last significant token seen in code, and a comma waiting to see whether `}` follows.
  let previous = NOTHING;
  let pendingComma = -1;
  let pendingFrame: Frame | undefined;
  const length = text.length;
  const open = (opener: Opener, returnTo: Mode = Mode.Code) => frames.push({ opener, returnTo, shape: Shape.Open });
  const closeString = () => {
    mode = Mode.Code;
    previous = QUOTE;
  };
  /** In a string at a `$`: how far `${` (which opens an interpolation) or `$$` reaches. */
  const dollarInString = (at: number): number => {
    const next = text.charCodeAt(at + 1);
    if (next === OPEN_BRACE) {
      open(Opener.Interpolation, mode);
      mode = Mode.Code;
      previous = NOTHING;
      return at + 2;
    }
    return next === DOLLAR ? at + 2 : at + 1;
  };
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (mode === Mode.String) {
      if (c === BACKSLASH) i += 2;
      else if (c === QUOTE) {
        closeString();
        i++;
      } else if (c === DOLLAR) i = dollarInString(i);
      else i++;
      continue;
    }
    if (mode === Mode.IndentedString) {
      if (c === APOSTROPHE && text.charCodeAt(i + 1) === APOSTROPHE) {
        const after = text.charCodeAt(i + 2);
        // `'''`, `''$` and `''\x` are escapes inside the string; `''` alone ends it.
        if (after === APOSTROPHE || after === DOLLAR) i += 3;
        else if (after === BACKSLASH) i += 4;
        else {
          closeString();
          i += 2;
        }
      } else if (c === DOLLAR) i = dollarInString(i);
      else i++;
      continue;
    }
    // Code: whitespace and comments first, which are no tokens.
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    if (c === HASH) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? length : end + 1;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? length : end + 2;
      continue;
    }
    const frame = frames[frames.length - 1];
    // A token: it settles a pending comma, and tells what the innermost `{` is.
    if (pendingComma >= 0 && c === CLOSE_BRACE && frame === pendingFrame) found.push(pendingComma);
    pendingComma = -1;
    const ellipsis = c === DOT && isEllipsis(text, i);
    let tokenEnd = i + (ellipsis ? 3 : 1);
    if (isIdentifierStart(c)) {
      // Identifiers may hold `'` (`a''`), which must not open an indented string.
      while (tokenEnd < length && isIdentifierPart(text.charCodeAt(tokenEnd))) tokenEnd++;
    }
    if (frame?.opener === Opener.Brace) frame.shape = nextShape(frame.shape, text, i, tokenEnd, c, ellipsis);
    if (c === COMMA) {
      const canEndArgument = previous !== OPEN_BRACE && previous !== COMMA && previous !== ELLIPSIS && previous !== NOTHING;
      if (frame?.opener === Opener.Brace && frame.shape === Shape.Arguments && canEndArgument) {
        pendingComma = i;
        pendingFrame = frame;
      }
    }
    previous = ellipsis ? ELLIPSIS : c;
    i = tokenEnd;
    if (c === QUOTE) mode = Mode.String;
    else if (c === APOSTROPHE && text.charCodeAt(i) === APOSTROPHE) {
      mode = Mode.IndentedString;
      i++;
    } else if (c === DOLLAR && text.charCodeAt(i) === OPEN_BRACE) {
      open(Opener.Interpolation);
      i++;
    } else if (c === OPEN_BRACE) open(Opener.Brace);
    else if (c === OPEN_PAREN) open(Opener.Paren);
    else if (c === OPEN_BRACKET) open(Opener.Bracket);
    else if (c === CLOSE_PAREN || c === CLOSE_BRACKET) {
      // In broken code a closer may match nothing: then it closes nothing.
      if (frame?.opener === (c === CLOSE_PAREN ? Opener.Paren : Opener.Bracket)) frames.pop();
    } else if (c === CLOSE_BRACE) {
      // Closes the innermost `{` or `${`, and whatever was left open inside it.
      let closed: Frame | undefined;
      do closed = frames.pop();
      while (closed && closed.opener !== Opener.Brace && closed.opener !== Opener.Interpolation);
      if (closed?.opener === Opener.Interpolation && closed.returnTo !== Mode.Code) {
        mode = closed.returnTo;
        previous = NOTHING;
      }
    }
  }
  return found;
}

/** The shape of a `{` after one more token directly inside it. */
function nextShape(shape: Shape, text: string, start: number, end: number, c: number, ellipsis: boolean): Shape {
  switch (shape) {
    case Shape.Open:
      if (ellipsis) return Shape.Arguments;
      if (isIdentifierStart(c)) return text.slice(start, end) === 'inherit' ? Shape.Other : Shape.FirstName;
      return c === CLOSE_BRACE ? Shape.Open : Shape.Other;
    case Shape.FirstName:
      return c === COMMA || c === QUESTION ? Shape.Arguments : Shape.Other;
    default:
      return shape;
  }
}

/** The text to give tree-sitter for `text`. */
export function grammarText(text: string): GrammarText {
  const blanked = trailingFormalCommas(text);
  if (blanked.length === 0) return { text, blanked };
  let rewritten = '';
  let from = 0;
  for (const at of blanked) {
    rewritten += text.slice(from, at) + ' ';
    from = at + 1;
  }
  return { text: rewritten + text.slice(from), blanked };
}

/** A fresh parse of Nix `text`. */
export function parseNix(parser: Parser, text: string): Tree | null {
  return parser.parse(grammarText(text).text);
}

/** Blanked offsets after an edit of [start, oldEnd) into text ending at newEnd; those inside it go. */
export function shiftBlanked(blanked: readonly number[], start: number, oldEnd: number, newEnd: number): number[] {
  const shift = newEnd - oldEnd;
  const result: number[] = [];
  for (const at of blanked) {
    if (at < start) result.push(at);
    else if (at >= oldEnd) result.push(at + shift);
  }
  return result;
}

/**
 * Tells an edited tree about commas blanked or restored outside the edits themselves (deleting `b`
 * from `{ a, b }` makes the comma after `a` trailing): each becomes a one-character edit, so the
 * incremental parse reads it again instead of reusing what it parsed there before.
 */
export function editBlankedChanges(tree: Tree, before: readonly number[], after: readonly number[], pointAt: (offset: number) => Point): void {
  const was = new Set(before);
  const is = new Set(after);
  for (const at of [...before.filter((o) => !is.has(o)), ...after.filter((o) => !was.has(o))]) {
    const start = pointAt(at);
    const end = pointAt(at + 1);
    tree.edit({ startIndex: at, oldEndIndex: at + 1, newEndIndex: at + 1, startPosition: start, oldEndPosition: end, newEndPosition: end });
  }
}
