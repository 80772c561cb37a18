// Finds where a fixed-output hash is written in a Nix file, given what Nix reported about the
// mismatch, and the edit that writes the right hash there.
//
// Strategy. Nix names the derivation (`/nix/store/…-<name>.drv`), the hash it was given
// ("specified", in SRI form) and the hash it got. In the source the hash is one of:
//  - a string literal equal to the specified hash in any spelling (SRI, Nix base32, base16,
//    base64, with or without `sha256:`). A real hash is unique, so such a literal is the answer;
//  - when the specified hash is all zeros (what Nix reports for placeholders): `lib.fakeHash`,
//    `lib.fakeSha256`, `lib.fakeSha512` (or those names brought into scope by `with`/`inherit`),
//    an empty string bound to a hash attribute (`hash = "";`), or a literal of zeros.
// Placeholders are common, so several may be found; each is scored by evidence that it belongs to
// the derivation Nix named: a `name`, `pname`+`version`, or `url` basename (fetchurl's default
// name) equal to the derivation name in the attrsets around it, or a binding of that name holding
// it. Nearer evidence scores higher. The caller keeps the best-scoring sites.
import type { Node } from 'web-tree-sitter';
import type { Range } from 'vscode-languageserver-types';
import { formatHash, hashSpellings, isZeroHash, parseHash, type HashAlgorithm } from '../../nix/hashFormats';
import { attrName, attrPathNames, bindingsOf, literalString, rangeOfNode } from './nixSyntax';

export interface HashMismatchFacts {
  /** The hash the derivation declared, as Nix printed it. */
  specified: string;
  /** The hash Nix computed. */
  got: string;
  /** The fixed-output derivation's name (`source`, `hello-2.12.tar.gz`). */
  drvName: string;
}

export type HashSiteKind = 'literal' | 'empty' | 'placeholder';

export interface HashSite {
  /** The node to replace: the string literal or the placeholder expression. */
  range: Range;
  kind: HashSiteKind;
  /** The source text now at `range`. */
  currentText: string;
  /** What to write instead: the right hash as a string literal. */
  newText: string;
  /** The attribute it is bound to (`hash`, `sha256`, `outputHash`), when it is a binding's value. */
  attribute?: string;
  score: number;
}

const PLACEHOLDER_NAMES = new Set(['fakeHash', 'fakeSha256', 'fakeSha512', 'fakeSha1']);
const HASH_ATTRIBUTE = /^(hash|md5|sha1|sha256|sha512|outputHash|[A-Za-z]*Hash|[A-Za-z]*Sha256)$/;
const SCOPES = new Set(['attrset_expression', 'rec_attrset_expression', 'let_expression']);
const MAX_EVIDENCE_DEPTH = 4;

/** Every place in the tree that may hold the mismatched hash, best first. */
export function findHashSites(root: Node, facts: HashMismatchFacts): HashSite[] {
  const specified = parseHash(facts.specified);
  const got = parseHash(facts.got);
  const spellings = new Set(specified ? hashSpellings(specified.algorithm, specified.bytes) : [facts.specified]);
  const placeholder = specified ? isZeroHash(specified.bytes) : false;

  const sites: HashSite[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const site = siteAt(node, spellings, placeholder, got, facts.got);
    if (site) {
      const evidence = nameEvidence(node, facts.drvName);
      const base = site.kind === 'literal' && !placeholder ? 100 : 10;
      sites.push({ ...site, score: base + evidence });
      continue;
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (child) stack.push(child);
    }
  }
  return sites.sort((a, b) => b.score - a.score || a.range.start.line - b.range.start.line);
}

/** The sites sharing the best score (several only when the evidence cannot tell them apart). */
export function bestHashSites(sites: readonly HashSite[]): HashSite[] {
  if (sites.length === 0) return [];
  const top = Math.max(...sites.map((site) => site.score));
  return sites.filter((site) => site.score === top);
}

function siteAt(
  node: Node,
  spellings: Set<string>,
  placeholder: boolean,
  got: ReturnType<typeof parseHash>,
  gotText: string,
): Omit<HashSite, 'score'> | undefined {
  const attribute = boundAttribute(node);
  if (node.type === 'string_expression' || node.type === 'indented_string_expression') {
    const value = literalString(node);
    if (value === undefined) return undefined;
    if (spellings.has(value)) {
      return { range: rangeOfNode(node), kind: 'literal', currentText: node.text, newText: replacementFor(value, got, gotText), attribute };
    }
    if (value === '' && placeholder && attribute !== undefined && HASH_ATTRIBUTE.test(attribute)) {
      return { range: rangeOfNode(node), kind: 'empty', currentText: node.text, newText: sriLiteral(got, gotText), attribute };
    }
    return undefined;
  }
  if (!placeholder) return undefined;
  let name: string | undefined;
  if (node.type === 'variable_expression') name = node.childForFieldName('name')?.text;
  else if (node.type === 'select_expression' && !node.childForFieldName('default')) {
    const attrs = node.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
    const last = attrs[attrs.length - 1];
    name = last ? attrName(last) : undefined;
  }
  if (name && PLACEHOLDER_NAMES.has(name)) {
    return { range: rangeOfNode(node), kind: 'placeholder', currentText: node.text, newText: sriLiteral(got, gotText), attribute };
  }
  return undefined;
}

/** Keeps the spelling the author used (base32 stays base32); SRI otherwise. */
function replacementFor(oldValue: string, got: ReturnType<typeof parseHash>, gotText: string): string {
  if (!got) return JSON.stringify(gotText);
  const old = parseHash(oldValue, got.algorithm);
  if (!old || old.algorithm !== got.algorithm) return sriLiteral(got, gotText);
  return JSON.stringify(formatHash(got.algorithm, got.bytes, old.encoding, old.prefixed));
}

function sriLiteral(got: ReturnType<typeof parseHash>, gotText: string): string {
  return JSON.stringify(got ? formatHash(got.algorithm as HashAlgorithm, got.bytes, 'sri') : gotText);
}

/** `hash = <node>;` → `hash` (the last element of the attrpath). */
function boundAttribute(node: Node): string | undefined {
  const parent = node.parent;
  if (parent?.type !== 'binding' || parent.childForFieldName('expression')?.id !== node.id) return undefined;
  const names = attrPathNames(parent);
  return names[names.length - 1];
}

/**
 * How strongly the surroundings of a site point at the derivation name: 50 for a matching `name`
 * or `pname`+`version`, 40 for a `url` whose basename matches, 20 for a binding of that name
 * holding the site; 5 less for each enclosing attrset further out. 0 without evidence.
 */
export function nameEvidence(site: Node, drvName: string): number {
  let depth = 0;
  let best = 0;
  for (let node: Node | null = site.parent; node && depth < MAX_EVIDENCE_DEPTH; node = node.parent) {
    if (node.type === 'binding') {
      const names = attrPathNames(node);
      if (names[names.length - 1] === drvName) best = Math.max(best, 20 - 5 * depth);
      continue;
    }
    if (!SCOPES.has(node.type)) continue;
    const strength = containerEvidence(node, drvName);
    if (strength > 0) best = Math.max(best, strength - 5 * depth);
    depth++;
  }
  return best;
}

function containerEvidence(container: Node, drvName: string): number {
  const value = (name: string) => {
    for (const binding of bindingsOf(container)) {
      const names = attrPathNames(binding);
      if (names.length === 1 && names[0] === name) return binding.childForFieldName('expression') ?? undefined;
    }
    return undefined;
  };
  const name = staticString(value('name'), container);
  if (name === drvName) return 50;
  const pname = staticString(value('pname'), container);
  const version = staticString(value('version'), container);
  if (pname !== undefined && version !== undefined && `${pname}-${version}` === drvName) return 50;
  if (pname !== undefined && pname === drvName) return 30;
  const urls: (Node | undefined)[] = [value('url')];
  const list = value('urls');
  if (list?.type === 'list_expression') urls.push(...list.namedChildren.map((element) => element ?? undefined));
  for (const url of urls) {
    const text = staticString(url, container);
    if (text !== undefined && urlBaseName(text) === drvName) return 40;
  }
  return 0;
}

function urlBaseName(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * The value of a string when its interpolations only name other plain strings nearby:
 * `"${pname}-${version}"`, `"…/${finalAttrs.version}.tar.gz"`. Undefined otherwise.
 */
export function staticString(node: Node | undefined, scope: Node, depth = 0): string | undefined {
  if (!node || depth > 3) return undefined;
  const literal = literalString(node);
  if (literal !== undefined) return literal;
  if (node.type !== 'string_expression' && node.type !== 'indented_string_expression') return undefined;
  let value = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_fragment') value += child.text;
    else if (child.type === 'interpolation') {
      const inner = child.childForFieldName('expression') ?? child.namedChild(0);
      const name = referencedName(inner ?? undefined);
      const resolved = name ? lookUp(name, scope, depth) : undefined;
      if (resolved === undefined) return undefined;
      value += resolved;
    } else return undefined;
  }
  return value;
}

/** `version` or `finalAttrs.version` / `self.version` → `version`. */
function referencedName(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'variable_expression') return node.childForFieldName('name')?.text;
  if (node.type === 'select_expression') {
    const attrs = node.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
    if (attrs.length === 1 && attrs[0]) return attrName(attrs[0]);
  }
  return undefined;
}

function lookUp(name: string, from: Node, depth: number): string | undefined {
  for (let node: Node | null = from; node; node = node.parent) {
    if (!SCOPES.has(node.type)) continue;
    for (const binding of bindingsOf(node)) {
      const names = attrPathNames(binding);
      if (names.length === 1 && names[0] === name) {
        return staticString(binding.childForFieldName('expression') ?? undefined, node, depth + 1);
      }
    }
  }
  return undefined;
}
