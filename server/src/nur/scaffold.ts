// Creates a new NUR repository in an empty directory: the files of the templates, and optionally a
// git repository with a first commit. Existing files are never touched.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NurDependencies } from './dependencies';
import { gitHubOwnerProblem, gitHubRepoProblem, nurNameProblem } from './names';
import { ciNix, buildWorkflow } from './templates/ci';
import { EXAMPLE_NAME, type RepositoryTemplateContext } from './templates/context';
import { defaultNix, homeModulesNix, libNix, nixosModulesNix, overlayNix, overlaysNix } from './templates/entryPoints';
import { exampleModuleNix, examplePackageNix, exampleScript } from './templates/example';
import { flakeNix } from './templates/flake';
import { gitignore, readmeMarkdown } from './templates/readme';

export interface TemplateFile {
  /** Relative to the repository root, with `/`. */
  path: string;
  content: string;
  executable?: boolean;
}

/** Every file of a new repository, in the order they are written. */
export function repositoryFiles(context: RepositoryTemplateContext): TemplateFile[] {
  return [
    { path: 'default.nix', content: defaultNix(context) },
    { path: 'flake.nix', content: flakeNix(context) },
    { path: 'overlay.nix', content: overlayNix() },
    { path: 'overlays/default.nix', content: overlaysNix(context) },
    { path: 'lib/default.nix', content: libNix(context) },
    { path: 'nixos-modules/default.nix', content: nixosModulesNix(context) },
    { path: `nixos-modules/${EXAMPLE_NAME}.nix`, content: exampleModuleNix() },
    { path: 'home-modules/default.nix', content: homeModulesNix(context) },
    { path: `pkgs/${EXAMPLE_NAME}/default.nix`, content: examplePackageNix(context) },
    { path: `pkgs/${EXAMPLE_NAME}/src/${EXAMPLE_NAME}.sh`, content: exampleScript(context), executable: true },
    { path: 'ci.nix', content: ciNix() },
    { path: '.github/workflows/build.yml', content: buildWorkflow(context) },
    { path: 'README.md', content: readmeMarkdown(context) },
    { path: '.gitignore', content: gitignore() },
  ];
}

export interface ScaffoldOptions {
  /** Absolute path of the new repository; it must be empty or not exist yet. */
  directory: string;
  /** The NUR name (`nur.repos.<name>`). */
  name: string;
  /** The GitHub user or organisation for links; the name by default. */
  owner?: string;
  /** The repository's name on GitHub for links; `nur-packages` by default. */
  githubRepo?: string;
  /** Also run `git init` and make a first commit. */
  gitInit?: boolean;
}

export interface GitOutcome {
  initialized: boolean;
  committed: boolean;
  /** Why git did not do everything that was asked, in git's words. */
  problem?: string;
}

export interface ScaffoldResult {
  directory: string;
  /** Files written, relative to the directory. */
  files: string[];
  git?: GitOutcome;
}

export class ScaffoldError extends Error {}

export async function scaffoldRepository(options: ScaffoldOptions, deps: NurDependencies): Promise<ScaffoldResult> {
  // Each of these lands in files and URLs (README.md, meta.homepage, the flake reference).
  const problem =
    nurNameProblem(options.name) ??
    (options.owner === undefined ? undefined : gitHubOwnerProblem(options.owner)) ??
    (options.githubRepo === undefined ? undefined : gitHubRepoProblem(options.githubRepo));
  if (problem) throw new ScaffoldError(problem);
  assertEmptyDirectory(options.directory);

  const context: RepositoryTemplateContext = {
    name: options.name,
    owner: options.owner ?? options.name,
    githubRepo: options.githubRepo ?? 'nur-packages',
    today: deps.clock(),
  };
  const files = repositoryFiles(context);
  mkdirSync(options.directory, { recursive: true });
  for (const file of files) {
    const target = join(options.directory, ...file.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    // 'wx' fails instead of replacing a file that appeared meanwhile.
    writeFileSync(target, file.content, { flag: 'wx', mode: file.executable ? 0o755 : 0o644 });
  }
  const written = files.map((file) => file.path);
  const result: ScaffoldResult = { directory: options.directory, files: written };
  if (options.gitInit) result.git = await initialiseGit(options.directory, options.name, written, deps);
  return result;
}

/**
 * The target must not exist, or be an empty directory. A directory holding nothing but `.git`
 * counts as empty: it is what cloning a freshly created, empty GitHub repository leaves.
 */
function assertEmptyDirectory(directory: string): void {
  if (!existsSync(directory)) return;
  if (!statSync(directory).isDirectory()) throw new ScaffoldError(`${directory} exists and is not a directory.`);
  const entries = readdirSync(directory).filter((entry) => entry !== '.git');
  if (entries.length > 0) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
    throw new ScaffoldError(`${directory} is not empty (${shown}); choose an empty or new directory so no file is overwritten.`);
  }
}

async function initialiseGit(directory: string, name: string, files: string[], deps: NurDependencies): Promise<GitOutcome> {
  const git = (args: string[]) => deps.run('git', args, { cwd: directory, env: deps.env, timeoutMs: 60_000 });
  const fail = (initialized: boolean, output: { stderr: string; stdout: string }, what: string): GitOutcome => ({
    initialized,
    committed: false,
    problem: `${what}: ${(output.stderr || output.stdout).trim() || 'git failed'}`,
  });
  try {
    if (!existsSync(join(directory, '.git'))) {
      const init = await git(['init', '--quiet']);
      if (init.code !== 0) return fail(false, init, 'git init failed');
      // `git init -b` needs git 2.28; pointing HEAD at main works with every version.
      await git(['symbolic-ref', 'HEAD', 'refs/heads/main']);
    }
    const add = await git(['add', '--', ...files]);
    if (add.code !== 0) return fail(true, add, 'git add failed');
    const commit = await git(['commit', '--quiet', '-m', `Start the ${name} NUR repository`]);
    if (commit.code !== 0) return fail(true, commit, 'git commit failed (the files are written and staged)');
    return { initialized: true, committed: true };
  } catch (error) {
    return { initialized: existsSync(join(directory, '.git')), committed: false, problem: error instanceof Error ? error.message : String(error) };
  }
}
