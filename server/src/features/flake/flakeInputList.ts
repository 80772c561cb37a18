// The inputs of a flake with what the lock says of each: what a picker ("Update Flake Input…",
// "Pin Flake Input…") shows beside each name.
import type { FlakeLockStatus } from '../../flake/flakeLock';
import type { FlakeSyntax } from '../../flake/flakeSyntax';
import { inputLockState } from '../../flake/lockedInput';
import { lockedSummary } from './lockDescription';

export interface FlakeInputSummary {
  name: string;
  url?: string;
  follows?: string;
  /** `locked a1b2c3d · 2026-10-01 (7 weeks ago)`, or why it is not locked. */
  description: string;
  rev?: string;
}

export function flakeInputList(syntax: FlakeSyntax, lock: FlakeLockStatus, now: Date): FlakeInputSummary[] {
  return syntax.inputs
    .filter((input) => !input.implicit || lock.state === 'ok')
    .map((input) => {
      const state = inputLockState(lock, input.name);
      const summary: FlakeInputSummary = {
        name: input.name,
        url: input.url?.value,
        follows: input.follows?.value,
        description: describe(state, now),
      };
      if (state.state === 'locked' && typeof state.node.locked?.rev === 'string') summary.rev = state.node.locked.rev;
      return summary;
    });
}

function describe(state: ReturnType<typeof inputLockState>, now: Date): string {
  switch (state.state) {
    case 'locked':
      return lockedSummary(state.node, now);
    case 'not-locked':
      return 'not locked yet';
    case 'no-lock':
      return 'no flake.lock yet';
    case 'lock-invalid':
      return `flake.lock unreadable: ${state.message}`;
  }
}
