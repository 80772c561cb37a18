// What the repository templates are filled in with.

export interface RepositoryTemplateContext {
  /** The NUR name: `nur.repos.<name>`. */
  name: string;
  /** The GitHub user or organisation expected to host the repository (for links). */
  owner: string;
  /** The repository's name on GitHub (for links), `nur-packages` by default. */
  githubRepo: string;
  /** Today, for the NixOS release the CI tests against. */
  today: Date;
}

/** The example package and module every new repository starts with. */
export const EXAMPLE_NAME = 'greeting';

/**
 * The newest stable NixOS release on a given day. Releases come out at the end of May (YY.05)
 * and November (YY.11), so from June the May release is current, and from December the
 * November one.
 */
export function stableNixosRelease(today: Date): string {
  const year = today.getUTCFullYear() % 100;
  const month = today.getUTCMonth() + 1;
  const two = (n: number) => String(n).padStart(2, '0');
  if (month === 12) return `${two(year)}.11`;
  if (month >= 6) return `${two(year)}.05`;
  return `${two((year + 99) % 100)}.11`;
}

export function repositoryUrl(context: RepositoryTemplateContext): string {
  return `https://github.com/${context.owner}/${context.githubRepo}`;
}
