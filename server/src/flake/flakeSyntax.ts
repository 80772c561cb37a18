// The inputs and the outputs signature of a flake.nix, read from its syntax tree. People spell
// the same input in many ways — `inputs.x.url = …`, `inputs = { x.url = …; }`, `inputs.x = { url
// = …; }`, attribute form with `type`/`owner`/`repo` — so nested attribute sets are first
// flattened into full attribute paths, then the paths are interpreted.
import type { Node } from 'web-tree-sitter';
import type { Range } from 'vscode-languageserver-types';
import { tryParseFlakeRef, type FlakeRef } from './flakeRef';
import { refFromAttributes, type RefAttributeValue } from './refAttributes';
import { nodeRange, readStringLiteral, type StringLiteral } from './stringLiteral';

/** A value written in flake.nix: a string, a boolean, a number, or anything else (computed). */
export type WrittenValue =
  | { readonly kind: 'string'; readonly string: StringLiteral; readonly range: Range }
  | { readonly kind: 'bool'; readonly value: boolean; readonly range: Range }
  | { readonly kind: 'number'; readonly value: number; readonly range: Range }
  | { readonly kind: 'other'; readonly range: Range };

/** One attribute of an input in attribute form (`owner = "NixOS";`), with its whole binding. */
export interface InputAttribute {
  readonly name: string;
  readonly value: WrittenValue;
  /** The binding, `;` included: what an edit removes. */
  readonly bindingRange: Range;
  /** The attribute path text written before this attribute's name (`inputs.src.` or ''). */
  readonly pathPrefix: string;
}

/** `inputs.<input>.inputs.<path>.follows = …` (or `.url`): a change to one of the input's own inputs. */
export interface InputOverride {
  readonly path: readonly string[];
  readonly nameRange: Range;
  readonly follows?: StringLiteral;
  readonly url?: StringLiteral;
}

export interface FlakeInputDecl {
  readonly name: string;
  /** Every place the name is written, in document order. */
  readonly nameRanges: Range[];
  url?: StringLiteral;
  follows?: StringLiteral;
  /** `flake = false` makes the input a plain source. */
  flake?: boolean;
  /** Attribute form: `type`, `owner`, `repo`, `ref`, `rev`, `dir`, … */
  readonly attributes: Map<string, InputAttribute>;
  readonly overrides: InputOverride[];
  /** Named only in the outputs' formals: Nix takes it from the flake registry. */
  readonly implicit: boolean;
}

export interface OutputsFormal {
  readonly name: string;
  readonly range: Range;
  readonly hasDefault: boolean;
}

export interface OutputsSignature {
  /** Undefined for `outputs = inputs: …` (no destructuring). */
  readonly formals?: readonly OutputsFormal[];
  readonly formalsRange?: Range;
  readonly ellipsis: boolean;
  /** The `@name` (or plain `name:`) binding of the whole argument. */
  readonly universal?: { readonly name: string; readonly range: Range };
  /** The function as a whole and its body. */
  readonly range: Range;
  readonly bodyRange: Range;
}

export interface FlakeSyntax {
  /** Declared inputs in document order, then the implicit ones from the formals. */
  readonly inputs: readonly FlakeInputDecl[];
  readonly outputs?: OutputsSignature;
  /** Where `inputs` is written at the top level (anchor for flake-wide messages). */
  readonly inputsKeyRanges: readonly Range[];
  /** The `inputs` key of an `inputs = { … };` block, when there is one. */
  readonly inputsBlockKeyRange?: Range;
  /** False when the file's top level is not an attribute set we could read. */
  readonly recognized: boolean;
  /**
   * False when some inputs may be hidden from us: `inputs = import ./inputs.nix;`, a computed
   * name, an `inherit`. Checks that need every input (an unused lock entry) then stay quiet.
   */
  readonly complete: boolean;
}

/** Known keys of the attribute form; anything else under an input is not an attribute of its source. */
export const ATTRIBUTE_FORM_KEYS = [
  'type', 'owner', 'repo', 'ref', 'rev', 'dir', 'host', 'path', 'id', 'narHash', 'submodules', 'shallow',
  'allRefs', 'lfs', 'exportIgnore', 'lastModified', 'revCount', 'keytype', 'publicKey', 'publicKeys', 'verifyCommit',
] as const;
const ATTRIBUTE_KEYS: ReadonlySet<string> = new Set(ATTRIBUTE_FORM_KEYS);

interface PathPart {
  readonly name: string;
  readonly range: Range;
  readonly node: Node;
}

interface FlatBinding {
  readonly path: readonly PathPart[];
  readonly value: Node;
  readonly binding: Node;
  /** Index in `path` where the binding's own attribute path starts. */
  readonly ownStart: number;
}

/** The outermost attribute set of a flake.nix, looking through `let … in`, `with …;` and parentheses. */
export function flakeTopLevel(root: Node): Node | undefined {
  let node: Node | null = root.type === 'source_code' ? (root.childForFieldName('expression') ?? root.namedChild(0)) : root;
  for (let depth = 0; node && depth < 16; depth++) {
    if (node.type === 'attrset_expression' || node.type === 'rec_attrset_expression') return node;
    // While the file is being typed the outer braces may not match; tree-sitter then keeps the
    // bindings it recognised directly under an ERROR node.
    if (node.type === 'ERROR' && node.text.trimStart().startsWith('{')) return node;
    if (node.type === 'let_expression' || node.type === 'with_expression') node = node.childForFieldName('body');
    else if (node.type === 'parenthesized_expression') node = node.childForFieldName('expression') ?? node.namedChild(0);
    else return undefined;
  }
  return undefined;
}

/** Reads the inputs and outputs signature; never throws on broken code, it reads what it can. */
export function readFlakeSyntax(root: Node): FlakeSyntax {
  const top = flakeTopLevel(root);
  if (!top) return { inputs: [], inputsKeyRanges: [], recognized: false, complete: false };
  const declared = new Map<string, FlakeInputDecl>();
  const inputsKeyRanges: Range[] = [];
  let outputs: OutputsSignature | undefined;
  const unreadable = { found: false };
  let inputsBlockKeyRange: Range | undefined;

  for (const flat of flattenBindings(top, [], unreadable)) {
    const [head, nameSegment, ...rest] = flat.path;
    if (head.name === 'outputs' && flat.path.length === 1) {
      outputs = readOutputs(flat.value) ?? outputs;
      continue;
    }
    if (head.name !== 'inputs') continue;
    if (flat.ownStart === 0 && !inputsKeyRanges.some((range) => sameRange(range, head.range))) inputsKeyRanges.push(head.range);
    if (!nameSegment) {
      if (!isContainer(flat.value)) unreadable.found = true;
      else inputsBlockKeyRange ??= head.range;
      continue;
    }
    const decl = declared.get(nameSegment.name) ?? newDecl(nameSegment.name, false);
    declared.set(decl.name, decl);
    if (!decl.nameRanges.some((range) => sameRange(range, nameSegment.range))) decl.nameRanges.push(nameSegment.range);
    if (isContainer(flat.value)) continue;
    interpretInputBinding(decl, rest, flat);
  }

  const inputs = [...declared.values()];
  for (const formal of outputs?.formals ?? []) {
    if (formal.name === 'self' || declared.has(formal.name)) continue;
    const implicit = newDecl(formal.name, true);
    implicit.nameRanges.push(formal.range);
    declared.set(formal.name, implicit);
    inputs.push(implicit);
  }
  // A file with syntax errors may hide inputs in the parts that did not parse.
  return { inputs, outputs, inputsKeyRanges, inputsBlockKeyRange, recognized: true, complete: !unreadable.found && !root.hasError };
}

function newDecl(name: string, implicit: boolean): FlakeInputDecl {
  return { name, nameRanges: [], attributes: new Map(), overrides: [], implicit };
}

function interpretInputBinding(decl: FlakeInputDecl, rest: readonly PathPart[], flat: FlatBinding): void {
  const keys = rest.map((part) => part.name);
  if (keys.length === 1 && keys[0] === 'url') {
    decl.url = readStringLiteral(flat.value) ?? decl.url;
  } else if (keys.length === 1 && keys[0] === 'follows') {
    decl.follows = readStringLiteral(flat.value) ?? decl.follows;
  } else if (keys.length === 1 && keys[0] === 'flake') {
    const value = readWrittenValue(flat.value);
    if (value.kind === 'bool') decl.flake = value.value;
  } else if (keys.length === 1 && ATTRIBUTE_KEYS.has(keys[0])) {
    const ownFirst = flat.path[flat.ownStart];
    const lastPart = rest[0];
    // The text of the binding's own path up to this key, so a sibling can be written the same way.
    const prefixText = flat.binding.text.slice(0, Math.max(0, lastPart.node.startIndex - ownFirst.node.startIndex));
    decl.attributes.set(keys[0], {
      name: keys[0],
      value: readWrittenValue(flat.value),
      bindingRange: nodeRange(flat.binding),
      pathPrefix: prefixText,
    });
  } else if (keys[0] === 'inputs') {
    const target = overrideTarget(rest);
    if (!target) return;
    const key = target.path.join('/');
    const index = decl.overrides.findIndex((o) => o.path.join('/') === key);
    const existing: InputOverride = index >= 0 ? decl.overrides[index] : { path: target.path, nameRange: target.nameRange };
    const literal = readStringLiteral(flat.value);
    const updated = !literal ? existing : target.field === 'follows' ? { ...existing, follows: literal } : { ...existing, url: literal };
    if (index >= 0) decl.overrides[index] = updated;
    else decl.overrides.push(updated);
  }
}

/**
 * `inputs.a.follows`, `inputs.a.inputs.b.url`: the path of input names (the `inputs` between
 * them dropped), the field set, and where the last name is written.
 */
function overrideTarget(rest: readonly PathPart[]): { path: string[]; field: 'follows' | 'url'; nameRange: Range } | undefined {
  const path: string[] = [];
  let i = 0;
  while (rest[i]?.name === 'inputs' && rest[i + 1]) {
    path.push(rest[i + 1].name);
    const next = rest[i + 2]?.name;
    if ((next === 'follows' || next === 'url') && i + 3 === rest.length) {
      return { path, field: next, nameRange: rest[i + 1].range };
    }
    i += 2;
  }
  return undefined;
}

function readWrittenValue(node: Node): WrittenValue {
  const range = nodeRange(node);
  const string = readStringLiteral(node);
  if (string) return { kind: 'string', string, range };
  if (node.type === 'variable_expression' && (node.text === 'true' || node.text === 'false')) {
    return { kind: 'bool', value: node.text === 'true', range };
  }
  if (node.type === 'integer_expression') return { kind: 'number', value: Number(node.text), range };
  return { kind: 'other', range };
}

function readOutputs(value: Node): OutputsSignature | undefined {
  if (value.type !== 'function_expression') return undefined;
  const formalsNode = value.childForFieldName('formals');
  const universalNode = value.childForFieldName('universal');
  const body = value.childForFieldName('body');
  let formals: OutputsFormal[] | undefined;
  let ellipsis = false;
  if (formalsNode) {
    formals = [];
    for (const child of formalsNode.namedChildren) {
      if (!child) continue;
      if (child.type === 'ellipses') ellipsis = true;
      if (child.type !== 'formal') continue;
      const name = child.childForFieldName('name');
      // An empty identifier is tree-sitter's stand-in for a missing name (`{ a, }` while typing).
      if (!name || name.text.length === 0 || name.isMissing) continue;
      formals.push({ name: name.text, range: nodeRange(name), hasDefault: child.childForFieldName('default') !== null });
    }
  }
  return {
    formals,
    formalsRange: formalsNode ? nodeRange(formalsNode) : undefined,
    ellipsis,
    universal: universalNode ? { name: universalNode.text, range: nodeRange(universalNode) } : undefined,
    range: nodeRange(value),
    bodyRange: body ? nodeRange(body) : nodeRange(value),
  };
}

function isContainer(node: Node): boolean {
  return node.type === 'attrset_expression' || node.type === 'rec_attrset_expression';
}

/** Every binding under `attrset` with its full attribute path; nested attribute sets are entered. */
function flattenBindings(attrset: Node, prefix: readonly PathPart[], unreadable: { found: boolean }): FlatBinding[] {
  const result: FlatBinding[] = [];
  const bindingSet = attrset.type === 'ERROR' ? attrset : attrset.namedChildren.find((child) => child?.type === 'binding_set');
  if (!bindingSet) return result;
  const underInputs = prefix[0]?.name === 'inputs';
  for (const binding of bindingSet.namedChildren) {
    if (!binding) continue;
    if (binding.type !== 'binding') {
      // `inherit` under inputs brings in inputs we cannot see.
      if (underInputs && (binding.type === 'inherit' || binding.type === 'inherit_from')) unreadable.found = true;
      continue;
    }
    const attrpath = binding.childForFieldName('attrpath');
    const value = binding.childForFieldName('expression');
    if (!attrpath || !value) continue;
    const own: PathPart[] = [];
    let dynamic = false;
    for (const attr of attrpath.namedChildren) {
      if (!attr) continue;
      const name = attrName(attr);
      if (name === undefined) {
        dynamic = true;
        break;
      }
      own.push({ name, range: nodeRange(attr), node: attr });
    }
    // A computed name (`${x}`) could be anything; nothing below it can be known.
    if (dynamic || own.length === 0) {
      if (underInputs || own[0]?.name === 'inputs' || (dynamic && own.length === 0 && prefix.length === 0)) unreadable.found = true;
      continue;
    }
    const path = [...prefix, ...own];
    result.push({ path, value, binding, ownStart: prefix.length });
    if (isContainer(value)) result.push(...flattenBindings(value, path, unreadable));
  }
  return result;
}

/** The name an attribute path element spells: an identifier or a plain string (`"x"`). */
export function attrName(attr: Node): string | undefined {
  if (attr.type === 'identifier') return attr.text.length > 0 ? attr.text : undefined;
  const literal = readStringLiteral(attr);
  return literal?.literal ? literal.value : undefined;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** `{ type = "git"; url = …; ref = …; }`: the source is given attribute by attribute (`url` among them). */
export function isAttributeForm(decl: FlakeInputDecl): boolean {
  return decl.attributes.has('type');
}

/** The source an input names: its URL, its attribute form, or the registry entry of an implicit input. */
export function inputSource(decl: FlakeInputDecl): FlakeRef | undefined {
  if (decl.implicit) return { type: 'indirect', id: decl.name, explicit: false, query: [] };
  if (isAttributeForm(decl)) {
    const attrs: Record<string, RefAttributeValue> = {};
    if (decl.url) {
      if (!decl.url.literal) return undefined;
      attrs.url = decl.url.value;
    }
    for (const [name, attribute] of decl.attributes) {
      const value = attribute.value;
      if (value.kind === 'string' && value.string.literal) attrs[name] = value.string.value;
      else if (value.kind === 'bool' || value.kind === 'number') attrs[name] = value.value;
    }
    return refFromAttributes(attrs);
  }
  if (decl.url?.literal) return tryParseFlakeRef(decl.url.value);
  return undefined;
}

/** Whether the position lies within the range (ends inclusive, as a cursor at either end touches it). */
export function rangeContains(range: Range, line: number, character: number): boolean {
  if (line < range.start.line || line > range.end.line) return false;
  if (line === range.start.line && character < range.start.character) return false;
  if (line === range.end.line && character > range.end.character) return false;
  return true;
}
