// What an edit can have changed beyond the subtree it was made in. A result kept per version (the
// semantic tokens) is carried over from the previous version outside that subtree only when the
// meaning of everything outside is provably the same as a fresh analysis gives it:
// - the syntax outside is the same (editedSubtree.ts);
// - every scope around the subtree binds the same names, of the same kinds, functions where they
//   were (so every name outside resolves as before and is coloured as before);
// - every binding around the subtree whose text the edit touched, and that is read outside it,
//   stands for the same thing as before (nixpkgs, `lib`, a path into them: what package and
//   library colouring follow), and so does every `with` whose subject holds the edit;
// - the module states and blocked option paths along the way down, and beside it, are the same
//   (so the option sites outside are the same: they depend on nothing else);
// - the file is no flake (its inputs decide what is nixpkgs everywhere), and not too deep to analyse.
// What can still change outside is whether a binding is read at all: the definitions that reads in
// the subtree resolved to, before or after, are named so the caller decides them again.
import type { Analysis } from './analysis';
import type { AttrEntry } from './attrShapes';
import { attrName } from './names';
import { Denoter, type Denotation } from './denotation';
import { editedSubtree, type EditedPart, type NodePair, type Span } from './editedSubtree';
import { flakeInputsOf, flakeOutputsFunction } from './flakeInputs';
import { lowerBound } from './lowerBound';
import { knowledgeSitesWithin, type KnowledgeSites, type TreePart } from './knowledgeSites';
import { sameExplicitnessAs, sameFileModuleAs, sameModuleState, type ChildKind, type FileModuleHints, type ModuleState } from './modules';
import { samePlainValue } from './plainValues';
import { isFunctionDefinition, Scopes, type Definition } from './scopes';
import type { SyntaxNode } from './syntaxTree';

export interface EditImpact {
  /** The part of the tree to compute again, in both versions; outside it the meaning is unchanged. */
  readonly edited: EditedPart;
  /** The later version's definitions outside the subtree that may have gained or lost reads. */
  readonly definitionsToRecheck: ReadonlySet<Definition>;
  /** The later version's option and package sites inside the subtree. */
  readonly sitesInside: KnowledgeSites;
}

/**
 * Whether `node`, above the edited subtree, is decided as a whole by what is inside it, so that it
 * must be computed again with the subtree. `child` is the node below it on the way down, `close`
 * whether that is the subtree itself. Selections and `inherit (x)` (the base decides what the
 * names after it are), attribute paths and a binding whose path holds the edit (a binding's path
 * decides the option path of its value), and a function just above the edit or its body (whether
 * it is an overlay depends on its body's first node).
 */
function decidedAsWhole(node: SyntaxNode, child: SyntaxNode | undefined, close: boolean): boolean {
  switch (node.type) {
    case 'select_expression':
    case 'has_attr_expression':
    case 'inherit_from':
    case 'inherit':
    case 'attrpath':
    case 'inherited_attrs':
      return true;
    case 'binding':
      return child?.field === 'attrpath';
    case 'function_expression':
      return close;
    default:
      return close && node.field === 'body' && node.parent?.type === 'function_expression';
  }
}

/**
 * The impact of the edit between two analyses of one document, or undefined when it may reach
 * beyond one subtree, or the subtree is most of the file (then everything is computed again). `alsoWhole` names more nodes the
 * caller decides as a whole.
 */
export function editImpact(before: Analysis, after: Analysis, hints: FileModuleHints, alsoWhole: (node: SyntaxNode) => boolean): EditImpact | undefined {
  if (before.skipped || after.skipped || before.tooDeep.length || after.tooDeep.length || before.builtins !== after.builtins) return undefined;
  if (isFlake(before.root) || isFlake(after.root)) return undefined;
  const found = editedSubtree(before.root, after.root);
  if (!found) return undefined;
  // Text typed inside a comment, or inside a string that names nothing (not in an attribute path;
  // a flake's input URLs were ruled out above), means nothing to the analysis: scopes, module
  // states and denotations read names, paths and operators only.
  const part = found.edited.node?.after;
  if (part?.type === 'comment' || (part?.type === 'string_fragment' && !found.ancestors.some((pair) => pair.after.type === 'attrpath' || pair.after.type === 'inherited_attrs'))) {
    return { edited: found.edited, definitionsToRecheck: new Set(), sitesInside: { options: [], declaredOptions: [], packages: [] } };
  }
  let edited: EditedPart = found.edited;
  let depth = found.ancestors.length;
  for (let i = depth - 1; i >= 0; i--) {
    const pair = found.ancestors[i]!;
    const child = i + 1 < found.ancestors.length ? found.ancestors[i + 1]!.after : found.edited.node?.after;
    if (decidedAsWhole(pair.after, child, i === depth - 1) || alsoWhole(pair.after)) {
      edited = { before: pair.before, after: pair.after, node: pair };
      depth = i;
    }
  }
  const ancestors = found.ancestors.slice(0, depth);
  // A part holding most of the file is computed whole more cheaply than compared.
  if (2 * (edited.after.end - edited.after.start) > after.text.length) return undefined;
  carryModuleFacts(before.root, after.root, ancestors, edited, hints);
  const beforeStates = contextOutside(before, hints, { ...edited.before, ancestors: new Set(ancestors.map((pair) => pair.before)) });
  const sitesInside = { value: undefined as KnowledgeSites | undefined };
  const afterStates = contextOutside(after, hints, { ...edited.after, ancestors: new Set(ancestors.map((pair) => pair.after)) }, sitesInside);
  if (!samePassedBy(beforeStates, afterStates)) return undefined;

  const recheck = new Set<Definition>();
  const denoters = { before: denotersOf(before), after: denotersOf(after) };
  for (const pair of ancestors) {
    if (Scopes.isScope(pair.after)) {
      if (!sameScope(before, after, pair, edited, denoters, recheck)) return undefined;
    } else if (pair.after.type === 'with_expression') {
      const environment = { before: pair.before.child('environment'), after: pair.after.child('environment') };
      if (environment.after && holds(environment.after, edited.after) && !sameDenotations(denoters, (d) => d.denote(environment.before), (d) => d.denote(environment.after))) {
        return undefined;
      }
    }
  }
  for (const use of usesInside(after, edited.after)) {
    if (use.resolution.kind === 'local' && !holds(edited.after, use.resolution.definition.scope)) recheck.add(use.resolution.definition);
  }
  for (const use of usesInside(before, edited.before)) {
    const definition = use.resolution.kind === 'local' ? use.resolution.definition : undefined;
    const scope = definition && ancestors.find((pair) => pair.before === definition.scope);
    const counterpart = scope && after.scopes.definitionsOf(scope.after).get(definition.name);
    if (counterpart) recheck.add(counterpart);
  }
  // A formal is unused only while the `@` name is unread too.
  for (const definition of [...recheck]) {
    if (definition.kind === 'pattern') for (const formal of after.scopes.definitionsOf(definition.scope).values()) recheck.add(formal);
  }
  return { edited, definitionsToRecheck: recheck, sitesInside: sitesInside.value! };
}

/**
 * What module detection reads of the whole file, and of each attribute set, is only attribute
 * paths: when the edit lies in a binding's value, the later version's answers are the earlier's.
 * Said so here, they are not read again from thousands of top-level bindings after each keystroke.
 */
function carryModuleFacts(before: SyntaxNode, after: SyntaxNode, ancestors: readonly NodePair[], edited: EditedPart, hints: FileModuleHints): void {
  const chain = [...ancestors.map((pair) => pair.after), ...(edited.node ? [edited.node.after] : [])];
  const inValue = (i: number) => chain[i]?.type === 'binding' && chain[i + 1]?.field === 'expression';
  let fileModuleKept = false;
  for (let i = 0; i < chain.length; i++) {
    if (!inValue(i)) continue;
    const names = chain[i]!.child('attrpath')?.childrenOf('attr') ?? [];
    if (!(names.length === 1 && attrName(names[0]!) === 'config')) fileModuleKept = true;
    const set = chain[i - 2];
    if (set && (set.type === 'attrset_expression' || set.type === 'rec_attrset_expression')) sameExplicitnessAs(set, ancestors[i - 2]!.before);
  }
  if (fileModuleKept) sameFileModuleAs(after, before, hints);
}

function isFlake(root: SyntaxNode): boolean {
  return flakeInputsOf(root).size > 0 || flakeOutputsFunction(root) !== undefined;
}

/** The module states and blocked flags of what a walk down to `edited` passes by (of siblings, one of each kind). */
function contextOutside(analysis: Analysis, hints: FileModuleHints, part: TreePart, sites?: { value: KnowledgeSites | undefined }): PassedBy[] {
  const seen: PassedBy[] = [];
  const found = knowledgeSitesWithin(analysis, hints, part, (node: ChildKind, state: ModuleState, blocked: boolean) => {
    seen.push({ type: node.type, state, blocked });
  });
  if (sites) sites.value = found;
  return seen;
}

interface PassedBy {
  type: string;
  state: ModuleState;
  blocked: boolean;
}

function samePassedBy(before: PassedBy[], after: PassedBy[]): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i++) {
    const [a, b] = [before[i]!, after[i]!];
    if (a.type !== b.type || a.blocked !== b.blocked || !sameModuleState(a.state, b.state)) return false;
  }
  return true;
}

interface DenoterPair {
  before: { loose: Denoter; strict: Denoter };
  after: { loose: Denoter; strict: Denoter };
}

function denotersOf(analysis: Analysis): { loose: Denoter; strict: Denoter } {
  const context = { scopes: analysis.scopes, flakeInputs: new Map(), outputsFunction: undefined };
  return { loose: new Denoter(context), strict: new Denoter({ ...context, strict: true }) };
}

/**
 * Whether a scope around the edit binds names as before, for everything outside the edit: a name
 * bound or no longer bound is read only inside the edit, and the others are of the same kind and
 * as much a function; definitions the edit touched must denote the same, if anything outside reads them.
 */
function sameScope(before: Analysis, after: Analysis, scope: NodePair, edited: EditedPart, denoters: DenoterPair, recheck: Set<Definition>): boolean {
  const oldTable = before.scopes.definitionsOf(scope.before);
  const newTable = after.scopes.definitionsOf(scope.after);
  // A syntax error inside a scope keeps its bindings from being called unused.
  if (scope.before.hasError !== scope.after.hasError) for (const definition of newTable.values()) recheck.add(definition);
  for (const [name, old] of oldTable) {
    if (!newTable.has(name) && !old.uses.every((use) => holds(edited.before, use.node))) return false;
  }
  for (const [name, definition] of newTable) {
    const old = oldTable.get(name);
    if (!old) {
      // Its names are in the edit (outside it, the bindings are as they were).
      if (!definition.uses.every((use) => holds(edited.after, use.node))) return false;
      continue;
    }
    if (old.kind !== definition.kind || isFunctionDefinition(old) !== isFunctionDefinition(definition)) return false;
    if (!touches(definition, edited.after) && !touches(old, edited.before)) continue;
    recheck.add(definition);
    const readOutside = definition.uses.some((use) => !holds(edited.after, use.node)) || old.uses.some((use) => !holds(edited.before, use.node));
    if (!readOutside) continue;
    if (!sameDenotations(denoters, (d) => d.denoteDefinition(old), (d) => d.denoteDefinition(definition))) return false;
  }
  return true;
}

/** Whether two versions of something stand for the same, in both modes of denoting, asked from any depth. */
function sameDenotations(denoters: DenoterPair, before: (denoter: Denoter) => Denotation | undefined, after: (denoter: Denoter) => Denotation | undefined): boolean {
  for (const mode of ['loose', 'strict'] as const) {
    const olds = denoters.before[mode].atEveryDepth(before);
    const nows = denoters.after[mode].atEveryDepth(after);
    for (let i = 0; i < olds.length; i++) {
      const [old, now] = [olds[i], nows[i]];
      // A set written in the file: what it offers to a `with` would have to be compared too.
      if (old?.kind === 'localSet' || now?.kind === 'localSet') return false;
      if (!samePlainValue(observable(old), observable(now))) return false;
    }
  }
  return true;
}

/** What of a denotation anything can tell apart: below `config.x` every path is just `config`. */
function observable(denotation: Denotation | undefined): unknown {
  if (denotation?.kind === 'config' && denotation.path.length > 0) return 'config below the top';
  return denotation;
}

/** Whether anything defining `definition` (names, bindings, values, formal) lies in `edited`. */
function touches(definition: Definition, edited: Span): boolean {
  const overlaps = (node: SyntaxNode) => node.end > edited.start && node.start < edited.end;
  if (definition.nameNodes.some(overlaps) || (definition.formal && overlaps(definition.formal))) return true;
  const entry: AttrEntry | undefined = definition.entry;
  return !!entry && (entry.bindings.some(overlaps) || entry.values.some(overlaps) || entry.inherits.some((site) => overlaps(site.statement)));
}

function holds(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** The analysis' reads inside `node` (uses are in document order). */
function usesInside(analysis: Analysis, node: Span) {
  const uses = analysis.uses;
  const inside = [];
  for (let i = lowerBound(uses.length, (index) => uses[index]!.node.start < node.start); i < uses.length && uses[i]!.node.start < node.end; i++) if (uses[i]!.node.end <= node.end) inside.push(uses[i]!);
  return inside;
}
