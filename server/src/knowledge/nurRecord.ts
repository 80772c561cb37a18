// What the index keeps of a NUR repository from NUR's `repos.json`.

export interface NurRepoRecord {
  url?: string;
  /** The GitHub account to contact about the repository. */
  githubContact?: string;
  /** The Nix file NUR imports, when not `default.nix`. */
  file?: string;
  /** `github`, `gitlab`, … when NUR cannot tell from the URL. */
  type?: string;
  branch?: string;
  submodules?: boolean;
}

export interface NurRepoInfo extends NurRepoRecord {
  name: string;
  /** Packages the NUR package index lists for it; undefined when that index is not loaded. */
  packageCount?: number;
}

export const NUR_REPO_FIELDS: ReadonlySet<string> = new Set(['url', 'github-contact', 'file', 'type', 'branch', 'submodules']);

export function toNurRepoRecord(raw: unknown): NurRepoRecord {
  const repo = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const record: NurRepoRecord = {};
  if (typeof repo.url === 'string') record.url = repo.url;
  if (typeof repo['github-contact'] === 'string') record.githubContact = repo['github-contact'];
  if (typeof repo.file === 'string') record.file = repo.file;
  if (typeof repo.type === 'string') record.type = repo.type;
  if (typeof repo.branch === 'string') record.branch = repo.branch;
  if (repo.submodules === true) record.submodules = true;
  return record;
}
