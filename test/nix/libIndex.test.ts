// nixpkgs' lib evaluated by the real Nix installations (Debian's 2.8 and 2.26 in a chroot) from a
// hand-written stand-in nixpkgs: kinds, positions, docs read from the files, re-exports, members
// that throw, the cache, and what happens when evaluation cannot work.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeService } from '../../server/src/knowledge/knowledgeService';
import { loadLibIndex } from '../../server/src/knowledge/libSource';
import { nixCommandsFor } from '../../server/src/knowledge/nixEvaluation';
import type { NixpkgsPin } from '../../server/src/knowledge/nixpkgsPin';
import type { KnowledgeSettings } from '../../server/src/knowledge/sourcePlan';
import { nixInstallations, requireNixInCi } from '../support/nixInstallations';

requireNixInCi();

const repoRoot = join(__dirname, '..', '..');
const standInLib = join(repoRoot, 'test', 'fixtures', 'knowledge', 'lib-nixpkgs');
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Under the system's temporary directory, which the chrooted Nix sees at the same path. */
function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nix-nur-lib-'));
  made.push(dir);
  return dir;
}

/** Only lib: every other source is turned off. */
function libOnlySettings(nix: string): KnowledgeSettings {
  return {
    nixpkgs: { packages: '', channel: 'nixos-unstable' },
    nixos: { options: '' },
    homeManager: { options: '' },
    nur: { repos: '', packages: '' },
    offline: false,
    nix: { path: nix },
  };
}

/** A project whose flake.lock pins a copy of the stand-in nixpkgs by path. */
function pinnedProject(): { folder: string; nixpkgs: string } {
  const root = temporaryDirectory();
  const nixpkgs = join(root, 'nixpkgs');
  cpSync(standInLib, nixpkgs, { recursive: true });
  const folder = join(root, 'project');
  mkdirSync(folder);
  const locked = { type: 'path', path: nixpkgs };
  const lock = { nodes: { nixpkgs: { locked, original: locked }, root: { inputs: { nixpkgs: 'nixpkgs' } } }, root: 'root', version: 7 };
  writeFileSync(join(folder, 'flake.lock'), JSON.stringify(lock));
  return { folder, nixpkgs };
}

function serviceFor(folder: string, nix: string, options: { cacheDir?: string; trusted?: boolean } = {}) {
  const notices: string[] = [];
  const logs: string[] = [];
  const progress: string[] = [];
  const cacheDir = options.cacheDir ?? temporaryDirectory();
  const service = new KnowledgeService({
    settings: libOnlySettings(nix),
    workspaceFolders: [folder],
    cacheDir,
    trusted: options.trusted ?? true,
    log: (m) => logs.push(m),
    notify: (m) => notices.push(m),
    progress: (title) => {
      progress.push(title);
      return { report: () => undefined, done: () => undefined };
    },
    nixPath: '',
  });
  return { service, notices, logs, progress, cacheDir };
}

const installations = nixInstallations();

for (const version of ['2.8', '2.26']) {
  const installation = installations.find((i) => i.version.startsWith(`${version}.`));
  describe.skipIf(!installation)(`nixpkgs lib with Nix ${version}`, () => {
    const nix = installation ? join(installation.binDir, 'nix') : 'nix';

    it('lists lib two levels deep with kinds, docs, signatures and re-exports', async () => {
      const { folder } = pinnedProject();
      const { service, notices, logs, progress } = serviceFor(folder, nix);
      service.start();
      expect(service.libChildren([]).loading).toBe(true);
      await service.whenIdle();
      expect(notices, logs.join('\n')).toEqual([]);
      expect(progress).toContain('Evaluating nixpkgs lib');
      expect(service.status().lib).toMatchObject({ state: 'ready', origin: 'nix-eval', count: 13 + 7 + 4 + 2 });

      expect(service.libChildren([]).items.map((i) => `${i.name}:${i.kind}`)).toEqual([
        'callable:function',
        'concatStrings:function',
        'concatStringsSep:function',
        "foldl':function",
        'head:function',
        'id:function',
        'lists:set',
        'mkOption:function',
        'oldFunction:value',
        'strings:set',
        'systems:set',
        'toUpper:function',
        'version:value',
      ]);
      expect(service.libChildren(['strings'], { prefix: 'con' })).toEqual({
        items: [
          { name: 'concatStrings', kind: 'function' },
          { name: 'concatStringsSep', kind: 'function' },
        ],
        incomplete: false,
        loading: false,
      });
      expect(service.libChildren(['systems']).items.map((i) => `${i.name}:${i.kind}`)).toEqual(['doubles:value', 'examples:set']);
      // Two levels only.
      expect(service.libChildren(['systems', 'examples']).items).toEqual([]);

      // A top-level re-export shows what it re-exports: RFC 145 doc, type, inputs, position.
      const concatStrings = service.lookupLib(['concatStrings'])!;
      expect(concatStrings).toMatchObject({
        kind: 'function',
        aliasOf: ['strings', 'concatStrings'],
        inheritedFrom: 'self.strings',
        type: 'concatStrings :: [string] -> string',
        args: ['list'],
        docStyle: 'markdown',
        position: { file: 'lib/strings.nix', line: 34 },
      });
      expect(concatStrings.doc).toMatch(/^Concatenates a list of strings\.\n\n# Inputs\n/);
      expect(concatStrings.doc).not.toContain('# Type');
      // A multi-line type joined; the inputs in order.
      expect(service.lookupLib(["foldl'"])).toMatchObject({ aliasOf: ['lists', "foldl'"], type: "foldl' :: (b -> a -> b) -> b -> [a] -> b", args: ['op', 'nul', 'list'] });
      // An older comment above a single-name inherit.
      expect(service.lookupLib(['strings', 'concatStringsSep'])).toMatchObject({
        docStyle: 'plain',
        type: 'concatStringsSep :: string -> [string] -> string',
        position: { file: 'lib/strings.nix', line: 44 },
      });
      expect(service.lookupLib(['toUpper'])).toMatchObject({ aliasOf: ['strings', 'toUpper'], doc: 'Converts ASCII letters to upper case.\n\nExample: toUpper "home" => "HOME"' });
      expect(service.lookupLib(['lists', 'head'])).toMatchObject({ kind: 'function', inheritedFrom: 'builtins', position: { file: 'lib/lists.nix', line: 29 } });
      expect(service.lookupLib(['lists', 'head'])?.doc).toBeUndefined();
      expect(service.lookupLib(['lists', 'sum'])).toMatchObject({ doc: "Sums a list of numbers, using `foldl'`.", docStyle: 'markdown' });

      // Members that throw are listed and marked; the rest of the listing is intact.
      expect(service.lookupLib(['oldFunction'])).toMatchObject({ kind: 'value', throws: true, doc: 'Removed long ago; evaluating it fails.' });
      expect(service.lookupLib(['strings', 'broken'])).toMatchObject({ kind: 'value', throws: true });
      expect(service.lookupLib(['strings', 'lowerChars'])).toMatchObject({ kind: 'value' });
      expect(service.lookupLib(['strings', 'lowerChars'])?.doc).toBeUndefined();
      expect(service.lookupLib(['callable'])?.kind).toBe('function');
      expect(service.lookupLib(['mkOption'])).toMatchObject({
        formals: [
          { name: 'default', optional: true },
          { name: 'description', optional: true },
          { name: 'type', optional: true },
        ],
        doc: 'Declares an option (a simplified stand-in).',
      });
      expect(service.lookupLib(['systems'])).toMatchObject({ kind: 'set', memberCount: 2, doc: 'Nested sets are listed one level down only.' });
      expect(service.lookupLib(['systems', 'examples', 'pc'])).toBeUndefined();
      service.dispose();
    });

    it('reuses the cache while the checkout is unchanged and evaluates again when it changes', async () => {
      const { folder, nixpkgs } = pinnedProject();
      const first = serviceFor(folder, nix);
      first.service.start();
      await first.service.whenIdle();
      expect(first.service.status().lib.origin).toBe('nix-eval');
      first.service.dispose();

      const second = serviceFor(folder, nix, { cacheDir: first.cacheDir });
      second.service.start();
      await second.service.whenIdle();
      expect(second.service.status().lib).toMatchObject({ state: 'ready', origin: 'cache' });
      expect(second.progress).toEqual([]);
      expect(second.service.lookupLib(['id'])?.type).toBe('id :: a -> a');
      second.service.dispose();

      const strings = join(nixpkgs, 'lib', 'strings.nix');
      const text = execFileSync('sed', ['-e', 's/^  lowerChars = /  upperChars = [ "A" ];\\n  lowerChars = /', strings], { encoding: 'utf8' });
      writeFileSync(strings, text);
      // Make sure the modification time moves even on coarse clocks.
      appendFileSync(strings, '\n');
      const future = new Date(Date.now() + 5000);
      execFileSync('touch', ['-d', future.toISOString(), strings]);
      const third = serviceFor(folder, nix, { cacheDir: first.cacheDir });
      third.service.start();
      await third.service.whenIdle();
      expect(third.service.status().lib.origin).toBe('nix-eval');
      expect(third.service.libChildren(['strings'], { prefix: 'upper' }).items).toEqual([{ name: 'upperChars', kind: 'value' }]);
      third.service.dispose();
    });

    it('reports a lib that fails to evaluate, and keeps serving the one it had', async () => {
      const { folder, nixpkgs } = pinnedProject();
      const { service, notices } = serviceFor(folder, nix);
      service.start();
      await service.whenIdle();
      expect(service.status().lib.state).toBe('ready');

      writeFileSync(join(nixpkgs, 'lib', 'default.nix'), 'let in { broken = ; }\n');
      service.refresh(['nixpkgs'], true);
      await service.whenIdle();
      const status = service.status().lib;
      expect(status.state).toBe('offline-cache');
      expect(status.message).toMatch(/^evaluating nixpkgs' lib failed \(exit 1\): error: syntax error/);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^nixpkgs lib: evaluating nixpkgs' lib failed/);
      expect(service.lookupLib(['id'])?.kind).toBe('function');
      service.dispose();

      // Without anything cached, it says so and answers nothing.
      const fresh = serviceFor(folder, nix);
      fresh.service.start();
      await fresh.service.whenIdle();
      expect(fresh.service.status().lib.state).toBe('failed');
      expect(fresh.service.libChildren([])).toEqual({ items: [], incomplete: false, loading: false });
      fresh.service.dispose();
    });

    it('fetches a git-locked nixpkgs, reads its docs from the store, then needs no Nix for the same pin', async () => {
      const root = temporaryDirectory();
      const nixpkgs = join(root, 'nixpkgs');
      cpSync(standInLib, nixpkgs, { recursive: true });
      const git = (...args: string[]) => execFileSync('git', ['-C', nixpkgs, ...args], { encoding: 'utf8' }).trim();
      git('init', '-q');
      git('add', '.');
      git('-c', 'user.name=Test', '-c', 'user.email=test@example.org', 'commit', '-qm', 'stand-in');
      const rev = git('rev-parse', 'HEAD');
      const url = `file://${nixpkgs}`;
      const pin: NixpkgsPin = { kind: 'locked', description: 'test pin', locked: { type: 'git', url, rev }, location: `git+${url}?rev=${rev}`, rev, upstream: false };
      const cacheDir = temporaryDirectory();
      const logs: string[] = [];
      const first = await loadLibIndex({ pin, cacheDir, commands: nixCommandsFor(nix), fileRoot: installation!.storePrefix, log: (m) => logs.push(m) });
      expect(logs).toEqual([]);
      expect(first.origin).toBe('nix-eval');
      expect(first.index.data.source).toMatch(/^\/nix\/store\/[0-9a-z]{32}-source$/);
      // Not NixOS/nixpkgs: no commit to link to.
      expect(first.index.revision).toBeUndefined();
      expect(first.index.lookup(['id'])).toMatchObject({ type: 'id :: a -> a', position: { file: 'lib/default.nix', line: 29 } });

      // The pin alone finds the cache: a missing Nix does not matter.
      const second = await loadLibIndex({ pin, cacheDir, commands: nixCommandsFor('/nonexistent/bin/nix') });
      expect(second.origin).toBe('cache');
      expect(second.index.lookup(['strings', 'concatStrings'])?.args).toEqual(['list']);

      // Offline, a pin never evaluated cannot be fetched.
      const other: NixpkgsPin = { ...pin, location: `${pin.location}-other` };
      await expect(loadLibIndex({ pin: other, cacheDir, commands: nixCommandsFor(nix), offline: true })).rejects.toThrow(/^offline \(nixNur\.offline\), and test pin has not been evaluated before$/);
    });
  });
}

describe('when lib cannot be evaluated', () => {
  const installation = installations[0];

  it('stays off in an untrusted workspace and without Nix, and says why', async () => {
    const { folder } = pinnedProject();
    const untrusted = serviceFor(folder, installation ? join(installation.binDir, 'nix') : 'nix', { trusted: false });
    untrusted.service.start();
    await untrusted.service.whenIdle();
    expect(untrusted.service.status().lib).toEqual({ state: 'off', message: 'the workspace is not trusted' });
    expect(untrusted.service.libChildren([])).toEqual({ items: [], incomplete: false, loading: false });
    untrusted.service.dispose();

    const noNix = serviceFor(folder, '/nonexistent/bin/nix');
    noNix.service.start();
    await noNix.service.whenIdle();
    expect(noNix.service.status().lib).toEqual({ state: 'off', message: 'Nix is not installed' });
    expect(noNix.notices).toEqual([]);
    noNix.service.dispose();
  });

  it('explains a missing nix-instantiate', async () => {
    const { nixpkgs } = pinnedProject();
    const pin: NixpkgsPin = { kind: 'path', description: 'test', path: nixpkgs };
    await expect(loadLibIndex({ pin, cacheDir: temporaryDirectory(), commands: nixCommandsFor('/nonexistent/bin/nix') })).rejects.toThrow("'/nonexistent/bin/nix-instantiate' was not found");
  });
});
