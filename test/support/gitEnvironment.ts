// A private HOME and a git identity for tests that make git repositories (flake inputs) and run
// Nix on them: Nix's caches stay per run, and git commits work on a machine with no git config.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NixInstallation } from './nixInstallations';

export interface GitEnvironment {
  env: NodeJS.ProcessEnv;
  /** Runs git in `cwd` with that environment; its trimmed output. */
  git(cwd: string, ...args: string[]): string;
  /** Writes `dir/flake.nix` and commits it (a repository is made first if needed); the commit. */
  commitFlake(dir: string, flakeNix: string, message: string): string;
}

export function gitEnvironment(installation: NixInstallation, root: string): GitEnvironment {
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  const env = {
    ...installation.env,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.org',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.org',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
  const commitFlake = (dir: string, flakeNix: string, message: string) => {
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, '.git'))) git(dir, 'init', '-q');
    writeFileSync(join(dir, 'flake.nix'), flakeNix);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', message);
    return git(dir, 'rev-parse', 'HEAD');
  };
  return { env, git, commitFlake };
}
