// What flake.lock says about one input of flake.nix: the node it is locked to (through any
// `follows`), or why there is none.
import { resolveInputPath, type FlakeLockStatus, type LockNode } from './flakeLock';

export type InputLockState =
  | { readonly state: 'locked'; readonly node: LockNode; readonly followed: readonly (readonly string[])[] }
  /** flake.lock exists but has no entry for this input. */
  | { readonly state: 'not-locked' }
  /** There is no flake.lock at all. */
  | { readonly state: 'no-lock' }
  | { readonly state: 'lock-invalid'; readonly message: string };

export function inputLockState(lock: FlakeLockStatus, inputName: string): InputLockState {
  switch (lock.state) {
    case 'missing':
      return { state: 'no-lock' };
    case 'invalid':
      return { state: 'lock-invalid', message: lock.message };
    case 'ok': {
      const resolved = resolveInputPath(lock.lock, [inputName]);
      return resolved ? { state: 'locked', node: resolved.node, followed: resolved.followed } : { state: 'not-locked' };
    }
  }
}
