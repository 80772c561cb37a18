// Go to definition for local code: variables (let, rec, formals, lambda parameters, inherit) and
// attributes of attribute sets written in the same file (`let s = { a = 1; }; in s.a`).
import type { Location } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { targetAt } from './symbolTargets';
import { locationOf } from './textEdits';

/**
 * Where the name at `offset` is defined. Empty for builtins (hover documents them), for names
 * that may come from `with`, and for anything not defined in this file.
 */
export function definitionAt(analysis: Analysis, uri: string, offset: number): Location[] {
  const target = targetAt(analysis, offset);
  if (!target) return [];
  switch (target.kind) {
    case 'definition': {
      // `inherit (s) a;` defines `a` by reading `s.a`: the attribute in `s` is the useful place.
      const source = inheritedSource(analysis, target.definition.nameNodes[0]!);
      if (source && target.node === target.definition.nameNodes[0]) return [locationOf(analysis, uri, source)];
      return [locationOf(analysis, uri, target.definition.nameNodes[0]!)];
    }
    case 'attribute':
      return [locationOf(analysis, uri, target.entry.nameNodes[0]!)];
    default:
      return [];
  }
}

/** For the name node of `inherit (s) a;`, the first definition of `a` inside a local `s`. */
function inheritedSource(analysis: Analysis, nameNode: SyntaxNode): SyntaxNode | undefined {
  const reference = analysis.attrReferenceAt(nameNode);
  return reference?.viaInherit ? reference.entry.nameNodes[0] : undefined;
}
