// The workspace the editor opens, made fresh in a temporary directory for every run: a copy of
// test/e2e/workspace whose flake takes its input from a local git repository (so Nix can lock and
// update it offline), locked at that repository's first commit, which then gets a second commit
// for "Update Flake Input" to move to. Nix runs with a private HOME, as the editor will, and
// NIX_PATH names a small stand-in nixpkgs.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { repoRoot } from './requirements';

export interface E2eWorkspace {
  /** Everything of this run lives under here. */
  root: string;
  /** The folder the editor opens (a git repository holding flake.nix). */
  folder: string;
  /** An empty folder for "NUR: Create Repository…". */
  newRepository: string;
  /** Environment for the editor and Nix: private HOME and caches, git identity. */
  env: NodeJS.ProcessEnv;
  greeting: { firstRev: string; secondRev: string; firstMessage: string; secondMessage: string };
  /** The revision flake.lock holds for the greeting input now. */
  lockedGreetingRev(): string;
  remove(): void;
}

const fixture = join(repoRoot, 'test', 'e2e', 'workspace');

/**
 * The environment of the editor and Nix in a run under `root`: a private HOME (made here) and
 * caches, a git identity, and only the host's Nix on PATH (the test-only Nix 2.26 wrappers must
 * not be found first).
 */
export function privateEnvironment(root: string, nixBinDir: string): NodeJS.ProcessEnv {
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  const path = [nixBinDir, ...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !dir.includes('nix-2.26'))].join(delimiter);
  return {
    ...process.env,
    PATH: path,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    GIT_AUTHOR_NAME: 'Alice Example',
    GIT_AUTHOR_EMAIL: 'alice@example.org',
    GIT_COMMITTER_NAME: 'Alice Example',
    GIT_COMMITTER_EMAIL: 'alice@example.org',
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

export function createE2eWorkspace(nixBinDir: string): E2eWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'nix-nur-e2e-'));
  const env = privateEnvironment(root, nixBinDir);
  const run = (program: string, cwd: string, ...args: string[]) => execFileSync(program, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const git = (cwd: string, ...args: string[]) => run('git', cwd, ...args);

  try {
    // The input: a flake with a message, committed twice.
    const greetingDir = join(root, 'greeting');
    mkdirSync(greetingDir);
    const firstMessage = 'Welcome to the workstation';
    const secondMessage = 'Welcome back to the workstation';
    const writeGreeting = (message: string) =>
      writeFileSync(join(greetingDir, 'flake.nix'), `{\n  outputs = _: {\n    message = "${message}";\n    nixosModules.motd = ./motd.nix;\n  };\n}\n`);
    writeGreeting(firstMessage);
    writeFileSync(join(greetingDir, 'motd.nix'), '# Shows the greeting at login.\n{ config, lib, ... }: { }\n');
    git(greetingDir, 'init', '-q', '-b', 'main');
    git(greetingDir, 'add', '-A');
    git(greetingDir, 'commit', '-qm', 'First greeting');
    const firstRev = git(greetingDir, 'rev-parse', 'HEAD');

    // The workspace: the fixture, its input pointed at that repository, locked at the first commit.
    const folder = join(root, 'workstation');
    cpSync(fixture, folder, { recursive: true });
    const flakePath = join(folder, 'flake.nix');
    writeFileSync(flakePath, readFileSync(flakePath, 'utf8').replace('@greetingUrl@', `git+file://${greetingDir}`));
    writeFileSync(join(folder, 'nonce.nix'), `"${root}"\n`);
    git(folder, 'init', '-q', '-b', 'main');
    git(folder, 'add', '-A');
    run('nix', folder, 'flake', 'lock');
    git(folder, 'add', '-A');
    git(folder, 'commit', '-qm', 'The workstation');

    writeGreeting(secondMessage);
    git(greetingDir, 'commit', '-qam', 'Second greeting');
    const secondRev = git(greetingDir, 'rev-parse', 'HEAD');

    // The nixpkgs NIX_PATH pins: a hand-written stand-in with a `lib` and the modules that declare
    // the options the configuration sets, so that going to an option's definition opens its source.
    const nixpkgs = join(root, 'nixpkgs');
    cpSync(join(repoRoot, 'test', 'fixtures', 'knowledge', 'lib-nixpkgs'), nixpkgs, { recursive: true });
    cpSync(join(repoRoot, 'test', 'fixtures', 'knowledge', 'option-sources'), nixpkgs, { recursive: true });
    env.NIX_PATH = `nixpkgs=${nixpkgs}`;

    const newRepository = join(root, 'my-nur');
    mkdirSync(newRepository);
    const lockedGreetingRev = () => JSON.parse(readFileSync(join(folder, 'flake.lock'), 'utf8')).nodes.greeting.locked.rev as string;
    if (lockedGreetingRev() !== firstRev) throw new Error('flake.lock does not hold the first greeting commit');
    return {
      root,
      folder,
      newRepository,
      env,
      greeting: { firstRev, secondRev, firstMessage, secondMessage },
      lockedGreetingRev,
      remove: () => rmSync(root, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
