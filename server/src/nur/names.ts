// Names that users type and that become attribute names, directory names and URLs: a NUR
// repository name, a package or module name, a GitHub source. Each check returns a message that
// says what is wrong and what would be accepted, or undefined when the name is fine.
import { NIX_KEYWORDS } from '../analysis/names';

/** Names NUR gives a meaning of their own in a repository's default.nix; they are not packages. */
export const RESERVED_ATTRIBUTES: readonly string[] = ['lib', 'modules', 'nixosModules', 'homeModules', 'hmModules', 'overlays'];

/** What every name that becomes part of a path must satisfy, whatever else applies. */
export function pathSafetyProblem(name: string, what: string): string | undefined {
  if (name.length === 0) return `The ${what} is empty.`;
  if (name.includes('/') || name.includes('\\')) return `The ${what} '${name}' contains a slash.`;
  if (name.includes('..')) return `The ${what} '${name}' contains '..'.`;
  if (name.startsWith('-')) return `The ${what} '${name}' starts with '-'.`;
  if (/[\0-\x1f]/.test(name)) return `The ${what} contains a control character.`;
  return undefined;
}

/**
 * A NUR repository name: it becomes `nur.repos.<name>` and a key of NUR's repos.json, so it is
 * kept to lowercase letters, digits, `-` and `_` (usually the GitHub user name in lowercase).
 */
export function nurNameProblem(name: string): string | undefined {
  const unsafe = pathSafetyProblem(name, 'NUR name');
  if (unsafe) return unsafe;
  if (name.length > 64) return `The NUR name '${name}' is longer than 64 characters.`;
  if (!/^[a-z0-9_-]+$/.test(name)) {
    const suggestion = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+/, '');
    return `The NUR name '${name}' may only contain lowercase letters, digits, '-' and '_'` +
      (/^[a-z0-9_][a-z0-9_-]*$/.test(suggestion) ? ` (for example '${suggestion}').` : '.');
  }
  return undefined;
}

/**
 * A package or module name: an attribute name that needs no quotes, also used as a directory
 * or file name under pkgs/ or nixos-modules/.
 */
export function attributeNameProblem(name: string, what: 'package' | 'module'): string | undefined {
  const unsafe = pathSafetyProblem(name, `${what} name`);
  if (unsafe) return unsafe;
  if (name.length > 100) return `The ${what} name '${name}' is longer than 100 characters.`;
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
    return `The ${what} name '${name}' must start with a letter or '_' and contain only letters, digits, '-' and '_'.`;
  }
  if (NIX_KEYWORDS.has(name)) return `'${name}' is a Nix keyword and cannot be a ${what} name.`;
  if (what === 'package' && RESERVED_ATTRIBUTES.includes(name)) {
    return `'${name}' has a meaning of its own in a NUR repository (${RESERVED_ATTRIBUTES.join(', ')}); choose another package name.`;
  }
  return undefined;
}

/**
 * A GitHub user or organisation name, as GitHub allows them (letters, digits, single hyphens
 * between them, at most 39 characters): it lands in URLs, flake references and README text.
 */
export function gitHubOwnerProblem(owner: string): string | undefined {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(owner)) {
    return `'${owner.replace(/[\0-\x1f]/g, '?')}' is not a valid GitHub user or organisation name (letters, digits and single hyphens, at most 39 characters).`;
  }
  return undefined;
}

/** A GitHub repository name: letters, digits, `.`, `-`, `_`; not `.` or `..`. */
export function gitHubRepoProblem(repo: string): string | undefined {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(repo) || repo === '.' || repo === '..') return `'${repo.replace(/[\0-\x1f]/g, '?')}' is not a valid GitHub repository name.`;
  return undefined;
}

export interface GitHubSource {
  owner: string;
  repo: string;
  /** A tag, branch or commit; undefined when the source named none. */
  rev?: string;
}

/** Parses `owner/repo@rev` (the `@rev` part may be left out). Throws with a readable message. */
export function parseGitHubSource(source: string): GitHubSource {
  const match = /^([^/@\s]+)\/([^/@\s]+)(?:@(\S+))?$/.exec(source.trim());
  if (!match) throw new Error(`The source '${source}' is not of the form owner/repo@rev (for example 'BurntSushi/ripgrep@14.1.1').`);
  const [, owner, rawRepo, rev] = match;
  const repo = rawRepo.replace(/\.git$/, '');
  const problem = gitHubOwnerProblem(owner) ?? gitHubRepoProblem(repo);
  if (problem) throw new Error(problem);
  if (rev !== undefined && (!/^[A-Za-z0-9._/+-]{1,200}$/.test(rev) || rev.includes('..') || rev.startsWith('-'))) {
    throw new Error(`'${rev}' is not a valid git revision (tag, branch or commit).`);
  }
  return { owner, repo, rev };
}
