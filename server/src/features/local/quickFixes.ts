// Quick fixes for the local diagnostics, computed from the analysis of the current text (not from
// data stored in the diagnostics, which may belong to an older version):
// - unused `let` name: remove its binding(s), or prefix it with `_`;
// - unused name taken by `inherit`: remove it from the `inherit`;
// - unused formal in a `{ …, ... }` pattern: remove it (without `...` callers passing it would fail,
//   so there the last formal is replaced by `...` instead);
// - unused `@` name: remove it; unused lambda parameter: prefix it with `_`;
// - undefined variable in a file that is a function of a formals pattern: add it to the formals
//   (the usual fix in a package file: `fetchurl` used but not requested).
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import type { Definition } from '../../analysis/scopes';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { addArgument } from '../assists/addArgument';
import { LocalDiagnosticCode, localDiagnostics, type LocalDiagnosticsOptions } from './diagnostics';
import { removalRange, removeListElement, replace, skipBlanksBackward } from './textEdits';

/** Quick fixes for the local diagnostics overlapping `range`. */
export function localQuickFixes(analysis: Analysis, uri: string, range: Range, options: LocalDiagnosticsOptions = {}): CodeAction[] {
  if (analysis.skipped) return [];
  const actions: CodeAction[] = [];
  const within = { start: analysis.lines.offsetAt(range.start), end: analysis.lines.offsetAt(range.end) };
  for (const diagnostic of localDiagnostics(analysis, uri, options, within)) {
    if (!overlaps(diagnostic.range, range)) continue;
    for (const fix of fixesFor(analysis, diagnostic)) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred,
        edit: { changes: { [uri]: fix.edits } },
      });
    }
  }
  return actions;
}

interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function fixesFor(analysis: Analysis, diagnostic: Diagnostic): Fix[] {
  const offset = analysis.lines.offsetAt(diagnostic.range.start);
  switch (diagnostic.code) {
    case LocalDiagnosticCode.unusedBinding:
    case LocalDiagnosticCode.unusedArgument: {
      const definition = analysis.definitions.find((d) => d.nameNodes[0]!.start === offset);
      return definition ? unusedFixes(analysis, definition) : [];
    }
    case LocalDiagnosticCode.undefinedVariable: {
      const use = analysis.uses.find((u) => u.node.start === offset && u.resolution.kind === 'undefined');
      return use ? addFormalFixes(analysis, use.name) : [];
    }
    default:
      return [];
  }
}

function unusedFixes(analysis: Analysis, definition: Definition): Fix[] {
  const text = analysis.text;
  switch (definition.kind) {
    case 'let': {
      const entry = definition.entry!;
      const fixes: Fix[] = [];
      if (entry.inherits.length) {
        const site = entry.inherits[0]!;
        const attrs = site.statement.child('attrs')?.childrenOf('attr') ?? [];
        const removal = attrs.length <= 1 ? removalRange(text, site.statement.start, site.statement.end) : removeInheritedName(text, attrs, site.attr);
        fixes.push({ title: `Remove unused '${definition.name}'`, edits: [replace(analysis, removal, '')], preferred: true });
        return fixes;
      }
      const removals = entry.bindings.map((binding) => replace(analysis, removalRange(text, binding.start, binding.end), ''));
      fixes.push({ title: `Remove unused binding '${definition.name}'`, edits: dedupe(removals), preferred: true });
      const prefixed = `_${definition.name}`;
      if (!analysis.scopes.definitionsOf(definition.scope).has(prefixed)) {
        const edits = [...definition.nameNodes, ...definition.uses.map((u) => u.node)].map((node) => replace(analysis, node, prefixed));
        fixes.push({ title: `Prefix '${definition.name}' with '_'`, edits });
      }
      return fixes;
    }
    case 'formal': {
      const formals = definition.scope.child('formals');
      if (!formals || !definition.formal) return [];
      if (!formals.child('ellipses')) {
        // Callers may pass it: `...` in its place keeps them working. Only the last formal can
        // make way for it, since `...` ends the list.
        const list = formals.childrenOf('formal');
        if (list[list.length - 1] !== definition.formal) return [];
        return [{ title: `Replace unused '${definition.name}' with '...'`, edits: [replace(analysis, definition.formal, '...')], preferred: true }];
      }
      return [{ title: `Remove unused argument '${definition.name}'`, edits: [replace(analysis, removeListElement(text, definition.formal), '')], preferred: true }];
    }
    case 'pattern': {
      const universal = definition.nameNodes[0]!;
      const formals = definition.scope.child('formals');
      if (!formals) return [];
      // `{ … }@args` or `args@{ … }`: the `@` goes with the name.
      const removal = universal.start > formals.start ? { start: formals.end, end: universal.end } : { start: universal.start, end: formals.start };
      return [{ title: `Remove unused '@${definition.name}'`, edits: [replace(analysis, removal, '')], preferred: true }];
    }
    case 'parameter': {
      const prefixed = `_${definition.name}`;
      return [{ title: `Prefix '${definition.name}' with '_'`, edits: [replace(analysis, definition.nameNodes[0]!, prefixed)], preferred: true }];
    }
    default:
      return [];
  }
}

function removeInheritedName(text: string, attrs: readonly SyntaxNode[], attr: SyntaxNode) {
  const index = attrs.indexOf(attr);
  const next = attrs[index + 1];
  if (next) return { start: attr.start, end: next.start };
  return { start: skipBlanksBackward(text, attr.start) + 1, end: attr.end };
}

function dedupe(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = JSON.stringify(e.range);
    return !seen.has(key) && seen.add(key);
  });
}

function addFormalFixes(analysis: Analysis, name: string): Fix[] {
  const added = addArgument(analysis, name);
  return added ? [{ title: added.title, edits: added.edits.map((e) => replace(analysis, e, e.newText)) }] : [];
}
