// Layout of the small pieces everything else is made of: comments, tokens with their comments,
// attribute path selectors, and the compact form of a document.
import type { Ann, Item, Leaf, Selector, Trivium } from './ast';
import {
  comment,
  emptyline,
  group,
  hardline,
  hardspace,
  offset,
  sepBy,
  Spacing,
  text,
  trailingComment,
  type Doc,
  type DocElement,
} from './doc';

export function prettyTrivium(trivium: Trivium): Doc {
  switch (trivium.kind) {
    case 'emptyLine':
      return emptyline();
    case 'lineComment':
      return [...comment(`#${trivium.text}`), ...hardline()];
    case 'languageAnnotation':
      return [...comment(`/* ${trivium.text} */`), ...hardspace()];
    case 'blockComment':
      return [
        ...comment(trivium.doc ? '/**' : '/*'),
        ...hardline(),
        ...offset(
          2,
          trivium.lines.flatMap((line) => (line === '' ? emptyline() : [...comment(line), ...hardline()])),
        ),
        ...comment('*/'),
        ...hardline(),
      ];
  }
}

/** Leading comments: each on its own line, starting on a new one. */
export function prettyTrivia(trivia: Trivium[]): Doc {
  if (trivia.length === 0) return [];
  // A language annotation alone stays on the line before its string.
  if (trivia.length === 1 && trivia[0]!.kind === 'languageAnnotation') return prettyTrivium(trivia[0]!);
  return [...hardline(), ...trivia.flatMap(prettyTrivium)];
}

export function prettyTrail(trail: string | undefined): Doc {
  if (trail === undefined) return [];
  return [...hardspace(), ...trailingComment(`# ${trail}`), ...hardline()];
}

export function prettyAnn<T>(ann: Ann<T>, value: Doc): Doc {
  if (ann.pre.length === 0 && ann.trail === undefined) return value;
  return [...prettyTrivia(ann.pre), ...value, ...prettyTrail(ann.trail)];
}

export function leaf(token: Leaf): Doc {
  return prettyAnn(token, text(token.value));
}

export function prettyItems<T>(items: Item<T>[], render: (value: T) => Doc): Doc {
  return sepBy(
    hardline,
    items.map((item) => (item.kind === 'comments' ? prettyTrivia(item.trivia) : group(render(item.value)))),
  );
}

export function prettySelectors(selectors: Selector[], renderSelector: (selector: Selector['selector']) => Doc): Doc {
  return selectors.flatMap((selector) => [...(selector.dot ? leaf(selector.dot) : []), ...renderSelector(selector.selector)]);
}

/**
 * The document forced onto one line: soft spacings become spaces or nothing, groups dissolve.
 * Undefined when it holds a line break, or is wider than `limit`.
 */
export function unexpandSpacing(doc: Doc, limit?: number): Doc | undefined {
  const budget = { left: limit ?? Infinity };
  const result = unexpandInto(doc, budget);
  return result && budget.left >= 0 ? result : undefined;
}

function unexpandInto(doc: Doc, budget: { left: number }): Doc | undefined {
  const out: DocElement[] = [];
  for (const element of doc) {
    if (budget.left < 0) return undefined;
    switch (element.kind) {
      case 'text':
        budget.left -= element.text.length;
        out.push(element);
        break;
      case 'spacing':
        if (element.spacing === Spacing.Break || element.spacing === Spacing.Softbreak) break;
        if (element.spacing === Spacing.Hardspace || element.spacing === Spacing.Space || element.spacing === Spacing.Softspace) {
          budget.left -= 1;
          out.push(...hardspace());
          break;
        }
        return undefined;
      case 'group': {
        const inner = unexpandInto(element.doc, budget);
        if (!inner) return undefined;
        out.push(...inner);
        break;
      }
      case 'nest': {
        const inner = unexpandInto(element.doc, budget);
        if (!inner) return undefined;
        out.push({ ...element, doc: inner });
        break;
      }
    }
  }
  return out;
}
