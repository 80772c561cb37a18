// Lints: code that works (or once worked) but says something other than it means, or nothing at
// all. Each has a stable code (for `nixNur.diagnostics.ignore`) and, where the remedy is
// obvious, a fix. Found in one walk over the tree; a walk for the fixes at a cursor looks only
// at the nodes around it.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import type { AssistResult } from '../assists/assist';
import { isEmptyInherit, isEmptyLet, removeEmptyInherit, removeEmptyLet } from '../assists/emptyConstructs';
import { isNeedlessRec, isUnusedWith, removeRec, removeWith } from '../assists/needlessConstructs';
import { quoteUri } from '../assists/uriToString';
import { removeListElement } from '../local/textEdits';
import { replaceBuiltinName, shadowsBuiltin, unknownBuiltin } from './builtinNames';
import { isDeprecatedLet, modernLet } from './deprecatedLet';

export const LintCode = {
  duplicateArgument: 'duplicate-argument',
  unusedWith: 'unused-with',
  needlessRec: 'needless-rec',
  emptyLet: 'empty-let',
  emptyInherit: 'empty-inherit',
  urlLiteral: 'url-literal',
  deprecatedLet: 'deprecated-let',
  unknownBuiltin: 'unknown-builtin',
  shadowedBuiltin: 'shadowed-builtin',
} as const;

export type LintCode = (typeof LintCode)[keyof typeof LintCode];

export interface Lint {
  code: LintCode;
  start: number;
  end: number;
  message: string;
  severity: DiagnosticSeverity;
  /** Shown faded: the code can go. */
  unnecessary?: boolean;
  deprecated?: boolean;
  fixes: () => AssistResult[];
}

const SOURCE = 'nix-nur';

/** Every lint of the file, or those of nodes overlapping `[from, to]`. */
export function findLints(analysis: Analysis, from = 0, to = Infinity): Lint[] {
  if (analysis.skipped) return [];
  const lints: Lint[] = [];
  const stack: SyntaxNode[] = [analysis.root];
  while (stack.length) {
    const node = stack.pop()!;
    lintNode(analysis, node, lints);
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i]!;
      if (kid.end >= from && kid.start <= to) stack.push(kid);
    }
  }
  for (const definition of analysis.definitions) {
    const name = definition.nameNodes[0]!;
    if (name.end < from || name.start > to || !shadowsBuiltin(analysis, definition)) continue;
    lints.push({
      code: LintCode.shadowedBuiltin,
      start: name.start,
      end: name.end,
      message: `'${definition.name}' hides the builtin of the same name.`,
      severity: DiagnosticSeverity.Warning,
      fixes: () => [],
    });
  }
  return lints.filter((l) => l.end >= from && l.start <= to).sort((a, b) => a.start - b.start);
}

function lintNode(analysis: Analysis, node: SyntaxNode, lints: Lint[]): void {
  const add = (code: LintCode, at: { start: number; end: number }, message: string, severity: DiagnosticSeverity, fixes: () => AssistResult[], extra: Partial<Lint> = {}) =>
    lints.push({ code, start: at.start, end: at.end, message, severity, fixes, ...extra });
  const keyword = (length: number) => ({ start: node.start, end: node.start + length });
  switch (node.type) {
    case 'formals': {
      const seen = new Set<string>();
      for (const formal of node.childrenOf('formal')) {
        const name = formal.child('name');
        if (!name || name.isMissing) continue;
        if (seen.has(name.text)) {
          add(LintCode.duplicateArgument, name, `Argument '${name.text}' is declared twice; Nix rejects this.`, DiagnosticSeverity.Error, () => [
            { title: `Remove the second '${name.text}'`, kind: 'quickfix', edits: [{ ...formalRemoval(analysis.text, formal), newText: '' }] },
          ]);
        }
        seen.add(name.text);
      }
      break;
    }
    case 'with_expression':
      if (isUnusedWith(analysis, node)) {
        const body = node.child('body')!;
        const head = { start: node.start, end: analysis.text.lastIndexOf(';', body.start) + 1 };
        add(LintCode.unusedWith, head, `No name is taken from this 'with'.`, DiagnosticSeverity.Warning, () => [fix(removeWith(node))], { unnecessary: true });
      }
      break;
    case 'rec_attrset_expression':
      if (isNeedlessRec(analysis, node)) add(LintCode.needlessRec, keyword(3), `This set does not refer to its own attributes: 'rec' is not needed.`, DiagnosticSeverity.Warning, () => [fix(removeRec(node))], { unnecessary: true });
      break;
    case 'let_expression':
      if (isEmptyLet(node) && !node.hasError) {
        add(LintCode.emptyLet, { start: node.start, end: node.child('body')!.start }, `This 'let' binds nothing.`, DiagnosticSeverity.Warning, () => [fix(removeEmptyLet(node))], { unnecessary: true });
      }
      break;
    case 'inherit':
    case 'inherit_from':
      if (isEmptyInherit(node)) add(LintCode.emptyInherit, node, `This 'inherit' names nothing.`, DiagnosticSeverity.Warning, () => [fix(removeEmptyInherit(node))], { unnecessary: true });
      break;
    case 'uri_expression':
      add(LintCode.urlLiteral, node, 'URL literals are deprecated: write the URL as a string.', DiagnosticSeverity.Warning, () => [fix(quoteUri(node))], { deprecated: true });
      break;
    case 'let_attrset_expression':
      if (isDeprecatedLet(node)) {
        const modern = () => modernLet(node);
        add(LintCode.deprecatedLet, keyword(3), "'let { … body = …; }' is deprecated: write 'let … in …'.", DiagnosticSeverity.Warning, () => [modern()].filter((r) => r !== undefined), { deprecated: true });
      }
      break;
    case 'select_expression': {
      const unknown = unknownBuiltin(analysis, node);
      if (unknown) {
        const hint = unknown.suggestions.length ? ` Did you mean ${unknown.suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
        add(LintCode.unknownBuiltin, unknown.node, `The installed Nix has no 'builtins.${unknown.name}'.${hint}`, DiagnosticSeverity.Warning, () =>
          unknown.suggestions.map((s) => replaceBuiltinName(unknown, s)),
        );
      }
      break;
    }
  }
}

/** A formal's removal, leaving the blank before a closing `}` that follows it. */
function formalRemoval(text: string, formal: SyntaxNode): { start: number; end: number } {
  const removal = removeListElement(text, formal);
  return text[removal.end] === '}' && removal.end > formal.end ? { start: removal.start, end: formal.end } : removal;
}

function fix(result: AssistResult): AssistResult {
  return { ...result, kind: 'quickfix' };
}

/** The lints as diagnostics. */
export function lintDiagnostics(analysis: Analysis, lints: readonly Lint[] = findLints(analysis)): Diagnostic[] {
  return lints.map((lint) => {
    const tags: DiagnosticTag[] = [];
    if (lint.unnecessary) tags.push(DiagnosticTag.Unnecessary);
    if (lint.deprecated) tags.push(DiagnosticTag.Deprecated);
    return {
      range: analysis.lines.range(lint),
      severity: lint.severity,
      code: lint.code,
      source: SOURCE,
      message: lint.message,
      ...(tags.length ? { tags } : {}),
    };
  });
}
