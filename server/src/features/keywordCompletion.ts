// Keyword completion: Nix's keywords where an expression or a binding can go. An expression can
// start with `let`, `with`, `rec`, `if` or `assert`, and where an expression is being typed the
// `then` and `else` of an `if` may follow; a binding of a module can be an `inherit`. `or` (after a
// selection) and `in` (where a binding's name would go) are left out: offering them after every
// name would be noise.
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import type { CursorContext } from '../analysis/context';

const EXPRESSION_KEYWORDS = ['let', 'with', 'rec', 'if', 'then', 'else', 'assert'] as const;

export function keywordCompletions(context: CursorContext): CompletionItem[] {
  let words: readonly string[];
  switch (context.kind) {
    case 'variable':
    case 'optionValue':
      words = EXPRESSION_KEYWORDS;
      break;
    case 'packages':
      words = context.via === 'with' ? EXPRESSION_KEYWORDS : [];
      break;
    case 'option':
      words = ['inherit'];
      break;
    default:
      return [];
  }
  // Nothing typed yet: the names in scope matter more than seven keywords.
  if (!context.prefix) return [];
  return words
    .filter((word) => word.startsWith(context.prefix) && word !== context.word)
    .map((word) => ({ label: word, kind: CompletionItemKind.Keyword, textEdit: { range: context.replaceRange, newText: word } }));
}
