// Which input of flake.nix a position is on: its name, its URL, its `follows`, or one of its
// attributes.
import type { Position, Range } from 'vscode-languageserver-types';
import { rangeContains, type FlakeInputDecl, type FlakeSyntax } from '../../flake/flakeSyntax';

export interface InputAtPosition {
  readonly decl: FlakeInputDecl;
  /** The range the position is in, for the hover's highlight. */
  readonly range: Range;
}

export function inputAt(syntax: FlakeSyntax, position: Position): InputAtPosition | undefined {
  const inside = (range: Range | undefined) => range !== undefined && rangeContains(range, position.line, position.character);
  for (const decl of syntax.inputs) {
    const name = decl.nameRanges.find(inside);
    if (name) return { decl, range: name };
    if (decl.url && inside(decl.url.range)) return { decl, range: decl.url.range };
    if (decl.follows && inside(decl.follows.range)) return { decl, range: decl.follows.range };
    for (const attribute of decl.attributes.values()) {
      if (inside(attribute.bindingRange)) return { decl, range: attribute.bindingRange };
    }
  }
  return undefined;
}
