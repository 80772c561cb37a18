// What the cursor is on in a flake.nix, for completion: the URL of an input, a `follows` target,
// an outputs parameter, a key inside an input or in the outputs, a system string.
//
// Code being typed is often not valid Nix yet (`{ pack }` even parses as a function's
// parameters), so for keys the text is reparsed with a placeholder binding at the cursor — the
// tree then says where that binding sits, the way it will once the user finishes typing.
import { parseWithin } from '../../syntax/boundedParse';
import type { Node, Parser, Tree } from 'web-tree-sitter';
import type { Position, Range } from 'vscode-languageserver-types';
import { attrName } from '../../flake/flakeSyntax';
import { isStringNode, readStringLiteral } from '../../flake/stringLiteral';
import { offsetAt } from './textPositions';
import { grammarText } from '../../syntax/grammarText';

export type FlakeCursorContext =
  /** In the string of `inputs.<input>.url`. */
  | { readonly kind: 'input-url'; readonly input: string; readonly replace: Range }
  /** In the string of `inputs.<input>.follows` or `inputs.<input>.inputs.<path>.follows`. */
  | { readonly kind: 'follows'; readonly input: string; readonly overridePath: readonly string[]; readonly replace: Range }
  /** A parameter name in `outputs = { … }:`. */
  | { readonly kind: 'outputs-formal'; readonly replace: Range; readonly present: readonly string[] }
  /** A key directly inside an input (`url`, `follows`, `flake`, …). */
  | { readonly kind: 'input-key'; readonly input: string; readonly replace: Range }
  /** An input's name after `inputs.` at the top level. */
  | { readonly kind: 'input-name'; readonly replace: Range }
  /** A key inside `inputs.<input>.inputs` — one of that input's own inputs. */
  | { readonly kind: 'input-override'; readonly input: string; readonly replace: Range }
  /** A key at the top level of flake.nix (`description`, `inputs`, `outputs`, `nixConfig`). */
  | { readonly kind: 'flake-key'; readonly replace: Range }
  /** A top-level key of what `outputs` returns (`packages`, `nixosConfigurations`, …). */
  | { readonly kind: 'output-name'; readonly replace: Range }
  /** A system under a per-system output (`packages.<system>`), or a system string. */
  | { readonly kind: 'system'; readonly replace: Range; readonly quoted: boolean };

export interface CursorSource {
  readonly tree: Tree;
  readonly content: string;
}

/** Marks in a path where the value is not an attribute of its parent. */
const LAMBDA = '<λ>';
const APPLIED = '<apply>';
const LIST = '<list>';
const LET = '<let>';
/** The module given to flake-parts' `mkFlake`: its keys are options, not the flake's outputs. */
const FLAKE_PARTS_MODULE = '<mkFlake>';
const OTHER = '<other>';

/** Outputs keyed by system first (`packages.x86_64-linux.hello`). */
export const PER_SYSTEM_OUTPUTS: ReadonlySet<string> = new Set([
  'packages', 'legacyPackages', 'devShells', 'apps', 'checks', 'formatter', 'hydraJobs', 'devShell', 'defaultPackage', 'defaultApp',
]);

const PLACEHOLDER = 'nixNurCursor';
const WORD_CHAR = /[A-Za-z0-9_'-]/;

export function flakeCursorContext(source: CursorSource, position: Position, parser?: Parser): FlakeCursorContext | undefined {
  const offset = offsetAt(source.content, position);
  return (
    stringContext(source.tree.rootNode, offset, position) ??
    unterminatedStringContext(source.content, offset, position) ??
    formalContext(source.tree.rootNode, source.content, offset, position) ??
    // Keys inside mkFlake's module are flake-parts options (the option completion's business):
    // known from the current tree, that spares the reparse keyContext makes.
    (parser && !insideFlakePartsModule(source.tree.rootNode, offset) ? keyContext(parser, source.content, offset, position) : undefined)
  );
}

function stringContext(root: Node, offset: number, position: Position): FlakeCursorContext | undefined {
  let node: Node | null = root.descendantForIndex(offset);
  while (node && !isStringNode(node) && node.type !== 'binding') node = node.parent;
  if (!node || !isStringNode(node)) return undefined;
  const literal = readStringLiteral(node);
  if (!literal || !literal.literal) return undefined;
  const start = node.startIndex + (literal.style === 'double' ? 1 : literal.style === 'indented' ? 2 : 0);
  const end = literal.closed ? node.endIndex - (literal.style === 'double' ? 1 : literal.style === 'indented' ? 2 : 0) : node.endIndex;
  if (offset < start || offset > end) return undefined;
  // While a string is not closed it runs on to the next quote; only its first line is being typed.
  const replace: Range = literal.closed || literal.contentRange.start.line === literal.contentRange.end.line
    ? literal.contentRange
    : { start: literal.contentRange.start, end: position };

  const parent = node.parent;
  if (parent?.type === 'list_expression') {
    return systemsList(parent) ? { kind: 'system', replace, quoted: true } : undefined;
  }
  if (parent?.type !== 'binding') return undefined;
  const path = bindingPath(parent);
  if (!path) return undefined;
  return contextForValuePath(path, replace);
}

function contextForValuePath(path: readonly string[], replace: Range): FlakeCursorContext | undefined {
  const last = path[path.length - 1];
  if (path[0] === 'inputs' && path.length === 3 && last === 'url' && isName(path[1])) return { kind: 'input-url', input: path[1], replace };
  if (path[0] === 'inputs' && path.length === 3 && last === 'follows' && isName(path[1])) {
    return { kind: 'follows', input: path[1], overridePath: [], replace };
  }
  if (path[0] === 'inputs' && path.length >= 5 && path[2] === 'inputs' && last === 'follows' && path.every(isName)) {
    return { kind: 'follows', input: path[1], overridePath: path.slice(3, -1), replace };
  }
  if (/^(system|localSystem|hostPlatform|buildPlatform|targetPlatform)$/.test(last)) return { kind: 'system', replace, quoted: true };
  return undefined;
}

/** A list of strings given to something that takes systems (`systems = [ … ]`, `genAttrs [ … ]`). */
function systemsList(list: Node): boolean {
  const parent = list.parent;
  if (parent?.type === 'binding') {
    const path = bindingPath(parent);
    return path !== undefined && /system/i.test(path[path.length - 1] ?? '');
  }
  if (parent?.type === 'apply_expression' && parent.childForFieldName('argument')?.id === list.id) {
    const fn = parent.childForFieldName('function')?.text ?? '';
    return /(genAttrs|eachSystem|forAllSystems|forEachSystem)$/.test(fn);
  }
  return false;
}

/** `inputs.x.url = "gith` with no closing quote yet and the rest of the file swallowed by the string. */
function unterminatedStringContext(content: string, offset: number, position: Position): FlakeCursorContext | undefined {
  const lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  const before = content.slice(lineStart, offset);
  const match = /(?:^|[{;\s])((?:[A-Za-z_][A-Za-z0-9_'-]*\.)*(url|follows))\s*=\s*"([^"\\$]*)$/.exec(before);
  if (!match) return undefined;
  const typedStart = position.character - match[3].length;
  const replace: Range = { start: { line: position.line, character: typedStart }, end: position };
  const keys = match[1].split('.');
  // Without a tree the input's name is known only when it is written on this line.
  const input = keys[0] === 'inputs' && keys.length === 3 ? keys[1] : '';
  return match[2] === 'url' ? { kind: 'input-url', input, replace } : { kind: 'follows', input, overridePath: [], replace };
}

function formalContext(root: Node, content: string, offset: number, position: Position): FlakeCursorContext | undefined {
  let node: Node | null = root.descendantForIndex(Math.max(0, offset - 1), offset);
  while (node && node.type !== 'formals' && node.type !== 'binding' && node.type !== 'source_code') node = node.parent;
  if (!node || node.type !== 'formals') return undefined;
  if (offset <= node.startIndex || offset >= node.endIndex) return undefined;
  const fn = node.parent;
  if (fn?.type !== 'function_expression' || !isOutputsFunction(fn)) return undefined;
  // Only at a parameter name: right after `{` or `,` (not in a default value after `?`).
  const replace = wordRange(content, offset, position);
  const typedStart = offset - (position.character - replace.start.character);
  if (!/[{,]\s*$/.test(content.slice(node.startIndex, typedStart))) return undefined;
  const present: string[] = [];
  for (const formal of node.namedChildren) {
    const name = formal?.type === 'formal' ? formal.childForFieldName('name') : null;
    if (name && name.text.length > 0 && !(name.startIndex <= offset && offset <= name.endIndex)) present.push(name.text);
  }
  return { kind: 'outputs-formal', replace, present };
}

function isOutputsFunction(fn: Node): boolean {
  const binding = fn.parent;
  if (binding?.type !== 'binding') return false;
  const path = bindingPath(binding);
  return path?.length === 1 && path[0] === 'outputs';
}

const KEY_CONTEXT_PARSE_BUDGET_MS = 250;

function keyContext(parser: Parser, content: string, offset: number, position: Position): FlakeCursorContext | undefined {
  const replace = wordRange(content, offset, position);
  const typedStart = offset - (position.character - replace.start.character);
  const typedEnd = offset + (replace.end.character - position.character);
  const before = content.slice(0, typedStart);
  const afterWord = content.slice(typedEnd);
  // A key starts after `{`, `;` or `let` — or after a `.` inside an attribute path.
  if (!/(?:[{;.]|\blet)\s*$/.test(stripLineComment(before)) && before.trim().length > 0) return undefined;
  const typed = content.slice(typedStart, offset);
  const completesBinding = /^\s*(=|\.)/.test(afterWord);
  const patched = `${before}${typed}${PLACEHOLDER}${completesBinding ? '' : ' = null;'}${afterWord}`;
  // A whole reparse: in a flake.nix that parses slowly (see boundedParse.ts) completion goes without.
  const tree = parseWithin(parser, grammarText(patched).text, null, KEY_CONTEXT_PARSE_BUDGET_MS);
  if (!tree) return undefined;
  try {
    const at = typedStart + typed.length;
    let node: Node | null = tree.rootNode.descendantForIndex(at, at + PLACEHOLDER.length);
    while (node && node.type !== 'identifier' && node.type !== 'attrpath' && node.type !== 'source_code') node = node.parent;
    if (!node || node.type === 'source_code') return undefined;
    if (node.type === 'identifier') {
      if (node.parent?.type === 'formal') {
        const formals = node.parent.parent;
        if (formals?.type === 'formals' && formals.parent?.type === 'function_expression' && isOutputsFunction(formals.parent)) {
          const present = formals.namedChildren
            .map((formal) => (formal?.type === 'formal' ? formal.childForFieldName('name')?.text : undefined))
            .filter((name): name is string => !!name && !name.includes(PLACEHOLDER));
          return { kind: 'outputs-formal', replace, present };
        }
        return undefined;
      }
      node = node.parent;
    }
    if (!node || node.type !== 'attrpath' || node.parent?.type !== 'binding') return undefined;
    const attrs = node.namedChildren.filter((attr): attr is Node => !!attr);
    const index = attrs.findIndex((attr) => attr.text.includes(PLACEHOLDER));
    if (index < 0) return undefined;
    const leading = attrs.slice(0, index).map(attrName);
    if (leading.some((name) => name === undefined)) return undefined;
    const outer = bindingPath(node.parent, false);
    if (!outer) return undefined;
    return contextForKeyPath([...outer, ...(leading as string[])], replace);
  } finally {
    tree.delete();
  }
}

function contextForKeyPath(path: readonly string[], replace: Range): FlakeCursorContext | undefined {
  if (path.length === 0) return { kind: 'flake-key', replace };
  if (path[0] === 'inputs') {
    if (path.length === 1) return { kind: 'input-name', replace };
    if (path.length === 2 && isName(path[1])) return { kind: 'input-key', input: path[1], replace };
    if (path.length === 3 && path[2] === 'inputs' && isName(path[1])) return { kind: 'input-override', input: path[1], replace };
    return undefined;
  }
  if (path[0] === 'outputs' && path[1] === LAMBDA) {
    const rest = path.slice(2);
    // The body itself, or the body of a per-system function (`eachDefaultSystem (system: { … })`).
    let i = 0;
    while (rest[i] === APPLIED && rest[i + 1] === LAMBDA) i += 2;
    const remaining = rest.slice(i);
    if (remaining.length === 0) return { kind: 'output-name', replace };
    if (i === 0 && remaining.length === 1 && PER_SYSTEM_OUTPUTS.has(remaining[0])) return { kind: 'system', replace, quoted: false };
  }
  return undefined;
}

function isName(part: string): boolean {
  return !part.startsWith('<');
}

/**
 * The attribute path from the top of the file to the value of `binding`, with marks where the
 * chain passes through a function body, an application, a list or a `let`. With `includeOwn`
 * false the binding's own attribute path is left out (the path of the set it sits in).
 */
function bindingPath(binding: Node, includeOwn = true): string[] | undefined {
  const path: string[] = [];
  const own = binding.childForFieldName('attrpath');
  if (includeOwn) {
    if (!own) return undefined;
    for (const attr of own.namedChildren) {
      const name = attr ? attrName(attr) : undefined;
      if (name === undefined) return undefined;
      path.push(name);
    }
  }
  let child: Node = binding;
  let node: Node | null = binding.parent;
  while (node && node.type !== 'source_code') {
    switch (node.type) {
      case 'binding': {
        if (node.childForFieldName('expression')?.id !== child.id) return undefined;
        const attrs = node.childForFieldName('attrpath');
        if (!attrs) return undefined;
        const names: string[] = [];
        for (const attr of attrs.namedChildren) {
          const name = attr ? attrName(attr) : undefined;
          if (name === undefined) return undefined;
          names.push(name);
        }
        path.unshift(...names);
        break;
      }
      case 'function_expression':
        if (node.childForFieldName('body')?.id === child.id) path.unshift(LAMBDA);
        else return undefined;
        break;
      case 'apply_expression':
        path.unshift(node.childForFieldName('argument')?.id !== child.id ? OTHER : isMkFlakeCall(node) ? FLAKE_PARTS_MODULE : APPLIED);
        break;
      case 'list_expression':
        path.unshift(LIST);
        break;
      case 'let_expression':
        // The `let` bindings are not part of the value; its body is.
        if (node.childForFieldName('body')?.id !== child.id) path.unshift(LET);
        break;
      case 'ERROR':
        return undefined;
      default:
        break;
    }
    child = node;
    node = node.parent;
  }
  return path;
}

/** `mkFlake { inherit inputs; } module` (its function is `mkFlake` applied to one argument). */
function isMkFlakeCall(apply: Node): boolean {
  const fn = apply.childForFieldName('function');
  return fn?.type === 'apply_expression' && /(^|\.)mkFlake$/.test(fn.childForFieldName('function')?.text ?? '');
}

/** Whether `offset` lies in the module argument of a `mkFlake` call. */
function insideFlakePartsModule(root: Node, offset: number): boolean {
  let child: Node | null = root.descendantForIndex(offset);
  for (let node = child?.parent ?? null; node && child; child = node, node = node.parent) {
    if (node.type === 'apply_expression' && node.childForFieldName('argument')?.id === child.id && isMkFlakeCall(node)) return true;
  }
  return false;
}

/** The identifier-like word around the cursor (what a completion replaces). */
function wordRange(content: string, offset: number, position: Position): Range {
  let start = offset;
  while (start > 0 && WORD_CHAR.test(content[start - 1])) start--;
  let end = offset;
  while (end < content.length && WORD_CHAR.test(content[end])) end++;
  return {
    start: { line: position.line, character: position.character - (offset - start) },
    end: { line: position.line, character: position.character + (end - offset) },
  };
}

function stripLineComment(text: string): string {
  const lineStart = text.lastIndexOf('\n') + 1;
  const hash = text.indexOf('#', lineStart);
  return hash >= 0 ? text.slice(0, hash) : text;
}
