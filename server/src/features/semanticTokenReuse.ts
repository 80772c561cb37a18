// Semantic tokens of a new version from the previous version's, without classifying the file
// again, when the edit between them cannot have changed what any name means: text typed inside a
// string or a comment. Most keystrokes in prose, descriptions and URLs are such edits, and in a big
// file they then cost a copy of the token list instead of a pass over the whole tree.
//
// The edit is found by comparing the texts (common start and end). It is inert when, in both
// versions, the changed text lies inside one string fragment or one comment that starts at the
// same place: so the edit neither closed the string or comment nor opened an interpolation, and
// the code around it parsed the same. Strings whose value means something to the analysis are
// excluded: quoted attribute names (they name bindings and options) and everything in a flake (its
// input URLs decide which input is nixpkgs).
import type { Analysis } from '../analysis/analysis';
import { flakeInputsOf } from '../analysis/flakeInputs';
import { nodeAt, type SyntaxNode } from '../analysis/syntaxTree';
import type { SemanticTokenList } from './semanticTokens';

export interface TokensOfVersion {
  /** What reuse reads of the analysis the tokens came from (not its scopes and names, so they can go). */
  readonly analysis: Pick<Analysis, 'root' | 'text' | 'lines' | 'builtins' | 'skipped'>;
  readonly tokens: SemanticTokenList;
}

/** The tokens of `analysis`, moved over from `previous`; undefined when they must be computed. */
export function reusedSemanticTokens(previous: TokensOfVersion, analysis: Analysis): SemanticTokenList | undefined {
  const before = previous.analysis;
  if (before.skipped || analysis.skipped || before.root.hasError || analysis.root.hasError || before.builtins !== analysis.builtins) return undefined;
  const oldText = before.text;
  const newText = analysis.text;
  if (oldText === newText) return previous.tokens;
  const shortest = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < shortest && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let common = 0;
  while (common < shortest - start && oldText.charCodeAt(oldText.length - 1 - common) === newText.charCodeAt(newText.length - 1 - common)) common++;
  const oldEnd = oldText.length - common;
  const newEnd = newText.length - common;

  const oldHolder = inertHolder(before.root, start, oldEnd);
  const newHolder = inertHolder(analysis.root, start, newEnd);
  if (!oldHolder || !newHolder || oldHolder.type !== newHolder.type || oldHolder.start !== newHolder.start) return undefined;
  if (newHolder.end - oldHolder.end !== newEnd - oldEnd) return undefined;
  if (flakeInputsOf(analysis.root).size > 0) return undefined;

  // No token lies in the edited text; those after it move with the text that follows the edit.
  const oldAt = before.lines.positionAt(oldEnd);
  const newAt = analysis.lines.positionAt(newEnd);
  const lineShift = newAt.line - oldAt.line;
  const data = previous.tokens.data.slice();
  for (let i = 0; i < data.length; i += 5) {
    const line = data[i]!;
    if (line < oldAt.line || (line === oldAt.line && data[i + 1]! < oldAt.character)) continue;
    if (line === oldAt.line) data[i + 1] = data[i + 1]! - oldAt.character + newAt.character;
    data[i] = line + lineShift;
  }
  return { data };
}

/** The string fragment or comment holding all of `[start, end]`, if one does. */
function inertHolder(root: SyntaxNode, start: number, end: number): SyntaxNode | undefined {
  // Typing at the end of a fragment or comment is typing into it: look on the left first.
  return holderFrom(nodeAt(root, start, true), start, end) ?? holderFrom(nodeAt(root, start, false), start, end);
}

function holderFrom(leaf: SyntaxNode, start: number, end: number): SyntaxNode | undefined {
  let node: SyntaxNode | null = leaf;
  while (node && !(node.start <= start && end <= node.end)) node = node.parent;
  if (!node) return undefined;
  if (node.type === 'comment') return node;
  if (node.type !== 'string_fragment') return undefined;
  const string = node.parent;
  if (string?.parent?.type === 'attrpath' || string?.parent?.type === 'inherited_attrs') return undefined;
  return node;
}
