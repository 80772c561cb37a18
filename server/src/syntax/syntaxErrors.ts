// Turns tree-sitter's ERROR and MISSING nodes into problems a person can act on:
// "missing ';'", "'{' is never closed", "expected a value after '='" — not "ERROR node".
import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from 'vscode-languageserver-types';
import { childrenOf, rangeOf } from './nodes';

export interface SyntaxProblem {
  range: Range;
  message: string;
  /** A stable identifier for the kind of problem (diagnostic `code`). */
  code: SyntaxProblemCode;
}

export type SyntaxProblemCode =
  | 'missing-semicolon'
  | 'missing-value'
  | 'unclosed-delimiter'
  | 'unterminated-string'
  | 'unexpected-token'
  | 'missing-token'
  | 'missing-expression';

const OPENERS: Record<string, string> = { '{': '}', '[': ']', '(': ')', '${': '}', let: 'in' };
const CLOSERS = new Set(['}', ']', ')', 'in']);
const STRING_DELIMITERS = new Set(['"', "''"]);
const BINARY_OPERATORS = new Set(['+', '-', '*', '/', '++', '//', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '->', '?']);
/** Beyond this many problems the first ones are what matter; the rest are usually echoes. */
const DEFAULT_LIMIT = 100;

export function syntaxProblems(tree: Tree, limit = DEFAULT_LIMIT): SyntaxProblem[] {
  const root = tree.rootNode;
  if (!root.hasError) return [];
  const problems: SyntaxProblem[] = [];
  const seen = new Set<string>();
  const end = lastRealLeaf(root)?.endIndex ?? 0;
  const add = (problem: SyntaxProblem) => {
    const key = `${problem.range.start.line}:${problem.range.start.character}:${problem.code}`;
    if (seen.has(key) || problems.length >= limit) return;
    seen.add(key);
    problems.push(problem);
  };

  // An explicit stack: deeply nested code must not overflow the JavaScript stack. Each node comes
  // with its parent and grandparent from the walk: tree-sitter finds a parent by searching down
  // from the root, which in code thousands of levels deep overflows WebAssembly's stack.
  const stack: Placed[] = [{ node: root, parent: undefined, grandparent: undefined }];
  while (stack.length > 0 && problems.length < limit) {
    const placed = stack.pop()!;
    const { node } = placed;
    if (node.isMissing) {
      describeMissing(placed, root).forEach(add);
    } else if (node.isError) {
      describeError(placed, end).forEach(add);
      // Complete expressions inside an ERROR may hold their own problems.
      for (const item of placedErrorItems(placed)) if (item.node.hasError && !item.node.isError) stack.push(item);
      continue;
    }
    if (!node.hasError && !node.isMissing) continue;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child.hasError || child.isMissing || child.isError) stack.push({ node: child, parent: node, grandparent: placed.parent });
    }
  }
  return problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** A node with the parent and grandparent the walk reached it through. */
interface Placed {
  node: Node;
  parent: Node | undefined;
  grandparent: Node | undefined;
}

/** The child of `parent` just before `child` (tokens included), found from above. */
function previousSiblingIn(parent: Node | undefined, child: Node): Node | undefined {
  if (!parent) return undefined;
  const children = childrenOf(parent);
  const index = children.findIndex((c) => c.id === child.id);
  return index > 0 ? children[index - 1] : undefined;
}

function describeMissing({ node, parent, grandparent }: Placed, root: Node): SyntaxProblem[] {
  const type = node.type;
  if (type === ';') {
    return [{ range: endOfPreviousToken(node, root), message: "Missing ';' at the end of this binding", code: 'missing-semicolon' }];
  }
  if (type === '}' || type === ']' || type === ')') {
    const opener = parent && childrenOf(parent).find((child) => OPENERS[tokenType(child)] === type && !child.isMissing);
    const range = opener ? rangeOf(opener) : endOfPreviousToken(node, root);
    const text = opener?.type ?? type;
    return [{ range, message: `'${text}' is never closed: expected '${type}'`, code: 'unclosed-delimiter' }];
  }
  if (type === '"' || type === "''") {
    const opener = parent && childrenOf(parent).find((child) => child.type === type && !child.isMissing);
    return [{ range: opener ? rangeOf(opener) : endOfPreviousToken(node, root), message: 'Unterminated string', code: 'unterminated-string' }];
  }
  if (type === 'identifier') {
    // tree-sitter-nix 0.0.2 does not know that Nix accepts a trailing comma in formals
    // (`{ a, b, }: …`) and inserts a phantom identifier there; that is not an error.
    if (parent?.type === 'formal' && previousSiblingIn(grandparent, parent)?.type === ',') return [];
    // Nor that `inherit;` and `inherit (x);` are valid, if useless (a lint says so).
    if (parent?.type === 'inherited_attrs' && childrenOf(parent).length === 1) return [];
    const holder = parent?.type === 'variable_expression' ? parent : node;
    const before = holder === parent ? previousSiblingIn(grandparent, parent) : previousSiblingIn(parent, node);
    const what = before && !before.isNamed ? `after '${before.type}'` : 'here';
    return [{ range: endOfPreviousToken(node, root), message: `Expected an expression ${what}`, code: 'missing-expression' }];
  }
  if (type === 'in') {
    return [{ range: endOfPreviousToken(node, root), message: "'let' without 'in': expected 'in' and an expression", code: 'missing-token' }];
  }
  return [{ range: endOfPreviousToken(node, root), message: `Missing '${type}'`, code: 'missing-token' }];
}

/**
 * An ERROR node is a run of tokens and complete subtrees the parser could not fit. Its contents,
 * flattened, usually show what went wrong: an opener without its closer, a binding without its
 * ';', an operator without its right operand, a string without its end.
 */
function describeError({ node, parent }: Placed, endOfCode: number): SyntaxProblem[] {
  const items = errorItems(node);
  // `a = 1 b = 2;` parses `1 b` as an application and leaves `=` over: the likely cause is
  // the ';' missing before the attribute that the '=' belongs to.
  const application = previousSiblingIn(parent, node);
  if (items.length === 1 && items[0].type === '=' && application?.type === 'apply_expression') {
    const argument = application.childForFieldName('argument');
    const before = (argument && previousSiblingIn(application, argument)) ?? application.childForFieldName('function');
    if (argument && before) {
      return [{ range: lastCharacter(before), message: `Missing ';' before '${argument.text}'`, code: 'missing-semicolon' }];
    }
  }
  const problems: SyntaxProblem[] = [];
  const openers: Node[] = [];
  // Nothing but whitespace and comments follows: an opener in here can never be closed.
  const runsToEnd = node.endIndex >= endOfCode;

  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const next = items[i + 1];
    const type = tokenType(item);
    if (type in OPENERS) {
      openers.push(item);
    } else if (CLOSERS.has(type)) {
      const top = openers.at(-1);
      if (top && OPENERS[top.type] === type) openers.pop();
      else if (type !== 'in' || !top) problems.push(unexpected(item));
    } else if (STRING_DELIMITERS.has(type) && !item.isNamed) {
      problems.push({ range: rangeOf(item), message: 'Unterminated string', code: 'unterminated-string' });
    } else if (type === '=') {
      if (!next || next.type === ';' || CLOSERS.has(tokenType(next))) {
        problems.push({ range: rangeOf(item), message: "Expected a value after '='", code: 'missing-value' });
      } else {
        const after = items[i + 2];
        if (after && after.type !== ';' && (CLOSERS.has(tokenType(after)) || isBindingStart(items, i + 2))) {
          problems.push({ range: lastCharacter(next), message: "Missing ';' after this value", code: 'missing-semicolon' });
        }
      }
    } else if (BINARY_OPERATORS.has(type) && !item.isNamed && (!next || next.type === ';' || CLOSERS.has(tokenType(next)))) {
      problems.push({ range: rangeOf(item), message: `Expected an expression after '${type}'`, code: 'missing-expression' });
    }
  }
  if (runsToEnd) {
    for (const opener of openers) {
      const closer = OPENERS[opener.type];
      const message = opener.type === 'let' ? "'let' without 'in'" : `'${opener.type}' is never closed: expected '${closer}'`;
      problems.push({ range: rangeOf(opener), message, code: 'unclosed-delimiter' });
    }
  }
  if (problems.length === 0) {
    const first = items[0];
    problems.push(first ? unexpected(first) : { range: rangeOf(node), message: 'Syntax error', code: 'unexpected-token' });
  }
  return problems;
}

/** In error recovery the grammar reports keywords such as `in` as a generic `keyword` node. */
function tokenType(node: Node): string {
  return node.type === 'keyword' ? node.text : node.type;
}

/** The direct contents of an ERROR node, with nested ERROR nodes spliced in. */
function errorItems(node: Node): Node[] {
  return placedErrorItems({ node, parent: undefined, grandparent: undefined }).map((item) => item.node);
}

/** `errorItems`, each with the node that holds it (the ERROR node or one nested in it). */
function placedErrorItems({ node, parent }: Placed): Placed[] {
  const items: Placed[] = [];
  for (const child of childrenOf(node)) {
    if (child.isError) items.push(...placedErrorItems({ node: child, parent: node, grandparent: parent }));
    else items.push({ node: child, parent: node, grandparent: parent });
  }
  return items;
}

function isBindingStart(items: Node[], index: number): boolean {
  const item = items[index];
  return !!item && (item.type === 'attrpath' || item.type === 'inherit') && items[index + 1]?.type !== undefined;
}

function unexpected(token: Node): SyntaxProblem {
  const text = token.text.length > 20 ? `${token.text.slice(0, 20)}…` : token.text;
  return { range: rangeOf(token), message: text ? `Unexpected '${text}'` : 'Syntax error', code: 'unexpected-token' };
}

/** A one-character range on the last character of a token (a zero-width squiggle is easy to miss). */
function lastCharacter(node: Node): Range {
  const end = node.endPosition;
  const start = node.startPosition.row === end.row ? Math.max(node.startPosition.column, end.column - 1) : Math.max(0, end.column - 1);
  return { start: { line: end.row, character: start }, end: { line: end.row, character: end.column } };
}

/** Where a MISSING token belongs: right after the last real token before it. */
function endOfPreviousToken(missing: Node, root: Node): Range {
  const previous = previousLeaf(missing, root);
  return previous ? lastCharacter(previous) : rangeOf(missing);
}

function previousLeaf(node: Node, root: Node): Node | undefined {
  // Walk down from the root towards the node, remembering at each level the siblings before the
  // path; the answer is the last real token of the nearest of them. (Climbing \`parent\` instead
  // costs a walk from the root per step in tree-sitter.)
  const target = node.startIndex;
  const before: Node[][] = [];
  let current: Node | undefined = root;
  while (current && current.id !== node.id) {
    const preceding: Node[] = [];
    let next: Node | undefined;
    for (const child of childrenOf(current)) {
      if (child.id === node.id) break;
      if (child.endIndex <= target && !(child.startIndex === target && child.endIndex === target)) preceding.push(child);
      else if (child.startIndex <= target) {
        next = child;
        break;
      } else break;
    }
    before.push(preceding);
    current = next;
  }
  for (let level = before.length - 1; level >= 0; level--) {
    const siblings = before[level];
    for (let i = siblings.length - 1; i >= 0; i--) {
      const leaf = lastRealLeaf(siblings[i]);
      if (leaf) return leaf;
    }
  }
  return undefined;
}

function lastRealLeaf(node: Node): Node | undefined {
  if (node.isMissing || node.endIndex === node.startIndex || node.type === 'comment') return undefined;
  if (node.childCount === 0) return node;
  const children = childrenOf(node);
  for (let i = children.length - 1; i >= 0; i--) {
    const leaf = lastRealLeaf(children[i]);
    if (leaf) return leaf;
  }
  return undefined;
}
