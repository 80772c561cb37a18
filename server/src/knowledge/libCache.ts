// The lib index on disk: a small JSON file per evaluated nixpkgs tree beside the other indexes,
// written atomically, the newest few kept.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { libIndexDataFrom, type LibIndexData } from './libIndex';

const CACHE_PREFIX = 'lib-';
const CACHE_SUFFIX = '.json';
/** A store path or a directory inside one (a channel's `nixos/`): it never changes. */
export const STORE_PATH = /^\/nix\/store\/[0-9a-z]{32}-[^/]+(\/|$)/;

/** The cache file for the lib of the nixpkgs tree at `source`. */
export function libCachePath(cacheDir: string, source: string): string {
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  return join(cacheDir, `${CACHE_PREFIX}${digest}${CACHE_SUFFIX}`);
}

/** The cached data at `path`; undefined when absent, unreadable or of another format. */
export function readLibCache(path: string): LibIndexData | undefined {
  try {
    return libIndexDataFrom(JSON.parse(fs.readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Writes the data so a reader never sees half a file. */
export function writeLibCache(path: string, data: LibIndexData): void {
  fs.mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temporary, JSON.stringify(data));
    fs.renameSync(temporary, path);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function cacheFiles(cacheDir: string): string[] {
  try {
    return fs
      .readdirSync(cacheDir)
      .filter((name) => name.startsWith(CACHE_PREFIX) && name.endsWith(CACHE_SUFFIX))
      .map((name) => join(cacheDir, name));
  } catch {
    return [];
  }
}

/** A cached lib known to belong to the pin at `location` (so a locked pin needs no Nix at all). */
export function findLibCacheFor(cacheDir: string, location: string): { path: string; data: LibIndexData } | undefined {
  for (const path of cacheFiles(cacheDir)) {
    const data = readLibCache(path);
    if (data?.locations.includes(location)) return { path, data };
  }
  return undefined;
}

/** Keeps the `keep` newest lib caches (and `inUse`), and removes temporary files left by a crash. */
export function pruneLibCaches(cacheDir: string, inUse: string, keep = 3): void {
  const files = cacheFiles(cacheDir)
    .map((path) => ({ path, mtime: mtimeOf(path) }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of files.slice(keep)) if (path !== inUse) fs.rmSync(path, { force: true });
  try {
    for (const name of fs.readdirSync(cacheDir)) {
      if (!name.startsWith(CACHE_PREFIX) || !name.endsWith('.tmp')) continue;
      const path = join(cacheDir, name);
      if (Date.now() - mtimeOf(path) > 3600_000) fs.rmSync(path, { force: true });
    }
  } catch {
    // Nothing to tidy.
  }
}

export function mtimeOf(path: string): number {
  try {
    return fs.statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
