// Short texts about a locked input, shared by code lenses, hovers and command summaries.
import { lockedLastModified, lockedNarHash, lockedRevision, type LockNode } from '../../flake/flakeLock';
import { formatAge, formatDate } from './relativeTime';

export function shortRevision(rev: string): string {
  return rev.slice(0, 7);
}

/** `a1b2c3d` for a commit, else the start of the content hash (path and tarball inputs). */
export function lockedIdentity(node: LockNode): string | undefined {
  const rev = lockedRevision(node);
  if (rev) return shortRevision(rev);
  const narHash = lockedNarHash(node);
  return narHash ? `${narHash.slice(0, 14)}…` : undefined;
}

/** `2026-10-01 (7 weeks ago)`, or undefined when the lock has no date. */
export function lockedWhen(node: LockNode, now: Date): string | undefined {
  const lastModified = lockedLastModified(node);
  return lastModified === undefined ? undefined : `${formatDate(lastModified)} (${formatAge(lastModified, now)})`;
}

/** `locked a1b2c3d · 2026-10-01 (7 weeks ago)`. */
export function lockedSummary(node: LockNode, now: Date): string {
  const identity = lockedIdentity(node);
  const when = lockedWhen(node, now);
  return ['locked' + (identity ? ` ${identity}` : ''), when].filter((part) => part !== undefined).join(' · ');
}
