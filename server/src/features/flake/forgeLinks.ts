// Web pages for a locked commit, for hovers: the forges whose URL scheme is well known.
import type { RefAttributes } from '../../flake/refAttributes';

/** The commit's page on GitHub, GitLab or sourcehut (also for git inputs hosted there), if known. */
export function commitUrl(locked: RefAttributes | undefined): string | undefined {
  if (!locked) return undefined;
  const rev = typeof locked.rev === 'string' ? locked.rev : undefined;
  if (!rev) return undefined;
  const text = (name: string) => (typeof locked[name] === 'string' ? (locked[name] as string) : undefined);
  const owner = text('owner');
  const repo = text('repo');
  switch (locked.type) {
    case 'github':
      return owner && repo ? `https://${text('host') ?? 'github.com'}/${owner}/${repo}/commit/${rev}` : undefined;
    case 'gitlab':
      return owner && repo ? `https://${text('host') ?? 'gitlab.com'}/${owner}/${repo}/-/commit/${rev}` : undefined;
    case 'sourcehut': {
      if (!owner || !repo) return undefined;
      const user = owner.startsWith('~') ? owner : `~${owner}`;
      return `https://${text('host') ?? 'git.sr.ht'}/${user}/${repo}/commit/${rev}`;
    }
    case 'git':
      return gitWebCommitUrl(text('url'), rev);
    default:
      return undefined;
  }
}

/** `https://github.com/o/r(.git)` and friends, reached over git, still have a web page per commit. */
function gitWebCommitUrl(url: string | undefined, rev: string): string | undefined {
  if (!url) return undefined;
  const match = /^(?:https?:\/\/|ssh:\/\/git@)(github\.com|gitlab\.com|git\.sr\.ht)[/:](.+?)(?:\.git)?\/?$/.exec(url);
  if (!match) return undefined;
  const [, host, path] = match;
  if (host === 'gitlab.com') return `https://${host}/${path}/-/commit/${rev}`;
  return `https://${host}/${path}/commit/${rev}`;
}
