// The nixpkgs tree the corpus benchmarks read: ../shared/data's nixpkgs-slim, its `.nix` files
// unpacked into `.cache/` once (or any directory named by NIX_NUR_CORPUS).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const corpusArchive = (root: string) => join(root, '..', 'shared', 'data', 'sources', 'nixpkgs-slim.tar.gz');

/** The corpus directory, unpacked from the shared archive when missing; undefined without one. */
export function corpusDirectory(root: string): string | undefined {
  const chosen = process.env.NIX_NUR_CORPUS;
  if (chosen) return chosen;
  const unpacked = join(root, '.cache', 'nixpkgs-slim');
  if (existsSync(unpacked)) return unpacked;
  const archive = corpusArchive(root);
  if (!existsSync(archive)) return undefined;
  mkdirSync(join(root, '.cache'), { recursive: true });
  const tar = spawnSync('tar', ['-xzf', archive, '-C', join(root, '.cache'), '--wildcards', '*.nix'], { stdio: 'inherit' });
  return tar.status === 0 && existsSync(unpacked) ? unpacked : undefined;
}

/** Every `.nix` file below `dir` (symbolic links to files included), sorted. */
export function nixFiles(dir: string): string[] {
  const found: string[] = [];
  const pending = [dir];
  while (pending.length) {
    const current = pending.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.name.endsWith('.nix') && (entry.isFile() || (entry.isSymbolicLink() && existsSync(path) && statSync(path).isFile()))) found.push(path);
    }
  }
  return found.sort();
}
