// Compares two versions of a file token by token, comments included: what formatting may change
// is only the space between tokens, the indentation inside indented strings, and how a comment
// is framed (`/* x */` may become `# x`, a block comment's margin moves). Anything else — a token
// or comment word lost, added or moved — is a difference.
import type { Tree } from 'web-tree-sitter';
import { walkTree } from '../syntax/treeWalker';

/** Describes the first difference in tokens or comment words, or undefined when there is none. */
export function sameCode(beforeText: string, before: Tree, afterText: string, after: Tree): string | undefined {
  const a = withoutTrailingCommas(codeTokens(beforeText, before));
  const b = withoutTrailingCommas(codeTokens(afterText, after));
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return `'${a[i]}' became '${b[i]}'`;
  }
  if (a.length !== b.length) return a.length > b.length ? `'${a[length]}' was lost` : `'${b[length]}' was added`;
  return undefined;
}

/**
 * The tokens without a comma that only comments separate from a `}`: the official style writes
 * one after the last argument of a function whose arguments take several lines, and drops it on
 * one line (`{ lib, stdenv }:` ↔ one argument a line, each with its comma). In valid code a comma
 * stands before `}` nowhere else.
 */
function withoutTrailingCommas(tokens: string[]): string[] {
  const nextCode = (from: number) => {
    for (let i = from; i < tokens.length; i++) if (!tokens[i]!.startsWith('#')) return tokens[i];
    return undefined;
  };
  return tokens.filter((token, i) => token !== ',' || nextCode(i + 1) !== '}');
}

/** Tokens as `text`, comments as their words, indented-string text as its words. */
export function codeTokens(text: string, tree: Tree): string[] {
  const out: string[] = [];
  const walker = walkTree(tree);
  const language = tree.language;
  const indentedString = language.idForNodeType('indented_string_expression', true);
  const commentType = language.idForNodeType('comment', true);
  const fragmentType = language.idForNodeType('string_fragment', true);
  let insideIndented = 0;
  const depthOfIndented: number[] = [];
  let depth = 0;
  try {
    for (;;) {
      const type = walker.nodeTypeId;
      const start = walker.startIndex;
      const end = walker.endIndex;
      if (type === commentType) {
        out.push(...commentWords(text.slice(start, end)).map((word) => `#${word}`));
      } else if (type === fragmentType && insideIndented > 0) {
        out.push(...text.slice(start, end).split(/\s+/).filter((word) => word !== ''));
      } else if (!walker.nodeIsMissing && end > start) {
        if (type === indentedString) {
          insideIndented++;
          depthOfIndented.push(depth);
        }
        if (walker.gotoFirstChild()) {
          depth++;
          continue;
        }
        if (type === indentedString) {
          depthOfIndented.pop();
          insideIndented--;
        }
        out.push(text.slice(start, end));
      }
      while (!walker.gotoNextSibling()) {
        if (!walker.gotoParent()) return out;
        depth--;
        if (depthOfIndented[depthOfIndented.length - 1] === depth) {
          depthOfIndented.pop();
          insideIndented--;
        }
      }
    }
  } finally {
    walker.delete();
  }
}

function commentWords(comment: string): string[] {
  const body = comment.startsWith('#') ? comment.slice(1) : comment.replace(/^\/\*\*?/, '').replace(/\*\/$/, '');
  return body
    .split(/\s+/)
    .filter((word) => word !== '' && !/^\*+$/.test(word));
}
