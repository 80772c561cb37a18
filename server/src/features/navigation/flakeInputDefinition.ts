// Go to definition from where a flake's outputs read an input to where flake.nix declares it: a
// formal of `outputs = { self, nixpkgs, … }:` (the formal itself, and every use of it, reach the
// formal first), and `inputs.nixpkgs` through the `@inputs` pattern, `self.inputs` or the formal
// set. Inputs only named in the formals (taken from the registry) have no declaration to go to.
import type { Location } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import { unparenthesize } from '../../analysis/attrShapes';
import { Denoter } from '../../analysis/denotation';
import { flakeInputsOf, flakeOutputsFunction } from '../../analysis/flakeInputs';
import { attrName } from '../../analysis/names';
import { nodeAt, type SyntaxNode } from '../../analysis/syntaxTree';
import { locationOf } from '../local/textEdits';

export function flakeInputDefinition(analysis: Analysis, uri: string, offset: number): Location[] {
  if (analysis.skipped) return [];
  const root = analysis.root;
  const outputs = flakeOutputsFunction(root);
  if (!outputs) return [];
  const name = inputNamedAt(analysis, nodeAt(root, offset, true), outputs) ?? inputNamedAt(analysis, nodeAt(root, offset, false), outputs);
  const input = name === undefined ? undefined : flakeInputsOf(root).get(name);
  return input ? [locationOf(analysis, uri, input.node)] : [];
}

/** The input a name node at the cursor stands for, if it is one. */
function inputNamedAt(analysis: Analysis, node: SyntaxNode, outputs: SyntaxNode): string | undefined {
  if (node.type !== 'identifier') return undefined;
  // A formal of `outputs` (its name, not its default).
  const definition = analysis.definitionNamedBy(node);
  if (definition?.kind === 'formal' && definition.scope === outputs && definition.name !== 'self') return definition.name;
  // `inputs.nixpkgs`, `self.inputs.nixpkgs`: the first name after the set of inputs.
  const attrpath = node.parent;
  const select = attrpath?.parent;
  if (attrpath?.type !== 'attrpath' || (select?.type !== 'select_expression' && select?.type !== 'has_attr_expression')) return undefined;
  const attrs = attrpath.childrenOf('attr');
  const index = attrs.indexOf(node);
  const denoter = new Denoter({ scopes: analysis.scopes, flakeInputs: flakeInputsOf(analysis.root), outputsFunction: outputs });
  const base = denoter.denote(unparenthesize(select.child('expression')));
  const before = base && denoter.extend(base, attrs.slice(0, index).map((a) => attrName(a) ?? null));
  return before?.kind === 'flakeInputs' ? attrName(node) : undefined;
}
