// The protocol's encoding of semantic tokens: each token's line and character relative to the token
// before it. A whole result is encoded once; after an edit, the last result sent is patched where
// the tokens changed (features/semanticTokenReuse.ts says where), so a keystroke in a file of a
// hundred thousand numbers neither encodes nor compares them all. The encoding kept between
// requests is packed (features/packedNumbers.ts); what is sent is a plain array, as JSON needs.
import type { SemanticTokensEdit } from 'vscode-languageserver';
import { replaceNumbers } from './features/packedNumbers';
import type { TokenChange } from './features/semanticTokenReuse';

/** Absolute (line, character) pairs to the protocol's: each relative to the token before it. */
export function relative(absolute: ArrayLike<number>): Uint32Array {
  return relativeSegment(absolute, 0, absolute.length / 5);
}

/** The protocol's numbers of the tokens `[from, to)` of an absolute list. */
function relativeSegment(absolute: ArrayLike<number>, from: number, to: number): Uint32Array {
  const data = new Uint32Array((to - from) * 5);
  let previousLine = from > 0 ? absolute[from * 5 - 5]! : 0;
  let previousCharacter = from > 0 ? absolute[from * 5 - 4]! : 0;
  for (let i = 0, j = from * 5; i < data.length; i += 5, j += 5) {
    const line = absolute[j]!;
    const character = absolute[j + 1]!;
    data[i] = line - previousLine;
    data[i + 1] = line === previousLine ? character - previousCharacter : character;
    data[i + 2] = absolute[j + 2]!;
    data[i + 3] = absolute[j + 3]!;
    data[i + 4] = absolute[j + 4]!;
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
export function tokenEdits(before: ArrayLike<number>, after: ArrayLike<number>): SemanticTokensEdit[] {
  return editBetween(before, 0, before.length, after, 0, after.length);
}

/**
 * The encoding of `absolute` made from `encoded`, the encoding of the previous tokens, which differ
 * from them as `change` says, and the edit that does the same on the client's copy. `encoded` is
 * patched in place where it has room (see `replaceNumbers`): not to be read afterwards.
 */
export function patchEncoded(encoded: Uint32Array, absolute: ArrayLike<number>, change: TokenChange): { encoded: Uint32Array; edits: SemanticTokensEdit[] } {
  const segment = relativeSegment(absolute, change.from, change.newEnd);
  const edits = editBetween(encoded, change.from * 5, change.oldEnd * 5, segment, 0, segment.length);
  const edit = edits[0];
  if (!edit) return { encoded, edits };
  return { encoded: replaceNumbers(encoded, edit.start, edit.start + edit.deleteCount, edit.data ?? []), edits };
}

/** The edit from `before[from, to)` to `after[start, end)` (which is to stand at `from`), their equal ends left out. */
function editBetween(before: ArrayLike<number>, from: number, to: number, after: ArrayLike<number>, start: number, end: number): SemanticTokensEdit[] {
  let same = 0;
  while (from + same < to && start + same < end && before[from + same] === after[start + same]) same++;
  if (from + same === to && start + same === end) return [];
  let endBefore = to;
  let endAfter = end;
  while (endBefore > from + same && endAfter > start + same && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return [{ start: from + same, deleteCount: endBefore - from - same, data: plainSlice(after, start + same, endAfter) }];
}

/** `data[from, to)` as a plain array (JSON writes a typed array as an object). */
function plainSlice(data: ArrayLike<number>, from: number, to: number): number[] {
  const slice = new Array<number>(to - from);
  for (let i = from; i < to; i++) slice[i - from] = data[i]!;
  return slice;
}
