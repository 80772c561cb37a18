// Signature help for builtins and nixpkgs' `lib`: while the arguments of `map f list` or
// `lib.concatStringsSep ", " names` are typed, the function's signature with the current argument
// highlighted. Nix functions are curried, so the arguments are the chain of applications the
// cursor sits in: `f a b` is `(f a) b`, and the cursor in `b` is on the second argument.
import { MarkupKind, type SignatureHelp, type SignatureInformation } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { unparenthesize } from '../analysis/attrShapes';
import type { BuiltinInfo } from '../analysis/builtins';
import { builtinSignature } from '../analysis/builtins';
import { Denoter } from '../analysis/denotation';
import { flakeInputsOf, flakeOutputsFunction } from '../analysis/flakeInputs';
import { nodeAt, type SyntaxNode } from '../analysis/syntaxTree';
import type { LibInfo } from '../knowledge/libIndex';
import type { KnowledgeQueries } from './knowledgeQueries';
import { libPathText } from './libDoc';

/** Where the cursor is in a chain of applications: the function and which argument. */
interface CallAt {
  head: SyntaxNode;
  /** 0 for the first argument. */
  argument: number;
}

export function signatureHelp(analysis: Analysis, offset: number, knowledge: KnowledgeQueries | undefined): SignatureHelp | null {
  if (analysis.skipped) return null;
  const call = callAt(analysis, offset);
  if (!call) return null;
  const signature = builtinCall(analysis, call.head) ?? libCall(analysis, call.head, knowledge);
  if (!signature) return null;
  const count = signature.parameters?.length ?? 0;
  // Past the last argument the result is applied to more: nothing to highlight.
  if (call.argument >= count) return null;
  return { signatures: [signature], activeSignature: 0, activeParameter: call.argument };
}

/** Node types the cursor can be on while still being "at" an argument rather than inside one. */
const ARGUMENT_PARTS: ReadonlySet<string> = new Set([
  'identifier', 'variable_expression', 'select_expression', 'attrpath', 'string_fragment', 'escape_sequence',
  'string_expression', 'indented_string_expression', 'integer_expression', 'float_expression',
  'path_expression', 'path_fragment', 'hpath_expression', 'spath_expression', 'uri_expression',
]);

function callAt(analysis: Analysis, offset: number): CallAt | undefined {
  const text = analysis.text;
  // Between arguments (`map f |`) the cursor is in no node: the call is the one just before it.
  let at = offset;
  while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t' || text[at - 1] === '\n')) at--;
  const afterSpace = at < offset;
  const leaf = nodeAt(analysis.root, at, true);
  let node: SyntaxNode | null = leaf;
  // The outermost name or selection ending at the cursor: a function whose arguments may follow.
  let named: SyntaxNode | undefined;
  for (; node; node = node.parent) {
    if (node.type === 'apply_expression') break;
    if ((node.type === 'variable_expression' || node.type === 'select_expression') && node.end === at) named = node;
    // Inside a list, a set, a function, parentheses…: an expression of its own, not an argument.
    if (!ARGUMENT_PARTS.has(node.type) && node.start < at && at < node.end) break;
  }
  if (node?.type !== 'apply_expression') {
    // `map |`: a function named, its first argument not yet typed.
    // In a list, what follows is the next element.
    if (!afterSpace || !named || named.parent?.type === 'list_expression') return undefined;
    return { head: named, argument: 0 };
  }
  // Up to the whole chain `f a b c`, remembering which argument holds the cursor.
  let chain = node;
  while (chain.parent?.type === 'apply_expression' && chain.field === 'function') chain = chain.parent;
  const args: SyntaxNode[] = [];
  let head: SyntaxNode = chain;
  while (head.type === 'apply_expression') {
    const argument = head.child('argument');
    if (argument) args.unshift(argument);
    const fn = head.child('function');
    if (!fn) return undefined;
    head = fn;
  }
  if (offset <= head.end) return undefined;
  // The first argument not over before the cursor (the cursor may be in the space before it).
  const index = args.findIndex((argument) => offset <= argument.end);
  return { head: unparenthesize(head) ?? head, argument: index < 0 ? args.length : index };
}

/** `map`, `__add`, `builtins.map`. */
function builtinCall(analysis: Analysis, head: SyntaxNode): SignatureInformation | undefined {
  let info: BuiltinInfo | undefined;
  if (head.type === 'variable_expression') {
    const name = head.child('name');
    const use = name && analysis.useAt(name);
    if (use?.resolution.kind === 'builtin') info = analysis.builtins.global(use.name);
  } else if (head.type === 'select_expression') {
    const base = unparenthesize(head.child('expression'));
    const attrs = head.child('attrpath')?.childrenOf('attr') ?? [];
    const baseName = base?.type === 'variable_expression' ? base.child('name') : undefined;
    const use = baseName && analysis.useAt(baseName);
    if (use?.resolution.kind === 'builtin' && use.name === 'builtins' && attrs.length === 1) info = analysis.builtins.attribute(attrs[0]!.text);
  }
  if (!info || info.kind !== 'function' || info.args.length === 0) return undefined;
  return withParameters(builtinSignature(info), info.args, info.doc);
}

/** `lib.concatStringsSep`, `lib.strings.concatStringsSep`, `pkgs.lib.…`, `with lib; …`. */
function libCall(analysis: Analysis, head: SyntaxNode, knowledge: KnowledgeQueries | undefined): SignatureInformation | undefined {
  if (!knowledge) return undefined;
  const root = analysis.root;
  const denoter = new Denoter({ scopes: analysis.scopes, flakeInputs: flakeInputsOf(root), outputsFunction: flakeOutputsFunction(root) });
  const denoted = denoter.denote(head);
  if (denoted?.kind !== 'lib' || denoted.path.length === 0 || denoted.path.some((p) => p === null)) return undefined;
  const info = knowledge.lookupLib(denoted.path as string[]);
  if (!info || info.kind !== 'function') return undefined;
  return libSignature(info);
}

function libSignature(info: LibInfo): SignatureInformation | undefined {
  const doc = info.doc && info.docStyle === 'markdown' ? info.doc : undefined;
  if (info.args?.length) return withParameters(`${libPathText(info.path)} ${info.args.join(' ')}`, info.args, doc, info.type);
  if (info.type) {
    // `concatStringsSep :: string -> [string] -> string`: every type but the result is an argument.
    const types = curriedTypes(info.type);
    if (types && types.length > 1) return typeParameters(info.type, types.slice(0, -1), doc);
  }
  if (info.formals?.length) {
    const formals = `{ ${info.formals.map((f) => (f.optional ? `${f.name} ? …` : f.name)).join(', ')} }`;
    return withParameters(`${libPathText(info.path)} ${formals}`, [formals], doc);
  }
  return undefined;
}

/** A label `name a b` with each argument as a parameter, found by its place in the label. */
function withParameters(label: string, args: readonly string[], doc: string | undefined, type?: string): SignatureInformation {
  const parameters: { label: [number, number] }[] = [];
  let from = label.indexOf(' ') + 1;
  for (const arg of args) {
    const start = label.indexOf(arg, from);
    if (start < 0) break;
    parameters.push({ label: [start, start + arg.length] });
    from = start + arg.length;
  }
  const documentation = [type ? `\`${type}\`` : undefined, doc].filter(Boolean).join('\n\n');
  return { label, parameters, ...(documentation ? { documentation: { kind: MarkupKind.Markdown, value: documentation } } : {}) };
}

function typeParameters(label: string, types: readonly { start: number; end: number }[], doc: string | undefined): SignatureInformation {
  return {
    label,
    parameters: types.map((t) => ({ label: [t.start, t.end] as [number, number] })),
    ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc } } : {}),
  };
}

/** The parts of `name :: a -> (b -> c) -> d` between top-level arrows, as offsets into the text. */
export function curriedTypes(signature: string): { start: number; end: number }[] | undefined {
  const colons = signature.indexOf('::');
  if (colons < 0) return undefined;
  const parts: { start: number; end: number }[] = [];
  let depth = 0;
  let start = colons + 2;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && signature[s] === ' ') s++;
    while (e > s && signature[e - 1] === ' ') e--;
    if (e > s) parts.push({ start: s, end: e });
  };
  for (let i = start; i < signature.length; i++) {
    const c = signature[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === '-' && signature[i + 1] === '>') {
      push(i);
      start = i + 2;
      i++;
    }
  }
  push(signature.length);
  return parts;
}
