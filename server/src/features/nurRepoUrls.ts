// Which NUR repository a flake input URL points at: `github:Mic92/nur-packages` and
// `https://github.com/Mic92/nur-packages` both name the repository NUR registers as `mic92`.
import { tryParseFlakeRef } from '../flake/flakeRef';

export interface NamedRepo {
  name: string;
  url: string;
}

/** A lookup from input URL to NUR repository name, rebuilt when the registry's size changes. */
export function nurRepoMatcher(repos: () => readonly NamedRepo[]): (url: string) => string | undefined {
  let byLocation: Map<string, string> | undefined;
  let builtFrom = -1;
  return (url) => {
    const current = repos();
    if (!byLocation || current.length !== builtFrom) {
      byLocation = new Map();
      for (const repo of current) {
        const location = repositoryLocation(repo.url);
        if (location) byLocation.set(location, repo.name);
      }
      builtFrom = current.length;
    }
    const location = repositoryLocation(url);
    return location ? byLocation.get(location) : undefined;
  };
}

/** `host/owner/repo` in lower case, from a flake reference or a git URL; undefined otherwise. */
export function repositoryLocation(url: string): string | undefined {
  const ref = tryParseFlakeRef(url);
  if (ref && (ref.type === 'github' || ref.type === 'gitlab' || ref.type === 'sourcehut')) {
    const host = ref.type === 'github' ? 'github.com' : ref.type === 'gitlab' ? 'gitlab.com' : 'git.sr.ht';
    return `${host}/${ref.owner}/${ref.repo}`.toLowerCase();
  }
  const match = /^(?:git\+)?(?:https?|ssh):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/([^?#]+?)(?:\.git)?\/?(?:[?#].*)?$/.exec(url);
  return match ? `${match[1]}/${match[2]}`.toLowerCase() : undefined;
}
