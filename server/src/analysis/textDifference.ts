// Where two versions of a text differ: the common start and the common end, which is all an edit
// between them changed. Compared in chunks (a comparison of two slices runs natively), so a
// keystroke in a file of a few hundred thousand characters costs a fraction of a millisecond.

export interface TextDifference {
  /** Characters both texts start with. */
  readonly start: number;
  /** Where the common end begins in the earlier text. */
  readonly oldEnd: number;
  /** Where it begins in the later text. */
  readonly newEnd: number;
}

const CHUNK = 1024;

export function textDifference(oldText: string, newText: string): TextDifference {
  const shortest = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start + CHUNK <= shortest && oldText.slice(start, start + CHUNK) === newText.slice(start, start + CHUNK)) start += CHUNK;
  while (start < shortest && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  // The common end may not reach into the common start.
  const room = shortest - start;
  let common = 0;
  while (common + CHUNK <= room && oldText.slice(oldText.length - common - CHUNK, oldText.length - common) === newText.slice(newText.length - common - CHUNK, newText.length - common)) common += CHUNK;
  while (common < room && oldText.charCodeAt(oldText.length - 1 - common) === newText.charCodeAt(newText.length - 1 - common)) common++;
  return { start, oldEnd: oldText.length - common, newEnd: newText.length - common };
}
