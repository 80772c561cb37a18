// Questions the layout rules ask about code: can this term be "absorbed" (start on the line of
// what precedes it and open up below, like a set after `=`), is this expression simple enough to
// keep on one line, where are its first and last tokens.
import type { Ann, Expression, SimpleSelector, Term, Trivium } from './ast';
import { hasTrivia } from './ast';

/** No comments before or after it. */
export const isLone = (ann: Ann<unknown>) => !hasTrivia(ann);

/** Terms that start on the current line and expand below it: non-empty sets and lists, multi-line indented strings, paths. */
export function isAbsorbable(term: Term): boolean {
  switch (term.kind) {
    case 'indentedString':
      return term.ann.value.length >= 2;
    case 'set':
    case 'list':
      // Anything between the brackets, even a line break, makes them open up.
      return term.items.length > 0 || hasTrivia(term.open) || term.open.line !== term.close.line;
    case 'parenthesized':
      return isLone(term.open) && term.expr.kind === 'term' && isAbsorbable(term.expr.term);
    default:
      return false;
  }
}

export function isAbsorbableExpr(expr: Expression): boolean {
  switch (expr.kind) {
    case 'term':
      return isAbsorbable(expr.term);
    case 'with':
      return expr.body.kind === 'term' && isAbsorbable(expr.body.term);
    case 'abstraction':
      if (expr.param.kind !== 'id') return false;
      if (expr.body.kind === 'term') return isAbsorbable(expr.body.term);
      if (expr.body.kind === 'abstraction') return isAbsorbableExpr(expr.body);
      return false;
    default:
      return false;
  }
}

/** Identifiers, numbers, strings, paths, plain selections and calls of at most two such arguments. */
export function isSimple(expr: Expression): boolean {
  if (expr.kind === 'application') {
    if (expr.fn.kind === 'application' && expr.fn.fn.kind === 'application') return false;
    return isSimple(expr.fn) && isSimple(expr.arg);
  }
  if (expr.kind !== 'term') return false;
  const term = expr.term;
  switch (term.kind) {
    case 'simpleString':
    case 'indentedString':
    case 'path':
      return isLone(term.ann);
    case 'token':
      return isLone(term.leaf);
    case 'selection':
      return isSimple({ kind: 'term', term: term.term }) && term.selectors.every((s) => s.selector.kind === 'id') && term.orDefault === undefined;
    case 'parenthesized':
      return isLone(term.open) && isLone(term.close) && isSimple(term.expr);
    default:
      return false;
  }
}

function selectorAnn(selector: SimpleSelector): Ann<unknown> {
  return selector.kind === 'id' ? selector.leaf : selector.ann;
}

/** The first or last token of a term. */
function edgeTermAnn(term: Term, edge: 'first' | 'last'): Ann<unknown> {
  switch (term.kind) {
    case 'token':
      return term.leaf;
    case 'simpleString':
    case 'indentedString':
    case 'path':
      return term.ann;
    case 'list':
    case 'parenthesized':
      return edge === 'first' ? term.open : term.close;
    case 'set':
      return edge === 'first' ? (term.keyword ?? term.open) : term.close;
    case 'selection':
      if (edge === 'first') return edgeTermAnn(term.term, edge);
      return term.orDefault ? edgeTermAnn(term.orDefault[1], edge) : selectorAnn(term.selectors[term.selectors.length - 1]!.selector);
  }
}

/** The first token of an expression (its comments are the expression's leading comments). */
export function firstAnn(expr: Expression): Ann<unknown> {
  switch (expr.kind) {
    case 'term':
      return edgeTermAnn(expr.term, 'first');
    case 'with':
    case 'let':
    case 'assert':
    case 'if':
      return expr.keyword;
    case 'abstraction': {
      let param = expr.param;
      while (param.kind === 'context') param = param.first;
      return param.kind === 'id' ? param.leaf : param.open;
    }
    case 'application':
      return firstAnn(expr.fn);
    case 'operation':
      return firstAnn(expr.left);
    case 'memberCheck':
      return firstAnn(expr.expr);
    case 'negation':
      return expr.minus;
    case 'inversion':
      return expr.bang;
  }
}

export function lastAnn(expr: Expression): Ann<unknown> {
  switch (expr.kind) {
    case 'term':
      return edgeTermAnn(expr.term, 'last');
    case 'with':
    case 'let':
    case 'assert':
    case 'abstraction':
      return lastAnn(expr.body);
    case 'if':
      return lastAnn(expr.alternative);
    case 'application':
      return lastAnn(expr.arg);
    case 'operation':
      return lastAnn(expr.right);
    case 'memberCheck':
      return selectorAnn(expr.path[expr.path.length - 1]!.selector);
    case 'negation':
    case 'inversion':
      return lastAnn(expr.expr);
  }
}

/** Turns a token's trailing comment into the last of its leading comments. */
export function moveTrailingCommentUp<T>(ann: Ann<T>): Ann<T> {
  if (ann.trail === undefined) return ann;
  return { ...ann, pre: [...ann.pre, lineComment(ann.trail)], trail: undefined };
}

export function lineComment(trail: string): Trivium {
  return { kind: 'lineComment', text: ` ${trail}` };
}
