// The places in a file that an index can check: the option paths a module sets, and the nixpkgs
// attribute paths the code selects. Found in one walk of a whole-file analysis and kept with it,
// so diagnostics never ask `contextAt` about each binding.
//
// Option definitions are the bindings of confident modules (see modules.ts): the module's
// attribute set, `config = { … }` of an explicit module, nested sets and attribute paths below
// them, through `mkIf`, `mkMerge`, `mkDefault`, `mkForce` and the other wrappers the module state
// sees through. `options = { … }` declarations are not definitions; their paths are collected so
// that options declared in the file are not taken for unknown ones.
//
// Package references are the names of `s.a.b` and `inherit (s) a;` where `s` is nixpkgs by what
// the code says (a `pkgs` argument, `import <nixpkgs> { }`, `nixpkgs.legacyPackages.${system}`),
// never by a guess: a name a `with` may provide, an unbound `pkgs`, an overlay's `final`/`prev`
// (overlays add attributes) and selections with an `or` default are left out.
import type { Analysis } from './analysis';
import { isAttrSetLiteral, unparenthesize } from './attrShapes';
import { Denoter, type Denotation } from './denotation';
import { MAX_ANALYSIS_DEPTH } from './depthLimits';
import { flakeInputsOf, flakeOutputsFunction } from './flakeInputs';
import { childModuleState, STRUCTURE_KEYS, walkModuleStates, type ChildKind, type FileModuleHints, type ModuleState, type OptionTree } from './modules';
import { attrName } from './names';
import type { SyntaxNode } from './syntaxTree';

/** One attribute name as written; `name` is undefined when it is interpolated (`${x}`). */
export interface WrittenName {
  readonly name: string | undefined;
  readonly node: SyntaxNode;
}

/** A binding that sets options. */
export interface OptionSite {
  readonly tree: OptionTree;
  /** The option path above the binding: names of enclosing bindings, `*` for list elements. */
  readonly prefix: readonly string[];
  /** The binding's own names (an explicit module's leading `config` left out). */
  readonly names: readonly WrittenName[];
  /** The nearest enclosing binding that is a site too; its names make up the end of `prefix`. */
  readonly parent: OptionSite | undefined;
}

/** A name looked up in a nixpkgs attribute set: `hello` in `pkgs.hello`, `requests` in `pkgs.python3Packages.requests`. */
export interface PackageReference {
  /** The set it is looked up in (`[]` for the top level of nixpkgs). */
  readonly parent: readonly string[];
  readonly name: string;
  readonly node: SyntaxNode;
}

export interface KnowledgeSites {
  /** Option definitions in document order (enclosing bindings before the ones inside them). */
  readonly options: readonly OptionSite[];
  /** Paths of the options this file declares (`options.a.b = mkOption …`); `<name>` for computed parts. */
  readonly declaredOptions: readonly (readonly string[])[];
  /** Package references in document order. */
  readonly packages: readonly PackageReference[];
}

/** What a node passes to its children: shared by all of them, and replaced only where it changes. */
interface Passed {
  /** The nearest enclosing option site. */
  readonly site: OptionSite | undefined;
  /** Below a computed name: option paths are unknown from here on. */
  readonly blocked: boolean;
}

const OUTSIDE: Passed = { site: undefined, blocked: false };

const cache = new WeakMap<Analysis, Map<string, KnowledgeSites>>();

/** The checkable places of an analysed file; computed once per analysis and set of hints. */
export function knowledgeSites(analysis: Analysis, hints: FileModuleHints = {}): KnowledgeSites {
  const key = `${hints.module?.tree ?? ''}\u0000${hints.fileName ?? ''}`;
  let byHints = cache.get(analysis);
  if (!byHints) {
    byHints = new Map();
    cache.set(analysis, byHints);
  }
  let sites = byHints.get(key);
  if (!sites) {
    sites = findSites(analysis, hints);
    byHints.set(key, sites);
  }
  return sites;
}

/**
 * What a walk restricted to one subtree saw of everything outside it: the subtree's ancestors, and
 * of their other children one of each kind (a child's state depends on its type and field, its
 * parent and the parent's state only: modules.ts `ChildKind`), each with its module state and
 * whether option paths are blocked there. Two versions of a file with the same syntax outside the
 * subtree that agree on all of this have the same option sites outside. Children are told in
 * document order, after their parent, the kinds in the order they first occur.
 */
export type SiteContextObserver = (node: ChildKind, state: ModuleState, blocked: boolean) => void;

/** A part of a tree: the span it covers, and the nodes on the way down to it. */
export interface TreePart {
  readonly start: number;
  readonly end: number;
  /** The nodes holding the part (the root among them). */
  readonly ancestors: ReadonlySet<SyntaxNode>;
}

/**
 * The sites inside `part` of the tree, not cached: the walk goes down only the way to the part
 * and into it, so its cost is the part's (and a glance at the kinds of the siblings along the way).
 */
export function knowledgeSitesWithin(analysis: Analysis, hints: FileModuleHints, part: TreePart, observe?: SiteContextObserver): KnowledgeSites {
  const sites = findSites(analysis, hints, part, observe);
  const inside = (node: SyntaxNode) => node.start >= part.start && node.end <= part.end;
  return {
    options: sites.options.filter((site) => site.names.every((name) => inside(name.node))),
    declaredOptions: sites.declaredOptions,
    packages: sites.packages.filter((reference) => inside(reference.node)),
  };
}

function findSites(analysis: Analysis, hints: FileModuleHints, within?: TreePart, observe?: SiteContextObserver): KnowledgeSites {
  const found: Found = { options: [], declaredOptions: [], selections: [] };
  if (analysis.skipped) return { options: [], declaredOptions: [], packages: [] };

  const isInside = (node: SyntaxNode) => !within || (node.start >= within.start && node.end <= within.end && within.start < within.end);
  // Only the way down to the part is followed, and the part itself.
  const enters = within && ((child: SyntaxNode) => within.ancestors.has(child) || isInside(child));
  walkModuleStates<Passed>(
    analysis.root,
    hints,
    OUTSIDE,
    (node, state, passed, depth) => {
      // Too deep to have been analysed: its names are not resolved, so nothing there is checked.
      if (depth > MAX_ANALYSIS_DEPTH) return false;
      const next = siteStep(node, state, passed, found);
      if (within && !isInside(node)) {
        observe?.(node, state, passed.blocked);
        if (observe && next !== false) observeChildrenPassedBy(node, state, next.blocked, enters!, observe);
      }
      return next;
    },
    enters,
  );

  return { options: found.options, declaredOptions: found.declaredOptions, packages: packageReferences(analysis, found.selections) };
}

/** One of each kind of the children of `parent` the walk does not enter, with their state. */
function observeChildrenPassedBy(parent: SyntaxNode, state: ModuleState, blocked: boolean, enters: (child: SyntaxNode) => boolean, observe: SiteContextObserver): void {
  const kinds: ChildKind[] = [];
  for (const kid of parent.children) {
    // Kinds first: asking whether the walk enters a child costs more, and most siblings are of a kind seen.
    if (kinds.some((kind) => kind.type === kid.type && kind.field === kid.field) || enters(kid)) continue;
    kinds.push(kid);
    observe(kid, childModuleState(state, parent, kid), blocked);
  }
}

/** What a walk has found so far: the selections are looked at after it, with a denoter. */
interface Found {
  readonly options: OptionSite[];
  readonly declaredOptions: string[][];
  readonly selections: SyntaxNode[];
}

/** What `node` passes to its children, recording it if it is a site; `false` when nothing inside can be one. */
function siteStep(node: SyntaxNode, state: ModuleState, passed: Passed, { options, declaredOptions, selections }: Found): Passed | false {
  // A module inside a module (`home-manager.users.<name>`, `imports`, `specialisation`) starts
  // its option paths afresh.
  const below = state.mode === 'module' ? OUTSIDE : passed;
  switch (node.type) {
    case 'binding': {
      if (state.mode !== 'binding' || passed.blocked) return below;
      const attrs = node.child('attrpath')?.childrenOf('attr') ?? [];
      let names: WrittenName[] = attrs.map((attr) => ({ name: writtenName(attr), node: attr }));
      if (state.root) {
        const first = names[0]?.name;
        if (first === 'options') collectDeclarations(node, names.slice(1), declaredOptions);
        if (state.explicit) {
          if (first !== 'config') return below;
          names = names.slice(1);
        } else if (first === undefined || STRUCTURE_KEYS.has(first) || first.startsWith('_')) {
          return below;
        }
      }
      if (names.length === 0 || !state.module.confident) return below;
      const site: OptionSite = { tree: state.module.tree, prefix: state.path, names, parent: passed.site };
      options.push(site);
      return { site, blocked: names.some((n) => n.name === undefined) };
    }
    case 'select_expression':
      if (!node.child('default')) selections.push(node);
      return below;
    case 'inherit_from':
      selections.push(node);
      return below;
    case 'comment':
    case 'string_fragment':
      return false;
    default:
      return below;
  }
}

/**
 * The option paths an `options…` binding declares: the paths of its innermost bindings, whose
 * values (`mkOption { … }`, `mkEnableOption "…"`) are not attribute sets written in place.
 */
function collectDeclarations(binding: SyntaxNode, names: WrittenName[], into: string[][]): void {
  const stack: { path: string[]; value: SyntaxNode | undefined }[] = [
    { path: names.map((n) => n.name ?? '<name>'), value: binding.child('expression') },
  ];
  while (stack.length) {
    const { path, value } = stack.pop()!;
    const literal = unparenthesize(value);
    if (!literal || !isAttrSetLiteral(literal)) {
      if (path.length) into.push(path);
      continue;
    }
    // Sets inside sets: bounded like every other walk of the analysis.
    if (path.length > MAX_ANALYSIS_DEPTH) continue;
    for (const inner of literal.childOfType('binding_set')?.childrenOf('binding') ?? []) {
      const attrs = inner.child('attrpath')?.childrenOf('attr') ?? [];
      stack.push({ path: [...path, ...attrs.map((a) => attrName(a) ?? '<name>')], value: inner.child('expression') });
    }
  }
}

/** The names of selections and `inherit (…)` statements that look into nixpkgs. */
function packageReferences(analysis: Analysis, selections: SyntaxNode[]): PackageReference[] {
  const found: PackageReference[] = [];
  if (selections.length === 0) return found;
  const root = analysis.root;
  const denoter = new Denoter({
    scopes: analysis.scopes,
    flakeInputs: flakeInputsOf(root),
    outputsFunction: flakeOutputsFunction(root),
    strict: true,
  });
  for (const node of selections) {
    const base = denoter.denote(node.child('expression'));
    if (!base) continue;
    if (node.type === 'inherit_from') {
      const parent = nixpkgsPath(base);
      if (!parent) continue;
      for (const attr of node.child('attrs')?.childrenOf('attr') ?? []) {
        const name = writtenName(attr);
        if (name !== undefined) found.push({ parent, name, node: attr });
      }
      continue;
    }
    let current: Denotation | undefined = base;
    for (const attr of node.child('attrpath')?.childrenOf('attr') ?? []) {
      const name = writtenName(attr);
      const parent = nixpkgsPath(current);
      const next: Denotation | undefined = denoter.extend(current, [name ?? null]);
      if (!next) break;
      // A name that moves to another set (`pkgs.lib`, `pkgs.nur`) or stays put (`pkgs.pkgs`) is not a package.
      if (parent && name !== undefined && next !== current && next.kind === 'nixpkgs') found.push({ parent, name, node: attr });
      current = next;
    }
  }
  found.sort((a, b) => a.node.start - b.node.start);
  return found;
}

/**
 * An attribute name written as a name: an identifier or a plain string. Any interpolation, even of
 * a constant string, counts as computed: diagnostics leave such paths alone.
 */
function writtenName(attr: SyntaxNode): string | undefined {
  return attr.type === 'interpolation' ? undefined : attrName(attr);
}

/** The path of a nixpkgs denotation, when every part of it is known. */
function nixpkgsPath(d: Denotation | undefined): string[] | undefined {
  if (d?.kind !== 'nixpkgs' || d.path.some((p) => p === null)) return undefined;
  return d.path as string[];
}
