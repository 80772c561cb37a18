// Builds the real indexes from ../shared/data (nixpkgs' 84k packages, NixOS and Home Manager
// options, NUR's registry and packages) the way the server does, in a temporary cache dir.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuildJob } from '../../../server/src/knowledge/buildJob';
import { IndexFile } from '../../../server/src/knowledge/indexFile';
import { KnowledgeService } from '../../../server/src/knowledge/knowledgeService';
import { PackageIndex } from '../../../server/src/knowledge/packageIndex';
import { removeTemporaryDirectories, sharedData, temporaryDirectory } from './testSetup';

let service: KnowledgeService;
const notices: string[] = [];
const logs: string[] = [];

beforeAll(async () => {
  service = new KnowledgeService({
    settings: {
      nixpkgs: { packages: join(sharedData, 'nixpkgs', 'packages.json.br'), channel: 'nixos-unstable' },
      nixos: { options: join(sharedData, 'nixpkgs', 'options.json.br') },
      homeManager: { options: join(sharedData, 'home-manager', 'options.json.br') },
      nur: { repos: join(sharedData, 'nur', 'repos.json'), packages: join(sharedData, 'nur', 'packages.json') },
      offline: true,
    },
    workspaceFolders: [],
    cacheDir: temporaryDirectory(),
    trusted: false,
    log: (m) => logs.push(m),
    notify: (m) => notices.push(m),
    nixPath: '',
  });
  service.start();
  await service.whenIdle();
}, 120_000);

afterAll(() => {
  service.dispose();
  removeTemporaryDirectories();
});

describe('indexes built from the real data', () => {
  it('has every record of every source', () => {
    expect(notices).toEqual([]);
    expect(service.status().sources.map((s) => [s.source, s.state, s.origin, s.count])).toEqual([
      ['nixpkgs', 'ready', 'file', 83_989],
      ['nixos', 'ready', 'file', 15_261],
      ['home-manager', 'ready', 'file', 5_558],
      ['nur-repos', 'ready', 'file', 563],
      ['nur-packages', 'ready', 'file', 519],
    ]);
  });

  it('knows hello, ripgrep and python313Packages.requests', () => {
    expect(service.lookupPackage(['hello'])).toMatchObject({
      pname: 'hello',
      version: '2.12.3',
      name: 'hello-2.12.3',
      description: 'Program that produces a familiar, friendly greeting',
      mainProgram: 'hello',
      license: [{ spdxId: 'GPL-3.0-or-later', free: true }],
      position: expect.stringMatching(/^pkgs\/by-name\/he\/hello\/package\.nix:\d+$/),
    });
    expect(service.lookupPackage(['ripgrep'])).toMatchObject({ version: '15.1.0', mainProgram: 'rg' });
    expect(service.lookupPackage(['python313Packages', 'requests'])).toMatchObject({ pname: 'python3.13-requests', version: '2.33.1', description: 'HTTP library for Python' });
    expect(service.packageChildren(['python313Packages'], { prefix: 'requests' }).items.map((i) => i.name)).toContain('requests');
    const top = service.packageChildren([]);
    expect(top.items).toHaveLength(200);
    expect(top.incomplete).toBe(true);
    expect(service.search('ripgrep', { sources: ['nixpkgs'], limit: 1 })[0]).toMatchObject({ label: 'ripgrep', detail: '15.1.0' });
  });

  it('knows NixOS options with <name> and quoted parts', () => {
    expect(service.optionChildren('nixos', ['services', 'nginx', 'virtualHosts', 'example.org']).items.map((i) => i.name)).toContain('root');
    expect(service.lookupOption('nixos', ['services', 'nginx', 'virtualHosts', 'example.org', 'root'])?.loc).toEqual([
      'services',
      'nginx',
      'virtualHosts',
      '<name>',
      'root',
    ]);
    expect(service.lookupOption('nixos', ['boot', 'kernel', 'sysctl', 'net.core.rmem_max'])?.loc).toEqual(['boot', 'kernel', 'sysctl', 'net.core.rmem_max']);
    expect(service.classifyOption('nixos', ['boot', 'kernel', 'sysctl', 'vm.swappiness'])).toEqual({ kind: 'inside-option', option: ['boot', 'kernel', 'sysctl'] });
    expect(service.classifyOption('nixos', ['services', 'nginx', 'enabel'])).toEqual({ kind: 'unknown' });
  });

  it("knows Home Manager's options, including list elements (*)", () => {
    expect(service.optionChildren('home-manager', ['accounts', 'email', 'accounts', 'work', 'neomutt', 'extraMailboxes', '0']).items.map((i) => i.name)).toEqual([
      'mailbox',
      'name',
      'type',
    ]);
    expect(service.lookupOption('home-manager', ['programs', 'git', 'enable'])?.declarations?.[0].name).toMatch(/^modules\/programs\/git/);
  });

  it("knows NUR's repositories and packages", () => {
    expect(service.packageChildren(['nur', 'repos']).items.length).toBe(200);
    expect(service.lookupNurRepo('mic92')).toMatchObject({ url: 'https://github.com/Mic92/nur-packages', githubContact: 'Mic92', packageCount: 8 });
    expect(service.packageChildren(['nur', 'repos', 'mic92']).items.map((i) => i.name)).toContain('hello-nur');
    expect(service.lookupPackage(['nur', 'repos', 'mic92', 'hello-nur'])).toMatchObject({ nurRepo: 'mic92', position: expect.stringMatching(/^https:\/\/github\.com\/nix-community\/nur-combined\//) });
  });

  it('reads the 2023 NUR search sample too', async () => {
    const output = join(temporaryDirectory(), 'nur.nnix');
    const result = await runBuildJob({
      converter: 'nur-packages',
      input: { type: 'file', path: join(sharedData, 'nur', 'packages.nur-search-2023-sample.json') },
      output,
      identity: { origin: 'file', location: 'sample' },
    });
    expect(result).toMatchObject({ status: 'built', header: { count: 54 } });
    const index = new PackageIndex(IndexFile.open(output));
    expect(index.children(['nur', 'repos']).items.map((i) => i.name)).toEqual(['milahu']);
    expect(index.lookup(['nur', 'repos', 'milahu', 'aether-server'])?.version).toBe('2.0.0-dev.15');
  });
});
