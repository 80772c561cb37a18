// How V8's heap is sized in the server process. Analysing a large file makes short-lived objects by
// the ten megabytes and keeps tens of megabytes more, and V8's defaults, tuned for throughput, let
// the process grow several times past what is live. Both settings here only change when V8
// collects, never how much it may hold: there is no limit a large file could run into.
import { setFlagsFromString } from 'node:v8';

/**
 * - The old generation grows by half (not several times) before a full collection: a server typing
 *   in a 10,000-line file would otherwise saw-tooth up to ~400 MB; this keeps it near 230 MB, for
 *   ~15% more time spent collecting while such a file is analysed (`npm run bench soak`).
 * - The young generation keeps the size it has once the server has started (a few megabytes)
 *   instead of doubling up to 32 MB — resident for good — as soon as an analysis keeps most of what
 *   it allocates. What survives is promoted a little earlier; most of an analysis is kept anyway.
 *
 * A NODE_OPTIONS that sets the growing factor itself wins.
 */
export function heapFlags(nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const flags = ['--semi-space-growth-factor=1'];
  if (!/--heap-growing-percent/.test(nodeOptions)) flags.push('--heap-growing-percent=50');
  return flags;
}

/**
 * Sets the flags for the process. V8's flags are shared by every thread, and a new thread's heap
 * puts the young generation's growth factor back to its default: a worker thread applies the same
 * flags again as soon as it starts (see `workspace/fileExtraction.ts`).
 */
export function tuneHeap(flags = heapFlags()): void {
  for (const flag of flags) setFlagsFromString(flag);
}
