// Recognising a NUR repository: a default.nix that takes `pkgs` and exposes what NUR knows (lib,
// modules, overlays), laid out with a pkgs/ directory or offered through a flake that reuses it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { definedNames, namedChildren, topLevelAttrset, unwrapExpression } from './nixTree';
import { findPackageSet, topFormalNames } from './repositoryLayout';
import { parseNix } from '../syntax/grammarText';

const NUR_ATTRIBUTES = ['lib', 'modules', 'overlays', 'nixosModules', 'homeModules', 'hmModules'];

/** Files larger than this are not NUR entry points; they are not read to find out. */
const MAX_ENTRY_FILE = 1_000_000;

export function isNurRepository(root: string, parser: Parser): boolean {
  const defaultNix = readSmall(join(root, 'default.nix'));
  if (defaultNix === undefined) return false;
  const tree = parseNix(parser, defaultNix);
  if (!tree) return false;
  try {
    const expression = unwrapExpression(namedChildren(tree.rootNode).find((child) => child.type !== 'comment') ?? null);
    if (expression?.type !== 'function_expression' || !topFormalNames(tree.rootNode).has('pkgs')) return false;
    const exposed = new Set<string>();
    for (const set of [topLevelAttrset(tree.rootNode), findPackageSet(tree)?.attrset]) {
      if (set) for (const name of definedNames(set)) exposed.add(name);
    }
    if (!NUR_ATTRIBUTES.some((name) => exposed.has(name))) return false;
  } finally {
    tree.delete();
  }
  return isDirectory(join(root, 'pkgs')) || flakeReusesDefaultNix(root, parser);
}

/** The nearest directory at or above `file`'s that is a NUR repository, stopping at a git root. */
export function findNurRepositoryRoot(file: string, parser: Parser): string | undefined {
  let directory = isDirectory(file) ? file : dirname(file);
  for (;;) {
    if (isNurRepository(directory, parser)) return directory;
    const parent = dirname(directory);
    if (parent === directory || existsSync(join(directory, '.git'))) return undefined;
    directory = parent;
  }
}

/** A flake with `legacyPackages` built from the repository's default.nix (`./default.nix` or `./.`). */
function flakeReusesDefaultNix(root: string, parser: Parser): boolean {
  const flake = readSmall(join(root, 'flake.nix'));
  if (flake === undefined) return false;
  const tree = parseNix(parser, flake);
  if (!tree) return false;
  try {
    const paths = tree.rootNode.descendantsOfType('path_expression').map((node) => node?.text);
    const importsDefault = paths.some((path) => path === './default.nix' || path === './.' || path === './');
    const identifiers = tree.rootNode.descendantsOfType('identifier').map((node) => node?.text);
    return importsDefault && identifiers.includes('legacyPackages');
  } finally {
    tree.delete();
  }
}

function readSmall(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_ENTRY_FILE) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
