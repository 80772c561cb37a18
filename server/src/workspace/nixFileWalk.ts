// The `.nix` files of a workspace folder, found without blocking: directories are read one at a
// time through the asynchronous file system API. Left out: hidden directories (`.git`, `.direnv`,
// caches), `node_modules`, and every symbolic link (`result` links point into the Nix store, and
// links can make cycles). Bounded in depth and in the number of files.
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';

/** Deeper directories are not looked into. */
const MAX_DEPTH = 32;
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules']);

export interface WalkLimits {
  /** At most this many files are listed (over all folders); the walk reports when it stopped there. */
  maxFiles: number;
}

export interface WalkResult {
  files: string[];
  /** True when `maxFiles` stopped the walk. */
  truncated: boolean;
}

export async function nixFilesIn(folders: readonly string[], limits: WalkLimits, cancelled: () => boolean = () => false): Promise<WalkResult> {
  const files: string[] = [];
  const pending: { dir: string; depth: number }[] = folders.map((dir) => ({ dir, depth: 0 })).reverse();
  while (pending.length) {
    if (cancelled()) break;
    const { dir, depth } = pending.pop()!;
    let entries;
    try {
      entries = await opendir(dir);
    } catch {
      continue; // unreadable or gone: nothing to index there
    }
    const subdirectories: string[] = [];
    for await (const entry of entries) {
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name) && depth < MAX_DEPTH) subdirectories.push(join(dir, entry.name));
      } else if (entry.isFile() && entry.name.endsWith('.nix')) {
        files.push(join(dir, entry.name));
        if (files.length >= limits.maxFiles) return { files, truncated: true };
      }
    }
    subdirectories.sort().reverse();
    for (const sub of subdirectories) pending.push({ dir: sub, depth: depth + 1 });
  }
  return { files, truncated: false };
}
