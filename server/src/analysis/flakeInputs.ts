// The inputs a flake.nix declares, read from its top-level attribute set without evaluating it:
// `inputs.x.url = "…";`, `inputs = { x.url = "…"; y = { url = "…"; }; };`, `inputs.z = { … };`.
// Only names and URLs are needed: which input is nixpkgs, which is NUR, which may be a NUR repo.
import { unparenthesize } from './attrShapes';
import { bindingsNamed } from './bindingKeys';
import { attrName, staticStringValue } from './names';
import type { SyntaxNode } from './syntaxTree';

export interface FlakeInput {
  name: string;
  /** The `url` attribute, when it is a plain string. */
  url?: string;
  /** The attribute node naming the input. */
  node: SyntaxNode;
}

/** The top-level attribute set of a file, when the file is one. */
export function rootAttrSet(root: SyntaxNode): SyntaxNode | undefined {
  const top = unparenthesize(root.children.find((c) => c.type !== 'comment'));
  return top && (top.type === 'attrset_expression' || top.type === 'rec_attrset_expression') ? top : undefined;
}

/** Bindings of an attribute set, as (names of the path, value, binding) without building shapes. */
export function* bindingsOf(attrset: SyntaxNode): Generator<{ names: (string | undefined)[]; attrs: readonly SyntaxNode[]; value: SyntaxNode | undefined; binding: SyntaxNode }> {
  const set = attrset.childOfType('binding_set');
  if (!set) return;
  for (const binding of set.children) {
    if (binding.type !== 'binding') continue;
    const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
    yield { names: attrs.map(attrName), attrs, value: binding.child('expression'), binding };
  }
}

/** The inputs declared by a flake file; empty when the file is not a flake's attribute set. */
export function flakeInputsOf(root: SyntaxNode): Map<string, FlakeInput> {
  const inputs = new Map<string, FlakeInput>();
  const top = rootAttrSet(root);
  if (!top) return inputs;
  const note = (name: string | undefined, node: SyntaxNode, url?: string) => {
    if (!name) return;
    const known = inputs.get(name);
    if (!known) inputs.set(name, { name, node, url });
    else if (url && !known.url) known.url = url;
  };
  // `rest` is the part of the path after the input's name; `value` what it is bound to.
  const describe = (name: string | undefined, node: SyntaxNode, rest: (string | undefined)[], value: SyntaxNode | undefined) => {
    if (rest.length === 1 && rest[0] === 'url') return note(name, node, stringOf(value));
    if (rest.length > 0) return note(name, node);
    const literal = unparenthesize(value);
    if (literal?.type === 'attrset_expression') {
      let url: string | undefined;
      for (const b of bindingsOf(literal)) if (b.names.length === 1 && b.names[0] === 'url') url = stringOf(b.value);
      return note(name, node, url);
    }
    note(name, node);
  };
  for (const { binding } of bindingsNamed(top, 'inputs')) {
    const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
    const names = attrs.map(attrName);
    const value = binding.child('expression');
    if (names.length >= 2) {
      describe(names[1], attrs[1]!, names.slice(2), value);
      continue;
    }
    const literal = unparenthesize(value);
    if (literal?.type !== 'attrset_expression') continue;
    for (const inner of bindingsOf(literal)) describe(inner.names[0], inner.attrs[0]!, inner.names.slice(1), inner.value);
  }
  return inputs;
}

function stringOf(node: SyntaxNode | undefined): string | undefined {
  const value = unparenthesize(node);
  return value ? staticStringValue(value) : undefined;
}

/** The `outputs` function of a flake file, whose formals name its inputs. */
export function flakeOutputsFunction(root: SyntaxNode): SyntaxNode | undefined {
  const top = rootAttrSet(root);
  if (!top) return undefined;
  for (const { keys, binding } of bindingsNamed(top, 'outputs')) {
    if (keys.names.length !== 1) continue;
    const fn = unparenthesize(binding.child('expression'));
    return fn?.type === 'function_expression' ? fn : undefined;
  }
  return undefined;
}

/** Whether an input is nixpkgs (or a fork of it): by its conventional name or by its URL. */
export function isNixpkgsInput(name: string, url: string | undefined): boolean {
  if (/^nixpkgs($|[-_])/.test(name)) return true;
  return !!url && /(^|[:/])nixpkgs(\/|$|\?|\.git)|channels\.nixos\.org|nixos\.org\/channels/i.test(url);
}

/** Whether an input is NUR itself (nix-community/NUR), whose outputs hold every repository. */
export function isNurInput(name: string, url: string | undefined): boolean {
  if (url) return /nix-community\/NUR(\/|$|\?|\.git)/i.test(url);
  return name === 'nur';
}
