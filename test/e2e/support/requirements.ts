// What the end-to-end tests need from the machine, found once: a Chromium to drive, the real
// index data beside the repository, git, and the host's Nix for the workflow steps.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { sharedData } from '../../support/sharedData';

export const repoRoot = join(__dirname, '..', '..', '..');
export { sharedData };

export interface E2eRequirements {
  chromium?: string;
  /** Directory of the host's `nix` (never the test-only Nix 2.26 wrappers). */
  nixBinDir?: string;
  missing: string[];
}

function onPath(program: string, exclude?: (dir: string) => boolean): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || exclude?.(dir)) continue;
    if (existsSync(join(dir, program))) return dir;
  }
  return undefined;
}

let found: E2eRequirements | undefined;

export function e2eRequirements(): E2eRequirements {
  if (found) return found;
  const missing: string[] = [];
  const chromiumDir = onPath('chromium') ?? onPath('chromium-browser');
  const chromium = process.env.NIX_NUR_CHROMIUM ?? (chromiumDir ? join(chromiumDir, existsSync(join(chromiumDir, 'chromium')) ? 'chromium' : 'chromium-browser') : undefined);
  if (!chromium) missing.push('Chromium (apt-get install chromium)');
  if (!existsSync(join(sharedData, 'nixpkgs', 'packages.json.br'))) missing.push('the index data in ../shared/data');
  if (spawnSync('git', ['--version'], { stdio: 'ignore' }).status !== 0) missing.push('git');
  const nixBinDir = onPath('nix', (dir) => dir.includes('nix-2.26'));
  if (!nixBinDir) missing.push('Nix on PATH');
  found = { chromium, nixBinDir, missing };
  return found;
}
