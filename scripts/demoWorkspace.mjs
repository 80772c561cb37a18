// The demo workspace `npm start` opens, made once outside the project's git repository (inside it,
// Nix would take the demo's flake for part of the project's repository, and VS Code would offer
// to open the parent repository). Everything in it works offline: the flake's `nixpkgs` input is
// a small stand-in (demo/offline-nixpkgs) kept as a local git repository beside the workspace,
// locked at its first commit, with a second commit for "Update Flake Input" to move to; NIX_PATH
// names the same stand-in, so the NUR repository's `import <nixpkgs> { }` builds offline too.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the demo lives unless NIX_NUR_DEMO_HOME says otherwise: the user's cache directory. */
export function defaultDemoHome(env = process.env) {
  if (env.NIX_NUR_DEMO_HOME) return resolve(env.NIX_NUR_DEMO_HOME);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nix-nur-demo');
}

/** Whether `dir` (existing) lies inside a git working tree. */
function insideGitRepository(dir) {
  const run = spawnSync('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree'], { encoding: 'utf8' });
  return run.status === 0 && run.stdout.trim() === 'true';
}

function commandWorks(command, args, env = process.env) {
  return spawnSync(command, args, { stdio: 'ignore', env }).status === 0;
}

/**
 * Makes (first time) or finds the demo under `demoHome`. Returns the workspace folder, the
 * stand-in nixpkgs and the environment additions the editor needs (NIX_PATH).
 */
export function ensureDemoWorkspace({ repoRoot, demoHome = defaultDemoHome(), log = () => {}, env = process.env }) {
  const workspace = join(demoHome, 'workspace');
  const nixpkgs = join(demoHome, 'nixpkgs');
  const result = { workspace, nixpkgs, env: { NIX_PATH: `nixpkgs=${nixpkgs}` } };
  if (existsSync(join(workspace, 'flake.nix'))) return result;

  mkdirSync(demoHome, { recursive: true });
  if (insideGitRepository(demoHome)) {
    throw new Error(`${demoHome} is inside a git repository, where Nix would take the demo for part of it; set NIX_NUR_DEMO_HOME to a folder outside any repository`);
  }
  rmSync(workspace, { recursive: true, force: true });
  rmSync(nixpkgs, { recursive: true, force: true });
  const source = join(repoRoot, 'demo');
  const standIn = join(source, 'offline-nixpkgs');
  cpSync(standIn, nixpkgs, { recursive: true });
  cpSync(source, workspace, { recursive: true, filter: (path) => resolve(path) !== resolve(standIn) });

  // The stand-in as a git repository (a fixed identity, so no git configuration is needed).
  const hasGit = commandWorks('git', ['--version']);
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=Nix & NUR demo', '-c', 'user.email=demo@nix-nur.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: nixpkgs,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  if (hasGit) {
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'The stand-in nixpkgs, first revision');
  }
  const url = hasGit ? `git+file://${nixpkgs}` : `path:${nixpkgs}`;
  const flakeFile = join(workspace, 'flake.nix');
  const flake = readFileSync(flakeFile, 'utf8');
  const pointed = flake.replace(/inputs\.nixpkgs\.url = "[^"]*";/, `inputs.nixpkgs.url = "${url}";`);
  if (pointed === flake) throw new Error(`${flakeFile} has no inputs.nixpkgs.url to point at the stand-in`);
  writeFileSync(flakeFile, pointed);

  // Locked at the first revision (offline: the input is local); without Nix the lock is made by
  // the first build.
  const nixEnv = { ...env, ...result.env };
  if (commandWorks('nix', ['--version'], nixEnv)) {
    const lock = spawnSync('nix', ['--extra-experimental-features', 'nix-command flakes', 'flake', 'lock'], { cwd: workspace, env: nixEnv, encoding: 'utf8' });
    if (lock.status !== 0) log(`could not lock the demo flake (${(lock.stderr || '').trim().split('\n').pop()}); Nix will lock it on the first build`);
  }
  if (hasGit) {
    // A newer revision upstream, so "Update Flake Input" has something to move to.
    const libFile = join(nixpkgs, 'lib', 'default.nix');
    writeFileSync(libFile, readFileSync(libFile, 'utf8').replace('version = "25.11-standin";', 'version = "25.11-standin-2";'));
    git('commit', '-qam', 'The stand-in nixpkgs, second revision');
  }
  log(`demo workspace created: ${workspace}`);
  return result;
}
