// Whole-file analysis: every scope, every variable occurrence and what it refers to, attribute
// references into local attribute sets, and duplicate attributes. Computed once per tree version;
// the server keeps the result with the document version it belongs to.
import type { Tree } from 'web-tree-sitter';
import { entryAt, type AttrEntry, type AttrShape, type DuplicateAttr } from './attrShapes';
import { builtinLookup, type BuiltinLookup, type BuiltinsTable } from './builtins';
import { MAX_ANALYSIS_DEPTH } from './depthLimits';
import { LineIndex } from './lineIndex';
import { attrName } from './names';
import { LocalShapes } from './localShapes';
import { Scopes, type Definition, type Resolution, type Use } from './scopes';
import { buildSyntaxTree, nodeAt, SyntaxNode } from './syntaxTree';

export interface AnalysisOptions {
  /** The builtins to resolve free names against; the committed table when absent. */
  builtins?: BuiltinsTable;
  /**
   * Files longer than this many characters are not analysed (no scopes, no semantic diagnostics),
   * so a huge generated file cannot stall the server. Default 2,000,000.
   */
  maxAnalysisSize?: number;
  /**
   * The analysis of an earlier version of the same document. The syntax over text the edits did
   * not touch is copied from it instead of read from tree-sitter again, which is most of the cost
   * of analysing a large file after a keystroke.
   */
  previous?: Pick<Analysis, 'root' | 'skipped'>;
  /**
   * `previous` handed over instead: taken when the copy starts and let go of once it is made, so
   * that the earlier copy (tens of megabytes for a large file) can be collected while the rest is
   * analysed. The caller may collect garbage when it is taken, before the copy allocates.
   */
  takePrevious?: () => Pick<Analysis, 'root' | 'skipped'> | undefined;
}

export const DEFAULT_MAX_ANALYSIS_SIZE = 2_000_000;

export { MAX_ANALYSIS_DEPTH };

/** An attribute name, in a selection or `inherit (x)`, that leads into a local attribute set. */
export interface AttrReference {
  /** The attribute node (`a` in `s.a`). */
  readonly node: SyntaxNode;
  readonly entry: AttrEntry;
  /** Whether the reference is an `inherit (s) a;`, where the name is also a new binding's name. */
  readonly viaInherit: boolean;
}

export interface Analysis {
  readonly root: SyntaxNode;
  readonly text: string;
  readonly lines: LineIndex;
  /** True when the file was larger than `maxAnalysisSize`: everything below is empty. */
  readonly skipped: boolean;
  readonly scopes: Scopes;
  readonly builtins: BuiltinLookup;
  /** Definitions in document order. */
  readonly definitions: readonly Definition[];
  /** Variable occurrences in document order. */
  readonly uses: readonly Use[];
  readonly attrReferences: readonly AttrReference[];
  readonly duplicates: readonly DuplicateAttr[];
  /**
   * Subtrees deeper than `MAX_ANALYSIS_DEPTH`, outermost first: nothing in them is defined or
   * checked, and their variables resolve as seen from the subtree's root.
   */
  readonly tooDeep: readonly SyntaxNode[];
  /** The use whose identifier is exactly `node`. */
  useAt(node: SyntaxNode): Use | undefined;
  /** The attribute reference whose attribute node is exactly `node`. */
  attrReferenceAt(node: SyntaxNode): AttrReference | undefined;
  /** The definition one of whose name nodes is `node`. */
  definitionNamedBy(node: SyntaxNode): Definition | undefined;
}

/**
 * Analyses a tree-sitter tree of `text`, the whole text it was parsed from; the result keeps no
 * tree-sitter objects, so the tree may be deleted. The text must be given: the root node's own
 * text starts after any leading whitespace or comments, which would shift every offset.
 */
export function analyzeTree(tree: Tree, text: string, options: AnalysisOptions = {}): Analysis {
  const limit = options.maxAnalysisSize ?? DEFAULT_MAX_ANALYSIS_SIZE;
  if (text.length > limit) return skippedAnalysis(text, options);
  const root = buildSyntaxTree(tree, text, reusableRoot(options.previous ?? options.takePrevious?.()));
  return analyzeSyntax(root, { builtins: options.builtins });
}

function reusableRoot(previous: Pick<Analysis, 'root' | 'skipped'> | undefined): SyntaxNode | undefined {
  return previous && !previous.skipped ? previous.root : undefined;
}

function skippedAnalysis(text: string, options: AnalysisOptions): Analysis {
  const lookup = builtinLookup(options.builtins);
  // An empty tree: whatever walks it finds nothing.
  const root = new SyntaxNode({ text, tree: undefined }, 'source_code', null, 0, text.length, null);
  root.kids = [];
  return {
    root,
    text,
    lines: new LineIndex(text),
    skipped: true,
    scopes: new Scopes(lookup),
    builtins: lookup,
    definitions: [],
    uses: [],
    attrReferences: [],
    duplicates: [],
    tooDeep: [],
    useAt: () => undefined,
    attrReferenceAt: () => undefined,
    definitionNamedBy: () => undefined,
  };
}

/** Analyses an already built syntax tree (eager or lazy; the whole tree is visited). */
export function analyzeSyntax(root: SyntaxNode, options: AnalysisOptions = {}): Analysis {
  const lookup = builtinLookup(options.builtins);
  const scopes = new Scopes(lookup);
  const uses: Use[] = [];
  const useByNode = new Map<SyntaxNode, Use>();
  const definitions: Definition[] = [];
  const definitionByName = new Map<SyntaxNode, Definition>();
  const selections: SyntaxNode[] = [];

  const addUse = (name: string, node: SyntaxNode, inherit?: SyntaxNode) => {
    const resolution = scopes.lookup(name, node);
    const use: Use = { name, node, inherit, resolution };
    uses.push(use);
    useByNode.set(node, use);
    if (resolution.kind === 'local') resolution.definition.uses.push(use);
  };

  // Pre-order walk: definitions of a scope are registered before anything inside it is resolved.
  const stack: SyntaxNode[] = [root];
  const depths: number[] = [0];
  const tooDeep: SyntaxNode[] = [];
  while (stack.length) {
    const node = stack.pop()!;
    const depth = depths.pop()!;
    if (depth > MAX_ANALYSIS_DEPTH) {
      tooDeep.push(node);
      continue;
    }
    switch (node.type) {
      case 'variable_expression': {
        const name = node.child('name');
        if (name && !name.isMissing) addUse(name.text, name);
        break;
      }
      case 'let_expression':
      case 'rec_attrset_expression':
      case 'function_expression':
        for (const definition of scopes.definitionsOf(node).values()) {
          definitions.push(definition);
          for (const nameNode of definition.nameNodes) definitionByName.set(nameNode, definition);
        }
        break;
      case 'attrset_expression':
      case 'let_attrset_expression':
        // A set written as the value of a binding is part of the enclosing set's shape, where
        // its duplicates are found already (merged as Nix merges).
        if (!isBindingValue(node)) scopes.shapeOf(node);
        break;
      case 'inherit': {
        const attrs = node.child('attrs');
        for (const attr of attrs?.childrenOf('attr') ?? []) {
          const name = attrName(attr);
          if (name !== undefined && !attr.isMissing) addUse(name, attr, node);
        }
        break;
      }
      case 'select_expression':
      case 'inherit_from':
      case 'has_attr_expression':
        selections.push(node);
        break;
    }
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push(kids[i]!);
      depths.push(depth + 1);
    }
  }
  if (tooDeep.length) {
    for (const part of tooDeep) {
      for (const { name, node, inherit, resolution } of variablesBelow(part, scopes)) {
        const use: Use = { name, node, inherit, resolution };
        uses.push(use);
        useByNode.set(node, use);
        if (resolution.kind === 'local') resolution.definition.uses.push(use);
      }
    }
    uses.sort((a, b) => a.node.start - b.node.start);
  }

  definitions.sort((a, b) => a.nameNodes[0]!.start - b.nameNodes[0]!.start);

  const attrReferences: AttrReference[] = [];
  const attrReferenceByNode = new Map<SyntaxNode, AttrReference>();
  const shapes = new LocalShapes(scopes, useByNode);
  for (const node of selections) {
    const base = node.child('expression');
    const attrs = node.type === 'inherit_from' ? node.child('attrs')?.childrenOf('attr') : node.child('attrpath')?.childrenOf('attr');
    if (!base || !attrs?.length) continue;
    const shape = shapes.of(base);
    if (!shape) continue;
    if (node.type === 'inherit_from') {
      for (const attr of attrs) {
        const name = attrName(attr);
        const entry = name === undefined ? undefined : shape.entries.get(name);
        if (entry) record({ node: attr, entry, viaInherit: true });
      }
      continue;
    }
    let current: AttrShape | undefined = shape;
    for (const attr of attrs) {
      const name = attrName(attr);
      const entry: AttrEntry | undefined = name === undefined ? undefined : current?.entries.get(name);
      if (!entry) break;
      record({ node: attr, entry, viaInherit: false });
      current = entry.nested;
    }
  }
  function record(reference: AttrReference) {
    attrReferences.push(reference);
    attrReferenceByNode.set(reference.node, reference);
  }
  attrReferences.sort((a, b) => a.node.start - b.node.start);

  const duplicates = [...scopes.duplicates.values()].sort((a, b) => a.node.start - b.node.start);
  const text = root.source.text;
  return {
    root,
    text,
    lines: new LineIndex(text),
    skipped: false,
    scopes,
    builtins: lookup,
    definitions,
    uses,
    attrReferences,
    duplicates,
    tooDeep,
    useAt: (node) => useByNode.get(node),
    attrReferenceAt: (node) => attrReferenceByNode.get(node),
    definitionNamedBy: (node) => definitionByName.get(node),
  };
}

/**
 * The variables of a subtree too deep to analyse, each resolved as its name resolves at the
 * subtree's root: one lookup per name, not one per occurrence. A name no scope outside binds may
 * be bound inside, so those are left out rather than reported as undefined.
 */
function variablesBelow(part: SyntaxNode, scopes: Scopes): Use[] {
  const found: { name: string; node: SyntaxNode; inherit?: SyntaxNode }[] = [];
  const stack: SyntaxNode[] = [part];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'variable_expression') {
      const name = node.child('name');
      if (name && !name.isMissing) found.push({ name: name.text, node: name });
    } else if (node.type === 'inherit') {
      for (const attr of node.child('attrs')?.childrenOf('attr') ?? []) {
        const name = attrName(attr);
        if (name !== undefined) found.push({ name, node: attr, inherit: node });
      }
    }
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  const resolutions = new Map<string, Resolution>();
  const uses: Use[] = [];
  for (const occurrence of found) {
    let resolution = resolutions.get(occurrence.name);
    if (!resolution) {
      resolution = scopes.lookup(occurrence.name, part);
      resolutions.set(occurrence.name, resolution);
    }
    if (resolution.kind !== 'undefined') uses.push({ ...occurrence, resolution });
  }
  return uses;
}

/** Whether `node` (through parentheses) is the value of a binding in an attribute set, `rec` or `let`. */
function isBindingValue(node: SyntaxNode): boolean {
  let value = node;
  while (value.parent?.type === 'parenthesized_expression') value = value.parent;
  const binding = value.parent;
  if (value.field !== 'expression' || binding?.type !== 'binding') return false;
  // Behind a computed name (`${n} = { … };`) the enclosing shape does not look inside.
  return (binding.child('attrpath')?.childrenOf('attr') ?? []).every((a) => attrName(a) !== undefined);
}

/** What the identifier or attribute name at `offset` is. */
export type SymbolAt =
  /** A variable occurrence; `defines` is set for `inherit a;` inside `let`/`rec`, which also binds `a`. */
  | { kind: 'use'; node: SyntaxNode; use: Use; defines?: Definition }
  | { kind: 'definition'; node: SyntaxNode; definition: Definition }
  /** An attribute name; `definition` is set for `inherit (s) a;` inside `let`/`rec`, which also binds `a`. */
  | { kind: 'attribute'; node: SyntaxNode; entry: AttrEntry; reference?: AttrReference; definition?: Definition };

/**
 * The symbol under the cursor: a variable occurrence, a definition's name, or an attribute name
 * of a local attribute set. Undefined over anything else (keywords, literals, unknown attributes).
 */
export function symbolAt(analysis: Analysis, offset: number): SymbolAt | undefined {
  if (analysis.skipped) return undefined;
  let node = nodeAt(analysis.root, offset, true);
  if (!isNameNode(node)) {
    const right = nodeAt(analysis.root, offset, false);
    if (!isNameNode(right)) return undefined;
    node = right;
  }
  // A string attribute name (`"a"`) is found through its fragment.
  if (node.type === 'string_fragment' && node.parent?.type === 'string_expression') node = node.parent;

  const use = analysis.useAt(node);
  const definition = analysis.definitionNamedBy(node);
  const reference = analysis.attrReferenceAt(node);
  if (reference) return { kind: 'attribute', node, entry: reference.entry, reference, definition };
  if (use) return { kind: 'use', node, use, defines: definition };
  if (definition) return { kind: 'definition', node, definition };

  // An attribute name of a binding: find its entry in the binding set it belongs to.
  const entry = entryOfAttrNode(analysis, node);
  if (entry) return { kind: 'attribute', node, entry };
  return undefined;
}

function isNameNode(node: SyntaxNode): boolean {
  return node.type === 'identifier' || (node.type === 'string_fragment' && node.parent?.parent?.type === 'attrpath');
}

/** Where an attribute name node sits: the shape holding it (merged as Nix merges) and its entry. */
export interface AttrLocation {
  shape: AttrShape;
  entry: AttrEntry;
}

/** The entry an attribute node of some binding's path (or `inherit`) defines. */
export function entryOfAttrNode(analysis: Analysis, node: SyntaxNode): AttrEntry | undefined {
  return locateAttrNode(analysis, node)?.entry;
}

/**
 * Finds the entry an attribute node defines. When the binding set is itself the value of an outer
 * binding (`s = { a = 1; };`), the entry is taken from the outermost such set, which merges every
 * definition of the name (`s.b = 2;` next to it).
 */
export function locateAttrNode(analysis: Analysis, node: SyntaxNode): AttrLocation | undefined {
  const list = node.parent;
  if (!list || (list.type !== 'attrpath' && list.type !== 'inherited_attrs')) return undefined;
  const statement = list.parent;
  const bindingSet = statement?.parent;
  let owner = bindingSet?.parent;
  if (!statement || !bindingSet || bindingSet.type !== 'binding_set' || !owner) return undefined;
  let names: (string | undefined)[];
  if (list.type === 'inherited_attrs') {
    names = [attrName(node)];
  } else {
    const attrs = list.childrenOf('attr');
    names = attrs.slice(0, attrs.indexOf(node) + 1).map(attrName);
  }
  if (names.some((n) => n === undefined)) return undefined;
  // The paths of the enclosing bindings, innermost first (joined once: nesting can be deep).
  const outer: (string | undefined)[][] = [];
  for (;;) {
    let value: SyntaxNode = owner;
    while (value.parent?.type === 'parenthesized_expression') value = value.parent;
    const binding = value.parent;
    if (!binding || binding.type !== 'binding' || value.field !== 'expression') break;
    const outerNames = binding.child('attrpath')?.childrenOf('attr').map(attrName) ?? [undefined];
    const outerOwner = binding.parent?.parent;
    if (outerNames.some((n) => n === undefined) || !outerOwner) break;
    outer.push(outerNames);
    owner = outerOwner;
  }
  if (outer.length) names = [...outer.reverse().flat(), ...names];
  const path = names as string[];
  const top = analysis.scopes.shapeOf(owner);
  const shape = path.length === 1 ? top : entryAt(top, path.slice(0, -1))?.nested;
  const entry = shape?.entries.get(path[path.length - 1]!);
  return shape && entry ? { shape, entry } : undefined;
}

/** Whether two entries describe the same attribute (they share a defining name node). */
export function sameAttribute(a: AttrEntry, b: AttrEntry): boolean {
  if (a === b) return true;
  const names = new Set(a.nameNodes);
  return b.nameNodes.some((n) => names.has(n));
}
