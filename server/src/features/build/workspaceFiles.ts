// The .nix files of a workspace directory, for searches that Nix's own messages cannot narrow down.
// Bounded so a huge tree (a nixpkgs checkout) costs a fixed amount; hidden directories,
// node_modules and symlinks (`result` links into the store) are skipped.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface NixFileSearchLimits {
  maxFiles: number;
  maxDepth: number;
}

const DEFAULT_LIMITS: NixFileSearchLimits = { maxFiles: 5000, maxDepth: 12 };
const SKIPPED_DIRECTORIES = new Set(['node_modules']);

export async function listNixFiles(root: string, limits: Partial<NixFileSearchLimits> = {}): Promise<string[]> {
  const { maxFiles, maxDepth } = { ...DEFAULT_LIMITS, ...limits };
  const found: string[] = [];
  // Breadth first: files near the root (where packages usually are) come before deep ones.
  let level = [root];
  for (let depth = 0; depth <= maxDepth && level.length > 0 && found.length < maxFiles; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable: skip, the search is best effort
      }
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) next.push(path);
        else if (entry.isFile() && entry.name.endsWith('.nix')) {
          found.push(path);
          if (found.length >= maxFiles) break;
        }
      }
      if (found.length >= maxFiles) break;
    }
    level = next;
  }
  return found;
}
