// Before the end-to-end tests: package the extension exactly as it ships (`npm run package`) and
// make sure code-server is installed (minutes on a fresh machine, then cached under .cache/).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureCodeServer } from '../../scripts/codeServer.mjs';
import { e2eRequirements, repoRoot } from './support/requirements';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A private copy of the freshly packaged extension. */
    vsix: string;
    /** The directory code-server is cached under. */
    codeServerCache: string;
  }
}

export default function setup(project: TestProject): () => void {
  const requirements = e2eRequirements();
  if (requirements.missing.length > 0) {
    if (process.env.CI) throw new Error(`the end-to-end tests need: ${requirements.missing.join('; ')}`);
    console.warn(`skipping the end-to-end tests, missing: ${requirements.missing.join('; ')}`);
    project.provide('vsix', '');
    project.provide('codeServerCache', '');
    return () => {};
  }
  // README.md links to files of the repository, and the manifest names no repository URL to
  // rewrite them against; the tests need the package, not rewritten links.
  execFileSync('npm', ['run', 'package', '--', '--no-rewrite-relative-links'], { cwd: repoRoot, stdio: 'inherit' });
  // Another packaging in this tree must not swap the file under a running test.
  const dir = mkdtempSync(join(tmpdir(), 'nix-nur-e2e-vsix-'));
  const vsix = join(dir, 'nix-nur.vsix');
  copyFileSync(join(repoRoot, 'nix-nur.vsix'), vsix);
  const cache = join(repoRoot, '.cache');
  ensureCodeServer(cache, (message) => console.log(message));
  project.provide('vsix', vsix);
  project.provide('codeServerCache', cache);
  return () => rmSync(dir, { recursive: true, force: true });
}
