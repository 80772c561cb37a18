// What is at the cursor, as plain data, so that completion, hover and definition can pick the
// index that answers: nixpkgs attribute paths, `lib`, `builtins`, NixOS / Home Manager option
// paths and values, NUR repositories, outputs of flake inputs that are NUR repositories, local
// attribute sets, variables in scope, and file paths.
//
// Works on the tree the editor has, broken or not: when the cursor sits in code tree-sitter could
// not make sense of, the text is completed a little (see repair.ts) and reparsed. Only the nodes
// between the root and the cursor are copied out of tree-sitter, so the cost does not grow with
// the size of the file.
import type { Range } from 'vscode-languageserver-types';
import type { Parser, Tree } from 'web-tree-sitter';
import { builtinLookup, type BuiltinInfo, type BuiltinsTable } from './builtins';
import { Denoter, type Denotation, type PathPart } from './denotation';
import { MAX_ANALYSIS_DEPTH } from './depthLimits';
import { flakeInputsOf, flakeOutputsFunction, isNixpkgsInput, isNurInput } from './flakeInputs';
import { LineIndex, type OffsetRange } from './lineIndex';
import { fileModule, moduleStateAlong, type ModuleInfo, type ModuleState, type OptionTree } from './modules';
import { takesModuleArguments } from './moduleFile';
import { attrName } from './names';
import { repairAround, type RepairedTree } from './repair';
import { Scopes, type DefinitionKind } from './scopes';
import { stringValueContext } from './stringValueContext';
import { depthOf, lazySyntaxTree, nodeAt, sharedLazySyntaxTree, type SyntaxNode } from './syntaxTree';

export interface ContextOptions {
  /**
   * A parser for Nix (the document's own), used to reparse a slightly completed copy of broken
   * code around the cursor. Without it, broken code is read as tree-sitter recovered it.
   */
  parser?: Parser;
  builtins?: BuiltinsTable;
  /** Set when another file imports this one as a module of that kind. */
  module?: { tree: OptionTree };
  /** The document's path or URI (`home.nix` hints at Home Manager). */
  fileName?: string;
  /** The text's line index, when the caller keeps one (else one is made). */
  lines?: LineIndex;
}

interface WordContext {
  /** The word being typed: from its start to the cursor. */
  prefix: string;
  /** The whole word under the cursor, also after it (for hover). */
  word: string;
  /** The whole word under the cursor: what a completion replaces. */
  replaceRange: Range;
  /** From the start of the word to the cursor: what a completion inserted in "insert" mode replaces. */
  insertRange: Range;
  /** `replaceRange` as offsets. */
  replaceOffsets: OffsetRange;
}

export interface LocalName {
  name: string;
  kind: DefinitionKind;
  /** Where it is defined (its first name node). */
  definedAt: OffsetRange;
}

/** What a variable name refers to. */
export type VariableTarget =
  | { kind: 'local'; name: string; definitionKind: DefinitionKind; definedAt: OffsetRange }
  | { kind: 'builtin'; name: string; builtin?: BuiltinInfo }
  | { kind: 'with'; name: string }
  | { kind: 'undefined'; name: string };

export interface LocalAttribute {
  name: string;
  /** Where it is defined (the first attribute node naming it). */
  definedAt: OffsetRange;
  /** True when the value is itself an attribute set written in this file. */
  isSet: boolean;
}

export type CursorContext =
  /** nixpkgs attributes under `path` (`[]` for top-level packages; `['nur', 'repos', …]` for NUR). */
  | (WordContext & { kind: 'packages'; path: string[]; hoverPath: string[]; via: 'select' | 'with' | 'formal'; locals?: LocalName[] })
  | (WordContext & { kind: 'lib'; path: string[]; hoverPath: string[]; locals?: LocalName[] })
  | (WordContext & { kind: 'builtins'; path: string[]; hoverPath: string[]; locals?: LocalName[] })
  /** An option name under `path` (`<name>` parts are literal names the index resolves). */
  | (WordContext & { kind: 'option'; tree: OptionTree; path: string[]; hoverPath: string[]; confident: boolean })
  /** The value of option `path`; `inList` when the cursor is an element of a list value. */
  | (WordContext & { kind: 'optionValue'; tree: OptionTree; path: string[]; inList: boolean; confident: boolean; locals: LocalName[]; inString?: boolean })
  /**
   * The outputs of a flake input that may be a NUR repository: `path` follows the input's name
   * (`['packages', 'x86_64-linux']`, `['nixosModules']`, or `[]` for the output names themselves).
   */
  | (WordContext & { kind: 'nurRepoOutputs'; input: string; inputUrl?: string; path: string[] })
  /** Attributes of an attribute set written in this file (or the inputs of this flake). */
  | (WordContext & { kind: 'localAttrs'; path: string[]; candidates: LocalAttribute[] })
  /** An ordinary expression position: local names and builtins. */
  /**
   * An ordinary expression position: local names and builtins. `target` says what the whole word
   * under the cursor refers to (for hover and definition).
   */
  | (WordContext & { kind: 'variable'; locals: LocalName[]; module?: ModuleInfo; target?: VariableTarget })
  /** Inside a path literal; `text` is the literal up to the cursor. */
  | (WordContext & { kind: 'path'; text: string })
  | { kind: 'none'; reason: string };

/** What the cursor's name node is doing in the code. */
type Role =
  | { kind: 'select'; base: SyntaxNode; before: PathPart[] }
  | { kind: 'variable'; node: SyntaxNode }
  | { kind: 'key'; binding: SyntaxNode; before: PathPart[] }
  | { kind: 'formal'; fn: SyntaxNode }
  | { kind: 'none'; reason: string };

const WORD_CHAR = /[A-Za-z0-9_'-]/;

function wordBounds(text: string, offset: number): OffsetRange {
  let start = offset;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
  // A word never starts with a digit, `'` or `-` (those continue one).
  while (start < offset && /[0-9'-]/.test(text[start]!)) start++;
  return { start, end };
}

/**
 * The context at `offset` in `tree`, parsed from `text` (the whole text). The tree is not modified; temporary trees made for broken
 * code are deleted before returning.
 */
export function contextAt(tree: Tree, text: string, offset: number, options: ContextOptions = {}): CursorContext {
  const at = Math.max(0, Math.min(offset, text.length));
  const root = sharedLazySyntaxTree(tree, text);
  const lines = options.lines ?? new LineIndex(text);

  // Code nested deeper than the analysis goes is not looked into (see depthLimits.ts).
  const leaf = nodeAt(root, at, true, MAX_ANALYSIS_DEPTH + 1);
  if (depthOf(leaf) > MAX_ANALYSIS_DEPTH) return { kind: 'none', reason: 'code nested too deeply to analyse' };
  const quoted = stringValueContext(leaf, at, text, lines, { module: options.module, fileName: options.fileName });
  if (quoted) return quoted;
  const early = literalContext(leaf, at, text, lines);
  if (early) return early;

  let bounds = wordBounds(text, at);
  const stringAttr = stringAttrAt(leaf, at);
  if (stringAttr) bounds = stringAttr;
  const word = wordContext(text, lines, bounds, at);

  const direct = bounds.start < bounds.end ? nameNodeAt(root, bounds) : undefined;
  if (direct && isClean(direct)) return contextOfName(direct, root, text, word, options);

  const repaired = options.parser && repairedWord(options.parser, tree, text, bounds);
  if (repaired) {
    try {
      const node = nameNodeAt(repaired.root, { start: bounds.start, end: repaired.wordEnd })!;
      return contextOfName(node, repaired.root, repaired.text, word, options);
    } finally {
      if (repaired !== lastRepair?.repaired) repaired.tree.delete();
    }
  }
  if (direct) return contextOfName(direct, root, text, word, options);
  return { kind: 'none', reason: 'the code around the cursor could not be understood' };
}

/** Texts up to this long keep their last repair for the next question about the same word. */
const KEPT_REPAIR_MAX_LENGTH = 200_000;

/**
 * The last repair made of a word in a text, kept (with its tree) until a question about another
 * word or version needs one: hovers follow the mouse along the same broken word, and completion,
 * its item resolution and hover ask about the same spot, each of which would otherwise reparse the
 * file once per repair tried. At most one repaired tree is alive at a time.
 */
let lastRepair: { base: Tree; text: string; start: number; end: number; repaired: RepairedWord | undefined } | undefined;

/** A repaired tree and the lazy copy of it that found the word clean there. */
type RepairedWord = RepairedTree & { root: SyntaxNode };

/** The repaired tree in which the word at `bounds` reads cleanly, or undefined when no repair helps. */
function repairedWord(parser: Parser, tree: Tree, text: string, bounds: OffsetRange): RepairedWord | undefined {
  const kept = lastRepair;
  if (kept && kept.base === tree && kept.text === text && kept.start === bounds.start && kept.end === bounds.end) return kept.repaired;
  let acceptedRoot: SyntaxNode | undefined;
  const found = repairAround(parser, tree, text, bounds.end, bounds.start === bounds.end, (candidate) => {
    const candidateRoot = lazySyntaxTree(candidate.tree, candidate.text);
    const node = nameNodeAt(candidateRoot, { start: bounds.start, end: candidate.wordEnd });
    const clean = !!node && isClean(node);
    if (clean) acceptedRoot = candidateRoot;
    return clean;
  });
  const repaired = found && { ...found, root: acceptedRoot! };
  if (text.length > KEPT_REPAIR_MAX_LENGTH) return repaired;
  kept?.repaired?.tree.delete();
  lastRepair = { base: tree, text, start: bounds.start, end: bounds.end, repaired };
  return repaired;
}

function wordContext(text: string, lines: LineIndex, bounds: OffsetRange, at: number): WordContext {
  return {
    prefix: text.slice(bounds.start, at),
    word: text.slice(bounds.start, bounds.end),
    replaceRange: lines.range(bounds),
    insertRange: lines.range({ start: bounds.start, end: at }),
    replaceOffsets: bounds,
  };
}

/** Comments, strings and paths decide the context before any name does. */
function literalContext(leaf: SyntaxNode, at: number, text: string, lines: LineIndex): CursorContext | undefined {
  for (let node: SyntaxNode | null = leaf; node; node = node.parent) {
    switch (node.type) {
      case 'comment':
        if (at > node.start) return { kind: 'none', reason: 'inside a comment' };
        return undefined;
      case 'interpolation':
        return undefined;
      case 'string_expression':
      case 'indented_string_expression':
        if (at <= node.start || at >= node.end) return undefined;
        if (node.parent?.type === 'attrpath') return undefined;
        return { kind: 'none', reason: 'inside a string' };
      case 'path_expression':
      case 'hpath_expression': {
        if (at < node.start) return undefined;
        const bounds = { start: node.start, end: node.end };
        return {
          kind: 'path',
          text: text.slice(node.start, at),
          prefix: text.slice(node.start, at),
          word: node.text,
          replaceRange: lines.range(bounds),
          insertRange: lines.range({ start: node.start, end: at }),
          replaceOffsets: bounds,
        };
      }
      case 'spath_expression':
      case 'uri_expression':
      case 'integer_expression':
      case 'float_expression':
        if (at > node.start && at < node.end) return { kind: 'none', reason: `inside a ${node.type.replace('_expression', '')} literal` };
        return undefined;
    }
  }
  return undefined;
}

/** A quoted attribute name under the cursor (`"example.org"`): its content is the word. */
function stringAttrAt(leaf: SyntaxNode, at: number): OffsetRange | undefined {
  const string = leaf.type === 'string_expression' ? leaf : leaf.parent?.type === 'string_expression' ? leaf.parent : undefined;
  if (!string || string.parent?.type !== 'attrpath' || at <= string.start || at >= string.end) return undefined;
  return { start: string.start + 1, end: string.end - 1 };
}

/** The identifier (or quoted attribute) spanning exactly `bounds`. */
function nameNodeAt(root: SyntaxNode, bounds: OffsetRange): SyntaxNode | undefined {
  let node: SyntaxNode | undefined = nodeAt(root, bounds.end, true);
  for (; node; node = node.parent ?? undefined) {
    if (node.start < bounds.start) break;
    if (node.start === bounds.start && node.end === bounds.end && node.type === 'identifier') return node;
    if (node.type === 'string_expression' && node.start === bounds.start - 1 && node.end === bounds.end + 1) return node;
    if (node.type === 'string_fragment' && node.start === bounds.start && node.end === bounds.end && node.parent?.parent?.type === 'attrpath') return node.parent!;
  }
  return undefined;
}

function isClean(node: SyntaxNode): boolean {
  if (node.isMissing) return false;
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (n.type === 'ERROR') return false;
  return true;
}

function roleOf(node: SyntaxNode): Role {
  const parent = node.parent;
  if (!parent) return { kind: 'none', reason: 'nothing here' };
  switch (parent.type) {
    case 'variable_expression':
      return { kind: 'variable', node: parent };
    case 'attrpath': {
      const attrs = parent.childrenOf('attr');
      const before = attrs.slice(0, attrs.indexOf(node)).map((a) => attrName(a) ?? null);
      const owner = parent.parent;
      if (!owner) break;
      if ((owner.type === 'select_expression' || owner.type === 'has_attr_expression') && parent.field === 'attrpath') {
        const base = owner.child('expression');
        return base ? { kind: 'select', base, before } : { kind: 'none', reason: 'incomplete selection' };
      }
      if (owner.type === 'binding') return { kind: 'key', binding: owner, before };
      break;
    }
    case 'inherited_attrs': {
      const statement = parent.parent;
      if (statement?.type === 'inherit_from') {
        const base = statement.child('expression');
        return base ? { kind: 'select', base, before: [] } : { kind: 'none', reason: 'incomplete inherit' };
      }
      if (statement?.type === 'inherit') return { kind: 'variable', node };
      break;
    }
    case 'formal':
      if (node.field === 'name' && parent.parent?.parent?.type === 'function_expression') return { kind: 'formal', fn: parent.parent.parent };
      break;
  }
  return { kind: 'none', reason: 'not a name that can be completed' };
}

function contextOfName(node: SyntaxNode, root: SyntaxNode, text: string, word: WordContext, options: ContextOptions): CursorContext {
  const role = roleOf(node);
  if (role.kind === 'none') return { kind: 'none', reason: role.reason };

  const scopes = new Scopes(builtinLookup(options.builtins));
  // What names stand for is asked only of selections and variables, not of option keys (most
  // completions in a module): the flake's inputs are read then.
  let denoting: { flakeInputs: ReturnType<typeof flakeInputsOf>; denoter: Denoter } | undefined;
  const denote = () => {
    if (!denoting) {
      const flakeInputs = flakeInputsOf(root);
      denoting = { flakeInputs, denoter: new Denoter({ scopes, flakeInputs, outputsFunction: flakeOutputsFunction(root) }) };
    }
    return denoting;
  };
  // The module state of the expression the name belongs to (the variable, not its identifier).
  const chain: SyntaxNode[] = [];
  for (let n: SyntaxNode | null = role.kind === 'variable' ? role.node : node; n; n = n.parent) chain.push(n);
  chain.reverse();
  const state = moduleStateAlong(chain, text, { module: options.module, fileName: options.fileName });
  const module = moduleOf(state) ?? fileModule(root, options);

  switch (role.kind) {
    case 'select': {
      const { flakeInputs, denoter } = denote();
      const base = denoter.denote(role.base);
      const target = base && denoter.extend(base, role.before);
      if (!target) return { kind: 'none', reason: 'unknown attribute set' };
      return fromDenotation(target, word, 'select', module, flakeInputs, denoter);
    }
    case 'variable': {
      const locals = localNames(scopes, role.node);
      for (const w of Scopes.withsAround(role.node)) {
        const { flakeInputs, denoter } = denote();
        const environment = denoter.denote(w.child('environment'));
        if (!environment || environment.kind === 'config' || environment.kind === 'self') continue;
        const result = fromDenotation(environment, word, 'with', module, flakeInputs, denoter);
        if (result.kind !== 'none') return withLocals(result, locals);
      }
      if (state.mode === 'value') {
        return { kind: 'optionValue', tree: state.module.tree, path: state.path, inList: state.inList, confident: state.module.confident, locals, ...word };
      }
      return { kind: 'variable', locals, module, target: variableTarget(scopes, word.word, role.node), ...word };
    }
    case 'key': {
      if (state.mode !== 'key') return { kind: 'none', reason: 'an attribute name outside any module' };
      let before = role.before.map((p) => p ?? '<name>');
      if (state.root) {
        if (state.explicit) {
          if (before[0] !== 'config') return { kind: 'none', reason: 'a top-level key of an explicit module' };
          before = before.slice(1);
        } else if (before.length > 0 && before[0] !== undefined && (before[0] === 'imports' || before[0] === 'options')) {
          return { kind: 'none', reason: 'module structure' };
        }
      }
      const path = [...state.path, ...before];
      return { kind: 'option', tree: state.module.tree, path, hoverPath: hoverPath(path, word), confident: state.module.confident, ...word };
    }
    case 'formal': {
      const top = root.children.find((c) => c.type !== 'comment');
      if (role.fn !== top || module || takesModuleArguments(role.fn)) return { kind: 'none', reason: 'an argument name' };
      return { kind: 'packages', path: [], hoverPath: hoverPath([], word), via: 'formal', ...word };
    }
  }
}

function variableTarget(scopes: Scopes, name: string, at: SyntaxNode): VariableTarget | undefined {
  if (!name) return undefined;
  const resolution = scopes.lookup(name, at);
  switch (resolution.kind) {
    case 'local': {
      const first = resolution.definition.nameNodes[0]!;
      return { kind: 'local', name, definitionKind: resolution.definition.kind, definedAt: { start: first.start, end: first.end } };
    }
    case 'builtin':
      return { kind: 'builtin', name, builtin: scopes.builtins.global(name) };
    default:
      return { kind: resolution.kind, name };
  }
}

/** The full path of the name under the cursor, for hover (the word is complete there). */
function hoverPath(path: string[], word: WordContext): string[] {
  return word.word ? [...path, word.word] : path;
}

function moduleOf(state: ModuleState): ModuleInfo | undefined {
  return 'module' in state ? state.module : state.mode === 'merge' ? moduleOf(state.inner) : undefined;
}

function withLocals(context: CursorContext, locals: LocalName[]): CursorContext {
  if (context.kind === 'packages' || context.kind === 'lib' || context.kind === 'builtins') return { ...context, locals };
  return context;
}

function localNames(scopes: Scopes, at: SyntaxNode): LocalName[] {
  return scopes.visibleAt(at).map((d) => ({ name: d.name, kind: d.kind, definedAt: { start: d.nameNodes[0]!.start, end: d.nameNodes[0]!.end } }));
}

/** Path parts as strings for an index; undefined when a part is only known at evaluation time. */
function staticPath(path: PathPart[]): string[] | undefined {
  return path.every((p) => p !== null) ? (path as string[]) : undefined;
}

function fromDenotation(
  d: Denotation,
  word: WordContext,
  via: 'select' | 'with',
  module: ModuleInfo | undefined,
  flakeInputs: ReturnType<typeof flakeInputsOf>,
  denoter: Denoter,
): CursorContext {
  const none = (reason: string): CursorContext => ({ kind: 'none', reason });
  switch (d.kind) {
    case 'nixpkgs': {
      const path = staticPath(d.path);
      return path ? { kind: 'packages', path, hoverPath: hoverPath(path, word), via, ...word } : none('a computed package path');
    }
    case 'nur': {
      const path = staticPath(d.path);
      return path ? { kind: 'packages', path: ['nur', ...path], hoverPath: hoverPath(['nur', ...path], word), via, ...word } : none('a computed NUR path');
    }
    case 'lib':
    case 'builtins': {
      const path = staticPath(d.path);
      return path ? { kind: d.kind, path, hoverPath: hoverPath(path, word), ...word } : none('a computed path');
    }
    case 'config': {
      const path = d.path.map((p) => p ?? '<name>');
      return {
        kind: 'option',
        tree: module?.tree ?? 'nixos',
        path,
        hoverPath: hoverPath(path, word),
        confident: module?.confident ?? false,
        ...word,
      };
    }
    case 'flakeInputs': {
      const candidates: LocalAttribute[] = [...flakeInputs.values()].map((input) => ({
        name: input.name,
        definedAt: { start: input.node.start, end: input.node.end },
        isSet: true,
      }));
      return { kind: 'localAttrs', path: [], candidates, ...word };
    }
    case 'flakeInput': {
      const input = flakeInputs.get(d.name);
      if (isNixpkgsInput(d.name, input?.url) || isNurInput(d.name, input?.url)) return none('an output of nixpkgs or NUR that is not a package set');
      const path = d.path.map((p) => (p === null ? '${…}' : p));
      return { kind: 'nurRepoOutputs', input: d.name, inputUrl: input?.url, path, ...word };
    }
    case 'self':
      return none('an output of this flake');
    case 'localSet': {
      const shape = denoter.shapeAt(d);
      const path = staticPath(d.path);
      if (!shape || !path) return none('unknown attribute set');
      const candidates: LocalAttribute[] = [...shape.entries.values()].map((entry) => ({
        name: entry.name,
        definedAt: { start: entry.nameNodes[0]!.start, end: entry.nameNodes[0]!.end },
        isSet: !!entry.nested,
      }));
      return { kind: 'localAttrs', path, candidates, ...word };
    }
  }
}
