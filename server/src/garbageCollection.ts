// Full garbage collections on request, for the moments a large document's analysis has just been
// let go — released to make room for another document, or replaced by the next version's. V8
// collects concurrently, starting only once its heap has grown well past what was live, and an
// analysis allocates so fast that the heap overshoots by tens of megabytes before the collection
// ends: the peak memory with nixpkgs' largest files open. A collection costs tens of milliseconds,
// so it is done only where it frees a large amount.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;
/** Bytes in use right after the last collection made here: what was live then. */
let liveAfterCollection = 0;

export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  if (!collect) return;
  collect();
  liveAfterCollection = getHeapStatistics().used_heap_size;
}

/**
 * Collects when the heap holds more than `slackBytes` beyond what was live after the last
 * collection; says whether it did. Reading the heap's size costs microseconds.
 */
export function collectGarbageBeyond(slackBytes: number): boolean {
  if (getHeapStatistics().used_heap_size - liveAfterCollection <= slackBytes) return false;
  collectGarbage();
  return collect != null;
}

/**
 * What the heap holds now is taken as live: an analysis just made is kept, and collecting it
 * would free nothing. Without this, the next request about the document would find "garbage"
 * beyond the slack and collect for a few megabytes.
 */
export function countAsLive(): void {
  liveAfterCollection = getHeapStatistics().used_heap_size;
}

/** Documents from this many characters on have analyses of tens of megabytes. */
export const LARGE_DOCUMENT = 200_000;
/** Garbage let stand around work on a large document. */
const LARGE_DOCUMENT_SLACK_BYTES = 16 * 1024 * 1024;

/**
 * Work on a large document — its outline, a hover that reads its declarations — leaves garbage by
 * the ten megabytes. Before such work starts, what has gathered beyond the slack is collected,
 * never for ordinary documents. (A large document's next version collects at once, right before
 * its tree is copied: see `ServerState.analysisOf`.)
 */
export function collectAroundLargeDocument(documentLength: number): void {
  if (documentLength >= LARGE_DOCUMENT) collectGarbageBeyond(LARGE_DOCUMENT_SLACK_BYTES);
}
