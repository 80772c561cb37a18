// A URL literal (`https://example.org`, deprecated in Nix) written as the string it stands for.
import { enclosing, type Assist, type AssistResult } from './assist';
import type { SyntaxNode } from '../../analysis/syntaxTree';

export const uriToString: Assist = (context) => {
  const node = enclosing(context, 'uri_expression');
  return node ? [quoteUri(node)] : [];
};

export function quoteUri(node: SyntaxNode): AssistResult {
  return { title: 'Write the URL as a string', kind: 'refactor.rewrite', edits: [{ start: node.start, end: node.end, newText: `"${node.text}"` }] };
}
