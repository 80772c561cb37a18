// Terms (sets, lists, parentheses, selections), bindings and function parameters. A set or list
// written over several lines stays expanded; one written on one line stays on it when it fits
// (sets of more than one binding always expand).
import type { Binder, Item, Leaf, ParamAttr, Parameter, SimpleSelector, Term } from './ast';
import {
  group,
  GroupKind,
  hardline,
  hardspace,
  line,
  line_,
  nest,
  sepBy,
  softline,
  softline_,
  surroundWith,
  trailing,
  type Doc,
} from './doc';
import { leaf, prettyAnn, prettyItems, prettySelectors, prettyTrail, prettyTrivia } from './prettyBasics';
import { absorbRHS, prettyParenthesizedInner } from './prettyExpressions';
import { prettyIndentedString, prettyInterpolation, prettyPath, prettySimpleString } from './prettyStrings';
import { isLone, lastAnn, moveTrailingCommentUp } from './shapes';

export function prettySimpleSelector(selector: SimpleSelector): Doc {
  switch (selector.kind) {
    case 'id':
      return leaf(selector.leaf);
    case 'interpolation':
      return prettyAnn(selector.ann, prettyInterpolation(selector.ann.value));
    case 'string':
      return prettyAnn(selector.ann, prettySimpleString(selector.ann.value));
  }
}

export function prettyBinder(binder: Binder): Doc {
  if (binder.kind === 'assignment') {
    // After a long or quoted attribute path the value may move to the next line as a whole.
    const simplePath = binder.path.length <= 4 && binder.path.every((part) => part.selector.kind === 'id');
    const value = simplePath ? absorbRHS(binder.expr) : [...line_(), ...group(absorbRHS(binder.expr), GroupKind.Priority)];
    return group([...prettySelectors(binder.path, prettySimpleSelector), ...nest([...hardspace(), ...leaf(binder.assign), ...value]), ...leaf(binder.semicolon)]);
  }
  // A short `inherit` written on one line may stay on one line.
  const oneLine = binder.keyword.line === binder.semicolon.line && binder.names.length < 4;
  const sep = oneLine ? line : hardline;
  const nosep = oneLine ? line_ : hardline;
  const names = sepBy(sep, binder.names.map(prettySimpleSelector));
  if (!binder.from) {
    return group([...leaf(binder.keyword), ...sep(), ...nest([...names, ...nosep(), ...leaf(binder.semicolon)])]);
  }
  return group([
    ...leaf(binder.keyword),
    ...nest([
      ...group([...line(), ...prettyTerm(binder.from)], GroupKind.Regular),
      ...sep(),
      ...names,
      ...nosep(),
      ...leaf(binder.semicolon),
    ]),
  ]);
}

export function prettySet(wide: boolean, term: Extract<Term, { kind: 'set' }>): Doc {
  const { keyword, open, items, close } = term;
  const keywordDoc = keyword ? [...leaf(keyword), ...hardspace()] : [];
  if (items.length === 0 && isLone(open) && close.pre.length === 0) {
    return [...keywordDoc, ...leaf(open), ...(open.line !== close.line ? hardline() : hardspace()), ...leaf(close)];
  }
  const sep = (wide && items.length > 0) || open.line !== close.line ? hardline : line;
  return [
    ...keywordDoc,
    ...leaf({ ...open, trail: undefined }),
    ...surroundWith(sep, nest([...prettyTrail(open.trail), ...prettyItems(items, prettyBinder)])),
    ...leaf(close),
  ];
}

/** Sets expand even with a single binding (the right-hand side of a binding, a function body). */
export function prettyTermWide(term: Term): Doc {
  return term.kind === 'set' ? prettySet(true, term) : prettyTerm(term);
}

export function prettyList(sep: () => Doc, open: Leaf, items: Item<Term>[], close: Leaf): Doc {
  const around = open.line !== close.line ? hardline : line;
  return [
    ...leaf({ ...open, trail: undefined }),
    ...surroundWith(around, nest([...prettyTrail(open.trail), ...sepItems(sep, items)])),
    ...leaf(close),
  ];
}

function sepItems(sep: () => Doc, items: Item<Term>[]): Doc {
  return sepBy(
    sep,
    items.map((item) => (item.kind === 'comments' ? prettyTrivia(item.trivia) : group(prettyTermInContext(item.value)))),
  );
}

/** A term as an operand or element: lists are groups of their own. */
export function prettyTermInContext(term: Term): Doc {
  return term.kind === 'list' ? group(prettyTerm(term)) : prettyTerm(term);
}

export function prettyTerm(term: Term): Doc {
  switch (term.kind) {
    case 'token':
      return leaf(term.leaf);
    case 'simpleString':
      return prettyAnn(term.ann, prettySimpleString(term.ann.value));
    case 'indentedString':
      return prettyAnn(term.ann, prettyIndentedString(term.ann.value));
    case 'path':
      return prettyAnn(term.ann, prettyPath(term.ann.value));
    case 'selection': {
      const sep = term.term.kind === 'token' ? [] : term.term.kind === 'parenthesized' ? softline_() : line_();
      const orDefault = term.orDefault ? [...softline(), ...nest([...leaf(term.orDefault[0]), ...hardspace(), ...prettyTermInContext(term.orDefault[1])])] : [];
      return [...prettyTermInContext(term.term), ...sep, ...prettySelectors(term.selectors, prettySimpleSelector), ...orDefault];
    }
    case 'list':
      if (term.items.length === 0 && term.open.trail === undefined && term.close.pre.length === 0) {
        return [...leaf(term.open), ...(term.open.line !== term.close.line ? hardline() : hardspace()), ...leaf(term.close)];
      }
      return prettyList(hardline, term.open, term.items, term.close);
    case 'set':
      return prettySet(false, term);
    case 'parenthesized': {
      const open = moveTrailingCommentUp(term.open);
      return group([
        ...leaf(open),
        ...nest([...prettyParenthesizedInner(term.expr), ...prettyTrivia(term.close.pre)]),
        ...leaf({ ...term.close, pre: [] }),
      ]);
    }
  }
}

// Function parameters.

function prettyParamAttr(attr: ParamAttr): Doc {
  if (attr.kind === 'ellipsis') return leaf(attr.leaf);
  const comma = attr.comma ? leaf(attr.comma) : [];
  if (!attr.defaultValue) return [...leaf(attr.name), ...comma];
  const [question, value] = attr.defaultValue;
  return group([...leaf(attr.name), ...hardspace(), ...nest([...leaf(question), ...absorbRHS(value)]), ...comma]);
}

/** `, name # comment` becomes `name, # comment`: the comment follows the comma. */
function moveParamAttrComment(attr: ParamAttr): ParamAttr {
  if (attr.kind !== 'attr' || !attr.comma || !isLone(attr.comma)) return attr;
  if (!attr.defaultValue) {
    if (attr.name.trail === undefined) return attr;
    return { ...attr, name: { ...attr.name, trail: undefined }, comma: { ...attr.comma, trail: attr.name.trail } };
  }
  const last = lastAnn(attr.defaultValue[1]);
  const trail = last.trail;
  last.trail = undefined;
  return { ...attr, comma: { ...attr.comma, trail } };
}

/** Comments before a comma belong to the next parameter; the last parameter gets a comma. */
function moveParamsComments(attrs: ParamAttr[]): ParamAttr[] {
  const out = attrs.map((attr) => ({ ...attr })) as ParamAttr[];
  for (let index = 0; index < out.length; index++) {
    const attr = out[index]!;
    const next = out[index + 1];
    if (attr.kind === 'attr' && attr.comma && attr.comma.trail === undefined && next) {
      const moved = attr.comma.pre;
      attr.comma = { ...attr.comma, pre: [] };
      if (next.kind === 'attr') next.name = { ...next.name, pre: [...moved, ...next.name.pre] };
      else if (index + 2 === out.length) next.leaf = { ...next.leaf, pre: [...moved, ...next.leaf.pre] };
      else attr.comma = { ...attr.comma, pre: moved };
    }
    if (attr.kind === 'attr' && !attr.comma && index === out.length - 1) {
      attr.comma = { pre: [], value: ',', trail: undefined, line: attr.name.line };
    }
  }
  return out;
}

const plainAttr = (attr: ParamAttr | undefined) => attr?.kind === 'attr' && !attr.defaultValue;

export function prettyParameter(param: Parameter): Doc {
  if (param.kind === 'id') return leaf(param.leaf);
  if (param.kind === 'context') return [...prettyParameter(param.first), ...leaf(param.at), ...prettyParameter(param.second)];
  const open = moveTrailingCommentUp(param.open);
  if (param.attrs.length === 0) {
    return group([...leaf(open), ...(param.open.line !== param.close.line ? hardline() : hardspace()), ...leaf(param.close)]);
  }
  const attrs = param.attrs;
  const ellipsis = (attr: ParamAttr | undefined) => attr?.kind === 'ellipsis';
  const compactShape =
    (attrs.length === 1 && (ellipsis(attrs[0]) || plainAttr(attrs[0]))) ||
    (attrs.length === 2 && plainAttr(attrs[0]) && (ellipsis(attrs[1]) || plainAttr(attrs[1]))) ||
    (attrs.length === 3 && plainAttr(attrs[0]) && plainAttr(attrs[1]) && ellipsis(attrs[2]));
  const sep = param.open.line !== param.close.line || !compactShape ? hardline : line;
  const moved = moveParamsComments(attrs).map(moveParamAttrComment);
  const docs = moved.map((attr, index) => {
    if (index === moved.length - 1 && attr.kind === 'attr' && attr.comma && isLone(attr.comma)) {
      // The trailing comma is printed only when the parameters are expanded.
      return [...prettyParamAttr({ ...attr, comma: undefined }), ...trailing(',')];
    }
    return prettyParamAttr(attr);
  });
  // Comments before the closing brace (a parameter commented out) stay with the parameters.
  const closing = prettyTrivia(param.close.pre);
  return group([...leaf(open), ...surroundWith(sep, nest([...sepBy(sep, docs), ...closing])), ...leaf({ ...param.close, pre: [] })]);
}

