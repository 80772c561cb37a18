// Semantic highlighting from the analysis: what each name means, not what it looks like. A
// variable is coloured by what it resolves to (a `let` binding, a function argument, a builtin, an
// attribute a `with` provides), an attribute name by what it names (an option a module sets, a
// nixpkgs package, an ordinary attribute), and bindings nothing reads are marked unused. Paths,
// URLs, the `${ }` of interpolations and keywords complete the picture; strings, numbers and
// comments are left to the editor's grammar, which already gets them right.
//
// The token types are LSP's standard ones, so every theme (VS Code, Neovim, Helix, Emacs) colours
// them; the standard modifiers say more (`declaration`, `defaultLibrary`, `modification`), and three
// of our own (`unused`, `path`, `url`) let a theme go further — clients ignore modifiers they do not
// know. The answer is absolute positions; encoding them for the protocol is the wiring's job.
import type { Analysis } from '../analysis/analysis';
import { unparenthesize } from '../analysis/attrShapes';
import { Denoter } from '../analysis/denotation';
import { flakeInputsOf, flakeOutputsFunction } from '../analysis/flakeInputs';
import { knowledgeSites, type KnowledgeSites } from '../analysis/knowledgeSites';
import { NIX_KEYWORDS } from '../analysis/names';
import { isFunctionDefinition, type Definition, type Use } from '../analysis/scopes';
import type { SyntaxNode } from '../analysis/syntaxTree';
import { unusedDefinitionMessage } from './local/diagnostics';

export const TOKEN_TYPES = ['namespace', 'parameter', 'variable', 'property', 'function', 'keyword', 'string', 'operator'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'modification', 'defaultLibrary', 'unused', 'path', 'url'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

const TYPE = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
const MOD = Object.fromEntries(TOKEN_MODIFIERS.map((m, i) => [m, 1 << i])) as Record<TokenModifier, number>;

/**
 * Tokens in document order, five numbers each: line, character (UTF-16, as LSP counts), length,
 * index into `TOKEN_TYPES`, bit set over `TOKEN_MODIFIERS`. Never spans a line.
 */
export interface SemanticTokenList {
  readonly data: number[];
}

export interface SemanticTokenOptions {
  /** The document's URI or path: module detection reads it (`home.nix`), as diagnostics do. */
  fileName?: string;
  /** Only tokens overlapping these offsets. */
  range?: { start: number; end: number };
  /** Mark unused formals as such (`nixNur.diagnostics.unusedFormals`, as diagnostics do). Default true. */
  unusedFormals?: boolean;
  /**
   * The option and package sites to colour by, when the caller has them: at least those inside
   * `range`. By default the whole file's, shared with diagnostics.
   */
  sites?: KnowledgeSites;
}

/** Node types whose anonymous tokens include keywords. */
const KEYWORD_OWNERS: ReadonlySet<string> = new Set([
  'let_expression',
  'let_attrset_expression',
  'rec_attrset_expression',
  'with_expression',
  'if_expression',
  'assert_expression',
  'inherit',
  'inherit_from',
  'select_expression',
]);

export function semanticTokens(analysis: Analysis, options: SemanticTokenOptions = {}): SemanticTokenList {
  const data: number[] = [];
  if (analysis.skipped) return { data };
  const text = analysis.text;
  const from = options.range?.start ?? 0;
  const to = options.range?.end ?? text.length;
  const classify = new Classifier(analysis, options.sites ?? knowledgeSites(analysis, { fileName: options.fileName }), options.unusedFormals !== false);

  // Line of the last token, advanced as tokens move on: they come in document order. A range
  // starts on its first line, found without walking the lines before it.
  const first = options.range ? analysis.lines.positionAt(from) : { line: 0, character: 0 };
  let line = first.line;
  let lineStart = Math.min(from, text.length) - first.character;
  let nextNewline = text.indexOf('\n', lineStart);
  const write = (start: number, end: number, type: number, modifiers: number) => {
    // A token from before the range's first line that reaches into it spans a line break.
    if (end <= start || end < from || start > to || start < lineStart) return;
    while (nextNewline !== -1 && nextNewline < start) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf('\n', lineStart);
    }
    // A token must stay on its line (a quoted attribute name may hold a newline).
    if (nextNewline !== -1 && nextNewline < end) return;
    data.push(line, start - lineStart, end - start, type, modifiers);
  };

  // Keywords and the `}` of interpolations are found when their node is visited but lie after
  // some of its children: they wait here, the nearest on top, until a token after them is
  // written. Whatever waits from before a node is written when the node is reached, so the
  // node's own (inside it) always lie before what still waits below them (after it).
  const pendingStart: number[] = [];
  const pendingEnd: number[] = [];
  const pendingType: number[] = [];
  const flushBefore = (offset: number) => {
    while (pendingStart.length && pendingStart[pendingStart.length - 1]! < offset) write(pendingStart.pop()!, pendingEnd.pop()!, pendingType.pop()!, 0);
  };
  const emit = (start: number, end: number, type: number, modifiers: number) => {
    flushBefore(start);
    write(start, end, type, modifiers);
  };
  const found: number[] = [];

  const stack: SyntaxNode[] = [analysis.root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.end < from || node.start > to) continue;
    const token = classify.node(node);
    if (token) {
      if (token.type >= 0) emit(node.start, node.end, token.type, token.modifiers);
      continue;
    }
    const kids = node.children;
    // What waits from before this node goes first, so that this node's own go on top.
    if (pendingStart.length) flushBefore(node.start);
    if (node.type === 'interpolation') {
      // `${` opens it and `}` closes it, around whatever the children give.
      emit(node.start, node.start + 2, TYPE.operator, 0);
      if (text.charCodeAt(node.end - 1) === 125 /* } */) {
        pendingStart.push(node.end - 1);
        pendingEnd.push(node.end);
        pendingType.push(TYPE.operator);
      }
    } else if (KEYWORD_OWNERS.has(node.type)) {
      found.length = 0;
      let gapStart = node.start;
      for (const kid of kids) {
        keywordsIn(text, gapStart, kid.start, found);
        gapStart = kid.end;
      }
      keywordsIn(text, gapStart, node.end, found);
      for (let i = found.length - 2; i >= 0; i -= 2) {
        pendingStart.push(found[i]!);
        pendingEnd.push(found[i + 1]!);
        pendingType.push(TYPE.keyword);
      }
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  flushBefore(Number.MAX_SAFE_INTEGER);
  return { data };
}

/** The keywords among the anonymous tokens between `start` and `end` (`let`, `in`, `or`, …), as start and end pairs. */
function keywordsIn(text: string, start: number, end: number, into: number[]): void {
  let at = start;
  while (at < end) {
    const c = text.charCodeAt(at);
    if (!isWordStart(c)) {
      at++;
      continue;
    }
    let wordEnd = at + 1;
    while (wordEnd < end && isWordPart(text.charCodeAt(wordEnd))) wordEnd++;
    if (NIX_KEYWORDS.has(text.slice(at, wordEnd))) into.push(at, wordEnd);
    at = wordEnd;
  }
}

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57) || c === 39 || c === 45;
}

/** A node's token; nothing inside it gets one of its own. */
export interface Token {
  /** -1: no token, and none inside either (comments, string contents). */
  type: number;
  modifiers: number;
}

const NOTHING_INSIDE: Token = { type: -1, modifiers: 0 };

/** Decides each node's token from the analysis and the places the indexes know. */
class Classifier {
  /** Attribute names that set options in a module. */
  private readonly optionNames = new Set<SyntaxNode>();
  /** Attribute names that select a nixpkgs package or package set. */
  private readonly packageNames = new Set<SyntaxNode>();
  /** Whether a `with`'s subject is nixpkgs, `lib` or `builtins`, by `with` node. */
  private readonly libraryWiths = new Map<SyntaxNode, boolean>();
  /** Whether a variable stands for `lib` or `builtins`, by its definition. */
  private readonly libraryDefinitions = new Map<Definition, boolean>();
  private denoter: Denoter | undefined;

  constructor(
    private readonly analysis: Analysis,
    sites: KnowledgeSites,
    private readonly unusedFormals: boolean,
  ) {
    for (const site of sites.options) for (const name of site.names) this.optionNames.add(name.node);
    for (const reference of sites.packages) this.packageNames.add(reference.node);
  }

  node(node: SyntaxNode): Token | undefined {
    switch (node.type) {
      case 'identifier':
        return this.identifier(node);
      case 'string_expression':
        // A quoted attribute name is a name like any other.
        if (node.parent?.type === 'attrpath' || node.parent?.type === 'inherited_attrs') {
          if (node.children.some((c) => c.type === 'interpolation')) return undefined;
          return this.attribute(node);
        }
        return undefined;
      case 'path_expression':
      case 'hpath_expression':
        // A path with `${ }` inside: its fragments are the path, the interpolations code.
        if (node.children.some((c) => c.type === 'interpolation')) return undefined;
        return leaf('string', MOD.path);
      case 'path_fragment':
        return leaf('string', MOD.path);
      case 'spath_expression':
        return leaf('string', MOD.path);
      case 'uri_expression':
        return leaf('string', MOD.url);
      case 'keyword':
        return leaf('keyword', 0);
      case 'comment':
      case 'string_fragment':
        return NOTHING_INSIDE;
      default:
        return undefined;
    }
  }

  private identifier(node: SyntaxNode): Token | undefined {
    const parent = node.parent;
    switch (parent?.type) {
      case 'variable_expression': {
        const use = this.analysis.useAt(node);
        return use ? this.use(use) : undefined;
      }
      case 'formal':
      case 'function_expression': {
        // The name of a formal or the parameter; a formal's default is an expression.
        const definition = node.field === 'name' || node.field === 'universal' ? this.analysis.definitionNamedBy(node) : undefined;
        return definition && this.definitionToken(definition);
      }
      case 'attrpath':
      case 'inherited_attrs':
        return this.attribute(node);
      default:
        return undefined;
    }
  }

  /** A name in an attribute path or an `inherit`. */
  private attribute(node: SyntaxNode): Token {
    if (this.packageNames.has(node)) return leaf('property', MOD.defaultLibrary);
    if (this.optionNames.has(node)) return leaf('property', MOD.modification);
    const list = node.parent!;
    const owner = list.parent;
    if (list.type === 'attrpath' && owner && (owner.type === 'select_expression' || owner.type === 'has_attr_expression')) {
      const builtin = this.builtinAttribute(owner, list, node);
      return builtin ?? leaf('property', this.selectsFromLibrary(owner, list, node) ? MOD.defaultLibrary : 0);
    }
    const definition = this.analysis.definitionNamedBy(node);
    if (definition && definition.kind !== 'rec') return this.definitionToken(definition);
    return leaf('property', MOD.declaration);
  }

  /** `builtins.map`: the attribute is a builtin. */
  private builtinAttribute(select: SyntaxNode, attrpath: SyntaxNode, node: SyntaxNode): Token | undefined {
    if (attrpath.childrenOf('attr')[0] !== node) return undefined;
    const base = unparenthesize(select.child('expression'));
    const name = base?.type === 'variable_expression' ? base.child('name') : undefined;
    const use = name && this.analysis.useAt(name);
    if (use?.resolution.kind !== 'builtin' || use.name !== 'builtins') return undefined;
    const info = this.analysis.builtins.attribute(node.text);
    if (!info) return undefined;
    return leaf(info.kind === 'function' ? 'function' : 'variable', MOD.defaultLibrary | (info.kind === 'constant' ? MOD.readonly : 0));
  }

  /** `lib.mkIf`, `l.mkIf` with `l = lib`: the first name after a variable standing for `lib` or `builtins`. */
  private selectsFromLibrary(select: SyntaxNode, attrpath: SyntaxNode, node: SyntaxNode): boolean {
    if (attrpath.childrenOf('attr')[0] !== node) return false;
    const base = unparenthesize(select.child('expression'));
    const name = base?.type === 'variable_expression' ? base.child('name') : undefined;
    const resolution = name && this.analysis.useAt(name)?.resolution;
    if (resolution?.kind !== 'local') return false;
    // Every read of one variable stands for the same thing: decided once per definition.
    let known = this.libraryDefinitions.get(resolution.definition);
    if (known === undefined) {
      const denoted = this.denote(base);
      known = (denoted?.kind === 'lib' || denoted?.kind === 'builtins') && denoted.path.length === 0;
      this.libraryDefinitions.set(resolution.definition, known);
    }
    return known;
  }

  private denote(expression: SyntaxNode | undefined) {
    const root = this.analysis.root;
    this.denoter ??= new Denoter({ scopes: this.analysis.scopes, flakeInputs: flakeInputsOf(root), outputsFunction: flakeOutputsFunction(root) });
    return this.denoter.denote(expression);
  }

  private definitionToken(definition: Definition): Token {
    return definitionToken(this.analysis, definition, this.unusedFormals);
  }

  private use(use: Use): Token {
    const resolution = use.resolution;
    switch (resolution.kind) {
      case 'local':
        return leaf(kindOf(resolution.definition), 0);
      case 'builtin': {
        if (use.name === 'builtins') return leaf('namespace', MOD.defaultLibrary);
        const info = this.analysis.builtins.global(use.name);
        return info?.kind === 'function' ? leaf('function', MOD.defaultLibrary) : leaf('variable', MOD.defaultLibrary | MOD.readonly);
      }
      case 'with':
        // An attribute of the `with`'s subject, read as a variable.
        return leaf('property', this.isLibraryWith(resolution.withs[0]!) ? MOD.defaultLibrary : 0);
      case 'undefined':
        return leaf('variable', 0);
    }
  }

  private isLibraryWith(withNode: SyntaxNode): boolean {
    let known = this.libraryWiths.get(withNode);
    if (known === undefined) {
      const subject = this.denote(withNode.child('environment'));
      known = subject?.kind === 'nixpkgs' || subject?.kind === 'lib' || subject?.kind === 'builtins' || subject?.kind === 'nur';
      this.libraryWiths.set(withNode, known);
    }
    return known;
  }
}

/** The token of a name defining `definition`: its kind, and whether nothing reads it. */
export function definitionToken(analysis: Analysis, definition: Definition, unusedFormals: boolean): Token {
  let modifiers = MOD.declaration;
  if (isUnused(analysis, definition, unusedFormals)) modifiers |= MOD.unused;
  return leaf(kindOf(definition), modifiers);
}

/** Unused as diagnostics say it: never in a construct a syntax error cuts, formals only when asked. */
function isUnused(analysis: Analysis, definition: Definition, unusedFormals: boolean): boolean {
  if (definition.scope.hasError || (definition.kind === 'formal' && !unusedFormals)) return false;
  return unusedDefinitionMessage(analysis, definition) !== undefined;
}

/** What a definition's reads are coloured as: a function when its value is one. */
export function kindOf(definition: Definition): TokenType {
  switch (definition.kind) {
    case 'formal':
    case 'parameter':
    case 'pattern':
      return 'parameter';
    case 'let':
    case 'rec':
      return isFunctionDefinition(definition) ? 'function' : definition.kind === 'let' ? 'variable' : 'property';
  }
}

function leaf(type: TokenType, modifiers: number): Token {
  return { type: TYPE[type], modifiers };
}
