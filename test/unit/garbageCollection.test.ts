// Collections on request: a large document's replaced analysis is collected only once enough
// garbage has gathered since the last collection, so ordinary typing never pays for one.
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage, collectGarbageBeyond, collectAroundLargeDocument, countAsLive, LARGE_DOCUMENT } from '../../server/src/garbageCollection';
import { heapFlags } from '../../server/src/heapTuning';

/**
 * Makes about `megabytes` of garbage in the old generation: objects kept long enough to be
 * promoted, then let go, as a replaced analysis is.
 */
function garbage(megabytes: number): number {
  const kept: { i: number; name: string }[] = [];
  while (kept.length < megabytes * 16_000) kept.push({ i: kept.length, name: `n${kept.length}` });
  return kept.length;
}

describe('collectGarbageBeyond', () => {
  it('collects only when the heap holds more than the slack beyond what was live', () => {
    collectGarbage();
    expect(collectGarbageBeyond(1024 * 1024 * 1024)).toBe(false);
    garbage(48);
    const before = getHeapStatistics().used_heap_size;
    expect(collectGarbageBeyond(1024 * 1024)).toBe(true);
    expect(getHeapStatistics().used_heap_size).toBeLessThan(before);
    // Right after a collection there is nothing to collect.
    expect(collectGarbageBeyond(8 * 1024 * 1024)).toBe(false);
  });

  it('counts what was just made and kept (an analysis) as live, not as garbage beyond the slack', () => {
    collectGarbage();
    const analysis = Array.from({ length: 24 * 16_000 }, (_, i) => ({ i, name: `n${i}` }));
    countAsLive();
    expect(collectGarbageBeyond(16 * 1024 * 1024)).toBe(false);
    garbage(48);
    expect(collectGarbageBeyond(16 * 1024 * 1024)).toBe(true);
    expect(analysis.length).toBe(24 * 16_000);
  });

  it('leaves ordinary documents alone', () => {
    collectGarbage();
    garbage(48);
    const before = getHeapStatistics().used_heap_size;
    collectAroundLargeDocument(LARGE_DOCUMENT - 1);
    expect(getHeapStatistics().used_heap_size).toBeGreaterThanOrEqual(before);
    collectAroundLargeDocument(LARGE_DOCUMENT);
    expect(getHeapStatistics().used_heap_size).toBeLessThan(before);
  });
});

describe('heapFlags', () => {
  it('keeps the young generation small, and lets NODE_OPTIONS choose the old one', () => {
    expect(heapFlags('')).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=50']);
    expect(heapFlags('--heap-growing-percent=80')).toEqual(['--semi-space-growth-factor=1']);
  });
});
