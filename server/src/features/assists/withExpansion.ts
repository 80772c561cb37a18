// `with pkgs; [ a b ]` ↔ `[ pkgs.a pkgs.b ]`.
// Expanding writes every name the `with` provides as a selection from its subject; it is offered
// when each such name can only come from this `with` (not from one around it too) and the
// subject's variable means the same at every use. Collecting is offered for a list whose elements
// are all selections from one variable, when no element's name is bound lexically or is a
// builtin (those would win over the new `with`).
import type { Analysis } from '../../analysis/analysis';
import { attrName, isIdentifier } from '../../analysis/names';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { enclosing, standsAlone, type Assist, type AssistContext, type AssistResult, type OffsetEdit } from './assist';

/** A `with` over more names than this is a file's whole scope, not a list to write out. */
const MAX_EXPANDED_NAMES = 200;

export const withExpansion: Assist = (context) => {
  const results: AssistResult[] = [];
  const withNode = enclosing(context, 'with_expression');
  const expanded = withNode && !withNode.hasError ? expand(context.analysis, withNode) : undefined;
  if (expanded) results.push(expanded);
  const list = enclosing(context, 'list_expression');
  const collected = list && !list.hasError ? collect(context, list) : undefined;
  if (collected) results.push(collected);
  return results;
};

/** The variable a `with`'s subject starts from (`pkgs` in `pkgs.python3Packages`), when it is one. */
function subjectRoot(subject: SyntaxNode): SyntaxNode | undefined {
  if (subject.type === 'variable_expression') return subject;
  if (subject.type === 'select_expression' && !subject.child('default')) {
    const base = subject.child('expression');
    return base ? subjectRoot(base) : undefined;
  }
  return undefined;
}

function expand(analysis: Analysis, node: SyntaxNode): AssistResult | undefined {
  const subject = node.child('environment');
  const body = node.child('body');
  const root = subject && subjectRoot(subject);
  if (!subject || !body || !root) return undefined;
  const rootName = root.text;
  const rootMeaning = analysis.scopes.lookup(rootName, root);
  const edits: OffsetEdit[] = [];
  for (const use of analysis.uses) {
    if (use.node.start < body.start || use.node.end > body.end || use.resolution.kind !== 'with') continue;
    const { withs } = use.resolution;
    if (!withs.includes(node)) continue;
    if (withs.length > 1 || use.inherit || edits.length >= MAX_EXPANDED_NAMES) return undefined;
    if (!sameMeaning(analysis.scopes.lookup(rootName, use.node), rootMeaning)) return undefined;
    edits.push({ start: use.node.start, end: use.node.end, newText: `${subject.text}.${use.name}` });
  }
  if (edits.length === 0) return undefined;
  edits.push({ start: node.start, end: body.start, newText: '' });
  return { title: `Write names from '${shortText(subject.text)}' in full`, kind: 'refactor.rewrite', edits };
}

function sameMeaning(a: ReturnType<Analysis['scopes']['lookup']>, b: ReturnType<Analysis['scopes']['lookup']>): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'local' && b.kind === 'local') return a.definition === b.definition;
  if (a.kind === 'with' && b.kind === 'with') return a.withs[0] === b.withs[0];
  return true;
}

function collect(context: AssistContext, list: SyntaxNode): AssistResult | undefined {
  const { analysis } = context;
  const elements = list.childrenOf('element');
  if (elements.length === 0 || elements.length !== list.children.filter((c) => c.type !== 'comment').length) return undefined;
  let base: string | undefined;
  const edits: OffsetEdit[] = [];
  for (const element of elements) {
    if (element.type !== 'select_expression' || element.child('default')) return undefined;
    const subject = element.child('expression');
    const path = element.child('attrpath')?.childrenOf('attr') ?? [];
    const first = path[0];
    if (subject?.type !== 'variable_expression' || !first) return undefined;
    if (base === undefined) base = subject.text;
    if (subject.text !== base) return undefined;
    const name = attrName(first);
    if (first.type !== 'identifier' || name === undefined || !isIdentifier(name)) return undefined;
    const meaning = analysis.scopes.lookup(name, list);
    if (meaning.kind === 'local' || meaning.kind === 'builtin') return undefined;
    edits.push({ start: subject.start, end: first.start, newText: '' });
  }
  edits.push({ start: list.start, end: list.start, newText: `with ${base}; ` });
  // `f with x; […]` does not parse: an argument or operand needs parentheses.
  if (!standsAlone(list)) {
    edits[edits.length - 1]!.newText = `(with ${base}; `;
    edits.push({ start: list.end, end: list.end, newText: ')' });
  }
  return { title: `Take the names from 'with ${base};'`, kind: 'refactor.rewrite', edits };
}

function shortText(text: string): string {
  return text.length > 30 ? `${text.slice(0, 27)}…` : text;
}
