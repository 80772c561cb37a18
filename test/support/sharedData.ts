// The real data beside the repository (../shared/data: nixpkgs, NixOS and Home Manager options,
// NUR, flake.lock files, source trees), which tests and benchmarks read and never copy.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lspClient';

export const sharedData = join(repoRoot, '..', 'shared', 'data');

/**
 * Whether every one of these files (relative to the shared data) is there. Without them a test is
 * skipped on a developer's machine; in CI their absence is an error, never a silent skip.
 */
export function sharedDataPresent(...relativePaths: string[]): boolean {
  const missing = relativePaths.filter((path) => !existsSync(join(sharedData, path)));
  if (process.env.CI && missing.length > 0) throw new Error(`CI expects ../shared/data/${missing.join(', ')}`);
  return missing.length === 0;
}
