// Which workspace files belong to which configuration, read from the text alone: the
// `modules = [ … ]` of each `nixosConfigurations.<name>` (and Home Manager, nix-darwin) in
// `flake.nix`, then every module those files import (`imports = [ ./x.nix ./dir ]`,
// `home-manager.users.<name> = import ./home.nix`, …), transitively. A file imported as a Home
// Manager module inside a NixOS or nix-darwin configuration sets the options below
// `home-manager.users.<name>`, so it carries that prefix. A flake-parts flake is one configuration
// too: `flake.nix` holds its module inline (the argument of `mkFlake`), and the flake-parts
// modules that module imports belong to it, those imported by `perSystem` below `perSystem`.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { unparenthesize } from '../analysis/attrShapes';
import { importedModules, type ImportedModule, type OptionTree } from '../analysis/modules';
import { attrName } from '../analysis/names';
import { descendantsOf, type SyntaxNode } from '../analysis/syntaxTree';
import { CONFIGURATION_CATEGORIES, type ConfigurationCategory } from './configurationRef';

/** How one file takes part in one configuration. */
export interface Membership {
  /** The configuration's id (`nixosConfigurations.box`). */
  configuration: string;
  /** The option tree the file's own options are written in. */
  tree: OptionTree;
  /** Where that tree sits in the configuration's options (`home-manager.users.<name>`), or empty. */
  prefix: string[];
  /**
   * The file is not a module but holds the configuration's module inside it (`flake.nix` and its
   * `mkFlake` argument): its options are found by module detection, not by taking the whole file.
   */
  inline?: boolean;
}

/** A configuration written in `flake.nix`, and the modules its `modules = [ … ]` names. */
export interface WrittenConfiguration {
  id: string;
  /** The module tree its modules are written in. */
  tree: OptionTree;
  /** Absolute paths of the workspace modules listed directly. */
  modules: string[];
  /** Files that hold the configuration's module inline, whose imports belong to it too. */
  hosts?: string[];
}

/** The id of the flake-parts configuration (the flake has one). */
const FLAKE_PARTS_ID = 'flake-parts';

/** Reads and parses a file; undefined when it cannot be read. */
export type TreeReader = (file: string) => SyntaxNode | undefined;

/** The most files one graph follows: a workspace of generated modules must not stall the server. */
const MAX_FILES = 2000;

/** The module tree a configuration category's modules are written in. */
export function treeOfCategory(category: ConfigurationCategory): OptionTree {
  return category === 'homeConfigurations' ? 'home-manager' : 'nixos';
}

const HOME_MANAGER_USERS = ['home-manager', 'users', '<name>'];

/** The configurations `flake.nix` spells out, with the workspace modules each lists. */
export function writtenConfigurations(flakeRoot: SyntaxNode, flakeFile: string): WrittenConfiguration[] {
  const found = new Map<string, WrittenConfiguration>();
  for (const node of descendantsOf(flakeRoot)) {
    if (node.type !== 'binding') continue;
    const path = bindingPath(node);
    if (!path) continue;
    const at = path.findIndex((part) => (CONFIGURATION_CATEGORIES as readonly string[]).includes(part));
    // `nixosConfigurations.box = …` or `nixosConfigurations = { box = …; }`: the binding of the name.
    if (at < 0 || path.length !== at + 2) continue;
    const category = path[at] as ConfigurationCategory;
    const name = path[at + 1]!;
    const id = `${category}.${name}`;
    const entry = found.get(id) ?? { id, tree: treeOfCategory(category), modules: [] };
    found.set(id, entry);
    const value = node.child('expression');
    if (!value) continue;
    for (const file of modulesListed(value, flakeFile)) if (!entry.modules.includes(file)) entry.modules.push(file);
  }
  return [...found.values()];
}

/** The flake-parts configuration of a `flake.nix` that calls `mkFlake`: the file itself holds its module. */
export function flakePartsConfiguration(flakeFile: string): WrittenConfiguration {
  return { id: FLAKE_PARTS_ID, tree: 'flake-parts', modules: [], hosts: [flakeFile] };
}

/** The binding's whole attribute path, through the attribute sets it is nested in; undefined when a part is dynamic. */
function bindingPath(binding: SyntaxNode): string[] | undefined {
  const path: string[] = [];
  let current: SyntaxNode | null = binding;
  while (current && current.type === 'binding') {
    const parts = current.child('attrpath')?.childrenOf('attr') ?? [];
    const names = parts.map((part) => attrName(part));
    if (names.some((name) => name === undefined)) return undefined;
    path.unshift(...(names as string[]));
    // binding ← binding_set ← attrset_expression (the value of an outer binding, or a function's body).
    const set: SyntaxNode | null | undefined = current.parent?.parent;
    if (!set || (set.type !== 'attrset_expression' && set.type !== 'rec_attrset_expression')) break;
    current = set.field === 'expression' ? set.parent : null;
  }
  return path;
}

/** Path literals in the `modules = [ … ]` lists inside a configuration's value. */
function modulesListed(value: SyntaxNode, fromFile: string): string[] {
  const files: string[] = [];
  for (const node of descendantsOf(value)) {
    if (node.type !== 'binding') continue;
    const names = node.child('attrpath')?.childrenOf('attr').map((part) => attrName(part)) ?? [];
    if (names.length !== 1 || names[0] !== 'modules') continue;
    const list = node.child('expression');
    if (list?.type !== 'list_expression') continue;
    for (const written of list.children) {
      const element = unparenthesize(written);
      if (!element) continue;
      const path = element.type === 'path_expression' ? element : importArgument(element);
      const file = path && moduleFile(path.text, fromFile);
      if (file) files.push(file);
    }
  }
  return files;
}

/** `import ./x.nix` → the path node. */
function importArgument(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type !== 'apply_expression' || node.child('function')?.text !== 'import') return undefined;
  const argument = node.child('argument');
  return argument?.type === 'path_expression' ? argument : undefined;
}

/** The file a module path written in `fromFile` names (`./dir` → `./dir/default.nix`), if it exists. */
export function moduleFile(written: string, fromFile: string): string | undefined {
  if (!/^\.{0,2}\//.test(written) || written.includes('${')) return undefined;
  const target = resolve(dirname(fromFile), written);
  try {
    const file = statSync(target).isDirectory() ? join(target, 'default.nix') : target;
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every file reachable from the configurations' listed modules through the modules they import,
 * with its membership in each configuration.
 */
export function moduleMemberships(configurations: readonly WrittenConfiguration[], read: TreeReader): Map<string, Membership[]> {
  const members = new Map<string, Membership[]>();
  const addMember = (file: string, membership: Membership) => {
    const list = members.get(file) ?? [];
    if (!list.some((m) => m.configuration === membership.configuration && m.tree === membership.tree)) list.push(membership);
    members.set(file, list);
  };
  let visited = 0;
  for (const configuration of configurations) {
    const rootTree = configuration.tree;
    const queue: { file: string; tree: OptionTree; prefix: string[] }[] = configuration.modules.map((file) => ({ file, tree: rootTree, prefix: [] }));
    // A host file is no module: only the modules of this configuration's kind it imports are followed.
    for (const host of configuration.hosts ?? []) {
      addMember(host, { configuration: configuration.id, tree: rootTree, prefix: [], inline: true });
      const root = read(host);
      for (const imported of root ? importedModules(root, { fileName: host }) : []) {
        const target = imported.tree === rootTree && moduleFile(imported.path, host);
        if (target) queue.push({ file: target, tree: rootTree, prefix: [...(imported.at ?? [])] });
      }
    }
    const seen = new Set<string>();
    while (queue.length > 0 && visited < MAX_FILES) {
      const { file, tree, prefix } = queue.shift()!;
      const key = `${tree}\0${prefix.join('.')}\0${file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      visited++;
      addMember(file, { configuration: configuration.id, tree, prefix });
      const root = read(file);
      if (!root) continue;
      for (const imported of importedModules(root, { module: { tree }, fileName: file })) {
        const target = moduleFile(imported.path, file);
        if (!target) continue;
        const next = nextMembership(rootTree, tree, prefix, imported);
        if (next) queue.push({ file: target, ...next });
      }
    }
  }
  return members;
}

/** The tree and prefix of a module imported from a module of `tree` at `prefix`; undefined when it belongs to another configuration. */
function nextMembership(rootTree: OptionTree, tree: OptionTree, prefix: string[], imported: ImportedModule): { tree: OptionTree; prefix: string[] } | undefined {
  // A Home Manager module inside a system configuration: its options live below the users.
  if (imported.tree === 'home-manager' && tree === 'nixos' && rootTree === 'nixos') return { tree: imported.tree, prefix: HOME_MANAGER_USERS };
  // A flake-parts module's `flake.nixosModules.x = ./x.nix` is no part of the flake-parts options.
  if (tree === 'flake-parts') return imported.tree === 'flake-parts' ? { tree, prefix: [...prefix, ...(imported.at ?? [])] } : undefined;
  return { tree: imported.tree, prefix };
}
