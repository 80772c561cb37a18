// Flake references in attribute form — `{ type = "github"; owner = …; repo = …; }` — as found in
// flake.lock's `locked`/`original` and in the attribute form of `inputs.<name>`, turned into the
// URL-like model so both print and compare the same way.
import { hasArchiveSuffix, isRevision, type FlakeRef, type QueryParam } from './flakeRef';

export type RefAttributeValue = string | number | boolean;
export type RefAttributes = Readonly<Record<string, RefAttributeValue>>;

/** Attributes that describe where a lock came from rather than which source is meant. */
const BOOKKEEPING = new Set(['type', 'narHash', 'lastModified', 'lastModifiedDate', 'revCount']);

/** The attributes that become the main part of each type's URL; the rest become query parameters. */
const LOCATION: Record<string, readonly string[]> = {
  github: ['owner', 'repo', 'ref', 'rev'],
  gitlab: ['owner', 'repo', 'ref', 'rev'],
  sourcehut: ['owner', 'repo', 'ref', 'rev'],
  git: ['url'],
  hg: ['url'],
  mercurial: ['url'],
  path: ['path'],
  tarball: ['url'],
  file: ['url'],
  indirect: ['id', 'ref', 'rev'],
};

/**
 * The reference the attributes describe, or undefined for an unknown `type` or missing required
 * attributes. For git and mercurial, `ref` and `rev` come first in the query, as Nix prints them.
 */
export function refFromAttributes(attrs: RefAttributes): FlakeRef | undefined {
  const type = attrs.type;
  if (typeof type !== 'string') return undefined;
  const str = (name: string): string | undefined => (typeof attrs[name] === 'string' ? (attrs[name] as string) : undefined);
  const location = LOCATION[type];
  if (!location) return undefined;
  const extra = (first: readonly string[] = []): QueryParam[] => {
    const params: QueryParam[] = [];
    for (const name of first) if (attrs[name] !== undefined) params.push([name, String(attrs[name])]);
    for (const [name, value] of Object.entries(attrs)) {
      if (BOOKKEEPING.has(name) || location.includes(name) || first.includes(name)) continue;
      params.push([name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value)]);
    }
    return params;
  };

  switch (type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut': {
      const owner = str('owner');
      const repo = str('repo');
      if (!owner || !repo) return undefined;
      const rev = str('rev');
      const ref = str('ref');
      // A forge reference carries one of the two; a lock's `original` may in theory hold both,
      // in which case the commit wins and the branch stays visible as a parameter.
      const refOrRev = rev ?? ref;
      const query = extra();
      if (rev !== undefined && ref !== undefined) query.unshift(['ref', ref]);
      return refOrRev !== undefined ? { type, owner, repo, refOrRev, query } : { type, owner, repo, query };
    }
    case 'git':
    case 'hg':
    case 'mercurial': {
      const url = str('url');
      if (!url) return undefined;
      return { type: type === 'git' ? 'git' : 'mercurial', url, query: extra(['ref', 'rev']) };
    }
    case 'path': {
      const path = str('path');
      if (!path) return undefined;
      return { type: 'path', path, explicit: true, query: extra() };
    }
    case 'tarball':
    case 'file': {
      const url = str('url');
      if (!url) return undefined;
      // A plain URL means a tarball exactly when it names an archive; otherwise keep the prefix.
      const explicit = type === 'tarball' ? !hasArchiveSuffix(url) : hasArchiveSuffix(url);
      return { type, url, explicit, query: extra() };
    }
    case 'indirect': {
      const id = str('id');
      if (!id) return undefined;
      const ref = str('ref');
      const rev = str('rev');
      return {
        type: 'indirect',
        id,
        explicit: false,
        query: extra(),
        ...(ref !== undefined ? { ref } : {}),
        ...(rev !== undefined && isRevision(rev) ? { rev } : {}),
      };
    }
    default:
      return undefined;
  }
}
