// The real Nix sources of ../shared/data/sources (nixpkgs-slim, home-manager, …), unpacked once
// into .cache/sources, for benchmarks and corpus checks that need real files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../test/support/lspClient';

export const sourcesArchiveDir = join(repoRoot, '..', 'shared', 'data', 'sources');
export const sourcesDir = join(repoRoot, '.cache', 'sources');

/** The directory of an unpacked source tree (`nixpkgs-slim`), unpacking its archive if needed; undefined when absent. */
export function sourceTree(name: string): string | undefined {
  const dir = join(sourcesDir, name);
  if (existsSync(dir)) return dir;
  const archive = join(sourcesArchiveDir, `${name}.tar.gz`);
  if (!existsSync(archive)) return undefined;
  mkdirSync(sourcesDir, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', archive, '-C', sourcesDir], { stdio: 'inherit' });
  if (untar.status !== 0) throw new Error(`could not unpack ${archive}`);
  return existsSync(dir) ? dir : undefined;
}

/** Every `.nix` file under `dir`, sorted (so samples are the same from run to run). */
export function nixFilesUnder(dir: string): string[] {
  return filesUnder(dir, '.nix');
}

/** Every file under `dir` whose name ends with `extension`, sorted. */
export function filesUnder(dir: string, extension: string): string[] {
  const files: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop()!;
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) stack.push(path);
      else if (stat?.isFile() && name.endsWith(extension)) files.push(path);
    }
  }
  return files.sort();
}

export { seededRandom } from '../../test/support/random';
