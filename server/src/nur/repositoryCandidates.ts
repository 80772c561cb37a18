// Which NUR repository a command is about, found before it asks anything: the one holding the
// active file, else those in the workspace folders — each folder itself and the folders up to two
// levels below it (a workspace often keeps its NUR repository in a subfolder, as `nur-packages/`).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { findNurRepositoryRoot, isNurRepository } from './repository';

export interface RepositoryCandidates {
  /** Absolute paths of NUR repositories, the active file's alone when it is in one. */
  repositories: string[];
  /** True when the active file is in the (only) repository listed. */
  fromActiveFile: boolean;
}

/** How deep below a workspace folder to look, and how many folders to look at in all. */
const SEARCH_DEPTH = 2;
const MAX_DIRECTORIES = 500;
const SKIPPED = new Set(['node_modules', 'result']);

export function nurRepositoryCandidates(activeFile: string | undefined, folders: readonly string[], parser: Parser): RepositoryCandidates {
  const holding = activeFile ? findNurRepositoryRoot(activeFile, parser) : undefined;
  if (holding) return { repositories: [holding], fromActiveFile: true };
  const found = new Set<string>();
  let budget = MAX_DIRECTORIES;
  const visit = (directory: string, depth: number) => {
    if (budget-- <= 0) return;
    if (isNurRepository(directory, parser)) {
      // A repository's own subfolders (pkgs/, modules/) are not repositories of their own.
      found.add(directory);
      return;
    }
    if (depth === SEARCH_DEPTH) return;
    for (const child of subdirectories(directory)) visit(join(directory, child), depth + 1);
  };
  for (const folder of folders) visit(folder, 0);
  return { repositories: [...found].sort(), fromActiveFile: false };
}

function subdirectories(directory: string): string[] {
  try {
    return readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
