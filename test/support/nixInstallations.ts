// The real Nix installations tests run against: the host's (Debian's 2.8) and, when
// `scripts/setup-nix.sh` has built it, Nix 2.26 in a Debian trixie chroot reached through wrappers.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface NixInstallation {
  /** e.g. `2.8.0`. */
  version: string;
  /** Directory holding `nix`, `nix-build`, … for this installation. */
  binDir: string;
  /** Prefix to read this installation's /nix/store paths from the host ('' for the host's own store). */
  storePrefix: string;
  /** PATH with this installation first. */
  env: NodeJS.ProcessEnv;
}

const repoRoot = join(__dirname, '..', '..');

function probe(binDir: string, storePrefix: string): NixInstallation | undefined {
  const nix = join(binDir, 'nix');
  if (!existsSync(nix)) return undefined;
  try {
    const out = execFileSync(nix, ['--version'], { encoding: 'utf8', timeout: 20_000 });
    const version = /(\d+\.\d+(?:\.\d+)?)/.exec(out)?.[1];
    if (!version) return undefined;
    return { version, binDir, storePrefix, env: { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` } };
  } catch {
    return undefined;
  }
}

let cached: NixInstallation[] | undefined;

/** Every Nix found on this machine, oldest first. Empty when none is installed. */
export function nixInstallations(): NixInstallation[] {
  if (cached) return cached;
  const found: NixInstallation[] = [];
  const hostNix = (process.env.PATH ?? '')
    .split(delimiter)
    .find((dir) => dir && existsSync(join(dir, 'nix')) && !dir.includes('nix-2.26'));
  const host = hostNix ? probe(hostNix, '') : undefined;
  if (host) found.push(host);
  const wrappers = join(repoRoot, '.cache', 'nix-2.26', 'bin');
  const chrootFile = join(repoRoot, '.cache', 'nix-2.26', 'chroot');
  if (existsSync(chrootFile)) {
    const current = probe(wrappers, readFileSync(chrootFile, 'utf8').trim());
    if (current) found.push(current);
  }
  cached = found;
  return found;
}

/** In CI every installation must be present: a missing Nix fails instead of silently skipping. */
export function requireNixInCi(): void {
  if (process.env.CI && nixInstallations().length < 2) {
    throw new Error('CI expects both Nix 2.8 and Nix 2.26 (scripts/setup-nix.sh)');
  }
}
