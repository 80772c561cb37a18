// Extract the selected expression to a `let` binding. The binding goes into the nearest `let`
// around it, or a new `let` wraps the nearest whole value (a binding's value, a function's or
// `with`'s body, the file's expression). Going no further than that keeps every name the
// expression reads meaning the same: the only scopes crossed are those of the expression's own
// subexpressions, and a `with` the expression takes names from is never crossed.
import type { Analysis } from '../../analysis/analysis';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import { freshName, indentationAt, selectedNode, shiftTail, type Assist, type AssistResult } from './assist';

export const extractLet: Assist = (context) => {
  const expression = selectedNode(context);
  if (!expression || expression.hasError || !isExtractable(expression)) return [];
  const { analysis } = context;
  const name = freshName(analysis.text, 'value');
  let child = expression;
  for (let node = expression.parent; node; child = node, node = node.parent) {
    switch (node.type) {
      case 'let_expression':
        return [intoLet(analysis, node, expression, name)];
      case 'function_expression':
        return child.field === 'body' ? wrap(analysis, child, expression, name) : [];
      case 'binding':
      case 'inherit_from':
        return child.field === 'expression' ? wrap(analysis, child, expression, name) : [];
      case 'source_code':
        return wrap(analysis, child, expression, name);
      case 'with_expression':
        if (child.field === 'body' && takesFromWith(analysis, expression, node)) return wrap(analysis, child, expression, name);
        break;
    }
  }
  return [];
};

function isExtractable(node: SyntaxNode): boolean {
  if (!node.type.endsWith('_expression') || node.type === 'variable_expression') return false;
  // Names in an attribute path are not expressions.
  return node.parent?.type !== 'attrpath' && node.parent?.type !== 'inherited_attrs';
}

function takesFromWith(analysis: Analysis, expression: SyntaxNode, withNode: SyntaxNode): boolean {
  return analysis.uses.some(
    (use) => use.node.start >= expression.start && use.node.end <= expression.end && use.resolution.kind === 'with' && use.resolution.withs.includes(withNode),
  );
}

function intoLet(analysis: Analysis, letNode: SyntaxNode, expression: SyntaxNode, name: string): AssistResult {
  const text = analysis.text;
  const bindings = letNode.childOfType('binding_set')?.children.filter((c) => c.type !== 'comment') ?? [];
  const last = bindings[bindings.length - 1];
  const replaceUse = { start: expression.start, end: expression.end, newText: name };
  if (!last) {
    // `let in body`: the binding goes after `let`.
    const afterLet = letNode.start + 3;
    return result([{ start: afterLet, end: afterLet, newText: ` ${name} = ${expression.text};` }, replaceUse]);
  }
  const ownLine = text.slice(text.lastIndexOf('\n', last.start - 1) + 1, last.start).trim() === '';
  const indent = indentationAt(text, last.start);
  const value = shiftTail(expression.text, `${indent}  `);
  const insertion = ownLine ? `\n${indent}${name} = ${value};` : ` ${name} = ${value};`;
  return result([{ start: last.end, end: last.end, newText: insertion }, replaceUse]);
}

function wrap(analysis: Analysis, target: SyntaxNode, expression: SyntaxNode, name: string): AssistResult[] {
  if (target === expression) return [];
  const text = analysis.text;
  const rest = text.slice(target.start, expression.start) + name + text.slice(expression.end, target.end);
  if (!rest.includes('\n') && !expression.text.includes('\n')) {
    return [result([{ start: target.start, end: target.end, newText: `let ${name} = ${expression.text}; in ${rest}` }])];
  }
  const indent = indentationAt(text, target.start);
  const value = shiftTail(expression.text, `${indent}    `);
  return [result([{ start: target.start, end: target.end, newText: `let\n${indent}  ${name} = ${value};\n${indent}in\n${indent}${rest}` }])];
}

function result(edits: AssistResult['edits']): AssistResult {
  return { title: 'Extract to a let binding', kind: 'refactor.extract', edits };
}
