// Where a "Build" code lens goes, and what it builds: each package of a flake's
// `packages.<system>`, each top-level package of a NUR-style default.nix, and each
// `x = callPackage ./x { }` binding of a file nix-build can call. Pure: a document tree in,
// ranges and `nixNur.build` parameters out; the directory to build in is the document's own.
import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from 'vscode-languageserver-types';
import { attrPathText } from '../../nix/buildArgv';
import type { BuildParams } from './buildTarget';
import { attrName, attrPathNames, attrsetOf, calledFunctionName, isAttrset, rangeOfNode, unwrap } from './nixSyntax';

export interface BuildLens {
  range: Range;
  title: string;
  /** The attribute path it builds (`hello`, `python3Packages.foo`). */
  attribute: string;
  params: BuildParams;
}

const SYSTEM_NAME = /^[a-z0-9_]+-(linux|darwin|freebsd|netbsd|openbsd|cygwin|windows|none|genode|redox|wasi|mmixware)$/;
// What NUR and flakes expose besides packages (NUR's CI skips the same names).
const NON_PACKAGE_NAMES = new Set(['lib', 'modules', 'overlays', 'overlay', 'hmModules', 'homeModules', 'homeManagerModules', 'nixosModules', 'darwinModules', 'flakeModules']);
const CALL_PACKAGE = new Set(['callPackage', 'callPackages']);
const NOT_BUILDABLE_VALUES = new Set([
  'attrset_expression',
  'rec_attrset_expression',
  'list_expression',
  'string_expression',
  'indented_string_expression',
  'integer_expression',
  'float_expression',
  'function_expression',
  'path_expression',
]);

export function buildLenses(document: { uri: string; tree: Tree }): BuildLens[] {
  const slash = document.uri.lastIndexOf('/');
  const cwd = document.uri.slice(0, slash);
  const fileName = decodeURIComponent(document.uri.slice(slash + 1));
  const root = document.tree.rootNode.childForFieldName('expression') ?? document.tree.rootNode.namedChild(0);
  if (!root) return [];
  if (fileName === 'flake.nix') return flakeLenses(root, cwd);
  return fileLenses(root, cwd, fileName);
}

// ---- flakes ----

function flakeLenses(root: Node, cwd: string): BuildLens[] {
  const top = attrsetOf(root, false);
  if (!top) return [];
  const lenses: BuildLens[] = [];
  const seen = new Set<string>();
  const add = (node: Node, attribute: string) => {
    const key = `${node.startIndex}:${attribute}`;
    if (seen.has(key)) return;
    seen.add(key);
    lenses.push({ range: rangeOfNode(node), title: `Build ${attribute}`, attribute, params: { cwd, installable: `.#${attrPathText([attribute])}` } });
  };
  for (const binding of packagesBindings(top)) {
    const names = attrPathNames(binding);
    const rest = names.slice(1);
    const value = binding.childForFieldName('expression');
    if (rest.length === 2) {
      const attr = binding.childForFieldName('attrpath')?.childrenForFieldName('attr')[2];
      if (rest[1] !== undefined && attr) add(attr, rest[1]);
    } else if (rest.length === 1) {
      perSystemLenses(value, add);
    } else if (rest.length === 0) {
      systemsLevelLenses(value, add);
    }
  }
  return lenses.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** `packages…` bindings anywhere in the outputs, but not those nested inside another one. */
function packagesBindings(top: Node): Node[] {
  const found: Node[] = [];
  const visit = (node: Node) => {
    if (node.type === 'binding' && attrPathNames(node)[0] === 'packages') {
      found.push(node);
      return;
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(top);
  return found;
}

type AddLens = (node: Node, attribute: string) => void;

/** A value whose attributes are systems (`x86_64-linux = { … }`), or built per system by a function. */
function systemsLevelLenses(value: Node | null, add: AddLens): void {
  const inner = unwrap(value);
  if (!inner) return;
  if (isAttrset(inner)) {
    const bindings = directBindings(inner);
    const keyedBySystem = bindings.length > 0 && bindings.every((binding) => {
      const first = attrPathNames(binding)[0];
      return first === undefined || SYSTEM_NAME.test(first);
    });
    if (!keyedBySystem) {
      // Inside `eachSystem (system: { packages = { … }; })` the set already is per system.
      perSystemLenses(inner, add);
      return;
    }
    for (const binding of bindings) {
      const rest = attrPathNames(binding).slice(1);
      if (rest.length === 0) perSystemLenses(binding.childForFieldName('expression'), add);
      else if (rest.length === 1 && rest[0] !== undefined) {
        const attr = binding.childForFieldName('attrpath')?.childrenForFieldName('attr')[1];
        if (attr) add(attr, rest[0]);
      }
    }
    return;
  }
  // forAllSystems (system: { … }), genAttrs systems (system: …), eachDefaultSystem (system: …)
  if (inner.type === 'apply_expression') {
    const fn = lastFunctionArgument(inner);
    if (fn) perSystemLenses(fn.childForFieldName('body'), add);
  }
}

function lastFunctionArgument(apply: Node): Node | undefined {
  for (let current: Node | undefined = apply; current?.type === 'apply_expression'; current = unwrap(current.childForFieldName('function'))) {
    const argument = unwrap(current.childForFieldName('argument'));
    if (argument?.type === 'function_expression') return argument;
  }
  return undefined;
}

/** The packages of one system: a lens on each attribute name (and each inherited name). */
function perSystemLenses(value: Node | null | undefined, add: AddLens): void {
  const set = attrsetOf(value, false);
  if (!set) return;
  for (const child of bindingSetChildren(set)) {
    if (child.type === 'binding') {
      const attrs = child.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
      const name = attrs.length === 1 && attrs[0] ? attrName(attrs[0]) : undefined;
      if (name !== undefined && attrs[0]) add(attrs[0], name);
    } else if (child.type === 'inherit' || child.type === 'inherit_from') {
      for (const attr of inheritedAttrs(child)) {
        const name = attrName(attr);
        if (name !== undefined) add(attr, name);
      }
    }
  }
}

// ---- default.nix and other files ----

function fileLenses(root: Node, cwd: string, fileName: string): BuildLens[] {
  const set = callableAttrset(root);
  if (!set) return [];
  const lenses: BuildLens[] = [];
  const seen = new Set<number>();
  const add = (node: Node, path: string[]) => {
    if (seen.has(node.startIndex)) return;
    seen.add(node.startIndex);
    const attribute = attrPathText(path);
    lenses.push({ range: rangeOfNode(node), title: `Build ${attribute}`, attribute, params: { cwd, file: fileName, attr: attribute } });
  };

  if (fileName === 'default.nix') {
    for (const binding of directBindings(set)) {
      const attrs = binding.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
      const name = attrs.length === 1 && attrs[0] ? attrName(attrs[0]) : undefined;
      const value = unwrap(binding.childForFieldName('expression'));
      if (name === undefined || !attrs[0] || NON_PACKAGE_NAMES.has(name) || !value || NOT_BUILDABLE_VALUES.has(value.type)) continue;
      add(attrs[0], [name]);
    }
  }

  // callPackage bindings at any depth reachable through literal attrsets.
  const visit = (container: Node, prefix: string[], depth: number) => {
    if (depth > 6) return;
    for (const binding of directBindings(container)) {
      const attrs = binding.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
      const names = attrs.map((attr) => (attr ? attrName(attr) : undefined));
      if (names.some((name) => name === undefined) || names.length === 0) continue;
      const path = [...prefix, ...(names as string[])];
      const value = binding.childForFieldName('expression');
      const name = calledFunctionName(value);
      if (name && CALL_PACKAGE.has(name)) {
        const last = attrs[attrs.length - 1];
        if (last) add(last, path);
        continue;
      }
      const nested = attrsetOf(value, false);
      if (nested) visit(nested, path, depth + 1);
    }
  };
  visit(set, [], 0);
  return lenses.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * The attrset a file evaluates to when nix-build can use it as is: a set, or a function whose
 * arguments all have defaults (`{ pkgs ? import <nixpkgs> { } }: { … }`). Package files
 * (`{ stdenv, fetchurl }: …`) and overlays (`final: prev: …`) are not built directly.
 */
function callableAttrset(root: Node): Node | undefined {
  let current = unwrap(root);
  if (current?.type === 'function_expression') {
    const formals = current.childForFieldName('formals');
    if (!formals) return undefined; // `final: prev: …` needs arguments nix-build cannot give
    const allDefaulted = formals.namedChildren.every((formal) => !formal || formal.type !== 'formal' || !!formal.childForFieldName('default'));
    if (!allDefaulted) return undefined;
    current = current.childForFieldName('body') ?? undefined;
  }
  return attrsetOf(current, false);
}

function bindingSetChildren(container: Node): Node[] {
  const set = container.namedChildren.find((child) => child?.type === 'binding_set');
  return set ? set.namedChildren.filter((child): child is Node => !!child) : [];
}

function directBindings(container: Node): Node[] {
  return bindingSetChildren(container).filter((child) => child.type === 'binding');
}

function inheritedAttrs(node: Node): Node[] {
  const attrs = node.childForFieldName('attrs');
  return attrs ? attrs.childrenForFieldName('attr').filter((attr): attr is Node => !!attr) : [];
}
