// The formatter's view of Nix code: expressions made of tokens, each token carrying the comments
// and blank lines before it (`pre`) and the comment on the rest of its line (`trail`). The shape
// follows how the official style talks about code (terms, applications, operations, items of
// sets and lists), not tree-sitter's node types.

export type Trivium =
  | { kind: 'emptyLine' }
  /** `#` and what follows it on the line. */
  | { kind: 'lineComment'; text: string }
  /** A multi-line `/* … *\/` (or `/** … *\/` doc comment), its lines re-indented. */
  | { kind: 'blockComment'; doc: boolean; lines: string[] }
  /** `/* lua *\/` right before a string, naming its language: stays on the string's line. */
  | { kind: 'languageAnnotation'; text: string };

export interface Ann<T> {
  pre: Trivium[];
  value: T;
  /** The comment after the token on the same line, without its `#`. */
  trail: string | undefined;
  /** The source line the token started on (some layouts keep a multi-line input multi-line). */
  line: number;
}

export type Leaf = Ann<string>;

/** A piece of a string line: text as written, or an interpolation. */
export type StringPart = string | Interpolation;
export interface Interpolation {
  expr: Expression;
  /** Comments before the closing `}`. */
  final: Trivium[];
}

export type SimpleSelector =
  | { kind: 'id'; leaf: Leaf }
  | { kind: 'interpolation'; ann: Ann<Interpolation> }
  | { kind: 'string'; ann: Ann<StringPart[][]> };

export interface Selector {
  dot: Leaf | undefined;
  selector: SimpleSelector;
}

export type Item<T> = { kind: 'item'; value: T } | { kind: 'comments'; trivia: Trivium[] };

export type Binder =
  | { kind: 'inherit'; keyword: Leaf; from: Term | undefined; names: SimpleSelector[]; semicolon: Leaf }
  | { kind: 'assignment'; path: Selector[]; assign: Leaf; expr: Expression; semicolon: Leaf };

export type Term =
  | { kind: 'token'; leaf: Leaf }
  | { kind: 'simpleString'; ann: Ann<StringPart[][]> }
  | { kind: 'indentedString'; ann: Ann<StringPart[][]> }
  | { kind: 'path'; ann: Ann<StringPart[]> }
  | { kind: 'list'; open: Leaf; items: Item<Term>[]; close: Leaf }
  | { kind: 'set'; keyword: Leaf | undefined; open: Leaf; items: Item<Binder>[]; close: Leaf }
  | { kind: 'selection'; term: Term; selectors: Selector[]; orDefault: [Leaf, Term] | undefined }
  | { kind: 'parenthesized'; open: Leaf; expr: Expression; close: Leaf };

export type ParamAttr =
  | { kind: 'attr'; name: Leaf; defaultValue: [Leaf, Expression] | undefined; comma: Leaf | undefined }
  | { kind: 'ellipsis'; leaf: Leaf };

export type Parameter =
  | { kind: 'id'; leaf: Leaf }
  | { kind: 'set'; open: Leaf; attrs: ParamAttr[]; close: Leaf }
  | { kind: 'context'; first: Parameter; at: Leaf; second: Parameter };

export type Expression =
  | { kind: 'term'; term: Term }
  | { kind: 'with'; keyword: Leaf; env: Expression; semicolon: Leaf; body: Expression }
  | { kind: 'let'; keyword: Leaf; items: Item<Binder>[]; in: Leaf; body: Expression }
  | { kind: 'assert'; keyword: Leaf; cond: Expression; semicolon: Leaf; body: Expression }
  | { kind: 'if'; keyword: Leaf; cond: Expression; then: Leaf; consequence: Expression; else: Leaf; alternative: Expression }
  | { kind: 'abstraction'; param: Parameter; colon: Leaf; body: Expression }
  | { kind: 'application'; fn: Expression; arg: Expression }
  | { kind: 'operation'; left: Expression; op: Leaf; right: Expression }
  | { kind: 'memberCheck'; expr: Expression; question: Leaf; path: Selector[] }
  | { kind: 'negation'; minus: Leaf; expr: Expression }
  | { kind: 'inversion'; bang: Leaf; expr: Expression };

/** A whole file: the expression and the comments after it. */
export interface NixFile {
  expr: Expression;
  final: Trivium[];
}

export function hasTrivia(ann: Ann<unknown>): boolean {
  return ann.pre.length > 0 || ann.trail !== undefined;
}

export function term(t: Term): Expression {
  return { kind: 'term', term: t };
}
