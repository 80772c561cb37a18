// Links to the source of a package or an option declaration on GitHub, at the revision the index
// was built from (a commit when known, else the channel's branch, which nixpkgs also carries).
import type { OptionScope } from '../knowledgeQueries';

export const NIXPKGS_REPOSITORY = 'https://github.com/NixOS/nixpkgs';
export const HOME_MANAGER_REPOSITORY = 'https://github.com/nix-community/home-manager';

const STORE_PREFIX = /^\/nix\/store\/[0-9a-z]{32}-[^/]+\//;

/** Splits `pkgs/by-name/he/hello/package.nix:57` into file and line. */
export function splitPosition(position: string): { file: string; line?: number } {
  const match = /^(.*?):(\d+)(?::\d+)?$/.exec(position);
  const file = (match ? match[1] : position).replace(STORE_PREFIX, '');
  return match ? { file, line: Number(match[2]) } : { file };
}

/** A revision or branch safe to put in a URL path. */
function revisionSegment(revision: string | undefined): string {
  return revision && /^[A-Za-z0-9._-]+$/.test(revision) ? revision : 'master';
}

function encodeFilePath(file: string): string {
  return file
    .split('/')
    .filter((part) => part && part !== '.' && part !== '..')
    .map(encodeURIComponent)
    .join('/');
}

/** The GitHub page of a package's definition, or the position itself when it already is a URL. */
export function packageSourceUrl(position: string | undefined, revision: string | undefined): string | undefined {
  if (!position) return undefined;
  if (/^https?:\/\//.test(position)) return position;
  const { file, line } = splitPosition(position);
  if (file.startsWith('/')) return undefined; // An absolute path outside the store: no public page.
  return `${NIXPKGS_REPOSITORY}/blob/${revisionSegment(revision)}/${encodeFilePath(file)}${line ? `#L${line}` : ''}`;
}

/** The page of an option declaration: `nixos/modules/…` in nixpkgs, `modules/…` in Home Manager. */
export function declarationUrl(name: string, scope: OptionScope, revision: string | undefined): string | undefined {
  const inNixpkgs = /^<nixpkgs\/(.+)>$/.exec(name);
  if (inNixpkgs) return `${NIXPKGS_REPOSITORY}/blob/${revisionSegment(scope === 'nixos' ? revision : undefined)}/${encodeFilePath(inNixpkgs[1])}`;
  // flake-parts' options are declared in the flake's inputs, which have no one public home.
  if (scope === 'flake-parts') return undefined;
  const file = name.replace(STORE_PREFIX, '');
  if (file.startsWith('/') || file.startsWith('<')) return undefined;
  if (scope === 'home-manager') return `${HOME_MANAGER_REPOSITORY}/blob/master/${encodeFilePath(file)}`;
  return `${NIXPKGS_REPOSITORY}/blob/${revisionSegment(revision)}/${encodeFilePath(file)}`;
}
