// Decides where each index comes from, from the `nixNur.*` settings (plain values passed in by the
// server) and the workspace: a file, a URL, or a local evaluation of the pinned nixpkgs.
//
// "auto" means: when the workspace pins nixpkgs (flake.lock's `nixpkgs` input, or NIX_PATH's
// `nixpkgs=`), Nix is installed and the workspace is trusted, evaluate that nixpkgs locally;
// otherwise download the channel's published files. NUR's registry and package index have fixed
// published locations.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { SourceKind } from './cacheStore';
import type { NixpkgsPin } from './nixpkgsPin';

/** The settings this layer reads (the `nixNur.*` values; `config/settings.ts` validates them). */
export interface KnowledgeSettings {
  nixpkgs: { packages: string; channel: string };
  nixos: { options: string };
  homeManager: { options: string };
  nur: { repos: string; packages: string };
  offline: boolean;
  nix?: { path: string };
}

/** NUR's registry, as NUR publishes it in its repository. */
export const NUR_REPOS_URL = 'https://raw.githubusercontent.com/nix-community/NUR/refs/heads/main/repos.json';
/**
 * NUR's package index: NUR's CI writes it (`nur index`) into the nur-search repository that backs
 * the NUR search website, keyed `nur.repos.<repo>.<attr>`.
 */
export const NUR_PACKAGES_URL = 'https://raw.githubusercontent.com/nix-community/nur-search/refs/heads/main/data/packages.json';
/** channels.nixos.org answers with a redirect to the release directory on this host. */
export const CHANNEL_RELEASE_HOSTS = ['releases.nixos.org'];

export function channelFileUrl(channel: string, file: 'packages.json.br' | 'options.json.br'): string {
  return `https://channels.nixos.org/${encodeURIComponent(channel)}/${file}`;
}

/**
 * The channel that publishes options.json for `channel`: only `nixos-*` channels do, so
 * `nixpkgs-unstable` maps to `nixos-unstable` and `nixpkgs-24.05-darwin` to `nixos-24.05`.
 */
export function optionsChannelFor(channel: string): string {
  if (channel === 'nixpkgs-unstable') return 'nixos-unstable';
  const release = /^nixpkgs-(\d\d\.\d\d)(-darwin)?$/.exec(channel);
  return release ? `nixos-${release[1]}` : channel;
}

interface PlanBase {
  kind: SourceKind;
  /** What keys the cache file: the path, the URL or the pin. */
  location: string;
  /** For status and messages. */
  description: string;
  /** The nixpkgs revision or branch source links should use. */
  revision?: string;
}

export type SourcePlan =
  | (PlanBase & { mode: 'off'; /** Why, for status. */ reason: string })
  | (PlanBase & { mode: 'file'; path: string })
  | (PlanBase & { mode: 'url'; url: string; allowedRedirectHosts: string[]; revisionFromUrl: boolean })
  | (PlanBase & { mode: 'nix-eval'; pin: Exclude<NixpkgsPin, { kind: 'channel' }>; evaluates: 'packages' | 'options' });

export interface PlanContext {
  settings: KnowledgeSettings;
  workspaceFolders: readonly string[];
  trusted: boolean;
  /** The pinned nixpkgs, if the workspace has one. */
  pin: NixpkgsPin | undefined;
  /** Whether a usable `nix` is installed (asked only when an evaluation is possible). */
  nixAvailable: () => Promise<boolean>;
}

export const SOURCE_LABELS: Record<SourceKind, string> = {
  nixpkgs: 'nixpkgs packages',
  nixos: 'NixOS options',
  'home-manager': 'Home Manager options',
  'nur-repos': 'NUR repositories',
  'nur-packages': 'NUR packages',
};

function settingOf(kind: SourceKind, settings: KnowledgeSettings): string {
  switch (kind) {
    case 'nixpkgs':
      return settings.nixpkgs.packages;
    case 'nixos':
      return settings.nixos.options;
    case 'home-manager':
      return settings.homeManager.options;
    case 'nur-repos':
      return settings.nur.repos;
    case 'nur-packages':
      return settings.nur.packages;
  }
}

/** A path or URL the user configured, or undefined for "auto"/empty. */
export function explicitSource(value: string, workspaceFolders: readonly string[]): { url: string } | { path: string } | undefined {
  const text = value.trim();
  if (text === '' || text === 'auto') return undefined;
  if (/^https?:\/\//i.test(text)) return { url: text };
  if (text.startsWith('file://')) {
    try {
      return { path: decodeURIComponent(new URL(text).pathname) };
    } catch {
      return { path: text.slice('file://'.length) };
    }
  }
  if (text === '~' || text.startsWith('~/')) return { path: join(homedir(), text.slice(1)) };
  if (isAbsolute(text)) return { path: text };
  return { path: workspaceFolders.length ? resolve(workspaceFolders[0], text) : resolve(text) };
}

export async function planSource(kind: SourceKind, context: PlanContext): Promise<SourcePlan> {
  const { settings } = context;
  const value = settingOf(kind, settings).trim();
  const channel = settings.nixpkgs.channel;
  const description = SOURCE_LABELS[kind];
  if (value === '') return { kind, mode: 'off', location: '', description, reason: 'turned off (the setting is empty)' };
  const explicit = explicitSource(value, context.workspaceFolders);
  const revision = kind === 'nixpkgs' || kind === 'nixos' ? channel : undefined;
  if (explicit && 'url' in explicit) {
    // A channel's URL written out (as the demo's settings do) redirects like the one "auto" uses.
    const allowedRedirectHosts = /^https:\/\/channels\.nixos\.org\//i.test(explicit.url) ? CHANNEL_RELEASE_HOSTS : [];
    return { kind, mode: 'url', url: explicit.url, location: explicit.url, description: explicit.url, allowedRedirectHosts, revisionFromUrl: true, revision };
  }
  if (explicit) return { kind, mode: 'file', path: explicit.path, location: explicit.path, description: explicit.path, revision };

  switch (kind) {
    case 'nixpkgs':
    case 'nixos': {
      const pin = context.pin;
      const evaluates = kind === 'nixpkgs' ? 'packages' : 'options';
      let urlChannel = channel;
      if (pin?.kind === 'channel') urlChannel = pin.channel;
      else if (pin && context.trusted && (await context.nixAvailable())) {
        const location = pin.kind === 'path' ? `path:${pin.path}` : pin.location;
        const pinRevision = pin.kind === 'locked' && pin.upstream ? pin.rev : undefined;
        return { kind, mode: 'nix-eval', pin, evaluates, location, description: `${pin.description} (evaluated locally)`, revision: pinRevision ?? channel };
      }
      const fileChannel = kind === 'nixos' ? optionsChannelFor(urlChannel) : urlChannel;
      const url = channelFileUrl(fileChannel, kind === 'nixpkgs' ? 'packages.json.br' : 'options.json.br');
      return {
        kind,
        mode: 'url',
        url,
        location: url,
        description: `channel ${fileChannel}`,
        allowedRedirectHosts: CHANNEL_RELEASE_HOSTS,
        revisionFromUrl: true,
        revision: fileChannel,
      };
    }
    case 'home-manager':
      // Home Manager publishes no options.json to download.
      return {
        kind,
        mode: 'off',
        location: '',
        description,
        reason: 'Home Manager publishes no options.json to download; set nixNur.homeManager.options to the path or URL of one',
      };
    case 'nur-repos':
      return { kind, mode: 'url', url: NUR_REPOS_URL, location: NUR_REPOS_URL, description: "NUR's repos.json", allowedRedirectHosts: [], revisionFromUrl: false };
    case 'nur-packages':
      return {
        kind,
        mode: 'url',
        url: NUR_PACKAGES_URL,
        location: NUR_PACKAGES_URL,
        description: "NUR's package index (nur-search)",
        allowedRedirectHosts: [],
        revisionFromUrl: false,
      };
  }
}

/** Two plans that would produce the same index. */
export function samePlan(a: SourcePlan | undefined, b: SourcePlan): boolean {
  return !!a && a.mode === b.mode && a.location === b.location;
}
