// Ranked name search for "Nix: Search packages and options": exact names first (`requests` finds
// `python313Packages.requests`), then prefixes (`ripgr`), then matches at a word start (`nginx`
// in `services.nginx.enable`, `Packages` in `python313Packages`), then any subsequence of the
// letters (`rpgrp`). Names are matched as bytes straight from the index, case-insensitively, so a
// search over 100,000 names costs a few milliseconds and creates no strings but the results.
import type { PathTable } from './pathTable';

export const MatchTier = { Exact: 0, Prefix: 1, WordStart: 2, Subsequence: 3 } as const;
export type MatchTier = (typeof MatchTier)[keyof typeof MatchTier];

export interface SearchHit {
  /** The entry in the table. */
  entry: number;
  tier: MatchTier;
  /** Length of the dotted name, the first tie-breaker (shorter first). */
  length: number;
}

const LOWER = new Uint8Array(256);
for (let i = 0; i < 256; i++) LOWER[i] = i >= 0x41 && i <= 0x5a ? i + 0x20 : i;

/** Bytes after which a word starts. */
function isBoundary(c: number): boolean {
  return c === 0 || c === 0x2e || c === 0x2d || c === 0x5f || c === 0x2f;
}

/** Searches `table` for `query`; at most `limit` hits, best first. */
export function searchTable(table: PathTable, query: string, limit: number): SearchHit[] {
  const q = Buffer.from(query.trim(), 'utf8').map((c) => LOWER[c]);
  // A dotted query is matched against the whole path; the separator is NUL in the index.
  for (let k = 0; k < q.length; k++) if (q[k] === 0x2e) q[k] = 0;
  if (q.length === 0 || limit <= 0) return [];
  const names = table.names;
  const hits: SearchHit[] = [];
  for (let i = 0; i < table.size; i++) {
    const start = table.startOf(i);
    const end = table.endOf(i);
    const tier = matchTier(names, start, end, q);
    if (tier < 0) continue;
    const hit: SearchHit = { entry: i, tier: tier as MatchTier, length: end - start };
    if (hits.length === limit && compareHits(hit, hits[limit - 1]) >= 0) continue;
    let lo = 0;
    let hi = hits.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareHits(hits[mid], hit) <= 0) lo = mid + 1;
      else hi = mid;
    }
    hits.splice(lo, 0, hit);
    if (hits.length > limit) hits.pop();
  }
  return hits;
}

export function compareHits(a: SearchHit, b: SearchHit): number {
  return a.tier - b.tier || a.length - b.length || a.entry - b.entry;
}

/** The tier of the name in `names[start, end)` for the lowered query `q`, or -1 for no match. */
export function matchTier(names: Buffer, start: number, end: number, q: Uint8Array): number {
  const n = q.length;
  if (end - start < n) return -1;
  // Subsequence first: it rejects most names quickly.
  let j = 0;
  for (let i = start; i < end && j < n; i++) if (LOWER[names[i]] === q[j]) j++;
  if (j < n) return -1;
  // The last part, unless the query itself spans parts.
  let lastStart = start;
  if (q.indexOf(0) < 0) for (let i = end - 1; i >= start; i--) if (names[i] === 0) {
    lastStart = i + 1;
    break;
  }
  const lastLength = end - lastStart;
  if (lastLength === n && equalsAt(names, lastStart, q)) return MatchTier.Exact;
  if (end - start === n && equalsAt(names, start, q)) return MatchTier.Exact;
  if (lastLength >= n && equalsAt(names, lastStart, q)) return MatchTier.Prefix;
  if (equalsAt(names, start, q)) return MatchTier.Prefix;
  for (let i = start + 1; i + n <= end; i++) {
    const before = names[i - 1];
    const here = names[i];
    const wordStart = isBoundary(before) || (here >= 0x41 && here <= 0x5a && before >= 0x61 && before <= 0x7a);
    if (wordStart && equalsAt(names, i, q)) return MatchTier.WordStart;
  }
  return MatchTier.Subsequence;
}

function equalsAt(names: Buffer, at: number, q: Uint8Array): boolean {
  for (let k = 0; k < q.length; k++) if (LOWER[names[at + k]] !== q[k]) return false;
  return true;
}
