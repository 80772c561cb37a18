// What it takes to list a repository in NUR: its entry for NUR's repos.json (name, URL, GitHub
// contact), whether the name is free, and the steps of the pull request to nix-community/NUR.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NurRepoRecord } from '../knowledge/nurRecord';
import { ProgramNotFoundError } from '../nix/process';
import type { NurDependencies } from './dependencies';
import { normaliseRemoteUrl, sameRepositoryUrl } from './gitRemote';
import { nurNameProblem } from './names';

/** NUR's registry entry for a name, or undefined when the name is free (the NUR repos index answers). */
export type LookupRepo = (name: string) => NurRepoRecord | undefined | Promise<NurRepoRecord | undefined>;

export interface RegistrationOptions {
  root: string;
  /** The NUR name to register; found from the repository when absent. */
  name?: string;
}

export type NameAvailability = 'available' | 'taken' | 'registered';

export interface RegistrationResult {
  name: string;
  /** The entry as repos.json spells it. */
  entry: { 'github-contact'?: string; url?: string };
  /** The lines to add inside `"repos": { … }` of repos.json. */
  snippet: string;
  /** `taken`: another repository has the name; `registered`: this one already has it. */
  availability: NameAvailability;
  existing?: NurRepoRecord;
  /** What is missing or wrong before the pull request can be opened. */
  problems: string[];
  /** The steps, as markdown. */
  steps: string;
}

const NUR_REPOSITORY = 'https://github.com/nix-community/NUR';

export async function registrationFor(options: RegistrationOptions, deps: NurDependencies & { lookupRepo: LookupRepo }): Promise<RegistrationResult> {
  const problems: string[] = [];
  const remote = await originUrl(options.root, deps, problems);
  const location = remote ? normaliseRemoteUrl(remote) : undefined;
  const githubOwner = location?.host === 'github.com' ? location.owner : undefined;
  if (location && !githubOwner) problems.push('The repository is not on GitHub: fill in "github-contact" with your GitHub user name by hand.');
  if (location && location.host !== 'github.com' && location.host !== 'gitlab.com' && !location.url.startsWith('https://')) {
    problems.push(`NUR has to be able to clone ${location.url} without credentials; use a public https URL.`);
  }

  const name = options.name ?? nameFromWorkflow(options.root) ?? githubOwner?.toLowerCase() ?? basename(options.root).toLowerCase();
  const nameProblem = nurNameProblem(name);
  if (nameProblem) problems.push(nameProblem);

  const entry: RegistrationResult['entry'] = {};
  if (githubOwner) entry['github-contact'] = githubOwner;
  if (location) entry.url = location.url;

  const existing = nameProblem ? undefined : await deps.lookupRepo(name);
  let availability: NameAvailability = 'available';
  if (existing) {
    availability = existing.url && location && sameRepositoryUrl(existing.url, location.url) ? 'registered' : 'taken';
    if (availability === 'taken') problems.push(`The NUR name '${name}' is already taken by ${existing.url ?? 'another repository'}; choose another name.`);
  }

  const snippet = reposJsonSnippet(name, entry);
  return { name, entry, snippet, availability, existing, problems, steps: stepsMarkdown(name, entry, snippet, availability, problems) };
}

async function originUrl(root: string, deps: NurDependencies, problems: string[]): Promise<string | undefined> {
  if (!existsSync(join(root, '.git'))) {
    problems.push('The directory is not a git repository: NUR fetches repositories with git. Run git init, commit, and push it to GitHub.');
    return undefined;
  }
  try {
    const result = await deps.run('git', ['remote', 'get-url', 'origin'], { cwd: root, env: deps.env, timeoutMs: 15_000 });
    const url = result.stdout.trim();
    if (result.code === 0 && url) return url;
    problems.push('The repository has no remote named origin: push it to GitHub first (git remote add origin …).');
  } catch (error) {
    problems.push(error instanceof ProgramNotFoundError ? 'git was not found on the PATH.' : `git failed: ${(error as Error).message}`);
  }
  return undefined;
}

/** The name the generated workflow notifies NUR with (`…/update?repo=<name>`). */
function nameFromWorkflow(root: string): string | undefined {
  const workflow = join(root, '.github', 'workflows', 'build.yml');
  try {
    const match = /nur-update\.nix-community\.org\/update\?repo=([A-Za-z0-9_-]+)/.exec(readFileSync(workflow, 'utf8'));
    return match?.[1];
  } catch {
    return undefined;
  }
}

/** Formatted as NUR formats repos.json: four spaces, keys in alphabetical order. */
export function reposJsonSnippet(name: string, entry: RegistrationResult['entry']): string {
  const fields = Object.entries(entry)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return [`${JSON.stringify(name)}: {`, fields.join(',\n'), '}'].filter((line) => line !== '').join('\n');
}

function stepsMarkdown(name: string, entry: RegistrationResult['entry'], snippet: string, availability: NameAvailability, problems: string[]): string {
  const url = entry.url ?? '<the https URL of your repository>';
  const lines: string[] = [`# Registering \`${name}\` in NUR`, ''];
  if (availability === 'registered') {
    lines.push(
      `\`${name}\` is already in NUR's repos.json with this repository's URL; there is nothing to register.`,
      '',
      'NUR fetches new commits by itself, about once a day. To have it fetch right after a push:',
      '',
      '```console',
      `$ curl -XPOST "https://nur-update.nix-community.org/update?repo=${name}"`,
      '```',
      '',
    );
    return lines.join('\n');
  }
  if (problems.length > 0) lines.push('**First:**', '', ...problems.map((problem) => `- ${problem}`), '');
  lines.push(
    `1. Make sure ${url} is public and its default branch evaluates the way NUR evaluates it (the NUR check of this extension, or the "Evaluate like NUR" step of the workflow).`,
    `2. Fork [nix-community/NUR](${NUR_REPOSITORY}) and clone your fork.`,
    '3. In `repos.json`, add this entry inside `"repos"`, where it belongs alphabetically:',
    '',
    '   ```json',
    ...snippet.split('\n').map((line) => `   ${line}`),
    '   ```',
    '',
    '4. Run `./bin/nur format-manifest` to sort and format the file. To run NUR\'s own evaluation on your repository, `./bin/nur eval <path of your checkout>`.',
    '5. Commit `repos.json` only (`repos.json.lock` is maintained by NUR), e.g. with the message',
    `   \`add ${name} repository\`, push to your fork and open a pull request against ${NUR_REPOSITORY}.`,
    `6. Once it is merged, your packages are \`nur.repos.${name}.<package>\`. NUR picks up new commits about once a day; \`curl -XPOST "https://nur-update.nix-community.org/update?repo=${name}"\` (which the generated workflow runs after each push) makes it fetch at once.`,
    '',
  );
  return lines.join('\n');
}
