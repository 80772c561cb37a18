// The attribute paths written at the top of an attribute set (`services.nginx = …;` gives
// `['services', 'nginx']`), read cheaply. Module and flake detection look at every top-level
// binding of a file; in a lazily copied tree, copying thousands of bindings and their paths one by
// one costs tens of milliseconds, so only the binding set's children are copied and each path is
// read from the source text, where it starts with the binding.
import type { SyntaxNode } from './syntaxTree';

export interface BindingKeys {
  /** Names of the binding's attribute path; a part computed at evaluation time is undefined. */
  names: (string | undefined)[];
  /** Where the binding (and its path) starts. */
  start: number;
}

/** The attribute paths of the bindings of an attribute set, `rec` set or `let`, in order. */
export function bindingKeysOf(owner: SyntaxNode): BindingKeys[] {
  const bindingSet = owner.type === 'binding_set' ? owner : owner.childOfType('binding_set');
  if (!bindingSet) return [];
  const text = bindingSet.source.text;
  const result: BindingKeys[] = [];
  for (const binding of bindingSet.children) {
    if (binding.type === 'binding') result.push({ names: readPath(text, binding.start, binding.end), start: binding.start });
  }
  return result;
}

/** The `binding` node of `owner` whose attribute path starts at `start`. */
export function bindingAt(owner: SyntaxNode, start: number): SyntaxNode | undefined {
  const bindingSet = owner.type === 'binding_set' ? owner : owner.childOfType('binding_set');
  const bindings = bindingSet?.children ?? [];
  let low = 0;
  let high = bindings.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const binding = bindings[mid]!;
    if (binding.start === start) return binding.type === 'binding' ? binding : undefined;
    if (binding.start < start) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/** The bindings of `owner` whose path's first name is `name`, with their keys. */
export function bindingsNamed(owner: SyntaxNode, name: string): { keys: BindingKeys; binding: SyntaxNode }[] {
  const found: { keys: BindingKeys; binding: SyntaxNode }[] = [];
  for (const keys of bindingKeysOf(owner)) {
    if (keys.names[0] !== name) continue;
    const binding = bindingAt(owner, keys.start);
    if (binding) found.push({ keys, binding });
  }
  return found;
}

/** Reads `a.b."c".${d}` starting at `start`, up to the `=` (or `end`). */
function readPath(text: string, start: number, end: number): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  let at = start;
  while (at < end) {
    const { name, end: after } = readAttr(text, at);
    if (after <= at) break;
    names.push(name);
    at = skipBlanks(text, after, end);
    if (text[at] !== '.') break;
    at = skipBlanks(text, at + 1, end);
  }
  return names;
}

function skipBlanks(text: string, from: number, end: number): number {
  let at = from;
  while (at < end) {
    const c = text[at]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') at++;
    else if (c === '#') while (at < end && text[at] !== '\n') at++;
    else if (c === '/' && text[at + 1] === '*') {
      const close = text.indexOf('*/', at + 2);
      at = close < 0 ? end : close + 2;
    } else break;
  }
  return at;
}

/** Reads one attribute name written at `start`: an identifier or a plain double-quoted string. */
function readAttr(text: string, start: number): { name: string | undefined; end: number } {
  // An identifier, `[A-Za-z_][A-Za-z0-9_'-]*`, scanned by hand: this runs for every top-level binding of a file.
  if (isIdentifierStart(text.charCodeAt(start))) {
    let end = start + 1;
    while (end < text.length && isIdentifierPart(text.charCodeAt(end))) end++;
    return { name: text.slice(start, end), end };
  }
  if (text[start] === '"') {
    let value = '';
    for (let i = start + 1; i < text.length; i++) {
      const c = text[i]!;
      if (c === '"') return { name: value, end: i + 1 };
      if (c === '\\') {
        const next = text[++i];
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : (next ?? '');
        continue;
      }
      if (c === '$' && text[i + 1] === '{') return { name: undefined, end: skipToClose(text, i) };
      value += c;
    }
    return { name: undefined, end: text.length };
  }
  return { name: undefined, end: skipToClose(text, start) };
}

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57) || c === 39 || c === 45;
}

/** The end of an interpolation or string starting at `start`, by bracket counting. */
function skipToClose(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth <= 0) {
      let end = i + 1;
      if (text[end] === '"') end++;
      return end;
    }
  }
  return text.length;
}
