// A few real files of nixpkgs, from ../shared/data/sources/nixpkgs-slim.tar.gz, unpacked once into
// the system's temp directory (only the files asked for) and shared by later runs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './lspClient';

const ARCHIVE = join(repoRoot, '..', 'shared', 'data', 'sources', 'nixpkgs-slim.tar.gz');
const DIR = join(tmpdir(), 'nix-nur-real-nix-files');

/** Whether the archive is there; CI must have it. */
export function realNixFilesAvailable(): boolean {
  const available = existsSync(ARCHIVE);
  if (!available && process.env.CI) throw new Error(`CI expects ${ARCHIVE}`);
  return available;
}

/** The text of each path (relative to the nixpkgs root), in the order asked. */
export function realNixFiles(paths: readonly string[]): { path: string; text: string }[] {
  const missing = paths.filter((path) => !existsSync(join(DIR, path)));
  if (missing.length) {
    const partial = join(DIR, `.unpacking-${process.pid}`);
    mkdirSync(partial, { recursive: true });
    try {
      execFileSync('tar', ['-xzf', ARCHIVE, '-C', partial, ...missing.map((path) => `nixpkgs-slim/${path}`)], { stdio: 'ignore', timeout: 120_000 });
      for (const path of missing) {
        mkdirSync(join(DIR, path, '..'), { recursive: true });
        // Another run may have put it there meanwhile: the same bytes either way.
        renameSync(join(partial, 'nixpkgs-slim', path), join(DIR, path));
      }
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return paths.map((path) => ({ path, text: readFileSync(join(DIR, path), 'utf8') }));
}
