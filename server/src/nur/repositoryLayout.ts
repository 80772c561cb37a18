// Where things live in a NUR repository's default.nix: the attribute set of packages (and how it
// calls them), and the collection of NixOS modules. Read from the syntax tree, so hand-written
// repositories are understood as well as generated ones.
import { dirname, join, resolve } from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { RESERVED_ATTRIBUTES } from './names';
import {
  attrpathNames,
  bindingsOf,
  calleeOf,
  calleeText,
  definedNames,
  findBinding,
  flattenApplication,
  isAttrset,
  isCallPackage,
  literalPath,
  namedChildren,
  topLevelAttrset,
  unwrapExpression,
} from './nixTree';

export interface PackageSet {
  attrset: Node;
  /** Its callPackage bindings, in source order. */
  packages: Node[];
  /** How the existing packages are called (`pkgs.callPackage`, `callPackage`), for the new one. */
  callee: string;
  /** Names already taken in the set. */
  names: Set<string>;
}

/** The bindings of a set that call callPackage: the packages. */
export function callPackageBindings(attrset: Node): Node[] {
  return bindingsOf(attrset).filter(
    (binding) => binding.type === 'binding' && isCallPackage(binding.childForFieldName('expression')) && attrpathNames(binding)?.length === 1,
  );
}

/** The package bindings of a NUR default.nix: callPackage calls outside the reserved names. */
export function packageBindings(tree: Tree): { name: string; binding: Node }[] {
  const set = findPackageSet(tree);
  if (!set) return [];
  return set.packages
    .map((binding) => ({ name: attrpathNames(binding)![0], binding }))
    .filter(({ name }) => !RESERVED_ATTRIBUTES.includes(name));
}

/**
 * The attribute set new packages go into: the one the file evaluates to, or, when the file builds
 * its result some other way (`packages // { lib = …; }`), the set holding the most callPackage calls.
 */
export function findPackageSet(tree: Tree): PackageSet | undefined {
  const root = tree.rootNode;
  const top = topLevelAttrset(root);
  let best = top ? { attrset: top, packages: callPackageBindings(top) } : undefined;
  if (!best || best.packages.length === 0) {
    for (const node of root.descendantsOfType(['attrset_expression', 'rec_attrset_expression'])) {
      if (!node || node.id === top?.id) continue;
      const packages = callPackageBindings(node);
      if (packages.length > (best?.packages.length ?? 0)) best = { attrset: node, packages };
    }
  }
  if (!best) return undefined;
  return { ...best, callee: calleeFor(root, best.packages), names: definedNames(best.attrset) };
}

function calleeFor(root: Node, packages: Node[]): string {
  const callee = packages.length > 0 ? calleeOf(unwrapExpression(packages[0].childForFieldName('expression'))) : null;
  if (callee) return callee.text;
  const formals = topFormalNames(root);
  return formals.has('callPackage') && !formals.has('pkgs') ? 'callPackage' : 'pkgs.callPackage';
}

/** The formal parameter names of the file's top-level function. */
export function topFormalNames(root: Node): Set<string> {
  const names = new Set<string>();
  const expression = unwrapExpression(root.type === 'source_code' ? namedChildren(root).find((child) => child.type !== 'comment') ?? null : root);
  const formals = expression?.type === 'function_expression' ? expression.childForFieldName('formals') : null;
  for (const formal of formals ? formals.childrenForFieldName('formal') : []) {
    const name = formal?.childForFieldName('name');
    if (name) names.add(name.text);
  }
  return names;
}

/** Where a repository keeps its NixOS modules, as default.nix refers to them. */
export type ModuleCollection =
  /** `modules = import ./nixos-modules;`: a file of its own whose attribute set lists them. */
  | { kind: 'file'; file: string; directory: string }
  /** `modules = { … };` right in default.nix; module files go to `directory`. */
  | { kind: 'inline'; attrset: Node; directory: string };

const MODULE_ATTRIBUTES = ['modules', 'nixosModules'];

export function findModuleCollection(tree: Tree, repositoryRoot: string): ModuleCollection | undefined {
  const top = topLevelAttrset(tree.rootNode);
  if (!top) return undefined;
  for (const attribute of MODULE_ATTRIBUTES) {
    const binding = findBinding(top, attribute);
    const expression = unwrapExpression(binding?.childForFieldName('expression') ?? null);
    if (!expression) continue;
    if (isAttrset(expression)) return { kind: 'inline', attrset: expression, directory: join(repositoryRoot, 'nixos-modules') };
    const imported = importedPath(expression);
    if (imported) {
      const target = resolve(repositoryRoot, imported);
      const file = imported.endsWith('.nix') ? target : join(target, 'default.nix');
      return { kind: 'file', file, directory: dirname(file) };
    }
  }
  return undefined;
}

/** `import ./x` → `./x`. */
export function importedPath(expression: Node): string | undefined {
  const application = flattenApplication(expression);
  if (!application || application.args.length < 1) return undefined;
  const name = calleeText(application.callee)?.join('.');
  if (name !== 'import' && name !== 'builtins.import') return undefined;
  return literalPath(unwrapExpression(application.args[0]));
}

/** True for module entries: `./foo.nix` or `import ./foo.nix`. */
export function isModuleEntry(binding: Node): boolean {
  const expression = unwrapExpression(binding.childForFieldName('expression'));
  if (!expression) return false;
  return literalPath(expression) !== undefined || importedPath(expression) !== undefined;
}
