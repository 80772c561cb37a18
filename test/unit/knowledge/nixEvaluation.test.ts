// The local-evaluation source against the real Nix installations (Debian's 2.8 and 2.26 in a
// chroot), with a hand-written stand-in for nixpkgs: Nix 2.8 cannot evaluate current nixpkgs.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeService } from '../../../server/src/knowledge/knowledgeService';
import type { KnowledgeSettings } from '../../../server/src/knowledge/sourcePlan';
import { nixInstallations, requireNixInCi } from '../../support/nixInstallations';
import { fixture, removeTemporaryDirectories, temporaryDirectory } from './testSetup';

requireNixInCi();
afterAll(removeTemporaryDirectories);

const installations = nixInstallations();
const wanted = ['2.8', '2.26'];

/** Settings that evaluate packages and options only; the other sources stay off. */
function evaluationSettings(nixBinary: string): KnowledgeSettings {
  return {
    nixpkgs: { packages: 'auto', channel: 'nixos-unstable' },
    nixos: { options: 'auto' },
    homeManager: { options: '' },
    nur: { repos: '', packages: '' },
    offline: false,
    nix: { path: nixBinary },
  };
}

/** A workspace whose flake.lock pins the stand-in nixpkgs (as a path, or as a git commit). */
function workspaceWithPin(kind: 'path' | 'git'): { folder: string; standIn: string; rev?: string } {
  const root = temporaryDirectory();
  const standIn = join(root, 'nixpkgs');
  cpSync(fixture('standin-nixpkgs'), standIn, { recursive: true });
  let locked: Record<string, string>;
  let rev: string | undefined;
  if (kind === 'git') {
    const git = (...args: string[]) => execFileSync('git', ['-C', standIn, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=Test', '-c', 'user.email=test@example.org', 'commit', '-qm', 'stand-in');
    rev = git('rev-parse', 'HEAD');
    locked = { type: 'git', url: `file://${standIn}`, rev };
  } else {
    locked = { type: 'path', path: standIn };
  }
  const folder = join(root, 'project');
  mkdirSync(folder);
  const lock = { nodes: { nixpkgs: { locked, original: locked }, root: { inputs: { nixpkgs: 'nixpkgs' } } }, root: 'root', version: 7 };
  writeFileSync(join(folder, 'flake.lock'), JSON.stringify(lock, null, 2));
  return { folder, standIn, rev };
}

function serviceFor(folder: string, nixBinary: string, cacheDir = temporaryDirectory()) {
  const notices: string[] = [];
  const logs: string[] = [];
  const service = new KnowledgeService({
    settings: evaluationSettings(nixBinary),
    workspaceFolders: [folder],
    cacheDir,
    trusted: true,
    log: (m) => logs.push(m),
    notify: (m) => notices.push(m),
    nixPath: '',
  });
  return { service, notices, logs, cacheDir };
}

for (const version of wanted) {
  const installation = installations.find((i) => i.version.startsWith(`${version}.`));
  describe.skipIf(!installation)(`local evaluation with Nix ${version}`, () => {
    const nix = installation ? join(installation.binDir, 'nix') : 'nix';

    it('lists the packages and options of a nixpkgs pinned by path', async () => {
      const { folder } = workspaceWithPin('path');
      const { service, notices, logs } = serviceFor(folder, nix);
      service.start();
      await service.whenIdle();
      expect(notices, logs.join('\n')).toEqual([]);
      const [nixpkgs, nixos] = service.status().sources;
      expect(nixpkgs).toMatchObject({ state: 'ready', origin: 'nix-eval', count: 4 });
      expect(nixos).toMatchObject({ state: 'ready', origin: 'nix-eval', count: 4 });

      expect(service.packageChildren([]).items.map((i) => `${i.name}:${i.kind}`)).toEqual(['brokenMeta:package', 'hello:package', 'pythonPackages:set', 'ripgrep:package']);
      expect(service.lookupPackage(['hello'])).toMatchObject({
        version: '2.12.1',
        description: 'Program that produces a familiar, friendly greeting',
        license: [{ spdxId: 'GPL-3.0-or-later', free: true }],
        maintainers: [{ name: 'Ada Example', github: 'ada' }],
        platforms: { count: 3, main: ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin'] },
        position: 'pkgs/hello.nix:3',
      });
      expect(service.lookupPackage(['pythonPackages', 'requests'])?.version).toBe('2.32.3');
      // Its homepage threw: Nix 2.8 leaves it dangling, newer Nix leaves it out; either way the package stays.
      const broken = service.lookupPackage(['brokenMeta'])!;
      expect(broken.description).toBe('Has a meta attribute that fails');
      expect(broken.homepage).toBeUndefined();
      if (version === '2.8') expect(logs.some((l) => l.includes('homepage could not be evaluated'))).toBe(true);

      expect(service.optionChildren('nixos', ['services', 'nginx', 'virtualHosts', 'example.org']).items.map((i) => i.name)).toEqual(['root']);
      expect(service.lookupOption('nixos', ['boot', 'kernel', 'sysctl', 'net.ipv4.ip_forward'])).toMatchObject({
        type: 'null or boolean',
        declarations: [{ name: 'nixos/modules/config/sysctl.nix' }],
      });
      expect(service.lookupOption('nixos', ['services', 'nginx', 'enable'])).toMatchObject({ default: { kind: 'expression', text: 'false' }, example: { kind: 'expression', text: 'true' } });
      // Internal options and options whose documentation throws are left out.
      expect(service.optionChildren('nixos', ['system']).items).toEqual([]);
      expect(service.optionChildren('nixos', ['broken']).items).toEqual([]);
      service.dispose();
    });

    it('fetches a git-locked nixpkgs with fetchTree, then reuses the index for the same revision', async () => {
      const { folder, rev } = workspaceWithPin('git');
      const first = serviceFor(folder, nix);
      first.service.start();
      await first.service.whenIdle();
      expect(first.notices, first.logs.join('\n')).toEqual([]);
      expect(first.service.status().sources[0]).toMatchObject({ state: 'ready', origin: 'nix-eval', location: `git+file://${join(folder, '..', 'nixpkgs')}?rev=${rev}` });
      expect(first.service.lookupPackage(['ripgrep'])?.mainProgram).toBe('rg');
      first.service.dispose();

      const second = serviceFor(folder, nix, first.cacheDir);
      second.service.start();
      await second.service.whenIdle();
      expect(second.logs.filter((l) => l.includes('indexed'))).toEqual([]);
      expect(second.service.lookupPackage(['ripgrep'])?.version).toBe('14.1.0');
      second.service.dispose();
    });

    it('reports a failing evaluation and keeps serving the previous index', async () => {
      const { folder, standIn } = workspaceWithPin('path');
      const { service, notices, cacheDir } = serviceFor(folder, nix);
      service.start();
      await service.whenIdle();
      expect(service.status().sources[0].state).toBe('ready');
      service.dispose();

      writeFileSync(join(standIn, 'default.nix'), '{ ... }: { hello = ; }\n');
      const again = serviceFor(folder, nix, cacheDir);
      again.service.start();
      await again.service.whenIdle();
      const status = again.service.status().sources[0];
      expect(status).toMatchObject({ state: 'offline-cache', origin: 'cache' });
      expect(status.message).toMatch(/listing the packages of the pinned nixpkgs failed \(exit 1\): error: syntax error/);
      expect(again.notices.some((n) => n.startsWith('nixpkgs packages: listing the packages of the pinned nixpkgs failed'))).toBe(true);
      expect(again.service.lookupPackage(['hello'])?.version).toBe('2.12.1');
      expect(notices).toEqual([]);
      again.service.dispose();
    });
  });
}
