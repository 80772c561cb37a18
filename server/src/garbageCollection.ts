// A full garbage collection on request, for the moment a large document's analysis has just been
// let go: V8 would otherwise keep the dead tens of megabytes until its heap had grown by half
// again, and the next large file's analysis would be built on top of them (the peak memory with
// nixpkgs' largest files open). Costs tens of milliseconds; only done after such a release.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
