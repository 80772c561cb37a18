// Turns a git remote URL into the URL NUR should fetch: GitHub SSH remotes become https, `.git`
// suffixes go, and credentials that sometimes sit in https remotes never leave the machine.

export interface RepositoryUrl {
  /** What goes into repos.json. */
  url: string;
  host?: string;
  /** `owner/repo` parts for GitHub (and other forges with that layout). */
  owner?: string;
  repo?: string;
}

const SCP_LIKE = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/;

export function normaliseRemoteUrl(remote: string): RepositoryUrl {
  const trimmed = remote.trim();
  let host: string | undefined;
  let path: string | undefined;
  let scheme: string | undefined;
  const scp = SCP_LIKE.exec(trimmed);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    host = scp[1];
    path = scp[2];
    scheme = 'ssh';
  } else {
    try {
      const url = new URL(trimmed);
      host = url.hostname;
      path = decodeURIComponent(url.pathname);
      scheme = url.protocol.replace(/:$/, '');
      // Rebuild without user, password, query or fragment.
      if (scheme === 'https' || scheme === 'http') {
        if (!isForge(host)) return { url: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`, host };
      } else if (scheme !== 'ssh' && scheme !== 'git' && scheme !== 'git+ssh') {
        return { url: trimmed };
      }
    } catch {
      return { url: trimmed };
    }
  }
  const cleanPath = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  const lowerHost = host.toLowerCase();
  if (isForge(lowerHost)) {
    const [owner, repo] = cleanPath.split('/');
    return { url: `https://${lowerHost}/${cleanPath}`, host: lowerHost, owner, repo };
  }
  // Another host over SSH: NUR cannot clone with a key, so the https form is the best guess.
  return { url: scheme === 'ssh' || scheme === 'git' || scheme === 'git+ssh' ? `https://${lowerHost}/${cleanPath}` : trimmed, host: lowerHost };
}

function isForge(host: string): boolean {
  return ['github.com', 'gitlab.com', 'codeberg.org'].includes(host.toLowerCase());
}

/** For comparing two URLs of the same repository written differently. */
export function sameRepositoryUrl(a: string, b: string): boolean {
  const key = (url: string) => normaliseRemoteUrl(url).url.toLowerCase().replace(/\/+$/, '');
  return key(a) === key(b);
}
