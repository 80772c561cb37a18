// Adds a NixOS module to a NUR repository: nixos-modules/<name>.nix with an `enable` option, listed
// in the module collection default.nix exposes (nixos-modules/default.nix, or an inline set).
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Node, Parser } from 'web-tree-sitter';
import { bindingInsertion } from './bindingInsertion';
import { applyEdits, createFile, currentText, RepositoryChangeError, type OpenDocumentText, type RepositoryChange } from './fileChanges';
import { attributeNameProblem } from './names';
import { bindingsOf, definedNames, literalPath, topLevelAttrset, unwrapExpression } from './nixTree';
import { findModuleCollection, isModuleEntry } from './repositoryLayout';
import { moduleTemplate } from './templates/module';
import { parseNix } from '../syntax/grammarText';

export interface AddModuleOptions {
  root: string;
  name: string;
}

export interface AddModuleContext {
  parser: Parser;
  openDocumentText?: OpenDocumentText;
}

export function addModule(options: AddModuleOptions, context: AddModuleContext): RepositoryChange {
  const { root, name } = options;
  const problem = attributeNameProblem(name, 'module');
  if (problem) throw new RepositoryChangeError(problem);

  const defaultNix = join(root, 'default.nix');
  const top = currentText(defaultNix, context.openDocumentText);
  const topTree = parseNix(context.parser, top.text);
  if (!topTree) throw new RepositoryChangeError('default.nix could not be parsed.');
  try {
    const collection = findModuleCollection(topTree, root);
    if (!collection) {
      throw new RepositoryChangeError("default.nix has no 'modules' or 'nixosModules' attribute; add 'modules = import ./nixos-modules;' and create nixos-modules/default.nix first.");
    }
    const moduleFile = join(collection.directory, `${name}.nix`);
    if (existsSync(moduleFile)) throw new RepositoryChangeError(`${relative(root, moduleFile)} already exists.`);

    const packageDirectory = join(root, 'pkgs', name);
    const content = moduleTemplate({
      name,
      packagePath: existsSync(join(packageDirectory, 'default.nix')) ? nixRelativePath(collection.directory, packageDirectory) : undefined,
    });

    if (collection.kind === 'inline') {
      if (definedNames(collection.attrset).has(name)) throw new RepositoryChangeError(`default.nix already lists a module '${name}'.`);
      const entryPath = nixRelativePath(root, moduleFile);
      const edit = bindingInsertion({
        text: top.text,
        attrset: collection.attrset,
        name,
        binding: `${name} = ${entryStyle(collection.attrset, entryPath)};`,
        isPeer: isModuleEntry,
      });
      createFile(moduleFile, content);
      return { created: [moduleFile], edited: [applyEdits(defaultNix, top.text, [edit], top.open)] };
    }

    const list = currentText(collection.file, context.openDocumentText);
    const listTree = parseNix(context.parser, list.text);
    if (!listTree) throw new RepositoryChangeError(`${relative(root, collection.file)} could not be parsed.`);
    try {
      const attrset = topLevelAttrset(listTree.rootNode);
      if (!attrset) throw new RepositoryChangeError(`${relative(root, collection.file)} does not evaluate to an attribute set of modules.`);
      if (definedNames(attrset).has(name)) throw new RepositoryChangeError(`${relative(root, collection.file)} already lists a module '${name}'.`);
      const edit = bindingInsertion({
        text: list.text,
        attrset,
        name,
        binding: `${name} = ${entryStyle(attrset, `./${name}.nix`)};`,
        isPeer: isModuleEntry,
      });
      createFile(moduleFile, content);
      return { created: [moduleFile], edited: [applyEdits(collection.file, list.text, [edit], list.open)] };
    } finally {
      listTree.delete();
    }
  } finally {
    topTree.delete();
  }
}

/** `import ./x.nix` or plain `./x.nix`, whichever the existing entries use (import by default). */
function entryStyle(attrset: Node, path: string): string {
  const first = bindingsOf(attrset).find((binding) => binding.type === 'binding' && isModuleEntry(binding));
  const plainPath = first && literalPath(unwrapExpression(first.childForFieldName('expression'))) !== undefined;
  return plainPath ? path : `import ${path}`;
}

/** A relative Nix path literal from a directory to a target: `./x`, `../pkgs/x`. */
function nixRelativePath(from: string, to: string): string {
  const path = relative(from, to).split(sep).join('/');
  return path.startsWith('..') ? path : `./${path}`;
}
