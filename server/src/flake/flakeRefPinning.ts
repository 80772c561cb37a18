// Whether a flake reference is pinned to a commit, and how to rewrite it to one and back.
// The rewrites follow what each fetcher accepts: forges refuse a branch and a commit together, so
// pinning replaces the branch; git and registry references keep the branch next to the commit.
import {
  FlakeRefError,
  isRevision,
  printFlakeRef,
  queryValue,
  withQueryValue,
  withoutQueryValue,
  type FlakeRef,
} from './flakeRef';

/** The commit a reference is pinned to, if any. */
export function pinnedRevision(ref: FlakeRef): string | undefined {
  switch (ref.type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut':
      if (ref.refOrRev !== undefined && isRevision(ref.refOrRev)) return ref.refOrRev;
      return queryValue(ref, 'rev');
    case 'indirect':
      return ref.rev ?? queryValue(ref, 'rev');
    case 'git':
    case 'mercurial':
      return queryValue(ref, 'rev');
    case 'path':
    case 'tarball':
    case 'file':
      return undefined;
  }
}

/** The branch or tag a reference names, if any (never a commit hash). */
export function namedBranch(ref: FlakeRef): string | undefined {
  switch (ref.type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut':
      if (ref.refOrRev !== undefined && !isRevision(ref.refOrRev)) return ref.refOrRev;
      return queryValue(ref, 'ref');
    case 'indirect':
      return ref.ref ?? queryValue(ref, 'ref');
    case 'git':
    case 'mercurial':
      return queryValue(ref, 'ref');
    case 'path':
    case 'tarball':
    case 'file':
      return undefined;
  }
}

export type PinSupport = { readonly pinnable: true } | { readonly pinnable: false; readonly reason: string };

/** Whether a reference can name a commit at all. */
export function pinSupport(ref: FlakeRef): PinSupport {
  switch (ref.type) {
    case 'path':
      return { pinnable: false, reason: 'a path: input has no commits; flake.lock pins it by its content hash' };
    case 'tarball':
    case 'file':
      return { pinnable: false, reason: `a ${ref.type} input is pinned by its URL; flake.lock records its content hash` };
    default:
      return { pinnable: true };
  }
}

/** The reference rewritten to name `rev`; throws `FlakeRefError` when it cannot name a commit. */
export function pinToRevision(ref: FlakeRef, rev: string): FlakeRef {
  if (!isRevision(rev)) throw new FlakeRefError(printFlakeRef(ref), `'${rev}' is not a full commit hash`);
  const support = pinSupport(ref);
  if (!support.pinnable) throw new FlakeRefError(printFlakeRef(ref), support.reason);
  switch (ref.type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut': {
      // A branch given as `?ref=` becomes `?rev=` in the same place; otherwise the commit takes
      // the path segment, the spelling people read most easily.
      if (queryValue(ref, 'rev') !== undefined) return withoutQueryValue(withQueryValue(ref, 'rev', rev), 'ref');
      if (queryValue(ref, 'ref') !== undefined) {
        return { ...ref, query: ref.query.map(([key, value]) => (key === 'ref' ? ['rev', rev] : [key, value])) };
      }
      return { ...ref, refOrRev: rev };
    }
    case 'indirect':
      if (queryValue(ref, 'rev') !== undefined) return withQueryValue(ref, 'rev', rev);
      return { ...ref, rev };
    case 'git':
    case 'mercurial':
      return withQueryValue(ref, 'rev', rev);
    default:
      return ref;
  }
}

/**
 * The reference without its commit, following `branch` when given (otherwise the branch it still
 * names, or the repository's default branch). A reference that is not pinned is returned with
 * only the branch changed.
 */
export function unpinToBranch(ref: FlakeRef, branch?: string): FlakeRef {
  if (branch !== undefined && (branch.length === 0 || isRevision(branch))) {
    throw new FlakeRefError(printFlakeRef(ref), `'${branch}' is not a branch or tag name`);
  }
  switch (ref.type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut': {
      const revInQuery = queryValue(ref, 'rev') !== undefined;
      let next: FlakeRef = ref;
      if (next.refOrRev !== undefined && isRevision(next.refOrRev)) {
        const { refOrRev: _commit, ...rest } = next;
        next = rest;
      }
      if (branch === undefined) return withoutQueryValue(next, 'rev');
      if (queryValue(next, 'ref') !== undefined) return withQueryValue(withoutQueryValue(next, 'rev'), 'ref', branch);
      // `?rev=` becomes `?ref=` in the same place, so the rest of the query keeps its order.
      if (revInQuery) return { ...next, query: next.query.map(([key, value]) => (key === 'rev' ? ['ref', branch] : [key, value])) };
      return { ...next, refOrRev: branch };
    }
    case 'indirect': {
      const { rev: _commit, ...rest } = withoutQueryValue(ref, 'rev');
      if (branch === undefined) return rest;
      return queryValue(rest, 'ref') !== undefined ? withQueryValue(rest, 'ref', branch) : { ...rest, ref: branch };
    }
    case 'git':
    case 'mercurial': {
      const next = withoutQueryValue(ref, 'rev');
      return branch !== undefined ? withQueryValue(next, 'ref', branch) : next;
    }
    default:
      return ref;
  }
}
