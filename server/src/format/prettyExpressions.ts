// Expressions: function calls (the last argument may open up on the call's line), operators,
// `let`/`in`, `if`, `with`, `assert`, functions, and the right-hand side of a binding.
import type { Expression, Leaf, NixFile } from './ast';
import { term as asExpression } from './ast';
import {
  group,
  GroupKind,
  hardline,
  hardspace,
  line,
  line_,
  nest,
  softline,
  surroundWith,
  text,
  type Doc,
} from './doc';
import { leaf, prettyItems, prettySelectors, prettyTrivia, unexpandSpacing } from './prettyBasics';
import {
  prettyBinder,
  prettyList,
  prettyParameter,
  prettySimpleSelector,
  prettyTerm,
  prettyTermInContext,
  prettyTermWide,
} from './prettyTerms';
import { firstAnn, isAbsorbable, isAbsorbableExpr, isLone, isSimple, lineComment, moveTrailingCommentUp } from './shapes';


export function prettyFile(file: NixFile): Doc {
  return group([...prettyExpression(file.expr), ...prettyTrivia(file.final)]);
}

/** Inside parentheses or a lone interpolation: what starts on the opening line. */
export function prettyParenthesizedInner(expr: Expression): Doc {
  if (isAbsorbableExpr(expr)) return group(absorbExpr(false, expr));
  if (expr.kind === 'application') return prettyApp(true, [], true, expr.fn, expr.arg);
  if (expr.kind === 'term' && expr.term.kind === 'selection') {
    if (isAbsorbable(expr.term.term)) return [...line_(), ...group(prettyExpression(expr)), ...line_()];
    return [...group(prettyExpression(expr)), ...line_()];
  }
  return [...line_(), ...group(prettyExpression(expr)), ...line_()];
}

function absorbExpr(wide: boolean, expr: Expression): Doc {
  if (expr.kind === 'term' && isAbsorbable(expr.term)) return wide ? prettyTermWide(expr.term) : prettyTerm(expr.term);
  if (expr.kind === 'with' && expr.body.kind === 'term' && isAbsorbable(expr.body.term)) return prettyWith(true, expr);
  return prettyExpression(expr);
}

function absorbParen(open: Leaf, expr: Expression, close: Leaf): Doc {
  if (open.trail !== undefined) {
    const first = firstAnn(expr);
    first.pre = [lineComment(open.trail), ...first.pre];
  }
  return group(
    nest([
      ...leaf({ ...open, trail: undefined }),
      ...surroundWith(line_, group(nest([...prettyExpression(expr), ...prettyTrivia(close.pre)]), GroupKind.Regular)),
      ...leaf({ ...close, pre: [] }),
    ]),
    GroupKind.Priority,
  );
}

const isUpdateConcatOrPlus = (op: Leaf) => op.value === '//' || op.value === '++' || op.value === '+';

/** The value after `=` (or after `?` in a parameter default), nested below the binding. */
export function absorbRHS(expr: Expression): Doc {
  if (expr.kind === 'term') {
    const t = expr.term;
    if (t.kind === 'set' && t.items.length === 1 && t.items[0]!.kind === 'item' && t.items[0]!.value.kind === 'inherit') {
      return nest([...hardspace(), ...group(absorbExpr(false, expr))]);
    }
  }
  if (isAbsorbableExpr(expr)) return nest([...hardspace(), ...group(absorbExpr(true, expr))]);
  if (expr.kind === 'term') {
    const t = expr.term;
    if (t.kind === 'parenthesized') return nest([...hardspace(), ...absorbParen(t.open, t.expr, t.close)]);
    if (t.kind === 'simpleString' || t.kind === 'indentedString' || t.kind === 'path') return nest([...hardspace(), ...group(prettyExpression(expr))]);
    return nest(group([...line(), ...prettyExpression(expr)]));
  }
  if (expr.kind === 'application') return nest(prettyApp(false, line(), false, expr.fn, expr.arg));
  if (expr.kind === 'with') return nest(group([...line(), ...prettyExpression(expr)]));
  if (expr.kind === 'operation' && isUpdateConcatOrPlus(expr.op)) {
    const { left, op, right } = expr;
    // `x = [ … ] ++ y`: the first operand opens on the binding's line, the operators follow below it.
    let first = left;
    while (first.kind === 'operation' && first.op.value === op.value) first = first.left;
    if (first.kind === 'term' && isAbsorbable(first.term) && firstAnn(first).pre.length === 0) {
      return [...hardspace(), ...prettyOperation(expr, true)];
    }
    // `x = a // { … }`: the left operand stays on the binding's line (not when it is a chain of its own).
    const chain = left.kind === 'operation' && left.op.value === op.value;
    if (isLone(op) && !chain && right.kind === 'term' && isAbsorbable(right.term)) {
      return nest(
        group([
          ...line(),
          ...prettyExpression(left),
          ...line(),
          ...group([...leaf(op), ...hardspace(), ...group(prettyTermWide(right.term), GroupKind.Priority)], GroupKind.Transparent),
        ]),
      );
    }
  }
  return nest([...line(), ...group(prettyExpression(expr))]);
}

/**
 * A call `f a b c`: as much as fits on the first line, each argument a priority group so the last
 * one can open up (`f { … }`) while the others stay put. `pre` goes first inside the group
 * (what a binding puts before it), `hasPost` adds a final optional line break (parentheses).
 */
function prettyApp(indentFunction: boolean, pre: Doc, hasPost: boolean, fn: Expression, arg: Expression): Doc {
  // A call with comments before it is never laid out as a simple one.
  const simple = isSimple({ kind: 'application', fn, arg });
  // Comments before the function go before the whole call, so they do not force it to expand.
  const first = firstAnn(fn);
  Object.assign(first, moveTrailingCommentUp(first));
  const comments = first.pre;
  first.pre = [];

  const absorbInner = (expr: Expression): Doc => {
    // A short list of simple items may stay on one line.
    if (expr.kind === 'term' && expr.term.kind === 'list') {
      const list = expr.term;
      const simple = list.items.every((item) => item.kind !== 'item' || isSimple(asExpression(item.value)));
      if (list.items.length <= 6 && simple) return prettyList(line, list.open, list.items, list.close);
    }
    return prettyExpression(expr);
  };
  const isList = (expr: Expression) => expr.kind === 'term' && expr.term.kind === 'list';
  /** The last two arguments when both are lists: they wrap together. */
  const listPair = (first: Expression, second: Expression): Doc => [
    ...line(),
    ...nest(group(absorbInner(first))),
    ...line(),
    ...nest(group(absorbInner(second))),
  ];
  const absorbApp = (expr: Expression): Doc => {
    if (expr.kind === 'application') {
      if (isList(expr.arg) && expr.fn.kind === 'application' && isList(expr.fn.arg)) {
        const pair = [...line(), ...group(absorbInner(expr.fn.arg)), ...line(), ...group(absorbInner(expr.arg))];
        return group([...group(absorbApp(expr.fn.fn), GroupKind.Transparent), ...nest(group(pair))], GroupKind.Transparent);
      }
      const argument = expr.arg.kind === 'term' && expr.arg.term.kind === 'selection' ? GroupKind.Regular : GroupKind.Priority;
      return [...group(absorbApp(expr.fn), GroupKind.Transparent), ...line(), ...nest(group(absorbInner(expr.arg), argument))];
    }
    if (indentFunction && comments.length === 0) return nest(group([...line_(), ...prettyExpression(expr)], GroupKind.Regular));
    return prettyExpression(expr);
  };
  const absorbLast = (expr: Expression): Doc => {
    if (expr.kind === 'term') {
      const t = expr.term;
      if (isAbsorbable(t)) return group(nest(prettyTerm(t)), GroupKind.Priority);
      if (t.kind === 'parenthesized') {
        const inner = t.expr;
        if (
          inner.kind === 'abstraction' &&
          inner.param.kind === 'id' &&
          inner.body.kind === 'term' &&
          isAbsorbable(inner.body.term) &&
          isLone(t.open) &&
          isLone(inner.param.leaf) &&
          isLone(inner.colon)
        ) {
          return group(
            nest([...leaf(t.open), ...leaf(inner.param.leaf), ...leaf(inner.colon), ...hardspace(), ...prettyTermWide(inner.body.term), ...leaf(t.close)]),
            GroupKind.Priority,
          );
        }
        if (
          inner.kind === 'application' &&
          inner.fn.kind === 'term' &&
          inner.fn.term.kind === 'token' &&
          /^[A-Za-z_]/.test(inner.fn.term.leaf.value) &&
          inner.arg.kind === 'term' &&
          isAbsorbable(inner.arg.term) &&
          isLone(t.open) &&
          isLone(inner.fn.term.leaf) &&
          isLone(t.close)
        ) {
          return group(
            nest([...leaf(t.open), ...text(inner.fn.term.leaf.value), ...hardspace(), ...prettyTermWide(inner.arg.term), ...leaf(t.close)]),
            GroupKind.Priority,
          );
        }
        return absorbParen(t.open, t.expr, t.close);
      }
    }
    return group(nest(prettyExpression(expr)), GroupKind.Regular);
  };

  const post = hasPost ? line_() : [];
  const closing = hasPost && comments.length > 0 ? hardline() : [];
  if (isList(arg) && fn.kind === 'application' && isList(fn.arg)) {
    const pair = group([...pre, ...group(absorbApp(fn.fn), GroupKind.Transparent), ...listPair(fn.arg, arg), ...post], GroupKind.Regular);
    return [...prettyTrivia(comments), ...pair, ...closing];
  }
  const renderedFn = [...pre, ...group(absorbApp(fn), GroupKind.Transparent)];
  const compactFn = unexpandSpacing(renderedFn);
  const call =
    simple && compactFn
      ? group([...compactFn, ...hardspace(), ...absorbLast(arg)], GroupKind.Regular)
      : group([...renderedFn, ...line(), ...absorbLast(arg), ...post], GroupKind.Regular);
  return [...prettyTrivia(comments), ...call, ...closing];
}

function prettyWith(absorb: boolean, expr: Extract<Expression, { kind: 'with' }>): Doc {
  const head = [...leaf(expr.keyword), ...hardspace(), ...nest(group(prettyExpression(expr.env))), ...leaf(expr.semicolon)];
  if (absorb && expr.body.kind === 'term') {
    return group([...line_(), ...head, ...hardspace(), ...group(prettyTermWide(expr.body.term), GroupKind.Priority)], GroupKind.Regular);
  }
  return [...group(head), ...line(), ...prettyExpression(expr.body)];
}

const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=']);

export function prettyExpression(expr: Expression): Doc {
  switch (expr.kind) {
    case 'term':
      return prettyTermInContext(expr.term);
    case 'with':
      return prettyWith(false, expr);
    case 'let':
      return prettyLet(expr);
    case 'assert': {
      // Laid out like a call of `assert` on the condition.
      const keyword: Expression = asExpression({ kind: 'token', leaf: expr.keyword });
      const insert = (cond: Expression): [Expression, Expression] => {
        if (cond.kind !== 'application') return [keyword, cond];
        const [fn, arg] = insert(cond.fn);
        return [{ kind: 'application', fn, arg }, cond.arg];
      };
      const [fn, arg] = insert(expr.cond);
      return group([...prettyApp(false, [], false, fn, arg), ...leaf(expr.semicolon), ...hardline(), ...prettyExpression(expr.body)]);
    }
    case 'if':
      Object.assign(expr.keyword, moveTrailingCommentUp(expr.keyword));
      return group(prettyIf(line, expr), GroupKind.Regular);
    case 'abstraction':
      return prettyAbstraction(expr);
    case 'application':
      return prettyApp(false, [], false, expr.fn, expr.arg);
    case 'operation':
      return prettyOperation(expr);
    case 'memberCheck':
      return [...prettyExpression(expr.expr), ...softline(), ...leaf(expr.question), ...hardspace(), ...prettySelectors(expr.path, prettySimpleSelector)];
    case 'negation':
      return [...leaf(expr.minus), ...prettyExpression(expr.expr)];
    case 'inversion':
      return [...leaf(expr.bang), ...prettyExpression(expr.expr)];
  }
}

function prettyIf(sep: () => Doc, expr: Expression): Doc {
  if (expr.kind !== 'if') return [...line(), ...nest(group(prettyExpression(expr)))];
  return [
    ...group([...leaf(expr.keyword), ...line(), ...nest(prettyExpression(expr.cond)), ...line(), ...leaf(expr.then)]),
    ...surroundWith(sep, nest(group(prettyExpression(expr.consequence)))),
    ...leaf(moveTrailingCommentUp(expr.else)),
    ...hardspace(),
    ...prettyIf(hardline, expr.alternative),
  ];
}

/** `let` and `in` on lines of their own; comments on `in` go to the line below it, before the body. */
function prettyLet(expr: Extract<Expression, { kind: 'let' }>): Doc {
  const inToken = expr.in;
  const inComments = [...inToken.pre, ...(inToken.trail === undefined ? [] : [lineComment(inToken.trail)])];
  const letPart = group([...leaf(expr.keyword), ...hardline(), ...nest(prettyItems(expr.items, prettyBinder))]);
  const inPart = group([...text(inToken.value), ...hardline(), ...prettyTrivia(inComments), ...prettyExpression(expr.body)]);
  return [...letPart, ...hardline(), ...inPart];
}

function prettyAbstraction(expr: Extract<Expression, { kind: 'abstraction' }>): Doc {
  const { param, colon, body } = expr;
  if (param.kind === 'id') {
    const absorbAbs = (depth: number, inner: Expression): Doc => {
      if (inner.kind === 'abstraction' && inner.param.kind === 'id') {
        return [...hardspace(), ...leaf(inner.param.leaf), ...leaf(inner.colon), ...absorbAbs(depth + 1, inner.body)];
      }
      if (isAbsorbableExpr(inner)) return [...hardspace(), ...group(absorbExpr(false, inner), GroupKind.Priority)];
      return [...(depth <= 2 ? line() : hardline()), ...prettyExpression(inner)];
    };
    return group([...line_(), ...leaf(param.leaf), ...leaf(colon), ...absorbAbs(1, body)], GroupKind.Regular);
  }
  if (body.kind === 'term' && isAbsorbable(body.term)) {
    // `{ pkgs, ... }: {` written on one line stays so.
    const sameLine = body.term.kind === 'set' && colon.line === firstAnn(body).line && colon.trail === undefined;
    return [...prettyParameter(param), ...leaf(colon), ...(sameLine ? hardspace() : line()), ...group(prettyTermWide(body.term))];
  }
  return [...prettyParameter(param), ...leaf(colon), ...line(), ...prettyExpression(body)];
}

function prettyOperation(expr: Extract<Expression, { kind: 'operation' }>, firstWide = false): Doc {
  if (COMPARISONS.has(expr.op.value)) {
    return [...prettyExpression(expr.left), ...softline(), ...leaf(expr.op), ...hardspace(), ...prettyExpression(expr.right)];
  }
  // A chain of the same operator is laid out as one list of operands.
  const operands: [Leaf | undefined, Expression][] = [];
  const flatten = (op: Leaf | undefined, e: Expression) => {
    if (e.kind === 'operation' && e.op.value === expr.op.value) {
      flatten(op, e.left);
      flatten(e.op, e.right);
    } else {
      operands.push([op, e]);
    }
  };
  flatten(undefined, expr);
  const absorbOperand = (e: Expression): Doc => {
    if (e.kind === 'term' && isAbsorbable(e.term)) return [...hardspace(), ...prettyTermInContext(e.term)];
    if (e.kind === 'operation') return group([...line(), ...prettyExpression(e)], GroupKind.Regular);
    if (e.kind === 'application') return group(prettyApp(false, line(), false, e.fn, e.arg));
    return [...hardspace(), ...prettyExpression(e)];
  };
  const first = (e: Expression): Doc => (firstWide && e.kind === 'term' && isAbsorbable(e.term) ? prettyTermWide(e.term) : prettyExpression(e));
  const parts = operands.flatMap(([op, e]) => (op ? [...line(), ...leaf(moveTrailingCommentUp(op)), ...nest(absorbOperand(e))] : first(e)));
  return group(parts, GroupKind.Regular);
}
