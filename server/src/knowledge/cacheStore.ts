// The cache directory: one index file per source kind and location (so switching between two
// projects pinned to different nixpkgs does not rebuild each time), the last good one of each
// kind as a fallback when a source fails, and a small note beside downloaded indexes recording
// when the server last asked whether they changed.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { IndexFormatError, readIndexHeader, type IndexHeader } from './indexFile';

export type SourceKind = 'nixpkgs' | 'nixos' | 'home-manager' | 'nur-repos' | 'nur-packages';

export const INDEX_EXTENSION = '.nnix';

/** `$XDG_CACHE_HOME/nix-nur`, else `~/.cache/nix-nur`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(base, 'nix-nur');
}

export interface CachedIndex {
  path: string;
  header: IndexHeader;
}

export interface HttpNote {
  url: string;
  /** When the server last confirmed the index matches the URL (ms since the epoch). */
  checkedAt: number;
  etag?: string;
  lastModified?: string;
}

export class CacheStore {
  constructor(readonly dir: string) {}

  /** The index file for a source of `kind` read from `location` (path, URL or pin). */
  fileFor(kind: SourceKind, location: string): string {
    const digest = createHash('sha256').update(location).digest('hex').slice(0, 16);
    return join(this.dir, `${kind}-${digest}${INDEX_EXTENSION}`);
  }

  /** The header of a usable index at `path`; undefined when absent, damaged or of another format. */
  usableHeader(path: string): IndexHeader | undefined {
    try {
      return readIndexHeader(path);
    } catch (error) {
      if (error instanceof IndexFormatError || (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return undefined;
    }
  }

  /** The most recently built usable index of `kind`, from any location. */
  lastGood(kind: SourceKind): CachedIndex | undefined {
    let best: CachedIndex | undefined;
    for (const path of this.filesOf(kind)) {
      const header = this.usableHeader(path);
      if (header && (!best || header.builtAt > best.header.builtAt)) best = { path, header };
    }
    return best;
  }

  /** Removes all but the `keep` newest indexes of `kind`, never those in `inUse`. */
  prune(kind: SourceKind, inUse: ReadonlySet<string>, keep = 3): void {
    const files = this.filesOf(kind)
      .map((path) => ({ path, mtime: statMtime(path) }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { path } of files.slice(keep)) {
      if (inUse.has(path)) continue;
      fs.rmSync(path, { force: true });
      fs.rmSync(`${path}.http.json`, { force: true });
    }
    // Temporary files left by a build that crashed.
    for (const name of this.list()) {
      if (name.startsWith(`${kind}-`) && name.endsWith('.tmp')) {
        const path = join(this.dir, name);
        if (Date.now() - statMtime(path) > 24 * 3600_000) fs.rmSync(path, { force: true });
      }
    }
  }

  readHttpNote(indexPath: string): HttpNote | undefined {
    try {
      const note = JSON.parse(fs.readFileSync(`${indexPath}.http.json`, 'utf8')) as HttpNote;
      return typeof note.checkedAt === 'number' && typeof note.url === 'string' ? note : undefined;
    } catch {
      return undefined;
    }
  }

  writeHttpNote(indexPath: string, note: HttpNote): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const target = `${indexPath}.http.json`;
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(note));
    fs.renameSync(temporary, target);
  }

  private filesOf(kind: SourceKind): string[] {
    return this.list()
      .filter((name) => name.startsWith(`${kind}-`) && name.endsWith(INDEX_EXTENSION))
      .map((name) => join(this.dir, name));
  }

  private list(): string[] {
    try {
      return fs.readdirSync(this.dir);
    } catch {
      return [];
    }
  }
}

function statMtime(path: string): number {
  try {
    return fs.statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
