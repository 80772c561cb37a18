// Module-system awareness: which parts of a file are NixOS or Home Manager modules, and which
// option path each binding inside them sets.
//
// The path from the root of the tree to the cursor is followed top-down through a small state
// machine. A file is a module when its top is one (moduleFile.ts: a function of the module
// arguments returning an attribute set, or a set with `imports`/`options`/`config`; never an overlay,
// a package set or a file for `callPackage`), and modules also start at the
// elements of `modules = [ … ]` in `nixosSystem`/`homeManagerConfiguration` calls, of `imports`,
// at `nixosModules.<name>` values, and inside `home-manager.users.<name>`. Inside a module, nested
// attribute sets and attribute paths extend the option path, and `mkIf`, `mkMerge`, `mkDefault`,
// `mkForce`, `let`, `with`, `if` and `//` are see-through.
import { unparenthesize } from './attrShapes';
import { bindingKeysOf } from './bindingKeys';
import { callOf, operatorOf, TRANSPARENT_CALLS } from './moduleCalls';
import { fileModule, STRUCTURE_KEYS, type FileModuleHints, type ModuleInfo, type OptionTree } from './moduleFile';
import { attrName } from './names';
import { samePlainValue } from './plainValues';
import type { SyntaxNode } from './syntaxTree';

export { callOf } from './moduleCalls';
export { fileModule, isHomeManagerFileName, sameFileModuleAs, STRUCTURE_KEYS, type FileModuleHints, type ModuleInfo, type OptionTree } from './moduleFile';

export type ModuleState =
  | { mode: 'code' }
  /** An expression that is a module: a function returning one, or its attribute set. */
  | { mode: 'module'; module: ModuleInfo }
  /** A binding set whose bindings set options below `path`. */
  | { mode: 'options'; module: ModuleInfo; path: string[]; root: boolean; explicit: boolean }
  | { mode: 'binding'; module: ModuleInfo; path: string[]; root: boolean; explicit: boolean }
  /** Inside the attribute path of a binding that sets options below `path`. */
  | { mode: 'key'; module: ModuleInfo; path: string[]; root: boolean; explicit: boolean }
  /** The value of option `path`; `inList` for an element of a list value. */
  | { mode: 'value'; module: ModuleInfo; path: string[]; inList: boolean }
  /** A list whose elements are modules (`imports`, `modules`). */
  | { mode: 'modules'; module: ModuleInfo }
  /** The list given to `mkMerge`: each element has the state `inner`. */
  | { mode: 'merge'; inner: ModuleState }
  /** The argument of `nixosSystem { … }` / `homeManagerConfiguration { … }`. */
  | { mode: 'systemCall'; module: ModuleInfo; stage: 'set' | 'bindings' | 'binding' }
  /** `nixosModules = { a = …; b = …; }`: each value is a module. */
  | { mode: 'moduleSet'; module: ModuleInfo; stage: 'set' | 'bindings' | 'binding' };

const CODE: ModuleState = { mode: 'code' };

/**
 * All a child's module state depends on of the child itself: its type and the field it fills. The
 * rest comes from its parent and the parent's state, so children of one kind share a state (a
 * caller comparing two versions compares one child of each kind, not thousands of bindings).
 */
export type ChildKind = Pick<SyntaxNode, 'type' | 'field'>;

/** The module state of a child of `parent` (whose state is `state`) of the given kind. */
export function childModuleState(state: ModuleState, parent: SyntaxNode, child: ChildKind): ModuleState {
  return step(state, parent, child, parent.source.text);
}

/** The module state of the node `chain[chain.length - 1]`, given the path to it from the root. */
export function moduleStateAlong(chain: readonly SyntaxNode[], text: string, hints: FileModuleHints = {}): ModuleState {
  if (chain.length < 2) return CODE;
  let state = fileState(chain[0]!, chain[1]!, hints);
  for (let i = 1; i + 1 < chain.length; i++) {
    state = step(state, chain[i]!, chain[i + 1]!, text);
  }
  return state;
}

/** The state of the file's top expression. */
function fileState(root: SyntaxNode, top: SyntaxNode, hints: FileModuleHints): ModuleState {
  if (top.type === 'comment') return CODE;
  const detected = fileModule(root, hints);
  return detected ? { mode: 'module', module: detected } : CODE;
}

/**
 * Whether `child` is where `parent`'s own value comes from, so that whatever `parent` is,
 * `child` is too: parentheses, `let`/`with`/`assert` bodies, `if` branches, both sides of `//`
 * and `++`, and the value argument of `mkIf`-like wrappers. `mkMerge` is handled by the caller.
 */
function passesThrough(parent: SyntaxNode, child: ChildKind, text: string): boolean {
  switch (parent.type) {
    case 'parenthesized_expression':
      return true;
    case 'let_expression':
    case 'with_expression':
    case 'assert_expression':
      return child.field === 'body';
    case 'if_expression':
      return child.field === 'consequence' || child.field === 'alternative';
    case 'binary_expression': {
      const op = operatorOf(parent, text);
      return op === '//' || op === '++';
    }
    case 'apply_expression': {
      if (child.field !== 'argument') return false;
      const { head, args } = callOf(parent);
      const arity = head ? TRANSPARENT_CALLS.get(head) : undefined;
      return arity !== undefined && args.length === arity;
    }
    default:
      return false;
  }
}

function isMkMergeList(parent: SyntaxNode, child: ChildKind): boolean {
  if (parent.type !== 'apply_expression' || child.field !== 'argument') return false;
  const { head, args } = callOf(parent);
  return head === 'mkMerge' && args.length === 1;
}

/** Attribute path names of a binding; parts computed at evaluation time stand for any `<name>`. */
function bindingNames(binding: SyntaxNode): string[] {
  return (binding.child('attrpath')?.childrenOf('attr') ?? []).map((a) => attrName(a) ?? '<name>');
}

/** Answers of `isExplicit` by set: a module's set is asked on every walk down to a node inside it. */
const explicitSets = new WeakMap<SyntaxNode, boolean>();

/** Whether an attribute set is an explicit module (`options`/`config` keys). */
function isExplicit(attrset: SyntaxNode): boolean {
  let explicit = explicitSets.get(attrset);
  if (explicit === undefined) {
    explicit = bindingKeysOf(attrset).some(({ names }) => names[0] === 'options' || names[0] === 'config');
    explicitSets.set(attrset, explicit);
  }
  return explicit;
}

/**
 * Records that attribute set `after` of a later version is as explicit a module as `before`: for a
 * caller that knows the edit between them lies in the value of one of its bindings.
 */
export function sameExplicitnessAs(after: SyntaxNode, before: SyntaxNode): void {
  if (!explicitSets.has(after)) explicitSets.set(after, isExplicit(before));
}

/**
 * Whether two module states are the same (in two versions of a file, say): every field, the
 * module's included, compared by value, so a field added to a state is compared too.
 */
export function sameModuleState(a: ModuleState, b: ModuleState): boolean {
  return samePlainValue(a, b);
}

function step(state: ModuleState, parent: SyntaxNode, child: ChildKind, text: string): ModuleState {
  switch (state.mode) {
    case 'module':
      if (parent.type === 'function_expression') return child.field === 'body' ? state : CODE;
      if (parent.type === 'attrset_expression' || parent.type === 'rec_attrset_expression') {
        return child.type === 'binding_set' ? { mode: 'options', module: state.module, path: [...(state.module.at ?? [])], root: true, explicit: isExplicit(parent) } : CODE;
      }
      if (isMkMergeList(parent, child)) return { mode: 'merge', inner: state };
      return passesThrough(parent, child, text) ? state : codeStep(parent, child);

    case 'options':
      if (child.type === 'binding') return { ...state, mode: 'binding' };
      return CODE;

    case 'binding': {
      if (child.type === 'attrpath') return { ...state, mode: 'key' };
      if (child.field !== 'expression') return CODE;
      let names = bindingNames(parent);
      if (state.root) {
        const first = names[0];
        if (state.explicit) {
          if (first === 'config') names = names.slice(1);
          else if (first === 'imports' && names.length === 1) return { mode: 'modules', module: state.module };
          else return CODE;
        } else if (first === 'imports' && names.length === 1) {
          return { mode: 'modules', module: state.module };
        } else if (first !== undefined && STRUCTURE_KEYS.has(first)) {
          return CODE;
        }
      }
      const path = [...state.path, ...names];
      return valueState(state.module, path);
    }

    case 'key':
      return state;

    case 'value':
      if (parent.type === 'attrset_expression' || parent.type === 'rec_attrset_expression') {
        if (child.type !== 'binding_set') return CODE;
        return { mode: 'options', module: state.module, path: state.inList ? [...state.path, '*'] : state.path, root: false, explicit: false };
      }
      if (parent.type === 'list_expression') return state.inList ? CODE : { ...state, inList: true };
      if (isMkMergeList(parent, child)) return { mode: 'merge', inner: state };
      if (passesThrough(parent, child, text)) return state;
      // flake-parts' `flake` option holds the flake's outputs: `nixosSystem { … }` calls and modules.
      return state.module.tree === 'flake-parts' ? codeStep(parent, child) : CODE;

    case 'modules':
      if (parent.type === 'list_expression') return { mode: 'module', module: state.module };
      return passesThrough(parent, child, text) ? state : CODE;

    case 'merge':
      if (parent.type === 'list_expression') return state.inner;
      return passesThrough(parent, child, text) ? state : CODE;

    case 'systemCall':
    case 'moduleSet':
      return setStep(state, parent, child, text);

    case 'code':
      return codeStep(parent, child);
  }
}

/** Steps through `{ modules = [ … ]; }` of a system call, or `{ name = module; }` of a module set. */
function setStep(state: ModuleState & { mode: 'systemCall' | 'moduleSet' }, parent: SyntaxNode, child: ChildKind, text: string): ModuleState {
  switch (state.stage) {
    case 'set':
      if (parent.type === 'attrset_expression' || parent.type === 'rec_attrset_expression') {
        return child.type === 'binding_set' ? { ...state, stage: 'bindings' } : CODE;
      }
      return passesThrough(parent, child, text) ? state : CODE;
    case 'bindings':
      return child.type === 'binding' ? { ...state, stage: 'binding' } : CODE;
    case 'binding': {
      if (child.field !== 'expression') return CODE;
      const names = bindingNames(parent);
      if (state.mode === 'systemCall') {
        return names.length === 1 && names[0] === 'modules' ? { mode: 'modules', module: state.module } : CODE;
      }
      return names.length === 1 ? { mode: 'module', module: state.module } : CODE;
    }
  }
}

/** flake-parts' own module, the argument of `mkFlake { inherit inputs; } { … }`. */
const FLAKE_PARTS_MODULE: ModuleInfo = { tree: 'flake-parts', confident: true };
/** The body of `perSystem`: the per-system submodule, whose options are `perSystem.<option>`. */
const PER_SYSTEM_MODULE: ModuleInfo = { tree: 'flake-parts', confident: true, at: ['perSystem'] };

/**
 * In ordinary code: calls of `nixosSystem`-like functions, flake-parts' `mkFlake` and
 * `nixosModules` outputs start modules.
 */
function codeStep(parent: SyntaxNode, child: ChildKind): ModuleState {
  if (parent.type === 'apply_expression' && child.field === 'argument') {
    const { head, args } = callOf(parent);
    // `flake-parts.lib.mkFlake { inherit inputs; } module`: the second argument is the module.
    if (args.length === 2 && head === 'mkFlake') return { mode: 'module', module: FLAKE_PARTS_MODULE };
    if (args.length === 1 && head === 'nixosSystem') return { mode: 'systemCall', module: { tree: 'nixos', confident: true }, stage: 'set' };
    if (args.length === 1 && head === 'homeManagerConfiguration') {
      return { mode: 'systemCall', module: { tree: 'home-manager', confident: true }, stage: 'set' };
    }
    return CODE;
  }
  if (parent.type === 'binding' && child.field === 'expression') {
    const names = bindingNames(parent);
    const tree = moduleOutputTree(names[0]);
    if (!tree) return CODE;
    const module: ModuleInfo = { tree, confident: true };
    if (names.length === 2 || (names.length === 1 && /Module$/.test(names[0]!))) return { mode: 'module', module };
    if (names.length === 1) return { mode: 'moduleSet', module, stage: 'set' };
  }
  return CODE;
}

/** The option tree of a flake output holding modules. */
function moduleOutputTree(name: string | undefined): OptionTree | undefined {
  switch (name) {
    case 'nixosModules':
    case 'nixosModule':
      return 'nixos';
    case 'homeManagerModules':
    case 'homeManagerModule':
    case 'homeModules':
      return 'home-manager';
    default:
      return undefined;
  }
}

/** The state for the value of option `path`: options whose values are modules start one. */
function valueState(module: ModuleInfo, path: string[]): ModuleState {
  if (module.tree === 'flake-parts') return flakePartsValueState(module, path);
  if (module.tree === 'nixos') {
    if (path.length === 3 && path[0] === 'home-manager' && path[1] === 'users') {
      return { mode: 'module', module: { tree: 'home-manager', confident: true } };
    }
    if (path.length === 2 && path[0] === 'home-manager' && path[1] === 'sharedModules') {
      return { mode: 'modules', module: { tree: 'home-manager', confident: true } };
    }
    if (path.length === 3 && path[0] === 'specialisation' && path[2] === 'configuration') {
      return { mode: 'module', module: { tree: 'nixos', confident: true } };
    }
    if (path.length === 3 && path[0] === 'containers' && path[2] === 'config') {
      return { mode: 'module', module: { tree: 'nixos', confident: true } };
    }
  }
  return { mode: 'value', module, path, inList: false };
}

/** In a flake-parts module: `perSystem`'s value is the per-system module; `flake.nixosModules.x` a NixOS module. */
function flakePartsValueState(module: ModuleInfo, path: string[]): ModuleState {
  if (path.length === 1 && path[0] === 'perSystem' && !module.at) return { mode: 'module', module: PER_SYSTEM_MODULE };
  if (path[0] === 'flake' && !module.at) {
    const tree = moduleOutputTree(path[1]);
    if (tree && (path.length === 3 || (path.length === 2 && /Module$/.test(path[1]!)))) return { mode: 'module', module: { tree, confident: true } };
    if (tree && path.length === 2) return { mode: 'moduleSet', module: { tree, confident: true }, stage: 'set' };
  }
  return { mode: 'value', module, path, inList: false };
}

export interface ImportedModule {
  /** The path as written (`./hardware-configuration.nix`, `../common`). */
  path: string;
  tree: OptionTree;
  /** Where the imported module's options sit in its tree (`perSystem` for a per-system module). */
  at?: readonly string[];
  /** Where the path literal is. */
  start: number;
  end: number;
}

/**
 * The files this file uses as modules: path literals (or `import ./x.nix`) in `imports`, in
 * `modules` of `nixosSystem`/`homeManagerConfiguration`, as `home-manager.users.<name>`, …, with
 * the kind of module each must be. The server can pass each one's kind to `contextAt` for that
 * file (`ContextOptions.module`), which makes a plain `{ services.x = …; }` file a module.
 * Walks the whole tree: give it the root of a whole-file analysis.
 */
export function importedModules(root: SyntaxNode, hints: FileModuleHints = {}): ImportedModule[] {
  const found: ImportedModule[] = [];
  walkModuleStates(root, hints, undefined, (node, state) => {
    if (state.mode !== 'module') return undefined;
    const path = importedPath(node);
    if (!path) return undefined;
    const { tree, at } = state.module;
    found.push({ path: path.text, tree, ...(at ? { at } : {}), start: path.start, end: path.end });
    return false;
  });
  return found;
}

/**
 * Visits every node below the file's top expression with its module state and its depth below
 * the root, parents before children and in document order, without recursion (generated code
 * nests deeply). `visit` gets what the node's parent passed down and returns what the node's
 * children get, or `false` to leave them out. With `enters`, only the children it accepts are
 * visited (the others' states are not even computed).
 */
export function walkModuleStates<T>(
  root: SyntaxNode,
  hints: FileModuleHints,
  initial: T,
  visit: (node: SyntaxNode, state: ModuleState, passed: T, depth: number) => T | false,
  enters?: (child: SyntaxNode) => boolean,
): void {
  const text = root.source.text;
  const top = root.children.find((c) => c.type !== 'comment');
  if (!top) return;
  // Parallel stacks: one entry per node waiting to be visited, without an object for each.
  const nodes: SyntaxNode[] = [top];
  const states: ModuleState[] = [fileState(root, top, hints)];
  const passedDown: T[] = [initial];
  const depths: number[] = [1];
  while (nodes.length) {
    const node = nodes.pop()!;
    const state = states.pop()!;
    const passed = passedDown.pop()!;
    const depth = depths.pop()!;
    const next = visit(node, state, passed, depth);
    if (next === false) continue;
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      if (enters && !enters(kids[i]!)) continue;
      nodes.push(kids[i]!);
      states.push(step(state, node, kids[i]!, text));
      passedDown.push(next);
      depths.push(depth + 1);
    }
  }
}

/** How many `import` calls a path may be wrapped in (`import (import ./x.nix)` is rare enough). */
const MAX_IMPORT_NESTING = 8;

/** `./x.nix` or `import ./x.nix` (without interpolation). */
function importedPath(node: SyntaxNode): SyntaxNode | undefined {
  let value = unparenthesize(node);
  for (let i = 0; value && i <= MAX_IMPORT_NESTING; i++) {
    if (value.type === 'path_expression') return value.children.every((c) => c.type === 'path_fragment') ? value : undefined;
    if (value.type !== 'apply_expression') return undefined;
    const { head, args } = callOf(value);
    if (head !== 'import' || args.length !== 1) return undefined;
    value = unparenthesize(args[0]);
  }
  return undefined;
}
