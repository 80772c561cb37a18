// Whether a whole file is a NixOS or Home Manager module, judged from its own text (modules.ts
// follows the module state below the top, and into `imports`/`modules` lists).
//
// A file is checked as a module (`confident`: unknown option names are reported) only when it
// cannot be anything else: a function of the module system's arguments that returns an attribute
// set — taking `config`/`options`/`modulesPath`, or returning `imports`/`options`/`config` — or a
// set with those keys. The module system passes every module all its arguments, so a module
// function always ends its arguments with `...`. Overlays (`final: prev: …`), package sets
// (`self: super: …`, a function returning a function or a `makeScope` call) and files meant for
// `callPackage` (taking `stdenv`, `fetchurl`, …, or arguments with defaults) take `config` too,
// from nixpkgs' own configuration, and are never modules: nixpkgs' all-packages.nix (`{ lib,
// noSysDirs, config, overlays }: res: pkgs: super: …`) would otherwise get a warning for every
// package it defines.
// A function of only module arguments and `...` returning a set is a module for completion, but
// not confidently (`{ pkgs, ... }: { home.packages = …; }`). Files imported as modules elsewhere
// are modules whatever they look like (`FileModuleHints.module`).
import { unparenthesize } from './attrShapes';
import { bindingKeysOf, bindingsNamed } from './bindingKeys';
import { callOf, operatorOf, TRANSPARENT_CALLS } from './moduleCalls';
import type { SyntaxNode } from './syntaxTree';

/** The module system a module belongs to: NixOS (and nix-darwin), Home Manager, or a flake's flake-parts. */
export type OptionTree = 'nixos' | 'home-manager' | 'flake-parts';

export interface ModuleInfo {
  tree: OptionTree;
  /**
   * Where the module's options sit in its tree when it is a submodule written inline: the body of
   * flake-parts' `perSystem` sets `perSystem.packages`, `perSystem.devShells`, ….
   */
  at?: readonly string[];
  /**
   * True when the code is a module beyond reasonable doubt (see above, or it sits where modules
   * go); only then should unknown option names be reported.
   */
  confident: boolean;
}

export interface FileModuleHints {
  /** Set when another file imports this one as a module. */
  module?: { tree: OptionTree };
  /** The file's path or URI: `home.nix` and `home-manager/` hint at Home Manager. */
  fileName?: string;
}

/** Arguments only flake-parts modules take. */
const FLAKE_PARTS_ARGS = new Set(['withSystem', 'moduleWithSystem', 'flake-parts-lib', 'getSystem']);
/** Arguments the module system passes; a function of only these (and `...`) looks like a module. */
const MODULE_ARGS = new Set([
  'config', 'options', 'lib', 'pkgs', 'modulesPath', 'specialArgs', 'utils', 'inputs', 'self', 'name', 'nodes',
  'osConfig', 'nixosConfig', 'darwinConfig', 'extendModules', 'moduleType', 'baseModules', 'outputs', 'system',
  ...FLAKE_PARTS_ARGS, "self'", "inputs'",
]);
/** Arguments only modules take. */
const SURE_MODULE_ARGS = new Set(['config', 'options', 'modulesPath', 'osConfig', 'nixosConfig']);
/** Arguments only Home Manager modules take. */
const HOME_MANAGER_ARGS = new Set(['osConfig', 'nixosConfig', 'darwinConfig']);
/**
 * Arguments of files meant for `callPackage` and of package sets, which no module takes: the
 * module system has no `stdenv` to give, and `overlays`/`noSysDirs` are nixpkgs' own.
 */
const PACKAGE_ARGS = new Set([
  'stdenv', 'stdenvNoCC', 'callPackage', 'newScope', 'buildPackages', 'fetchurl', 'fetchzip', 'fetchgit', 'fetchFromGitHub',
  'fetchpatch', 'makeWrapper', 'runCommand', 'writeText', 'writeShellScript', 'writeShellScriptBin', 'symlinkJoin',
  'buildEnv', 'overlays', 'noSysDirs', 'makeScopeWithSplicing\'', 'generateSplicesForMkScope', 'nix-update-script',
]);
/** Top-level keys of an explicit module (`{ imports; options; config; }`). */
export const STRUCTURE_KEYS: ReadonlySet<string> = new Set(['imports', 'options', 'config', 'meta', 'disabledModules', '_file', 'key', 'freeformType', '_class']);
/** Top-level option roots that only NixOS has. */
const NIXOS_ONLY_ROOTS = new Set(['boot', 'fileSystems', 'networking', 'hardware', 'swapDevices', 'powerManagement', 'security', 'console', 'specialisation', 'virtualisation', 'sound', 'zramSwap', 'time', 'i18n', 'containers']);
/** How many `let`, `with`, wrappers … around a module's set are looked through. */
const MAX_BODY_STEPS = 64;

/** Detections by root and hints: every walk of a file's module states starts with one. */
const detected = new WeakMap<SyntaxNode, Map<string, ModuleInfo | undefined>>();

/** Whether the whole file is a module, and of which kind. */
export function fileModule(root: SyntaxNode, hints: FileModuleHints = {}): ModuleInfo | undefined {
  if (hints.module) return { tree: hints.module.tree, confident: true };
  let byHints = detected.get(root);
  if (!byHints) {
    byHints = new Map();
    detected.set(root, byHints);
  }
  const key = hints.fileName ?? '';
  if (byHints.has(key)) {
    const known = byHints.get(key);
    // A copy: callers may keep it in states they change.
    return known && { ...known };
  }
  const found = detectFileModule(root, hints);
  byHints.set(key, found && { ...found });
  return found;
}

/**
 * Records that `after`, the root of a later version, is the module `before` is: for a caller that
 * knows the edit between them changed nothing detection reads (the edit lies in the value of a
 * binding other than `config = …`; detection reads the top expression down to the module's set,
 * the attribute paths of its bindings and of `config = { … }`'s, never a value).
 */
export function sameFileModuleAs(after: SyntaxNode, before: SyntaxNode, hints: FileModuleHints = {}): void {
  if (hints.module || detected.get(after)?.has(hints.fileName ?? '')) return;
  const known = fileModule(before, hints);
  let byHints = detected.get(after);
  if (!byHints) {
    byHints = new Map();
    detected.set(after, byHints);
  }
  byHints.set(hints.fileName ?? '', known && { ...known });
}

function detectFileModule(root: SyntaxNode, hints: FileModuleHints): ModuleInfo | undefined {
  const top = unparenthesize(root.children.find((c) => c.type !== 'comment'));
  if (!top) return undefined;
  const text = root.source.text;
  if (top.type !== 'function_expression') {
    const keys = topKeys(moduleBody(top, text));
    return hasStructure(keys) ? { tree: guessTree([], keys, hints.fileName), confident: true } : undefined;
  }
  const pattern = top.child('formals');
  const body = moduleBody(top.child('body'), text);
  // `final: prev: …` and `self: …` take no argument set; a function returning a function or a call
  // (`stdenv.mkDerivation`, `lib.makeScope`) returns no module.
  if (!pattern || !body) return undefined;
  const formals = pattern.childrenOf('formal').map((f) => f.child('name')?.text ?? '');
  if (formals.some((f) => PACKAGE_ARGS.has(f)) || pattern.childrenOf('formal').some((f) => f.child('default'))) return undefined;
  // The module system calls a module with all its arguments (`config`, `options`, `lib`, the
  // special ones), so a function without `...` is no module: all-packages.nix, `{ lib, pkgs,
  // config }: rec { … }` libraries.
  if (!pattern.child('ellipses')) return undefined;
  const keys = topKeys(body);
  const confident = formals.some((f) => SURE_MODULE_ARGS.has(f)) || hasStructure(keys);
  if (!confident && !formals.every((f) => MODULE_ARGS.has(f))) return undefined;
  return { tree: guessTree(formals, keys, hints.fileName), confident };
}

/**
 * Whether a function's arguments name one only modules take (`config`, `options`, …) and none a
 * package takes: true of a module header still being typed, which may not parse as one yet.
 */
export function takesModuleArguments(fn: SyntaxNode): boolean {
  const formals = fn.child('formals')?.childrenOf('formal').map((f) => f.child('name')?.text ?? '') ?? [];
  return formals.some((f) => SURE_MODULE_ARGS.has(f)) && !formals.some((f) => PACKAGE_ARGS.has(f));
}

function hasStructure(keys: Set<string>): boolean {
  return keys.has('imports') || keys.has('options') || keys.has('config');
}

/**
 * The attribute set a module returns, seen through parentheses, `let`, `with`, `assert`, `//`
 * and the module system's own wrappers (`mkIf c { … }`, `mkMerge [ { … } ]`).
 */
function moduleBody(node: SyntaxNode | undefined, text: string): SyntaxNode | undefined {
  let current = unparenthesize(node);
  for (let step = 0; current && step < MAX_BODY_STEPS; step++) {
    switch (current.type) {
      case 'attrset_expression':
      case 'rec_attrset_expression':
        return current;
      case 'let_expression':
      case 'with_expression':
      case 'assert_expression':
        current = unparenthesize(current.child('body'));
        break;
      case 'binary_expression':
        if (operatorOf(current, text) !== '//') return undefined;
        current = unparenthesize(current.child('right'));
        break;
      case 'apply_expression': {
        const { head, args } = callOf(current);
        if (head === 'mkMerge' && args.length === 1) {
          const list = unparenthesize(args[0]);
          current = list?.type === 'list_expression' ? unparenthesize(list.children.find((c) => c.type !== 'comment')) : undefined;
        } else if (head?.startsWith('mk') && TRANSPARENT_CALLS.get(head) === args.length) current = unparenthesize(args[args.length - 1]);
        else return undefined;
        break;
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The first names of an attribute set's bindings, including those under `config` in explicit form. */
function topKeys(attrset: SyntaxNode | undefined): Set<string> {
  const keys = new Set<string>();
  if (!attrset) return keys;
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
      const inner = unparenthesize(binding.child('expression'));
      if (inner?.type !== 'attrset_expression' && inner?.type !== 'rec_attrset_expression') continue;
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
  // `perSystem` is flake-parts' own; nothing else has a top-level option of that name.
  if (formals.some((f) => FLAKE_PARTS_ARGS.has(f)) || keys.has('perSystem') || keys.has('config.perSystem')) return 'flake-parts';
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
