// Finds the hash of a failed fixed-output derivation across workspace files. The files Nix said
// it evaluated for this build are searched first (a fixed-output derivation is defined in one of
// them); only when none of them holds a candidate is the rest of the workspace searched. Within
// the chosen files the best-scoring sites win (see hashSite.ts for the scoring).
import { hashSpellings, isZeroHash, parseHash } from '../../nix/hashFormats';
import type { HashMismatch } from '../../nix/nixErrors';
import type { LoadedFile } from './evaluationDiagnostics';
import { bestHashSites, findHashSites, type HashSite } from './hashSite';

export interface LocatedHashSite {
  path: string;
  uri: string;
  site: HashSite;
}

/** A cheap text test before parsing: could this file hold the hash at all? */
export function mayHoldHash(content: string, mismatch: HashMismatch): boolean {
  const specified = parseHash(mismatch.specified);
  if (!specified) return content.includes(mismatch.specified);
  if (isZeroHash(specified.bytes) && (/\bfake(Hash|Sha1|Sha256|Sha512)\b/.test(content) || content.includes('""') || content.includes("''''"))) return true;
  return hashSpellings(specified.algorithm, specified.bytes).some((spelling) => content.includes(spelling));
}

export async function locateHashMismatch(
  mismatch: HashMismatch,
  preferredFiles: readonly string[],
  otherFiles: () => Promise<readonly string[]>,
  load: (path: string) => Promise<LoadedFile | undefined>,
): Promise<LocatedHashSite[]> {
  const searched = new Set<string>();
  const search = async (paths: readonly string[]) => {
    const found: LocatedHashSite[] = [];
    for (const path of paths) {
      if (searched.has(path)) continue;
      searched.add(path);
      const file = await load(path);
      if (!file?.tree || !mayHoldHash(file.content, mismatch)) continue;
      for (const site of findHashSites(file.tree.rootNode, mismatch)) found.push({ path, uri: file.uri, site });
    }
    return found;
  };
  let found = await search(preferredFiles);
  if (found.length === 0) found = await search(await otherFiles());
  const best = new Set(bestHashSites(found.map((entry) => entry.site)));
  return found.filter((entry) => best.has(entry.site));
}
