// The flake commands against real Nix (Debian's 2.8 and 2.26 in a chroot): temporary git
// repositories are the inputs (`git+file://`), so updates, pins and failures happen for real.
//
// Nix runs with HOME (and XDG_CACHE_HOME) in a fresh temporary directory: it keeps a fetcher
// cache and git mirrors under ~/.cache/nix, and a test must neither write into the real home nor
// be answered from a cache an earlier run left behind. The 2.26 chroot shares /tmp, so the
// temporary home is valid inside it too.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { FLAKE_FEATURE_ARGS } from '../../server/src/flake/flakeCommandLine';
import { parseFlakeLock, resolveInputPath } from '../../server/src/flake/flakeLock';
import type { FlakeCommandDeps, RunProgram } from '../../server/src/features/flake/flakeCommandSupport';
import { pinFlakeInput, unpinFlakeInput, type FlakeEditDeps } from '../../server/src/features/flake/flakePinCommand';
import { updateFlakeInputs } from '../../server/src/features/flake/flakeUpdateCommand';
import { applyTextEdits } from '../../server/src/features/flake/textPositions';
import { runProcess } from '../../server/src/nix/process';
import { detectNix } from '../../server/src/nix/version';
import { createNixParser } from '../../server/src/syntax/parser';
import { nixInstallations, requireNixInCi, type NixInstallation } from '../support/nixInstallations';

requireNixInCi();
const installations = nixInstallations();
const wanted = ['2.8', '2.26'].map((series) => ({ series, installation: installations.find((i) => i.version.startsWith(`${series}.`)) }));

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

for (const { series, installation } of wanted) {
  describe.skipIf(!installation)(`flake commands with Nix ${series}`, () => {
    const nix = installation as NixInstallation;
    let root: string;
    let env: NodeJS.ProcessEnv;
    let deps: FlakeEditDeps;
    /** Every argument vector the commands passed to Nix. */
    const runs: string[][] = [];

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'nixnur-flake-'));
      roots.push(root);
      const home = join(root, 'home');
      mkdirSync(home);
      env = {
        ...nix.env,
        HOME: home,
        XDG_CACHE_HOME: join(home, '.cache'),
        GIT_AUTHOR_NAME: 'Flake Test',
        GIT_AUTHOR_EMAIL: 'flake-test@example.org',
        GIT_COMMITTER_NAME: 'Flake Test',
        GIT_COMMITTER_EMAIL: 'flake-test@example.org',
        GIT_CONFIG_NOSYSTEM: '1',
      };
      const nixPath = join(nix.binDir, 'nix');
      const capabilities = await detectNix(nixPath, { env });
      expect(capabilities?.version.text).toContain(nix.version);
      const recordingRun: RunProgram = (program, args, options) => {
        runs.push([...args]);
        return runProcess(program, args, options);
      };
      deps = {
        capabilities,
        parser: await createNixParser(),
        nixPath,
        env,
        run: recordingRun,
        timeoutMs: 120_000,
        applyEdit: async (edit: WorkspaceEdit) => applyToDisk(edit),
      };
    });

    function git(cwd: string, ...args: string[]): string {
      return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
    }

    /** A flake repository with one commit; returns its path. */
    function dependency(name: string): string {
      const dir = join(root, name);
      mkdirSync(dir);
      git(dir, 'init', '-q', '-b', 'main');
      writeFileSync(join(dir, 'flake.nix'), `{ outputs = { self }: { name = "${name}"; }; }\n`);
      git(dir, 'add', 'flake.nix');
      git(dir, 'commit', '-q', '-m', 'first');
      return dir;
    }

    function commit(dir: string, message: string): string {
      writeFileSync(join(dir, 'changes.txt'), `${message}\n`, { flag: 'a' });
      git(dir, 'add', 'changes.txt');
      git(dir, 'commit', '-q', '-m', message);
      return git(dir, 'rev-parse', 'HEAD');
    }

    /** A (non-git) flake using the given dependencies as git+file inputs, locked. */
    async function app(name: string, inputs: Record<string, string>): Promise<{ dir: string; uri: string }> {
      const dir = join(root, name);
      mkdirSync(dir);
      const lines = Object.entries(inputs).map(([input, path]) => `  inputs.${input}.url = "git+file://${path}";`);
      writeFileSync(join(dir, 'flake.nix'), `{\n${lines.join('\n')}\n  outputs = { self, ... }: { };\n}\n`);
      const locked = await runProcess(join(nix.binDir, 'nix'), [...FLAKE_FEATURE_ARGS, 'flake', 'lock'], { cwd: dir, env, timeoutMs: 120_000 });
      expect(locked.code, locked.stderr).toBe(0);
      return { dir, uri: pathToFileURL(join(dir, 'flake.nix')).href };
    }

    function lockedRev(dir: string, input: string): string | undefined {
      const lock = parseFlakeLock(readFileSync(join(dir, 'flake.lock'), 'utf8'));
      const rev = resolveInputPath(lock, [input])?.node.locked?.rev;
      return typeof rev === 'string' ? rev : undefined;
    }

    function originalOf(dir: string, input: string) {
      return resolveInputPath(parseFlakeLock(readFileSync(join(dir, 'flake.lock'), 'utf8')), [input])?.node.original;
    }

    function applyToDisk(edit: WorkspaceEdit): boolean {
      for (const change of edit.documentChanges ?? []) {
        if (!('textDocument' in change)) return false;
        const path = new URL(change.textDocument.uri).pathname;
        writeFileSync(path, applyTextEdits(readFileSync(path, 'utf8'), change.edits as never));
      }
      return true;
    }

    it('updates one input and reports the old and new commit', async () => {
      const dep = dependency('one-dep');
      const other = dependency('one-other');
      const { dir, uri } = await app('one-app', { dep, other });
      const before = lockedRev(dir, 'dep')!;
      const otherBefore = lockedRev(dir, 'other');
      expect(before).toBe(git(dep, 'rev-parse', 'HEAD'));
      const after = commit(dep, 'second');
      commit(other, 'second');

      runs.length = 0;
      const result = await updateFlakeInputs({ flake: uri, input: 'dep' }, deps);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) return;
      expect(runs).toHaveLength(1);
      expect(runs[0]).toEqual(
        deps.capabilities!.flakeUpdateTakesInputs
          ? ['--extra-experimental-features', 'nix-command flakes', 'flake', 'update', 'dep']
          : ['--extra-experimental-features', 'nix-command flakes', 'flake', 'lock', '--update-input', 'dep'],
      );
      expect(lockedRev(dir, 'dep')).toBe(after);
      expect(lockedRev(dir, 'other')).toBe(otherBefore);
      expect(result.inputs).toEqual([expect.objectContaining({ input: 'dep', oldRev: before, newRev: after, changed: true })]);
      expect(result.inputs[0].newLastModified).toBeGreaterThanOrEqual(result.inputs[0].oldLastModified!);
      expect(result.summary).toMatch(new RegExp(`^dep: ${before.slice(0, 7)} → ${after.slice(0, 7)}`));

      const again = await updateFlakeInputs({ flake: uri, input: 'dep' }, deps);
      expect(again.ok && again.summary).toBe(`dep: already up to date (${after.slice(0, 7)})`);
    });

    it('updates all inputs', async () => {
      const a = dependency('all-a');
      const b = dependency('all-b');
      const { dir, uri } = await app('all-app', { a, b });
      const newA = commit(a, 'second');
      const newB = commit(b, 'second');
      runs.length = 0;
      const result = await updateFlakeInputs({ flake: uri }, deps);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) return;
      expect(runs).toEqual([['--extra-experimental-features', 'nix-command flakes', 'flake', 'update']]);
      expect(lockedRev(dir, 'a')).toBe(newA);
      expect(lockedRev(dir, 'b')).toBe(newB);
      expect(result.inputs.map((update) => [update.input, update.newRev, update.changed])).toEqual([
        ['a', newA, true],
        ['b', newB, true],
      ]);
      expect(result.summary.split('\n')).toHaveLength(2);
    });

    it('pins an input to the locked commit and to a given one, then unpins it', async () => {
      const dep = dependency('pin-dep');
      const { dir, uri } = await app('pin-app', { dep });
      const first = lockedRev(dir, 'dep')!;
      const second = commit(dep, 'second');
      expect((await updateFlakeInputs({ flake: uri, input: 'dep' }, deps)).ok).toBe(true);

      const pinned = await pinFlakeInput({ flake: uri, input: 'dep' }, deps);
      expect(pinned.ok, JSON.stringify(pinned)).toBe(true);
      const flakeNix = () => readFileSync(join(dir, 'flake.nix'), 'utf8');
      expect(flakeNix()).toContain(`inputs.dep.url = "git+file://${dep}?rev=${second}";`);
      expect(lockedRev(dir, 'dep')).toBe(second);
      expect(originalOf(dir, 'dep')?.rev).toBe(second);

      const older = await pinFlakeInput({ flake: uri, input: 'dep', rev: first }, deps);
      expect(older.ok, JSON.stringify(older)).toBe(true);
      expect(flakeNix()).toContain(`inputs.dep.url = "git+file://${dep}?rev=${first}";`);
      expect(lockedRev(dir, 'dep')).toBe(first);
      expect(older.ok && older.lockedRev).toBe(first);

      const third = commit(dep, 'third');
      const unpinned = await unpinFlakeInput({ flake: uri, input: 'dep' }, deps);
      expect(unpinned.ok, JSON.stringify(unpinned)).toBe(true);
      expect(flakeNix()).toContain(`inputs.dep.url = "git+file://${dep}";`);
      expect(lockedRev(dir, 'dep')).toBe(third);
      expect(originalOf(dir, 'dep')?.rev).toBeUndefined();

      const onBranch = await unpinFlakeInput({ flake: uri, input: 'dep', ref: 'main' }, deps);
      expect(onBranch.ok, JSON.stringify(onBranch)).toBe(true);
      expect(flakeNix()).toContain(`inputs.dep.url = "git+file://${dep}?ref=main";`);
      expect(originalOf(dir, 'dep')?.ref).toBe('main');
    });

    it('leaves both files untouched when an input cannot be fetched, and says why', async () => {
      const dep = dependency('gone-dep');
      const { dir, uri } = await app('gone-app', { dep });
      commit(dep, 'second');
      renameSync(dep, `${dep}-moved`);
      const nixBefore = readFileSync(join(dir, 'flake.nix'));
      const lockBefore = readFileSync(join(dir, 'flake.lock'));

      const result = await updateFlakeInputs({ flake: uri, input: 'dep' }, deps);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.code).toBe('fetch-failed');
      expect(result.message).toContain("Updating input 'dep' failed");
      expect(result.message).toMatch(/error/);
      expect(result.nixOutput).toMatch(/does not appear to be a git repository|not found/);
      expect(result.message).not.toMatch(/\u001b\[/);
      expect(readFileSync(join(dir, 'flake.nix')).equals(nixBefore)).toBe(true);
      expect(readFileSync(join(dir, 'flake.lock')).equals(lockBefore)).toBe(true);

      const pin = await pinFlakeInput({ flake: uri, input: 'dep', rev: 'ab'.repeat(20) }, deps);
      expect(pin.ok).toBe(false);
      expect(!pin.ok && pin.code).toBe('fetch-failed');
      expect(!pin.ok && pin.restored).toBe(true);
      expect(readFileSync(join(dir, 'flake.nix')).equals(nixBefore)).toBe(true);
      expect(readFileSync(join(dir, 'flake.lock')).equals(lockBefore)).toBe(true);
    });

    it('takes a pin back when the commit does not exist', async () => {
      const dep = dependency('badrev-dep');
      const { dir, uri } = await app('badrev-app', { dep });
      const nixBefore = readFileSync(join(dir, 'flake.nix'));
      const lockBefore = readFileSync(join(dir, 'flake.lock'));
      const edits: WorkspaceEdit[] = [];
      const result = await pinFlakeInput({ flake: uri, input: 'dep', rev: 'cd'.repeat(20) }, {
        ...deps,
        applyEdit: async (edit) => {
          edits.push(edit);
          return applyToDisk(edit);
        },
      });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toContain("Pinning input 'dep' failed");
      // The edit, then the edit that takes it back: the editor's buffer and history agree with the disk.
      expect(edits).toHaveLength(2);
      expect(readFileSync(join(dir, 'flake.nix')).equals(nixBefore)).toBe(true);
      expect(readFileSync(join(dir, 'flake.lock')).equals(lockBefore)).toBe(true);
    });

    it('refuses unknown and invalid input names before Nix runs', async () => {
      const dep = dependency('names-dep');
      const { uri } = await app('names-app', { dep });
      runs.length = 0;
      const unknown = await updateFlakeInputs({ flake: uri, input: 'nixpkgs' }, deps);
      expect(unknown).toMatchObject({ ok: false, code: 'unknown-input' });
      expect(!unknown.ok && unknown.message).toBe("flake.nix has no input 'nixpkgs' (its inputs: dep).");
      for (const input of ['../dep', '-dep', 'a/b', '']) {
        expect(await updateFlakeInputs({ flake: uri, input }, deps)).toMatchObject({ ok: false, code: 'invalid-arguments' });
      }
      expect(await pinFlakeInput({ flake: uri, input: 'nope' }, deps)).toMatchObject({ ok: false, code: 'unknown-input' });
      expect(runs).toEqual([]);
    });

    it('reports an invalid flake with Nix’s own message and changes nothing', async () => {
      const dep = dependency('broken-dep');
      const { dir, uri } = await app('broken-app', { dep });
      writeFileSync(join(dir, 'flake.nix'), `{\n  inputs.dep.url = "git+file://${dep}";\n  outputs = { self, dep }: {\n`);
      const nixBefore = readFileSync(join(dir, 'flake.nix'));
      const lockBefore = readFileSync(join(dir, 'flake.lock'));
      const result = await updateFlakeInputs({ flake: uri, input: 'dep' }, deps);
      expect(result).toMatchObject({ ok: false, code: 'invalid-flake' });
      expect(!result.ok && result.message).toContain('syntax error');
      expect(readFileSync(join(dir, 'flake.nix')).equals(nixBefore)).toBe(true);
      expect(readFileSync(join(dir, 'flake.lock')).equals(lockBefore)).toBe(true);
    });

    it('passes on the warning about a dirty git tree', async () => {
      const dep = dependency('dirty-dep');
      const dir = join(root, 'dirty-app');
      mkdirSync(dir);
      git(dir, 'init', '-q', '-b', 'main');
      writeFileSync(join(dir, 'flake.nix'), `{\n  inputs.dep.url = "git+file://${dep}";\n  outputs = { self, dep }: { };\n}\n`);
      git(dir, 'add', 'flake.nix');
      git(dir, 'commit', '-q', '-m', 'app');
      writeFileSync(join(dir, 'flake.nix'), `{\n  inputs.dep.url = "git+file://${dep}";\n  outputs = { self, dep }: { changed = true; };\n}\n`);
      const result = await updateFlakeInputs({ flake: pathToFileURL(join(dir, 'flake.nix')).href, input: 'dep' }, deps);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(result.ok && result.warnings.some((warning) => /dirty/.test(warning))).toBe(true);
    });
  });
}

describe('flake commands without Nix', () => {
  it('says that nix is missing instead of failing obscurely', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nixnur-flake-nonix-'));
    roots.push(dir);
    writeFileSync(join(dir, 'flake.nix'), '{ inputs.a.url = "github:o/a"; outputs = _: { }; }\n');
    const uri = pathToFileURL(join(dir, 'flake.nix')).href;
    const parser = await createNixParser();
    const missing: FlakeCommandDeps = {
      capabilities: { version: { major: 2, minor: 26, patch: 3, text: 'nix (Nix) 2.26.3' }, flakeUpdateTakesInputs: true, printOutPaths: true },
      parser,
      nixPath: join(dir, 'no-such-nix'),
    };
    const result = await updateFlakeInputs({ flake: uri, input: 'a' }, missing);
    expect(result).toMatchObject({ ok: false, code: 'nix-not-found' });
    expect(!result.ok && result.message).toContain('was not found on PATH');
    expect(await updateFlakeInputs({ flake: uri }, { ...missing, capabilities: undefined })).toMatchObject({ ok: false, code: 'nix-not-found' });
  });
});
