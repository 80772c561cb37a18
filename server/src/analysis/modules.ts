// Module-system awareness: which parts of a file are NixOS or Home Manager modules, and which
// option path each binding inside them sets.
//
// The path from the root of the tree to the cursor is followed top-down through a small state
// machine. A file is a module when its top is one (a function of `config`/`lib`/`pkgs`/… returning
// an attribute set, or a set with `imports`/`options`/`config`), and modules also start at the
// elements of `modules = [ … ]` in `nixosSystem`/`homeManagerConfiguration` calls, of `imports`,
// at `nixosModules.<name>` values, and inside `home-manager.users.<name>`. Inside a module, nested
// attribute sets and attribute paths extend the option path, and `mkIf`, `mkMerge`, `mkDefault`,
// `mkForce`, `let`, `with`, `if` and `//` are see-through.
import { unparenthesize } from './attrShapes';
import { bindingKeysOf, bindingsNamed } from './bindingKeys';
import { attrName } from './names';
import type { SyntaxNode } from './syntaxTree';

export type OptionTree = 'nixos' | 'home-manager';

export interface ModuleInfo {
  tree: OptionTree;
  /**
   * True when the code is a module beyond reasonable doubt (it takes `config`/`options`, has
   * `imports`/`options`/`config` keys, or sits where modules go); only then should unknown option
   * names be reported.
   */
  confident: boolean;
}

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

/** Arguments the module system passes; a function of only these (and `...`) looks like a module. */
const MODULE_ARGS = new Set([
  'config', 'options', 'lib', 'pkgs', 'modulesPath', 'specialArgs', 'utils', 'inputs', 'self', 'name', 'nodes',
  'osConfig', 'nixosConfig', 'darwinConfig', 'extendModules', 'moduleType', 'baseModules', 'outputs', 'system',
]);
/** Arguments only modules take. */
const SURE_MODULE_ARGS = new Set(['config', 'options', 'modulesPath', 'osConfig', 'nixosConfig']);
/** Arguments only Home Manager modules take. */
const HOME_MANAGER_ARGS = new Set(['osConfig', 'nixosConfig', 'darwinConfig']);
/** Top-level keys of an explicit module (`{ imports; options; config; }`). */
export const STRUCTURE_KEYS: ReadonlySet<string> = new Set(['imports', 'options', 'config', 'meta', 'disabledModules', '_file', 'key', 'freeformType', '_class']);
/** Top-level option roots that only NixOS has. */
const NIXOS_ONLY_ROOTS = new Set(['boot', 'fileSystems', 'networking', 'hardware', 'swapDevices', 'powerManagement', 'security', 'console', 'specialisation', 'virtualisation', 'sound', 'zramSwap', 'time', 'i18n', 'containers']);

/** Wrappers whose last argument is the value itself, with the number of arguments they take. */
/** The most arguments of any call the module detection recognises (`mkIf c v`, `mkOrder n v`). */
const MAX_CALL_ARGS = 2;

const TRANSPARENT_CALLS: ReadonlyMap<string, number> = new Map([
  ['mkIf', 2],
  ['mkDefault', 1],
  ['mkForce', 1],
  ['mkOverride', 2],
  ['mkBefore', 1],
  ['mkAfter', 1],
  ['mkOrder', 2],
  ['mkVMOverride', 1],
  ['mkOptionDefault', 1],
  ['mkImageMediaOverride', 1],
  ['mkFixStrictness', 1],
  ['optionalAttrs', 2],
  ['optionals', 2],
]);

export interface FileModuleHints {
  /** Set when another file imports this one as a module. */
  module?: { tree: OptionTree };
  /** The file's path or URI: `home.nix` and `home-manager/` hint at Home Manager. */
  fileName?: string;
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
  if (detected) return { mode: 'module', module: detected };
  if (hints.module) return { mode: 'module', module: { tree: hints.module.tree, confident: true } };
  return CODE;
}

/** Whether the whole file is a module, and of which kind. */
export function fileModule(root: SyntaxNode, hints: FileModuleHints = {}): ModuleInfo | undefined {
  const top = unparenthesize(root.children.find((c) => c.type !== 'comment'));
  if (!top) return undefined;
  let formals: string[] = [];
  let body: SyntaxNode | undefined = top;
  let confident = false;
  if (top.type === 'function_expression') {
    const pattern = top.child('formals');
    if (!pattern) return undefined;
    formals = pattern.childrenOf('formal').map((f) => f.child('name')?.text ?? '');
    const withDefaults = pattern.childrenOf('formal').some((f) => f.child('default'));
    body = moduleBody(top.child('body'));
    if (formals.some((f) => SURE_MODULE_ARGS.has(f))) confident = true;
    else if (withDefaults || !pattern.child('ellipses') || !formals.every((f) => MODULE_ARGS.has(f)) || body === undefined) return undefined;
  } else {
    body = moduleBody(top);
  }
  const keys = body ? topKeys(body) : new Set<string>();
  if (keys.has('imports') || keys.has('options') || keys.has('config')) confident = true;
  if (top.type !== 'function_expression' && !confident && !hints.module) return undefined;
  if (hints.module) return { tree: hints.module.tree, confident: true };
  return { tree: guessTree(formals, keys, hints.fileName), confident };
}

/** The attribute set a module function returns, seen through `let`, `with` and parentheses. */
function moduleBody(node: SyntaxNode | undefined): SyntaxNode | undefined {
  let current = unparenthesize(node);
  while (current && (current.type === 'let_expression' || current.type === 'with_expression' || current.type === 'assert_expression')) {
    current = unparenthesize(current.child('body'));
  }
  return current && (current.type === 'attrset_expression' || current.type === 'rec_attrset_expression') ? current : undefined;
}

/** The first names of an attribute set's bindings, including those under `config` in explicit form. */
function topKeys(attrset: SyntaxNode): Set<string> {
  const keys = new Set<string>();
  let configSet = false;
  for (const { names } of bindingKeysOf(attrset)) {
    const first = names[0];
    if (first === undefined) continue;
    keys.add(first);
    if (names.length > 1 && names[1]) keys.add(`${first}.${names[1]}`);
    if (first === 'config' && names.length > 2 && names[2]) keys.add(`config.${names[1]}.${names[2]}`);
    if (first === 'config' && names.length === 1) configSet = true;
  }
  // `config = { … };` in an explicit module: its keys tell what kind of module it is.
  if (configSet) {
    for (const { keys: path, binding } of bindingsNamed(attrset, 'config')) {
      if (path.names.length !== 1) continue;
      const inner = moduleBody(binding.child('expression'));
      if (!inner) continue;
      for (const b of bindingKeysOf(inner)) {
        if (!b.names[0]) continue;
        keys.add(`config.${b.names[0]}`);
        if (b.names[1]) keys.add(`config.${b.names[0]}.${b.names[1]}`);
      }
    }
  }
  return keys;
}

function guessTree(formals: string[], keys: Set<string>, fileName: string | undefined): OptionTree {
  if (formals.some((f) => HOME_MANAGER_ARGS.has(f))) return 'home-manager';
  const has = (key: string) => keys.has(key) || keys.has(`config.${key}`);
  const nixosSigns = [...NIXOS_ONLY_ROOTS].some(has) || has('users.users') || has('system.stateVersion') || has('services.xserver');
  const homeSigns = has('home') || has('programs.home-manager') || has('home.stateVersion') || has('home.packages');
  if (homeSigns && !nixosSigns) return 'home-manager';
  if (nixosSigns) return 'nixos';
  if (fileName && isHomeManagerFileName(fileName)) return 'home-manager';
  return 'nixos';
}

/** `home.nix`, `home-manager.nix`, `home-foo.nix`, or anything under a `home-manager/` directory. */
export function isHomeManagerFileName(fileName: string): boolean {
  const normalized = fileName.replace(/\\/g, '/');
  const base = normalized.slice(normalized.lastIndexOf('/') + 1);
  return /^home([-._][^/]*)?\.nix$/.test(base) || /\/home-manager\//.test(normalized);
}

/**
 * The name of the function an application calls (`mkIf` for `lib.mkIf c v`), and its arguments;
 * no name for a call with more arguments than any function recognised here takes.
 */
export function callOf(apply: SyntaxNode): { head: string | undefined; args: SyntaxNode[] } {
  const args: SyntaxNode[] = [];
  let fn: SyntaxNode | undefined = apply;
  while (fn && fn.type === 'apply_expression') {
    // Every function asked about takes at most MAX_CALL_ARGS arguments. Stopping there keeps this
    // short where broken code (an unclosed string) parses as one call with thousands of arguments
    // and every one of its nested calls is asked about.
    if (args.length > MAX_CALL_ARGS) return { head: undefined, args: args.reverse() };
    const argument = fn.child('argument');
    if (argument) args.push(argument);
    fn = unparenthesize(fn.child('function'));
  }
  args.reverse();
  let head: string | undefined;
  if (fn?.type === 'variable_expression') head = fn.child('name')?.text;
  else if (fn?.type === 'select_expression') {
    const attrs = fn.child('attrpath')?.childrenOf('attr') ?? [];
    head = attrs.length ? attrName(attrs[attrs.length - 1]!) : undefined;
  }
  return { head, args };
}

/** The operator of a binary expression, read from the text between its operands. */
function operatorOf(node: SyntaxNode, text: string): string {
  const left = node.child('left');
  const right = node.child('right');
  if (!left || !right) return '';
  return text.slice(left.end, right.start).replace(/#[^\n]*|\/\*[\s\S]*?\*\//g, '').trim();
}

/**
 * Whether `child` is where `parent`'s own value comes from, so that whatever `parent` is,
 * `child` is too: parentheses, `let`/`with`/`assert` bodies, `if` branches, both sides of `//`
 * and `++`, and the value argument of `mkIf`-like wrappers. `mkMerge` is handled by the caller.
 */
function passesThrough(parent: SyntaxNode, child: SyntaxNode, text: string): boolean {
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

function isMkMergeList(parent: SyntaxNode, child: SyntaxNode): boolean {
  if (parent.type !== 'apply_expression' || child.field !== 'argument') return false;
  const { head, args } = callOf(parent);
  return head === 'mkMerge' && args.length === 1;
}

/** Attribute path names of a binding; parts computed at evaluation time stand for any `<name>`. */
function bindingNames(binding: SyntaxNode): string[] {
  return (binding.child('attrpath')?.childrenOf('attr') ?? []).map((a) => attrName(a) ?? '<name>');
}

/** Whether an attribute set is an explicit module (`options`/`config` keys). */
function isExplicit(attrset: SyntaxNode): boolean {
  return bindingKeysOf(attrset).some(({ names }) => names[0] === 'options' || names[0] === 'config');
}

function step(state: ModuleState, parent: SyntaxNode, child: SyntaxNode, text: string): ModuleState {
  switch (state.mode) {
    case 'module':
      if (parent.type === 'function_expression') return child.field === 'body' ? state : CODE;
      if (parent.type === 'attrset_expression' || parent.type === 'rec_attrset_expression') {
        return child.type === 'binding_set' ? { mode: 'options', module: state.module, path: [], root: true, explicit: isExplicit(parent) } : CODE;
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
      return passesThrough(parent, child, text) ? state : CODE;

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
function setStep(state: ModuleState & { mode: 'systemCall' | 'moduleSet' }, parent: SyntaxNode, child: SyntaxNode, text: string): ModuleState {
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

/** In ordinary code: calls of `nixosSystem`-like functions and `nixosModules` outputs start modules. */
function codeStep(parent: SyntaxNode, child: SyntaxNode): ModuleState {
  if (parent.type === 'apply_expression' && child.field === 'argument') {
    const { head, args } = callOf(parent);
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

export interface ImportedModule {
  /** The path as written (`./hardware-configuration.nix`, `../common`). */
  path: string;
  tree: OptionTree;
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
    found.push({ path: path.text, tree: state.module.tree, start: path.start, end: path.end });
    return false;
  });
  return found;
}

/**
 * Visits every node below the file's top expression with its module state and its depth below
 * the root, parents before children and in document order, without recursion (generated code
 * nests deeply). `visit` gets what the node's parent passed down and returns what the node's
 * children get, or `false` to leave them out.
 */
export function walkModuleStates<T>(
  root: SyntaxNode,
  hints: FileModuleHints,
  initial: T,
  visit: (node: SyntaxNode, state: ModuleState, passed: T, depth: number) => T | false,
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
