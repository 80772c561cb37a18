import { copyFileSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeService, type KnowledgeServiceOptions } from '../../../server/src/knowledge/knowledgeService';
import type { KnowledgeSettings } from '../../../server/src/knowledge/sourcePlan';
import { fixture, removeTemporaryDirectories, temporaryDirectory } from './testSetup';
import { startLocalServer, type LocalServer } from './localHttpServer';

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({
    '/packages.json': { type: 'file', path: fixture('packages.json') },
    '/options.json': { type: 'file', path: fixture('options.json') },
    '/hm-options.json': { type: 'file', path: fixture('home-manager-options.json') },
    '/repos.json': { type: 'file', path: fixture('nur-repos.json') },
    '/nur-packages.json': { type: 'file', path: fixture('nur-packages.json') },
  });
});

afterAll(async () => {
  await server.close();
  removeTemporaryDirectories();
});

function urlSettings(overrides: Partial<KnowledgeSettings> = {}): KnowledgeSettings {
  return {
    nixpkgs: { packages: server.url('/packages.json'), channel: 'nixos-unstable' },
    nixos: { options: server.url('/options.json') },
    homeManager: { options: server.url('/hm-options.json') },
    nur: { repos: server.url('/repos.json'), packages: server.url('/nur-packages.json') },
    offline: false,
    ...overrides,
  };
}

interface Harness {
  service: KnowledgeService;
  notices: string[];
  logs: string[];
  progress: string[];
}

function createService(cacheDir: string, settings: KnowledgeSettings, extra: Partial<KnowledgeServiceOptions> = {}): Harness {
  const notices: string[] = [];
  const logs: string[] = [];
  const progress: string[] = [];
  const service = new KnowledgeService({
    settings,
    workspaceFolders: [],
    cacheDir,
    trusted: false,
    log: (m) => logs.push(m),
    notify: (m) => notices.push(m),
    progress: (title) => {
      progress.push(`start ${title}`);
      return { report: (message, percent) => progress.push(`${title}: ${message} ${percent ?? ''}`.trim()), done: () => progress.push(`done ${title}`) };
    },
    nixPath: '',
    nixAvailable: async () => false,
    ...extra,
  });
  return { service, notices, logs, progress };
}

describe('KnowledgeService with downloads', () => {
  it('loads every source in the background and answers queries', async () => {
    const { service, notices, progress } = createService(temporaryDirectory(), urlSettings());
    service.start();
    // Nothing is cached yet: queries answer at once and say the source is loading.
    expect(service.packageChildren([])).toEqual({ items: [], incomplete: true, loading: true });
    await service.whenIdle();

    expect(notices).toEqual([]);
    expect(progress).toContain(`start Downloading nixpkgs packages`);
    expect(progress).toContain(`done Downloading nixpkgs packages`);
    const status = service.status();
    expect(status.sources.map((s) => [s.source, s.state, s.origin, s.count])).toEqual([
      ['nixpkgs', 'ready', 'url', 7],
      ['nixos', 'ready', 'url', 11],
      ['home-manager', 'ready', 'url', 7],
      ['nur-repos', 'ready', 'url', 3],
      ['nur-packages', 'ready', 'url', 3],
    ]);
    expect(status.sources[0].ageSeconds).toBeGreaterThanOrEqual(0);

    expect(service.packageChildren(['python313Packages'], { prefix: 'req' }).items.map((i) => i.name)).toEqual(['requests', 'requests-toolbelt']);
    expect(service.lookupPackage(['ripgrep'])?.version).toBe('14.1.1');
    expect(service.optionChildren('nixos', ['services', 'nginx', 'virtualHosts', 'example.org']).items.map((i) => i.name)).toEqual(['default', 'locations', 'root']);
    expect(service.lookupOption('home-manager', ['programs', 'git', 'includes', '*', 'path'])?.type).toBe('string or path');
    expect(service.classifyOption('nixos', ['services', 'nginx', 'enabled'])).toEqual({ kind: 'unknown' });

    // NUR: repositories from the registry, packages from the package index.
    expect(service.packageChildren(['nur'])).toMatchObject({ items: [{ name: 'repos', kind: 'set' }] });
    expect(service.packageChildren(['nur', 'repos']).items.map((i) => i.name)).toEqual(['ijohanne', 'mic92', 'sikmir']);
    expect(service.packageChildren(['nur', 'repos', 'mic92']).items.map((i) => i.name)).toEqual(['hello-nur', 'inxi']);
    expect(service.packageChildren(['nur', 'repos', 'ijohanne', 'firefoxPlugins']).items.map((i) => i.name)).toEqual(['darkreader']);
    expect(service.lookupPackage(['nur', 'repos', 'mic92', 'hello-nur'])).toMatchObject({ version: '1.0', nurRepo: 'mic92', nurAttr: 'hello-nur' });
    expect(service.lookupNurRepo('mic92')).toEqual({ name: 'mic92', githubContact: 'Mic92', url: 'https://github.com/Mic92/nur-packages', packageCount: 2 });
    expect(service.lookupNurRepo('sikmir')).toMatchObject({ file: 'pkgs/default.nix', packageCount: 0 });

    const results = service.search('requests', { limit: 3 });
    expect(results.map((r) => [r.source, r.label])).toEqual([
      ['nixpkgs', 'python313Packages.requests'],
      ['nixpkgs', 'python313Packages.requests-toolbelt'],
    ]);
    expect(results[0]).toMatchObject({ detail: '2.32.3', description: 'HTTP library for Python' });
    expect(service.search('nginx', { sources: ['nixos'], limit: 2 }).map((r) => r.label)).toEqual(['services.nginx.enable', 'services.nginx.virtualHosts']);
    expect(service.search('mic92').map((r) => [r.source, r.label])).toEqual([
      ['nur-repo', 'nur.repos.mic92'],
      ['nur', 'nur.repos.mic92.inxi'],
      ['nur', 'nur.repos.mic92.hello-nur'],
    ]);
    service.dispose();
  });

  it('reuses a fresh cache without asking, and asks with the ETag once it is due', async () => {
    const cacheDir = temporaryDirectory();
    const first = createService(cacheDir, urlSettings());
    first.service.start();
    await first.service.whenIdle();
    first.service.dispose();

    const before = server.requests.length;
    const second = createService(cacheDir, urlSettings());
    second.service.start();
    await second.service.whenIdle();
    expect(server.requests.length).toBe(before);
    expect(second.service.status().sources.every((s) => s.state === 'ready')).toBe(true);
    expect(second.service.lookupPackage(['hello'])?.version).toBe('2.12.1');
    second.service.dispose();

    const third = createService(cacheDir, urlSettings(), { recheckAfterMs: 0 });
    third.service.start();
    await third.service.whenIdle();
    const asked = server.requests.slice(before);
    expect(asked).toHaveLength(5);
    expect(asked.every((r) => r.ifNoneMatch?.startsWith('"'))).toBe(true);
    expect(third.service.status().sources.every((s) => s.state === 'ready' && s.origin === 'url')).toBe(true);
    expect(third.logs.some((l) => l.includes('not modified'))).toBe(true);
    third.service.dispose();
  });

  it('serves the last good cache when offline and says so once', async () => {
    const cacheDir = temporaryDirectory();
    const online = createService(cacheDir, urlSettings());
    online.service.start();
    await online.service.whenIdle();
    online.service.dispose();

    const before = server.requests.length;
    const offline = createService(cacheDir, urlSettings({ offline: true }));
    offline.service.start();
    await offline.service.whenIdle();
    offline.service.refresh(undefined, true);
    await offline.service.whenIdle();
    expect(server.requests.length).toBe(before);
    const nixpkgs = offline.service.status().sources[0];
    expect(nixpkgs).toMatchObject({ state: 'offline-cache', origin: 'cache', count: 7 });
    expect(nixpkgs.message).toMatch(/^offline; using the index cached (less than a minute|\d+ minutes?) ago$/);
    expect(offline.notices.filter((n) => n.startsWith('nixpkgs packages: offline'))).toHaveLength(1);
    expect(offline.notices).toHaveLength(5);
    expect(offline.service.lookupPackage(['hello'])?.version).toBe('2.12.1');
    offline.service.dispose();
  });

  it('keeps the last good index when a download fails, and fails clearly without one', async () => {
    const cacheDir = temporaryDirectory();
    const good = createService(cacheDir, urlSettings());
    good.service.start();
    await good.service.whenIdle();
    good.service.dispose();

    server.routes.set('/broken/packages.json', { type: 'status', status: 500 });
    const broken = urlSettings({ nixpkgs: { packages: server.url('/broken/packages.json'), channel: 'nixos-unstable' } });
    const failing = createService(cacheDir, broken);
    failing.service.start();
    await failing.service.whenIdle();
    expect(failing.service.status().sources[0]).toMatchObject({ state: 'offline-cache', origin: 'cache', count: 7 });
    expect(failing.notices).toEqual([expect.stringMatching(/^nixpkgs packages: .*answered HTTP 500 Internal Server Error\. Using the index cached (less than a minute|\d+ minutes?) ago\.$/)]);
    expect(failing.service.lookupPackage(['ripgrep'])?.version).toBe('14.1.1');
    failing.service.dispose();

    const empty = createService(temporaryDirectory(), broken);
    empty.service.start();
    await empty.service.whenIdle();
    expect(empty.service.status().sources[0]).toMatchObject({ state: 'failed', message: expect.stringContaining('answered HTTP 500') });
    expect(empty.notices[0]).toMatch(/No cached index is available\.$/);
    expect(empty.service.packageChildren([])).toEqual({ items: [], incomplete: false, loading: false });
    empty.service.dispose();
  });
});

describe('KnowledgeService with files and settings changes', () => {
  it('does not restart a running download for an unrelated change or a repeated refresh', async () => {
    server.routes.set('/slow/packages.json', { type: 'slow', body: readFileSync(fixture('packages.json')), delayMs: 400 });
    const settings = urlSettings({ nixpkgs: { packages: server.url('/slow/packages.json'), channel: 'nixos-unstable' } });
    const { service } = createService(temporaryDirectory(), settings);
    service.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    service.updateSettings({ ...settings, nur: { ...settings.nur } });
    service.refresh(['nixpkgs']);
    await service.whenIdle();
    expect(server.requests.filter((r) => r.path === '/slow/packages.json')).toHaveLength(1);
    expect(service.status().sources[0]).toMatchObject({ state: 'ready', count: 7 });
    service.dispose();
  });

  it('indexes a file, rebuilds when it changes, and keeps the index when it turns invalid', async () => {
    const dir = temporaryDirectory();
    const packages = join(dir, 'packages.json');
    copyFileSync(fixture('packages.json'), packages);
    const settings = urlSettings({ nixpkgs: { packages, channel: 'nixos-unstable' } });
    const { service, notices } = createService(temporaryDirectory(), settings);
    service.start();
    await service.whenIdle();
    expect(service.status().sources[0]).toMatchObject({ state: 'ready', origin: 'file', location: packages, count: 7 });

    writeFileSync(packages, JSON.stringify({ onlyOne: { pname: 'only', version: '1' } }));
    utimesSync(packages, new Date(), new Date(Date.now() + 5000));
    service.refresh(['nixpkgs']);
    await service.whenIdle();
    expect(service.packageChildren([]).items.map((i) => i.name)).toEqual(['onlyOne']);

    writeFileSync(packages, '{ "a": { "pname": "a" }, "b": { "pname": ');
    utimesSync(packages, new Date(), new Date(Date.now() + 10_000));
    service.refresh(['nixpkgs']);
    await service.whenIdle();
    expect(service.status().sources[0]).toMatchObject({ state: 'offline-cache', message: expect.stringMatching(/ends early at byte \d+/) });
    expect(service.packageChildren([]).items.map((i) => i.name)).toEqual(['onlyOne']);
    expect(notices.at(-1)).toMatch(/^nixpkgs packages: the input ends early at byte \d+ \(in the value of "b"\): the file is truncated\./);
    service.dispose();
  });

  it('switches sources when settings change and turns Home Manager off with an empty setting', async () => {
    const { service } = createService(temporaryDirectory(), urlSettings());
    service.start();
    await service.whenIdle();
    service.updateSettings(urlSettings({ homeManager: { options: '' }, nixpkgs: { packages: fixture('nix-2.8-dangling.json'), channel: 'nixos-unstable' } }));
    await service.whenIdle();
    const [nixpkgs, , homeManager] = service.status().sources;
    expect(nixpkgs).toMatchObject({ state: 'ready', origin: 'file', count: 2, warnings: 2 });
    expect(homeManager.state).toBe('off');
    expect(service.optionChildren('home-manager', [])).toEqual({ items: [], incomplete: false, loading: false });
    expect(service.lookupPackage(['broken-meta'])?.description).toBe('Has a meta attribute that fails');
    service.dispose();
  });
});

describe('KnowledgeService source links', () => {
  it("link to the nixpkgs commit the workspace's flake.lock holds, else to the indexes' revision", async () => {
    const workspace = temporaryDirectory();
    const rev = 'b'.repeat(40);
    const lock = (owner: string) => ({
      nodes: {
        nixpkgs: { locked: { type: 'github', owner, repo: 'nixpkgs', rev, narHash: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', lastModified: 1 }, original: { type: 'github', owner, repo: 'nixpkgs' } },
        root: { inputs: { nixpkgs: 'nixpkgs' } },
      },
      root: 'root',
      version: 7,
    });
    writeFileSync(join(workspace, 'flake.lock'), JSON.stringify(lock('NixOS')));
    const { service } = createService(temporaryDirectory(), urlSettings(), { workspaceFolders: [workspace] });
    expect(service.nixpkgsRevision()).toBe(rev);
    // A fork is not where the index's declarations live.
    writeFileSync(join(workspace, 'flake.lock'), JSON.stringify(lock('someone')));
    expect(service.nixpkgsRevision()).toBe('nixos-unstable');
    service.dispose();
  });
});
