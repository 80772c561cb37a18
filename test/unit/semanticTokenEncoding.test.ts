// The protocol's relative encoding of semantic tokens, kept packed between requests: what is sent
// must be plain arrays (JSON writes a typed array as an object), and a patched result must equal
// a fresh encoding, as must the client's copy the edit sent is applied to.
import { describe, expect, it } from 'vitest';
import { patchEncoded, relative, tokenEdits } from '../../server/src/semanticTokenEncoding';

// line, character, length, type, modifiers
const BEFORE = [0, 2, 3, 1, 0, 0, 8, 4, 2, 1, 3, 4, 5, 2, 0, 5, 0, 2, 3, 0];

describe('semantic token encoding', () => {
  it('encodes each token relative to the one before it, packed', () => {
    const encoded = relative(BEFORE);
    expect(encoded).toBeInstanceOf(Uint32Array);
    expect(Array.from(encoded)).toEqual([0, 2, 3, 1, 0, 0, 6, 4, 2, 1, 3, 4, 5, 2, 0, 2, 0, 2, 3, 0]);
  });

  it('sends the edit between two results as a plain array', () => {
    const after = BEFORE.slice();
    after[7] = 6; // the second token grows
    const [edit, ...more] = tokenEdits(relative(BEFORE), relative(after));
    expect(more).toEqual([]);
    expect(edit).toEqual({ start: 7, deleteCount: 1, data: [6] });
    expect(JSON.parse(JSON.stringify(edit))).toEqual(edit);
  });

  it('patches the last result into one equal to a fresh encoding', () => {
    // A token inserted on line 3 before the one at 3:4 (tokens 2..3 of the previous list became 2..4).
    const after = [0, 2, 3, 1, 0, 0, 8, 4, 2, 1, 3, 1, 2, 0, 0, 3, 4, 5, 2, 0, 5, 0, 2, 3, 0];
    const last = relative(BEFORE);
    const kept = last.slice();
    const { encoded, edits } = patchEncoded(last, after, { from: 2, oldEnd: 3, newEnd: 4 });
    expect(Array.from(encoded)).toEqual(Array.from(relative(after)));
    // The client's copy, patched with the edit sent, is the same.
    const client = Array.from(kept);
    for (const edit of edits) {
      expect(Array.isArray(edit.data)).toBe(true);
      client.splice(edit.start, edit.deleteCount, ...(edit.data ?? []));
    }
    expect(client).toEqual(Array.from(encoded));
  });

  it('keeps the last result when nothing changed', () => {
    const last = relative(BEFORE);
    const { encoded, edits } = patchEncoded(last, BEFORE, { from: 1, oldEnd: 2, newEnd: 2 });
    expect(edits).toEqual([]);
    expect(encoded).toBe(last);
  });
});
