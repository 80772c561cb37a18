// Flakes people add to their inputs most often, and the NUR repositories as flake URLs. Release
// branches are derived from the clock: NixOS releases twice a year, in May (YY.05) and November
// (YY.11), so the list stays current without an update to this file.
import { parseFlakeRef, printFlakeRef } from '../../flake/flakeRef';

export interface KnownFlake {
  /** The input name people usually give it. */
  readonly inputName: string;
  readonly url: string;
  readonly description: string;
}

/** One entry of NUR's registry (`repos.json`): the repository's name and its git URL. */
export interface NurRepo {
  readonly name: string;
  readonly url: string;
}

/** `25.05`, `24.11`, …: the newest NixOS releases whose month has begun, newest first. */
export function recentNixosReleases(now: Date, count = 3): string[] {
  const releases: string[] = [];
  let year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  let releaseMonth = month >= 11 ? 11 : month >= 5 ? 5 : 0;
  if (releaseMonth === 0) {
    year -= 1;
    releaseMonth = 11;
  }
  while (releases.length < count) {
    releases.push(`${String(year % 100).padStart(2, '0')}.${releaseMonth === 5 ? '05' : '11'}`);
    if (releaseMonth === 11) releaseMonth = 5;
    else {
      releaseMonth = 11;
      year -= 1;
    }
  }
  return releases;
}

const STABLE: readonly KnownFlake[] = [
  { inputName: 'nixpkgs', url: 'github:NixOS/nixpkgs/nixos-unstable', description: 'nixpkgs, the NixOS unstable channel (tested with NixOS)' },
  { inputName: 'nixpkgs', url: 'github:NixOS/nixpkgs/nixpkgs-unstable', description: 'nixpkgs, the unstable channel for non-NixOS systems and macOS' },
  { inputName: 'nixpkgs', url: 'github:NixOS/nixpkgs/master', description: 'nixpkgs, the development branch (untested, not cached)' },
  { inputName: 'home-manager', url: 'github:nix-community/home-manager', description: 'Home Manager, following nixpkgs unstable' },
  { inputName: 'nur', url: 'github:nix-community/NUR', description: 'NUR, the Nix User Repository' },
  { inputName: 'flake-utils', url: 'github:numtide/flake-utils', description: 'flake-utils: eachDefaultSystem and friends' },
  { inputName: 'flake-parts', url: 'github:hercules-ci/flake-parts', description: 'flake-parts: flakes written as modules' },
  { inputName: 'systems', url: 'github:nix-systems/default', description: 'the default list of systems, as a flake' },
  { inputName: 'nix-darwin', url: 'github:nix-darwin/nix-darwin', description: 'nix-darwin: macOS configuration with Nix' },
  { inputName: 'nixos-hardware', url: 'github:NixOS/nixos-hardware', description: 'NixOS modules for specific hardware' },
  { inputName: 'disko', url: 'github:nix-community/disko', description: 'disko: declarative disk partitioning' },
  { inputName: 'sops-nix', url: 'github:Mic92/sops-nix', description: 'sops-nix: secrets with sops' },
  { inputName: 'agenix', url: 'github:ryantm/agenix', description: 'agenix: secrets with age' },
  { inputName: 'impermanence', url: 'github:nix-community/impermanence', description: 'impermanence: choose what survives a reboot' },
  { inputName: 'lanzaboote', url: 'github:nix-community/lanzaboote', description: 'lanzaboote: Secure Boot for NixOS' },
  { inputName: 'nix-index-database', url: 'github:nix-community/nix-index-database', description: 'prebuilt nix-index database' },
  { inputName: 'nixvim', url: 'github:nix-community/nixvim', description: 'nixvim: Neovim configured with Nix' },
  { inputName: 'stylix', url: 'github:nix-community/stylix', description: 'stylix: system-wide theming' },
  { inputName: 'treefmt-nix', url: 'github:numtide/treefmt-nix', description: 'treefmt-nix: formatters for a whole project' },
  { inputName: 'git-hooks', url: 'github:cachix/git-hooks.nix', description: 'git-hooks.nix: pre-commit hooks' },
  { inputName: 'devenv', url: 'github:cachix/devenv', description: 'devenv: developer environments' },
  { inputName: 'rust-overlay', url: 'github:oxalica/rust-overlay', description: 'rust-overlay: Rust toolchains' },
  { inputName: 'fenix', url: 'github:nix-community/fenix', description: 'fenix: Rust toolchains and rust-analyzer' },
  { inputName: 'crane', url: 'github:ipetkov/crane', description: 'crane: Cargo builds' },
  { inputName: 'naersk', url: 'github:nix-community/naersk', description: 'naersk: Cargo builds' },
  { inputName: 'deploy-rs', url: 'github:serokell/deploy-rs', description: 'deploy-rs: deploy NixOS configurations' },
  { inputName: 'nixos-generators', url: 'github:nix-community/nixos-generators', description: 'nixos-generators: images in many formats' },
  { inputName: 'emacs-overlay', url: 'github:nix-community/emacs-overlay', description: 'emacs-overlay: bleeding-edge Emacs and packages' },
  { inputName: 'flake-compat', url: 'github:edolstra/flake-compat', description: 'flake-compat: use a flake without flakes enabled' },
  { inputName: 'nixpkgs-lib', url: 'github:nix-community/nixpkgs.lib', description: 'the nixpkgs library alone' },
];

/** The well-known flakes, with the release branches current at `now`. */
export function knownFlakes(now: Date): KnownFlake[] {
  const [latest, previous] = recentNixosReleases(now, 2);
  const releases: KnownFlake[] = [];
  for (const release of [latest, previous]) {
    releases.push(
      { inputName: 'nixpkgs', url: `github:NixOS/nixpkgs/nixos-${release}`, description: `nixpkgs, the NixOS ${release} stable channel` },
      { inputName: 'nixpkgs', url: `github:NixOS/nixpkgs/nixpkgs-${release}-darwin`, description: `nixpkgs ${release} for macOS` },
      { inputName: 'home-manager', url: `github:nix-community/home-manager/release-${release}`, description: `Home Manager for NixOS ${release}` },
      { inputName: 'nix-darwin', url: `github:nix-darwin/nix-darwin/nix-darwin-${release}`, description: `nix-darwin for nixpkgs ${release}` },
    );
  }
  return [...STABLE.slice(0, 3), ...releases, ...STABLE.slice(3)];
}

/**
 * A NUR repository's git URL as the flake reference people write: `github:owner/repo` for GitHub,
 * `gitlab:`/`sourcehut:` for those, `git+https://…` for any other host. Undefined for URLs that
 * are not http(s).
 */
export function nurRepoFlakeUrl(repo: NurRepo): string | undefined {
  let url: URL;
  try {
    url = new URL(repo.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const segments = url.pathname.replace(/\.git\/?$/, '').split('/').filter((part) => part.length > 0);
  const forge = url.host === 'github.com' ? 'github' : url.host === 'gitlab.com' ? 'gitlab' : url.host === 'git.sr.ht' ? 'sourcehut' : undefined;
  if (forge && segments.length === 2) {
    return printFlakeRef({ type: forge, owner: segments[0], repo: segments[1], query: [] });
  }
  const text = `git+${url.protocol}//${url.host}${url.pathname}`;
  try {
    return printFlakeRef(parseFlakeRef(text));
  } catch {
    return undefined;
  }
}
