// Adds a package to a NUR repository: pkgs/<name>/default.nix from the builder's template, and the
// `<name> = pkgs.callPackage ./pkgs/<name> { };` binding in default.nix, in alphabetical order.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { bindingInsertion } from './bindingInsertion';
import type { Clock } from './dependencies';
import { applyEdits, createFile, currentText, RepositoryChangeError, type OpenDocumentText, type RepositoryChange } from './fileChanges';
import { attributeNameProblem, parseGitHubSource } from './names';
import { isCallPackage } from './nixTree';
import { findPackageSet } from './repositoryLayout';
import { isPackageBuilder, packageTemplate, PACKAGE_BUILDERS, type PackageBuilder } from './templates/package';
import { parseNix } from '../syntax/grammarText';

export interface AddPackageOptions {
  /** Absolute path of the repository root. */
  root: string;
  name: string;
  builder?: string;
  /** `owner/repo@rev` on GitHub. */
  source?: string;
}

export interface AddPackageContext {
  parser: Parser;
  clock: Clock;
  openDocumentText?: OpenDocumentText;
}

export interface AddPackageResult extends RepositoryChange {
  /** What to build next: `nix-build default.nix -A <attr>`. */
  installable: { file: 'default.nix'; attr: string };
  notes: string[];
}

export function addPackage(options: AddPackageOptions, context: AddPackageContext): AddPackageResult {
  const { root, name } = options;
  const problem = attributeNameProblem(name, 'package');
  if (problem) throw new RepositoryChangeError(problem);
  const requested = options.builder ?? 'stdenv.mkDerivation';
  if (!isPackageBuilder(requested)) {
    throw new RepositoryChangeError(`Unknown builder '${requested}'; use one of ${PACKAGE_BUILDERS.join(', ')}.`);
  }
  const builder: PackageBuilder = requested;
  let source;
  try {
    source = options.source?.trim() ? parseGitHubSource(options.source) : undefined;
  } catch (error) {
    throw new RepositoryChangeError((error as Error).message);
  }

  // Everything is checked before anything is written.
  const defaultNix = join(root, 'default.nix');
  const { text, open } = currentText(defaultNix, context.openDocumentText);
  const tree = parseNix(context.parser, text);
  if (!tree) throw new RepositoryChangeError('default.nix could not be parsed.');
  try {
    const set = findPackageSet(tree);
    if (!set) {
      throw new RepositoryChangeError(`Could not find the attribute set of packages in default.nix; add '${name} = pkgs.callPackage ./pkgs/${name} { };' to it by hand.`);
    }
    if (set.names.has(name)) throw new RepositoryChangeError(`default.nix already has an attribute '${name}'.`);
    const packageFile = join(root, 'pkgs', name, 'default.nix');
    if (existsSync(join(root, 'pkgs', name))) throw new RepositoryChangeError(`pkgs/${name} already exists.`);

    const edit = bindingInsertion({
      text,
      attrset: set.attrset,
      name,
      binding: `${name} = ${set.callee} ./pkgs/${name} { };`,
      isPeer: (binding) => isCallPackage(binding.childForFieldName('expression')),
    });
    const template = packageTemplate({ name, builder, source, today: context.clock() });

    createFile(packageFile, template.content);
    const edited = applyEdits(defaultNix, text, [edit], open);
    return {
      created: [packageFile],
      edited: [edited],
      installable: { file: 'default.nix', attr: name },
      notes: template.notes,
    };
  } finally {
    tree.delete();
  }
}
