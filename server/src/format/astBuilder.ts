// Builds the formatter's view of a file from the plain parse tree. Tokens are made in source
// order, so each one takes the trivia read after the token before it, exactly once: no comment
// can be dropped or duplicated on the way.
import type { Ann, Binder, Expression, Interpolation, Item, Leaf, NixFile, ParamAttr, Parameter, Selector, SimpleSelector, StringPart, Term, Trivium } from './ast';
import { term } from './ast';
import type { PlainNode } from './plainTree';
import { scanTrivia } from './trivia';

export class UnsupportedSyntax extends Error {}

export function buildFile(text: string, root: PlainNode): NixFile {
  const builder = new AstBuilder(text);
  const start = scanTrivia(text, 0, 0, true);
  builder.pending = start.leading;
  const exprNode = root.children.find((child) => child.named);
  if (!exprNode) throw new UnsupportedSyntax('the file holds no expression');
  const expr = builder.expression(exprNode);
  return { expr, final: builder.pending };
}

const isToken = (node: PlainNode, token: string) => !node.named && node.type === token;

/** An ERROR node holding nothing but a `,` (how the grammar reads `{ a ? 1, }:`). */
export function isTrailingFormalsComma(node: PlainNode): boolean {
  return node.type === 'ERROR' && node.children.length === 1 && isToken(node.children[0]!, ',');
}

/**
 * The offsets of such commas inside formals (code Nix accepts), and whether the tree holds any
 * other error.
 */
export function trailingFormalsCommas(root: PlainNode): { commas: Set<number>; otherErrors: boolean } {
  const commas = new Set<number>();
  let otherErrors = (root.missingTokens ?? 0) > 0 || (root.errorNodes ?? 0) > 0;
  // A tree from plainTree lists its argument sets; any other is walked whole.
  const formals = root.formals ?? allFormals(root);
  if (!root.formals && hasErrorNode(root)) otherErrors = true;
  for (const node of formals) {
    node.children.forEach((child, index) => {
      if (isTrailingFormalsComma(child)) {
        commas.add(child.start);
      } else if (child.type === 'formal' && child.children.length === 0) {
        // `{ a, }:` reads as a formal whose name is missing after the comma.
        commas.add(child.start);
        const comma = node.children[index - 1];
        if (comma && isToken(comma, ',')) commas.add(comma.start);
      }
    });
  }
  return { commas, otherErrors };
}

function allFormals(root: PlainNode): PlainNode[] {
  const found: PlainNode[] = [];
  const stack: PlainNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'formals') found.push(node);
    stack.push(...node.children);
  }
  return found;
}

function hasErrorNode(root: PlainNode): boolean {
  const stack: PlainNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR') return true;
    stack.push(...node.children);
  }
  return false;
}

class AstBuilder {
  pending: Trivium[] = [];
  private linePos = 0;
  private lineNumber = 0;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  /** Line number and line start of `offset`; offsets only ever grow. */
  private seek(offset: number): void {
    const text = this.text;
    for (let i = this.linePos; i < offset; i++) {
      if (text.charCodeAt(i) === 10) {
        this.lineNumber++;
        this.lineStart = i + 1;
      }
    }
    if (offset > this.linePos) this.linePos = offset;
  }

  private annotate<T>(start: number, end: number, build: () => T): Ann<T> {
    const pre = this.pending;
    this.pending = [];
    this.seek(start);
    const line = this.lineNumber;
    const value = build();
    this.seek(end);
    const scanned = scanTrivia(this.text, end, this.lineStart);
    this.pending = scanned.leading;
    return { pre, value, trail: scanned.trail, line };
  }

  leaf(node: PlainNode): Leaf {
    return this.annotate(node.start, node.end, () => this.text.slice(node.start, node.end));
  }

  expression(node: PlainNode): Expression {
    const kids = node.children;
    switch (node.type) {
      case 'with_expression':
        return { kind: 'with', keyword: this.leaf(kids[0]!), env: this.expression(kids[1]!), semicolon: this.leaf(kids[2]!), body: this.expression(kids[3]!) };
      case 'assert_expression':
        return { kind: 'assert', keyword: this.leaf(kids[0]!), cond: this.expression(kids[1]!), semicolon: this.leaf(kids[2]!), body: this.expression(kids[3]!) };
      case 'if_expression':
        return {
          kind: 'if',
          keyword: this.leaf(kids[0]!),
          cond: this.expression(kids[1]!),
          then: this.leaf(kids[2]!),
          consequence: this.expression(kids[3]!),
          else: this.leaf(kids[4]!),
          alternative: this.expression(kids[5]!),
        };
      case 'let_expression': {
        const keyword = this.leaf(kids[0]!);
        const bindings = kids.find((kid) => kid.type === 'binding_set');
        const items = this.items(bindings ? bindings.children : [], (child) => this.binder(child));
        const inIndex = kids.findIndex((kid) => isToken(kid, 'in'));
        return { kind: 'let', keyword, items, in: this.leaf(kids[inIndex]!), body: this.expression(kids[inIndex + 1]!) };
      }
      case 'function_expression':
        return this.abstraction(kids);
      case 'apply_expression':
        return { kind: 'application', fn: this.expression(kids[0]!), arg: this.expression(kids[1]!) };
      case 'binary_expression':
        return { kind: 'operation', left: this.expression(kids[0]!), op: this.leaf(kids[1]!), right: this.expression(kids[2]!) };
      case 'unary_expression': {
        const op = this.leaf(kids[0]!);
        const expr = this.expression(kids[1]!);
        return op.value === '-' ? { kind: 'negation', minus: op, expr } : { kind: 'inversion', bang: op, expr };
      }
      case 'has_attr_expression':
        return { kind: 'memberCheck', expr: this.expression(kids[0]!), question: this.leaf(kids[1]!), path: this.attrpath(kids[2]!, false) };
      default:
        return term(this.term(node));
    }
  }

  term(node: PlainNode): Term {
    const kids = node.children;
    switch (node.type) {
      case 'variable_expression':
      case 'integer_expression':
      case 'float_expression':
      case 'spath_expression':
      case 'uri_expression':
      case 'identifier':
        return { kind: 'token', leaf: this.leaf(node) };
      case 'path_expression':
      case 'hpath_expression':
        return { kind: 'path', ann: this.annotate(node.start, node.end, () => this.stringParts(node, node.start, node.end)) };
      case 'string_expression':
        return { kind: 'simpleString', ann: this.annotate(node.start, node.end, () => simpleStringLines(this.stringParts(node, node.start + 1, node.end - 1))) };
      case 'indented_string_expression':
        return { kind: 'indentedString', ann: this.annotate(node.start, node.end, () => indentedStringLines(this.stringParts(node, node.start + 2, node.end - 2))) };
      case 'parenthesized_expression':
        return { kind: 'parenthesized', open: this.leaf(kids[0]!), expr: this.expression(kids[1]!), close: this.leaf(kids[2]!) };
      case 'list_expression': {
        const open = this.leaf(kids[0]!);
        const items = this.items(kids.slice(1, -1), (child) => this.term(child));
        return { kind: 'list', open, items, close: this.leaf(kids[kids.length - 1]!) };
      }
      case 'attrset_expression':
      case 'rec_attrset_expression':
      case 'let_attrset_expression': {
        const hasKeyword = !isToken(kids[0]!, '{');
        const keyword = hasKeyword ? this.leaf(kids[0]!) : undefined;
        const open = this.leaf(kids[hasKeyword ? 1 : 0]!);
        const bindings = kids.find((kid) => kid.type === 'binding_set');
        const items = this.items(bindings ? bindings.children : [], (child) => this.binder(child));
        return { kind: 'set', keyword, open, items, close: this.leaf(kids[kids.length - 1]!) };
      }
      case 'select_expression': {
        const inner = this.term(kids[0]!);
        const selectors = [{ dot: this.leaf(kids[1]!), selector: undefined as unknown as SimpleSelector }];
        const rest = this.attrpath(kids[2]!, true);
        selectors[0]!.selector = rest[0]!.selector;
        const all: Selector[] = [selectors[0]!, ...rest.slice(1)];
        const orIndex = kids.findIndex((kid) => isToken(kid, 'or'));
        const orDefault: [Leaf, Term] | undefined = orIndex >= 0 ? [this.leaf(kids[orIndex]!), this.term(kids[orIndex + 1]!)] : undefined;
        // `(a.b).c` stays as written; `a.b.c` is one selection.
        return { kind: 'selection', term: inner, selectors: all, orDefault };
      }
      default:
        throw new UnsupportedSyntax(`cannot format a ${node.type}`);
    }
  }

  /** Attribute path parts with their dots; the first part has none unless `leadingDotDone`. */
  private attrpath(node: PlainNode, _leadingDotDone: boolean): Selector[] {
    const out: Selector[] = [];
    let dot: Leaf | undefined;
    for (const kid of node.children) {
      if (isToken(kid, '.')) {
        dot = this.leaf(kid);
        continue;
      }
      out.push({ dot, selector: this.simpleSelector(kid) });
      dot = undefined;
    }
    return out;
  }

  private simpleSelector(node: PlainNode): SimpleSelector {
    if (node.type === 'interpolation') return { kind: 'interpolation', ann: this.annotate(node.start, node.end, () => this.interpolation(node)) };
    if (node.type === 'string_expression') {
      return { kind: 'string', ann: this.annotate(node.start, node.end, () => simpleStringLines(this.stringParts(node, node.start + 1, node.end - 1))) };
    }
    return { kind: 'id', leaf: this.leaf(node) };
  }

  private interpolation(node: PlainNode): Interpolation {
    const saved = this.pending;
    const open = node.children[0]!;
    this.seek(open.end);
    this.pending = scanTrivia(this.text, open.end, this.lineStart, true).leading;
    const exprNode = node.children.find((kid) => kid.named);
    if (!exprNode) throw new UnsupportedSyntax('an empty interpolation');
    const expr = this.expression(exprNode);
    const final = this.pending;
    this.pending = saved;
    return { expr, final };
  }

  /** The text and interpolations between `from` and `to` of a string or path node. */
  private stringParts(node: PlainNode, from: number, to: number): StringPart[] {
    const parts: StringPart[] = [];
    let at = from;
    for (const kid of node.children) {
      if (kid.type !== 'interpolation') continue;
      if (kid.start > at) parts.push(this.text.slice(at, kid.start));
      parts.push(this.interpolation(kid));
      at = kid.end;
    }
    if (to > at) parts.push(this.text.slice(at, to));
    return parts;
  }

  private items<T>(nodes: PlainNode[], build: (node: PlainNode) => T): Item<T>[] {
    const items: Item<T>[] = [];
    for (const node of nodes) {
      if (this.pending.length > 0) {
        items.push({ kind: 'comments', trivia: this.pending });
        this.pending = [];
      }
      items.push({ kind: 'item', value: build(node) });
    }
    if (this.pending.length > 0) {
      items.push({ kind: 'comments', trivia: this.pending });
      this.pending = [];
    }
    return items;
  }

  private binder(node: PlainNode): Binder {
    const kids = node.children;
    if (node.type === 'binding') {
      return { kind: 'assignment', path: this.attrpath(kids[0]!, false), assign: this.leaf(kids[1]!), expr: this.expression(kids[2]!), semicolon: this.leaf(kids[3]!) };
    }
    if (node.type === 'inherit' || node.type === 'inherit_from') {
      const keyword = this.leaf(kids[0]!);
      let index = 1;
      let from: Term | undefined;
      if (node.type === 'inherit_from') {
        from = { kind: 'parenthesized', open: this.leaf(kids[1]!), expr: this.expression(kids[2]!), close: this.leaf(kids[3]!) };
        index = 4;
      }
      const attrs = kids[index]?.type === 'inherited_attrs' ? kids[index]!.children : [];
      const names = attrs.map((attr) => this.simpleSelector(attr));
      return { kind: 'inherit', keyword, from, names, semicolon: this.leaf(kids[kids.length - 1]!) };
    }
    throw new UnsupportedSyntax(`cannot format a ${node.type} among bindings`);
  }

  private abstraction(kids: PlainNode[]): Expression {
    const colonIndex = kids.findIndex((kid) => isToken(kid, ':'));
    const head = kids.slice(0, colonIndex);
    let param: Parameter;
    if (head.length === 1) {
      param = this.parameter(head[0]!);
    } else {
      const first = this.parameter(head[0]!);
      const at = this.leaf(head[1]!);
      param = { kind: 'context', first, at, second: this.parameter(head[2]!) };
    }
    const colon = this.leaf(kids[colonIndex]!);
    return { kind: 'abstraction', param, colon, body: this.expression(kids[colonIndex + 1]!) };
  }

  private parameter(node: PlainNode): Parameter {
    if (node.type === 'identifier') return { kind: 'id', leaf: this.leaf(node) };
    const kids = node.children;
    const open = this.leaf(kids[0]!);
    const attrs: ParamAttr[] = [];
    for (const kid of kids.slice(1, -1)) {
      // The grammar reads a trailing comma after a formal with a default as an error; Nix does not.
      const commaNode = isToken(kid, ',') ? kid : isTrailingFormalsComma(kid) ? kid.children[0]! : undefined;
      if (commaNode) {
        const last = attrs[attrs.length - 1];
        const comma = this.leaf(commaNode);
        if (last?.kind === 'attr' && !last.comma) last.comma = comma;
        continue;
      }
      if (kid.type === 'ellipses') {
        attrs.push({ kind: 'ellipsis', leaf: this.leaf(kid) });
        continue;
      }
      if (kid.children.length === 0) continue;
      const name = this.leaf(kid.children[0]!);
      const defaultValue: [Leaf, Expression] | undefined = kid.children.length >= 3 ? [this.leaf(kid.children[1]!), this.expression(kid.children[2]!)] : undefined;
      attrs.push({ kind: 'attr', name, defaultValue, comma: undefined });
    }
    return { kind: 'set', open, attrs, close: this.leaf(kids[kids.length - 1]!) };
  }
}

/** A double-quoted string's parts, split into lines at the line breaks written in it. */
function simpleStringLines(parts: StringPart[]): StringPart[][] {
  return splitLines(parts).map(normalizeLine);
}

function splitLines(parts: StringPart[]): StringPart[][] {
  const lines: StringPart[][] = [[]];
  for (const part of parts) {
    if (typeof part !== 'string') {
      lines[lines.length - 1]!.push(part);
      continue;
    }
    const pieces = part.split('\n');
    pieces.forEach((piece, index) => {
      if (index > 0) lines.push([]);
      lines[lines.length - 1]!.push(piece);
    });
  }
  return lines;
}

function normalizeLine(line: StringPart[]): StringPart[] {
  const out: StringPart[] = [];
  for (const part of line) {
    if (part === '') continue;
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else out.push(part);
  }
  return out;
}

const isEmptyLine = (line: StringPart[]) => line.length === 0 || (line.length === 1 && typeof line[0] === 'string' && /^ *$/.test(line[0]));

/** An indented string's lines without the first line break and the common indentation. */
function indentedStringLines(parts: StringPart[]): StringPart[][] {
  let lines = splitLines(parts).map(normalizeLine);
  if (lines.length > 0 && isEmptyLine(lines[0]!)) lines = lines.slice(1);
  if (lines.length > 0 && isEmptyLine(lines[lines.length - 1]!)) lines[lines.length - 1] = [];
  const heads: string[] = [];
  for (const line of lines) {
    if (isEmptyLine(line)) continue;
    heads.push(typeof line[0] === 'string' ? line[0] : '');
  }
  if (heads.length === 0) return lines.map(() => []);
  const indentation = commonIndentation(heads);
  return lines.map((line) => {
    if (typeof line[0] !== 'string') return line;
    const first = line[0].startsWith(indentation) ? line[0].slice(indentation.length) : '';
    return normalizeLine([first, ...line.slice(1)]);
  });
}

/** The longest run of leading whitespace all the lines share. */
function commonIndentation(lines: string[]): string {
  let common = /^[ \t]*/.exec(lines[0]!)![0];
  for (const line of lines.slice(1)) {
    let length = 0;
    while (length < common.length && line[length] === common[length]) length++;
    common = common.slice(0, length);
  }
  return common;
}
