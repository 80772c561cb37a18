// Semantic tokens of a new version from the previous version's, computing only the subtree the
// edit was made in. A keystroke in a 10,000-line file then costs the tokens of one binding or
// name, not a pass over the whole tree and every option and package site of the file.
//
// The result always equals what `semanticTokens` computes afresh: analysis/editImpact.ts finds the
// subtree, and proves that the edit changed nothing outside it that a token depends on (syntax,
// what names resolve to and how they are coloured, option and package sites, what library
// bindings and `with`s stand for), or gives up, and the file is classified again. Outside the
// subtree the previous tokens are kept (moved with the text after the edit); what can still change
// there is whether a binding is read at all, so the definitions whose reads changed get their
// `unused` decided again.
import type { Analysis } from '../analysis/analysis';
import { editImpact } from '../analysis/editImpact';
import { lowerBound } from '../analysis/lowerBound';
import type { SyntaxNode } from '../analysis/syntaxTree';
import { packNumbers, replaceNumbers } from './packedNumbers';
import { definitionToken, semanticTokens, TOKEN_MODIFIERS, type SemanticTokenList } from './semanticTokens';

/**
 * Tokens as `SemanticTokenList` has them, five numbers each, packed: a large file's tens of
 * thousands of tokens kept between versions take 4 bytes a number instead of 8 or more.
 */
export interface PackedTokenList {
  readonly data: Uint32Array;
}

export interface TokensOfVersion {
  readonly analysis: Analysis;
  /** Taken over by the next version's tokens when they are made from them: not to be used after. */
  readonly tokens: PackedTokenList;
  /** The options they were computed with. */
  readonly fileName: string | undefined;
  readonly unusedFormals: boolean;
}

/**
 * Where a version's tokens differ from the previous version's once each is encoded relative to the
 * one before it (as the protocol sends them), in tokens: `[from, oldEnd)` of the previous list
 * became `[from, newEnd)` of the new one. Tokens moved with the text keep their encoding, all but
 * the first after the edit, which is counted in.
 */
export interface TokenChange {
  readonly from: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** Tokens made from the previous version's, and where they differ. */
export interface ReusedTokens extends PackedTokenList {
  readonly change: TokenChange;
}

export interface ReuseOptions {
  fileName?: string;
  unusedFormals?: boolean;
}

/** Paths are one token over their fragments: an edit inside one colours the whole path again. */
function isOneToken(node: SyntaxNode): boolean {
  return node.type === 'path_expression' || node.type === 'hpath_expression';
}

/**
 * The tokens of `analysis`, from `previous` and the subtree the edit changed (`previous.tokens`' list
 * is reused for them); undefined, with `previous` left as it was, when they must be computed whole.
 */
export function reusedSemanticTokens(previous: TokensOfVersion, analysis: Analysis, options: ReuseOptions = {}): ReusedTokens | undefined {
  const unusedFormals = options.unusedFormals !== false;
  if (previous.fileName !== options.fileName || previous.unusedFormals !== unusedFormals) return undefined;
  const before = previous.analysis;
  if (before.text === analysis.text && before.builtins === analysis.builtins && before.skipped === analysis.skipped) {
    return { data: previous.tokens.data, change: { from: 0, oldEnd: 0, newEnd: 0 } };
  }
  const impact = editImpact(before, analysis, { fileName: options.fileName }, isOneToken);
  if (!impact) return undefined;
  const { edited } = impact;
  const fresh = semanticTokens(analysis, {
    fileName: options.fileName,
    unusedFormals,
    range: { start: edited.after.start, end: edited.after.end },
    sites: impact.sitesInside,
  }).data;

  const old = previous.tokens.data;
  const start = before.lines.positionAt(edited.before.start);
  const oldEnd = before.lines.positionAt(edited.before.end);
  const newEnd = analysis.lines.positionAt(edited.after.end);
  const head = firstTokenFrom(old, start);
  const tail = firstTokenFrom(old, oldEnd);
  // The range's walk also writes the tokens touching its ends: only those inside the subtree count.
  const inside: number[] = [];
  for (let j = 0; j < fresh.length; j += 5) {
    const line = fresh[j]!;
    const character = fresh[j + 1]!;
    if (isBefore(line, character, start) || isBefore(newEnd.line, newEnd.character, { line, character: character + fresh[j + 2]! })) continue;
    inside.push(line, character, fresh[j + 2]!, fresh[j + 3]!, fresh[j + 4]!);
  }
  // The previous list is taken over and changed in place: copying a hundred thousand numbers
  // would cost more than everything else.
  const oldCount = old.length / 5;
  const data = replaceNumbers(old, head, tail, inside);
  // The first token after the edit is encoded relative to one before it that may be new.
  const after = tail / 5 < oldCount ? 1 : 0;
  let changedFrom = head / 5;
  let changedOldEnd = tail / 5 + after;
  let changedNewEnd = (head + inside.length) / 5 + after;
  const movedBy = (head + inside.length - tail) / 5;
  // What follows the edit moves with its text: on the edit's last line by the characters, below it by the lines.
  const lineShift = newEnd.line - oldEnd.line;
  for (let i = head + inside.length; i < data.length; i += 5) {
    const line = data[i]!;
    if (line === oldEnd.line) data[i + 1] = data[i + 1]! - oldEnd.character + newEnd.character;
    else if (lineShift === 0) break;
    data[i] = line + lineShift;
  }

  for (const definition of impact.definitionsToRecheck) {
    const token = definitionToken(analysis, definition, unusedFormals);
    for (const name of definition.nameNodes) {
      if (name.start >= edited.after.start && name.end <= edited.after.end) continue;
      const at = analysis.lines.positionAt(name.start);
      const index = tokenAt(data, at.line, at.character);
      // Only where the name is coloured as this definition (not as an option or a package).
      if (index < 0 || data[index + 3] !== token.type || !(data[index + 4]! & DECLARATION) || data[index + 4] === token.modifiers) continue;
      data[index + 4] = token.modifiers;
      const changed = index / 5;
      if (changed < changedFrom) changedFrom = changed;
      if (changed + 1 > changedNewEnd) {
        changedNewEnd = changed + 1;
        changedOldEnd = changed + 1 - movedBy;
      }
    }
  }
  return { data, change: { from: changedFrom, oldEnd: changedOldEnd, newEnd: changedNewEnd } };
}

const DECLARATION = 1 << TOKEN_MODIFIERS.indexOf('declaration');

/** The tokens of one document's versions, each made from the previous version's when it can be. */
export class DocumentTokens {
  private base: TokensOfVersion | undefined;
  /** How many versions were made from an earlier one's tokens (for tests and benchmarks). */
  reuses = 0;
  /** How the last tokens differ from the ones before them; undefined when computed whole. */
  lastChange: TokenChange | undefined;

  /** The tokens of `analysis`, not to be changed: the next version's are made from them. */
  tokensOf(analysis: Analysis, options: ReuseOptions = {}): PackedTokenList {
    const reused = this.base && reusedSemanticTokens(this.base, analysis, options);
    if (reused) this.reuses++;
    this.lastChange = reused?.change;
    const tokens = reused ?? packed(semanticTokens(analysis, options));
    this.base = { analysis, tokens, fileName: options.fileName, unusedFormals: options.unusedFormals !== false };
    return tokens;
  }
}

export function packed(tokens: SemanticTokenList): PackedTokenList {
  return { data: packNumbers(tokens.data) };
}

function isBefore(line: number, character: number, position: { line: number; character: number }): boolean {
  return line < position.line || (line === position.line && character < position.character);
}

/** The index of the first token of a sorted list that does not start before `position`. */
function firstTokenFrom(data: ArrayLike<number>, position: { line: number; character: number }): number {
  return 5 * lowerBound(data.length / 5, (index) => isBefore(data[index * 5]!, data[index * 5 + 1]!, position));
}

/** The index of the token starting at `line`:`character` in a sorted list, or -1. */
function tokenAt(data: ArrayLike<number>, line: number, character: number): number {
  const index = firstTokenFrom(data, { line, character });
  return index < data.length && data[index] === line && data[index + 1] === character ? index : -1;
}
