// Semantic diagnostics for local code, each with a stable `code`:
// - `undefined-variable` (error): a name no scope, builtin or `with` can provide. Never reported
//   inside a `with`, whose attributes are unknown until evaluation.
// - `unused-binding` (hint, faded): a `let` name nothing reads (reads from its own value do not
//   count: `let f = x: f x;` is still unused).
// - `unused-argument` (hint, faded): a function's parameter, formal or `@` name nothing reads.
//   Unused formals are reported even in `{ …, ... }` patterns: in a package or module they are a
//   dependency or a habit that can go, and the `...` makes removing them safe for callers. They are
//   not reported when the function's `@` name is used, because the formals then also document
//   what the whole argument set holds.
// - `duplicate-attribute` (error): one attribute defined twice in a way Nix rejects.
// Names starting with `_` are never reported as unused: that is how Nix code says "on purpose".
//
// While code is being typed it is often broken, and tree-sitter's recovery can cut a `let` or a
// set in two: every name bound after the break, or read after it, would then look undefined or
// unused all at once. So in a file with syntax errors (already reported as such) a name that is
// written as bound anywhere in the text is not reported undefined, and nothing is reported unused
// or duplicate inside a construct that holds an error. Clean code is unaffected.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import type { OffsetRange } from '../../analysis/lineIndex';
import type { Definition } from '../../analysis/scopes';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { rangeOf } from './textEdits';

export const DIAGNOSTIC_SOURCE = 'nix-nur';

export const LocalDiagnosticCode = {
  undefinedVariable: 'undefined-variable',
  unusedBinding: 'unused-binding',
  unusedArgument: 'unused-argument',
  duplicateAttribute: 'duplicate-attribute',
} as const;

export type LocalDiagnosticCode = (typeof LocalDiagnosticCode)[keyof typeof LocalDiagnosticCode];

export interface LocalDiagnosticsOptions {
  /** Report unused formals (`{ lib, ... }:` with `lib` unused). Default true. */
  unusedFormals?: boolean;
  /**
   * Report an unused `finalAttrs`, `self`, `super`, `final` or `prev` taken by a one-argument
   * function: by convention they are taken whether used or not. Default false.
   */
  unusedConventionalArguments?: boolean;
}

/** Parameter names that conventionally stand for a fixed point or overlay arguments. */
const CONVENTIONAL_PARAMETERS: ReadonlySet<string> = new Set(['finalAttrs', 'self', 'super', 'final', 'prev']);

/**
 * The local diagnostics of the file, or (given `within`) only those whose node overlaps those
 * offsets: a code action at a cursor needs only these, and in a big file the rest cost tens of
 * milliseconds.
 */
export function localDiagnostics(analysis: Analysis, uri: string, options: LocalDiagnosticsOptions = {}, within?: OffsetRange): Diagnostic[] {
  if (analysis.skipped) return [];
  const diagnostics: Diagnostic[] = [];
  // Read from the whole text, so only when an undefined name asks, and once per analysis.
  const maybeBound = (name: string) => analysis.root.hasError && boundNamesOf(analysis).has(name);
  const outside = (node: OffsetRange) => !!within && (node.end < within.start || node.start > within.end);

  for (const use of analysis.uses) {
    if (use.resolution.kind !== 'undefined' || outside(use.node)) continue;
    if (maybeBound(use.name)) continue;
    diagnostics.push({
      range: rangeOf(analysis, use.node),
      severity: DiagnosticSeverity.Error,
      code: LocalDiagnosticCode.undefinedVariable,
      source: DIAGNOSTIC_SOURCE,
      message: `Undefined variable '${use.name}'.`,
    });
  }

  for (const definition of analysis.definitions) {
    if (outside(definition.nameNodes[0]!)) continue;
    if (definition.kind === 'formal' && options.unusedFormals === false) continue;
    if (definition.kind === 'parameter' && !options.unusedConventionalArguments && CONVENTIONAL_PARAMETERS.has(definition.name)) continue;
    // The uses may be in the part the error cut off.
    if (definition.scope.hasError) continue;
    const unused = unusedDefinitionMessage(analysis, definition);
    if (!unused) continue;
    diagnostics.push({
      range: rangeOf(analysis, definition.nameNodes[0]!),
      severity: DiagnosticSeverity.Hint,
      tags: [DiagnosticTag.Unnecessary],
      code: unused.code,
      source: DIAGNOSTIC_SOURCE,
      message: unused.message,
    });
  }

  for (const duplicate of analysis.duplicates) {
    if (outside(duplicate.node) || brokenAround(duplicate.node)) continue;
    const path = duplicate.path.join('.');
    diagnostics.push({
      range: rangeOf(analysis, duplicate.node),
      severity: DiagnosticSeverity.Error,
      code: LocalDiagnosticCode.duplicateAttribute,
      source: DIAGNOSTIC_SOURCE,
      message: `Attribute '${path}' is already defined.`,
      relatedInformation: [
        { location: { uri, range: rangeOf(analysis, duplicate.previous) }, message: `'${path}' is first defined here.` },
      ],
    });
  }

  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

const boundNames = new WeakMap<Analysis, Set<string>>();

function boundNamesOf(analysis: Analysis): Set<string> {
  let names = boundNames.get(analysis);
  if (!names) boundNames.set(analysis, (names = namesWrittenAsBound(analysis.root.source.text)));
  return names;
}

/**
 * Every name the text binds somewhere, read from the characters rather than the (broken) tree:
 * `name =`, `name.more =`, `inherit … name …;`, `{ name, … }` and `name ? …` formals, `name:` and `name@`.
 */
function namesWrittenAsBound(text: string): Set<string> {
  const names = new Set<string>();
  const identifier = "[A-Za-z_][A-Za-z0-9_'-]*";
  const bound = new RegExp(`(${identifier})\\s*(?:=(?!=)|[,?@]|:(?!/))`, 'g');
  for (const match of text.matchAll(bound)) names.add(match[1]!);
  // The first name of a dotted key (`time.timeZone = …`): with the `;` before it deleted, the key
  // reads as the argument of a call, and its first name as a variable.
  const dottedKey = new RegExp(`(${identifier})(?:\\s*\\.\\s*(?:${identifier}|"[^"\\n]*"))+\\s*=(?!=)`, 'g');
  for (const match of text.matchAll(dottedKey)) names.add(match[1]!);
  const inherits = new RegExp(`\\binherit\\b(?:\\s*\\([^)]*\\))?([^;]*)`, 'g');
  for (const match of text.matchAll(inherits)) for (const name of match[1]!.match(new RegExp(identifier, 'g')) ?? []) names.add(name);
  return names;
}

/** Whether the set or `let` a duplicate is written in holds a syntax error. */
function brokenAround(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) if (n.type === 'binding_set') return n.hasError;
  return false;
}

/** Uses that count: reads from outside the definition's own bindings. */
export function effectiveUses(definition: Definition): number {
  const own = definition.entry?.bindings ?? [];
  if (own.length === 0) return definition.uses.length;
  return definition.uses.filter((use) => !own.some((binding) => inside(use.node, binding))).length;
}

function inside(node: SyntaxNode, container: SyntaxNode): boolean {
  return node.start >= container.start && node.end <= container.end;
}

export function unusedDefinitionMessage(analysis: Analysis, definition: Definition): { code: LocalDiagnosticCode; message: string } | undefined {
  if (definition.name.startsWith('_')) return undefined;
  switch (definition.kind) {
    case 'rec':
      // Attributes of a `rec` set are its result, read from elsewhere.
      return undefined;
    case 'let':
      if (effectiveUses(definition) > 0) return undefined;
      return { code: LocalDiagnosticCode.unusedBinding, message: `'${definition.name}' is defined but never used.` };
    case 'formal': {
      if (definition.uses.length > 0) return undefined;
      if (patternNameUsed(analysis, definition.scope)) return undefined;
      return { code: LocalDiagnosticCode.unusedArgument, message: `Argument '${definition.name}' is never used.` };
    }
    case 'parameter':
    case 'pattern':
      if (definition.uses.length > 0) return undefined;
      return { code: LocalDiagnosticCode.unusedArgument, message: `Argument '${definition.name}' is never used.` };
  }
}

/** Whether the `@` name of `fn`'s pattern is read anywhere. */
function patternNameUsed(analysis: Analysis, fn: SyntaxNode): boolean {
  const universal = fn.child('universal');
  if (!universal || !fn.child('formals')) return false;
  const pattern = analysis.scopes.definitionsOf(fn).get(universal.text);
  return pattern?.kind === 'pattern' && pattern.uses.length > 0;
}
