import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNurRepoRecord } from '../../../server/src/knowledge/nurRecord';
import { runProcess } from '../../../server/src/nix/process';
import { normaliseRemoteUrl, sameRepositoryUrl } from '../../../server/src/nur/gitRemote';
import { registrationFor, reposJsonSnippet, type LookupRepo } from '../../../server/src/nur/registration';
import { scaffoldRepository } from '../../../server/src/nur/scaffold';

const repoRoot = join(__dirname, '..', '..', '..');

/** NUR's real registry, as the NUR repository index would answer. */
function reposJsonLookup(): LookupRepo {
  const text = readFileSync(join(repoRoot, '..', 'shared', 'data', 'nur', 'repos.json'), 'utf8');
  const repos = (JSON.parse(text) as { repos: Record<string, unknown> }).repos;
  return (name) => (Object.prototype.hasOwnProperty.call(repos, name) ? toNurRepoRecord(repos[name]) : undefined);
}

const deps = { run: runProcess, clock: () => new Date('2026-11-22T00:00:00Z'), lookupRepo: reposJsonLookup() };
let base: string;

function git(cwd: string, ...args: string[]) {
  execFileSync('git', args, { cwd, stdio: 'pipe' });
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'nur-registration-'));
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('git remotes as NUR URLs', () => {
  it('turns GitHub SSH remotes into https and drops .git and credentials', () => {
    expect(normaliseRemoteUrl('git@github.com:someone/nur-packages.git')).toEqual({ url: 'https://github.com/someone/nur-packages', host: 'github.com', owner: 'someone', repo: 'nur-packages' });
    expect(normaliseRemoteUrl('ssh://git@github.com/Someone/nur.git').url).toBe('https://github.com/Someone/nur');
    expect(normaliseRemoteUrl('https://someone:ghp_secret@github.com/someone/nur-packages.git/').url).toBe('https://github.com/someone/nur-packages');
    expect(normaliseRemoteUrl('https://token@git.example.org/me/nur.git').url).toBe('https://git.example.org/me/nur.git');
    expect(normaliseRemoteUrl('git@gitlab.com:me/nur.git').url).toBe('https://gitlab.com/me/nur');
    expect(normaliseRemoteUrl('/srv/git/nur').url).toBe('/srv/git/nur');
    expect(sameRepositoryUrl('git@github.com:Mic92/nur-packages.git', 'https://github.com/Mic92/nur-packages')).toBe(true);
    expect(sameRepositoryUrl('https://github.com/a/b', 'https://github.com/a/c')).toBe(false);
  });

  it('formats the repos.json entry as NUR does', () => {
    expect(reposJsonSnippet('someone', { url: 'https://github.com/someone/nur-packages', 'github-contact': 'someone' })).toBe(
      '"someone": {\n    "github-contact": "someone",\n    "url": "https://github.com/someone/nur-packages"\n}',
    );
  });
});

describe('registration', () => {
  it('gives the entry, a free name and the pull request steps for a fresh GitHub repository', async () => {
    const root = join(base, 'fresh');
    await scaffoldRepository({ directory: root, name: 'someone-new' }, deps);
    git(root, 'init', '--quiet');
    git(root, 'remote', 'add', 'origin', 'git@github.com:someone/nur-packages.git');

    const result = await registrationFor({ root }, deps);
    expect(result.name).toBe('someone-new');
    expect(result.entry).toEqual({ 'github-contact': 'someone', url: 'https://github.com/someone/nur-packages' });
    expect(result.availability).toBe('available');
    expect(result.problems).toEqual([]);
    expect(result.steps).toContain('Fork [nix-community/NUR](https://github.com/nix-community/NUR)');
    expect(result.steps).toContain('./bin/nur format-manifest');
    expect(result.steps).toContain('"url": "https://github.com/someone/nur-packages"');
    expect(result.steps).toContain('nur.repos.someone-new.<package>');
  });

  it('says when the name is taken in NUR, and when this repository already has it', async () => {
    const root = join(base, 'taken');
    mkdirSync(root);
    git(root, 'init', '--quiet');
    git(root, 'remote', 'add', 'origin', 'git@github.com:someone/nur-packages.git');
    const taken = await registrationFor({ root, name: 'mic92' }, deps);
    expect(taken.availability).toBe('taken');
    expect(taken.existing?.url).toBe('https://github.com/Mic92/nur-packages');
    expect(taken.problems.join('\n')).toMatch(/'mic92' is already taken by https:\/\/github.com\/Mic92\/nur-packages/);
    expect(taken.steps).toContain('**First:**');

    git(root, 'remote', 'set-url', 'origin', 'git@github.com:Mic92/nur-packages.git');
    const registered = await registrationFor({ root, name: 'mic92' }, deps);
    expect(registered.availability).toBe('registered');
    expect(registered.steps).toContain('nothing to register');
    expect(registered.steps).toContain('update?repo=mic92');
  });

  it('derives the name from the GitHub owner and reports what is missing', async () => {
    const root = join(base, 'Owner-Dir');
    mkdirSync(root);
    git(root, 'init', '--quiet');
    git(root, 'remote', 'add', 'origin', 'https://github.com/Some.One/nur.git');
    const byOwner = await registrationFor({ root }, deps);
    expect(byOwner.name).toBe('some.one');
    expect(byOwner.problems.join('\n')).toMatch(/lowercase letters, digits/);

    const plain = join(base, 'not-git');
    mkdirSync(plain);
    const noGit = await registrationFor({ root: plain }, deps);
    expect(noGit.name).toBe('not-git');
    expect(noGit.entry).toEqual({});
    expect(noGit.problems.join('\n')).toMatch(/not a git repository/);

    const noRemote = join(base, 'no-remote');
    mkdirSync(noRemote);
    git(noRemote, 'init', '--quiet');
    expect((await registrationFor({ root: noRemote }, deps)).problems.join('\n')).toMatch(/no remote named origin/);
  });
});
