// "Build" above every package of a NUR repository's default.nix. Plain data: the server turns each
// into a code lens running the build command with `{ file, attr }`.
import { join, resolve } from 'node:path';
import type { Tree } from 'web-tree-sitter';
import type { Range } from 'vscode-languageserver-types';
import { rangeOf } from '../../nur/nixTree';
import { packageBindings } from '../../nur/repositoryLayout';

export interface NurBuildLens {
  range: Range;
  title: string;
  /** Relative to the repository root. */
  file: 'default.nix';
  attr: string;
}

export function nurBuildLenses(tree: Tree, context: { path: string; root: string }): NurBuildLens[] {
  if (resolve(context.path) !== resolve(join(context.root, 'default.nix'))) return [];
  return packageBindings(tree).map(({ name, binding }) => ({
    range: rangeOf(binding.childForFieldName('attrpath') ?? binding),
    title: 'Build',
    file: 'default.nix',
    attr: name,
  }));
}
