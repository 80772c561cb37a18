// Add an undefined name to the arguments of the function the file is (`{ stdenv, … }: …`): the
// usual fix in a package file that uses `fetchurl` without asking for it. Offered as the quick fix
// of the undefined-variable diagnostic (features/local/quickFixes.ts).
import type { Analysis } from '../../analysis/analysis';
import { unparenthesize } from '../../analysis/attrShapes';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import type { AssistResult } from './assist';

/** The function the whole file is, when it takes a formals pattern. */
function fileFunction(analysis: Analysis): SyntaxNode | undefined {
  const top = unparenthesize(analysis.root.children.find((c) => c.type !== 'comment'));
  return top?.type === 'function_expression' && top.child('formals') ? top : undefined;
}

/** Adds `name` to the file function's formals, or undefined when the file is no such function. */
export function addArgument(analysis: Analysis, name: string): AssistResult | undefined {
  const formals = fileFunction(analysis)?.child('formals');
  if (!formals || formals.hasError) return undefined;
  const title = `Add '${name}' to the function's arguments`;
  const elements = formals.children.filter((c) => c.type === 'formal' || c.type === 'ellipses');
  if (elements.length === 0) return { title, kind: 'quickfix', edits: [{ start: formals.start, end: formals.end, newText: `{ ${name} }` }] };
  const text = analysis.text;
  // Reuse the list's own separator, so leading-comma and trailing-comma styles both stay intact.
  const separator = elements.length > 1 ? text.slice(elements[0]!.end, elements[1]!.start) : ', ';
  const ellipsis = elements.find((e) => e.type === 'ellipses');
  const last = elements[elements.length - 1]!;
  const edit = ellipsis ? { start: ellipsis.start, end: ellipsis.start, newText: `${name}${separator}` } : { start: last.end, end: last.end, newText: `${separator}${name}` };
  return { title, kind: 'quickfix', edits: [edit] };
}
