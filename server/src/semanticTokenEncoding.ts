// The protocol's encoding of semantic tokens: each token's line and character relative to the token
// before it. A whole result is encoded once; after an edit, the last result sent is patched where
// the tokens changed (features/semanticTokenReuse.ts says where), so a keystroke in a file of a
// hundred thousand numbers neither encodes nor compares them all.
import type { SemanticTokensEdit } from 'vscode-languageserver';
import type { TokenChange } from './features/semanticTokenReuse';

/** Absolute (line, character) pairs to the protocol's: each relative to the token before it. */
export function relative(absolute: readonly number[]): number[] {
  return relativeSegment(absolute, 0, absolute.length / 5);
}

/** The protocol's numbers of the tokens `[from, to)` of an absolute list. */
function relativeSegment(absolute: readonly number[], from: number, to: number): number[] {
  const data = absolute.slice(from * 5, to * 5);
  let previousLine = from > 0 ? absolute[from * 5 - 5]! : 0;
  let previousCharacter = from > 0 ? absolute[from * 5 - 4]! : 0;
  for (let i = 0; i < data.length; i += 5) {
    const line = data[i]!;
    const character = data[i + 1]!;
    data[i] = line - previousLine;
    data[i + 1] = line === previousLine ? character - previousCharacter : character;
    previousLine = line;
    previousCharacter = character;
  }
  return data;
}

/**
 * One edit replacing what differs between two encoded results: everything between their common
 * start and common end. Typing changes a few tokens in one place, and because positions are
 * relative, the tokens after the edit's line stay equal.
 */
export function tokenEdits(before: readonly number[], after: readonly number[]): SemanticTokensEdit[] {
  return editBetween(before, 0, before.length, after, 0, after.length);
}

/**
 * Patches `encoded`, the encoding of the previous tokens, into that of `absolute`, which differ
 * from them as `change` says, and returns the edit that does the same on the client's copy.
 */
export function patchEncoded(encoded: number[], absolute: readonly number[], change: TokenChange): SemanticTokensEdit[] {
  const segment = relativeSegment(absolute, change.from, change.newEnd);
  const edits = editBetween(encoded, change.from * 5, change.oldEnd * 5, segment, 0, segment.length);
  for (const edit of edits) {
    const inserted = edit.data ?? [];
    if (inserted.length <= 10_000) {
      encoded.splice(edit.start, edit.deleteCount, ...inserted);
      continue;
    }
    // Too many to spread as arguments.
    const rest = encoded.slice(edit.start + edit.deleteCount);
    encoded.length = edit.start;
    for (const n of inserted) encoded.push(n);
    for (const n of rest) encoded.push(n);
  }
  return edits;
}

/** The edit from `before[from, to)` to `after[start, end)` (which is to stand at `from`), their equal ends left out. */
function editBetween(before: readonly number[], from: number, to: number, after: readonly number[], start: number, end: number): SemanticTokensEdit[] {
  let same = 0;
  while (from + same < to && start + same < end && before[from + same] === after[start + same]) same++;
  if (from + same === to && start + same === end) return [];
  let endBefore = to;
  let endAfter = end;
  while (endBefore > from + same && endAfter > start + same && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return [{ start: from + same, deleteCount: endBefore - from - same, data: after.slice(start + same, endAfter) }];
}
