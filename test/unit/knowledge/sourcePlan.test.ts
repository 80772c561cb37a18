import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NixpkgsPin } from '../../../server/src/knowledge/nixpkgsPin';
import { NUR_PACKAGES_URL, NUR_REPOS_URL, optionsChannelFor, planSource, type KnowledgeSettings, type PlanContext } from '../../../server/src/knowledge/sourcePlan';

const auto: KnowledgeSettings = {
  nixpkgs: { packages: 'auto', channel: 'nixos-unstable' },
  nixos: { options: 'auto' },
  homeManager: { options: '' },
  nur: { repos: 'auto', packages: 'auto' },
  offline: false,
};

const githubPin: NixpkgsPin = {
  kind: 'locked',
  description: '/w/flake.lock, input nixpkgs',
  locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: 'a'.repeat(40) },
  location: `github:NixOS/nixpkgs/${'a'.repeat(40)}`,
  rev: 'a'.repeat(40),
  upstream: true,
};

function context(overrides: Partial<PlanContext> = {}): PlanContext {
  return { settings: auto, workspaceFolders: ['/w'], trusted: true, pin: undefined, nixAvailable: async () => true, ...overrides };
}

describe('planSource with "auto"', () => {
  it("downloads the channel's files when nothing is pinned", async () => {
    expect(await planSource('nixpkgs', context())).toMatchObject({
      mode: 'url',
      url: 'https://channels.nixos.org/nixos-unstable/packages.json.br',
      allowedRedirectHosts: ['releases.nixos.org'],
      revisionFromUrl: true,
      revision: 'nixos-unstable',
    });
    expect(await planSource('nixos', context({ settings: { ...auto, nixpkgs: { packages: 'auto', channel: 'nixpkgs-unstable' } } }))).toMatchObject({
      mode: 'url',
      url: 'https://channels.nixos.org/nixos-unstable/options.json.br',
    });
    expect(optionsChannelFor('nixpkgs-24.05-darwin')).toBe('nixos-24.05');
    expect(optionsChannelFor('nixos-24.11-small')).toBe('nixos-24.11-small');
  });

  it('evaluates a pinned nixpkgs when Nix is there and the workspace is trusted', async () => {
    expect(await planSource('nixpkgs', context({ pin: githubPin }))).toMatchObject({ mode: 'nix-eval', evaluates: 'packages', location: githubPin.location, revision: 'a'.repeat(40) });
    expect(await planSource('nixos', context({ pin: githubPin }))).toMatchObject({ mode: 'nix-eval', evaluates: 'options' });
  });

  it('does not evaluate in an untrusted workspace or without Nix', async () => {
    expect((await planSource('nixpkgs', context({ pin: githubPin, trusted: false }))).mode).toBe('url');
    expect((await planSource('nixpkgs', context({ pin: githubPin, nixAvailable: async () => false }))).mode).toBe('url');
  });

  it("downloads the channel NIX_PATH names", async () => {
    const pin: NixpkgsPin = { kind: 'channel', description: 'NIX_PATH', channel: 'nixos-24.05' };
    expect(await planSource('nixpkgs', context({ pin }))).toMatchObject({ url: 'https://channels.nixos.org/nixos-24.05/packages.json.br' });
  });

  it("uses NUR's published files, and has no Home Manager default", async () => {
    expect(await planSource('nur-repos', context())).toMatchObject({ mode: 'url', url: NUR_REPOS_URL });
    expect(await planSource('nur-packages', context())).toMatchObject({ mode: 'url', url: NUR_PACKAGES_URL });
    expect((await planSource('home-manager', context())).mode).toBe('off');
    expect(await planSource('home-manager', context({ settings: { ...auto, homeManager: { options: 'auto' } } }))).toMatchObject({
      mode: 'off',
      reason: expect.stringContaining('set nixNur.homeManager.options'),
    });
  });
});

describe('planSource with a path or URL', () => {
  const withPackages = (packages: string) => context({ settings: { ...auto, nixpkgs: { packages, channel: 'nixos-unstable' } } });

  it('reads paths (relative to the workspace, ~, file://) and URLs', async () => {
    expect(await planSource('nixpkgs', withPackages('data/packages.json'))).toMatchObject({ mode: 'file', path: '/w/data/packages.json' });
    expect(await planSource('nixpkgs', withPackages('~/p.json.br'))).toMatchObject({ mode: 'file', path: join(homedir(), 'p.json.br') });
    expect(await planSource('nixpkgs', withPackages('file:///srv/p%20q.json'))).toMatchObject({ mode: 'file', path: '/srv/p q.json' });
    expect(await planSource('nixpkgs', withPackages('https://example.org/p.json.gz'))).toMatchObject({
      mode: 'url',
      url: 'https://example.org/p.json.gz',
      allowedRedirectHosts: [],
    });
    expect((await planSource('nixpkgs', withPackages(''))).mode).toBe('off');
  });

  it("follows a channel URL written out to the release host, as \"auto\" does", async () => {
    expect(await planSource('nixpkgs', withPackages('https://channels.nixos.org/nixos-unstable/packages.json.br'))).toMatchObject({
      mode: 'url',
      allowedRedirectHosts: ['releases.nixos.org'],
    });
  });
});
