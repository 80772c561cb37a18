import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { flakeLockArgs, flakeUpdateArgs } from '../../../server/src/flake/flakeCommandLine';
import { inputNameProblem } from '../../../server/src/flake/inputName';
import { locateFlake, nixErrorText, nixWarnings, type RunProgram } from '../../../server/src/features/flake/flakeCommandSupport';
import { branchDroppedByPin, pinFlakeInput, unpinFlakeInput, type FlakeEditDeps } from '../../../server/src/features/flake/flakePinCommand';
import { commitUrl } from '../../../server/src/features/flake/forgeLinks';
import { updateFlakeInputs } from '../../../server/src/features/flake/flakeUpdateCommand';
import { knownFlakes, nurRepoFlakeUrl, recentNixosReleases } from '../../../server/src/features/flake/knownFlakes';
import { formatAge, formatDate, formatDuration } from '../../../server/src/features/flake/relativeTime';
import { applyTextEdits, differenceEdit, offsetAt, positionAt } from '../../../server/src/features/flake/textPositions';
import { capabilitiesOf, parseNixVersion } from '../../../server/src/nix/version';
import { nixParser } from './nixSource';
import { stripAnsi } from '../../../server/src/nix/ansi';

const nix = (text: string) => capabilitiesOf(parseNixVersion(text)!);

describe('argument vectors per Nix version', () => {
  it('updates one input the way each version spells it, all inputs with flake update', () => {
    expect(flakeUpdateArgs(nix('nix (Nix) 2.8.0'), 'dep')).toEqual(['--extra-experimental-features', 'nix-command flakes', 'flake', 'lock', '--update-input', 'dep']);
    expect(flakeUpdateArgs(nix('nix (Nix) 2.19.0'), 'dep')).toEqual(['--extra-experimental-features', 'nix-command flakes', 'flake', 'update', 'dep']);
    expect(flakeUpdateArgs(nix('nix (Nix) 2.8.0'))).toEqual(['--extra-experimental-features', 'nix-command flakes', 'flake', 'update']);
    expect(flakeLockArgs()).toEqual(['--extra-experimental-features', 'nix-command flakes', 'flake', 'lock']);
    expect(() => flakeUpdateArgs(nix('nix (Nix) 2.26.3'), '--recreate-lock-file')).toThrow("must not start with '-'");
  });

  it('checks input names', () => {
    expect(inputNameProblem('nixpkgs')).toBeUndefined();
    expect(inputNameProblem("foo'")).toBeUndefined();
    for (const bad of ['', 'a/b', '..', 'x..y', '-x', 'a b', 'a"b', 42, undefined]) expect(inputNameProblem(bad), String(bad)).toBeTypeOf('string');
  });
});

describe("Nix's output", () => {
  const stderr28 = [
    "fatal: '/tmp/x/dep' does not appear to be a git repository",
    'fatal: Could not read from remote repository.',
    '',
    'Please make sure you have the correct access rights',
    "error: program 'git' failed with exit code 128",
    "(use '--show-trace' to show detailed location information)",
  ].join('\n');
  const coloured = "\u001b[31;1merror:\u001b[0m\n       … while updating the flake input '\u001b[35;1mdep\u001b[0m'\n\n       \u001b[31;1merror:\u001b[0m revspec 'master' not found\n";

  it('keeps the error, git’s reason and code excerpts, without colours', () => {
    expect(nixErrorText(stderr28)).toBe(
      "fatal: '/tmp/x/dep' does not appear to be a git repository\nfatal: Could not read from remote repository.\nerror: program 'git' failed with exit code 128\n(use '--show-trace' to show detailed location information)",
    );
    expect(nixErrorText(coloured)).toBe("error:\n… while updating the flake input 'dep'\nerror: revspec 'master' not found");
    expect(stripAnsi('\u001b]8;;https://x\u0007link\u001b]8;;\u0007 \u001b[1mbold\u001b[0m')).toBe('link bold');
  });

  it('collects warnings once each, without lock-file progress', () => {
    expect(nixWarnings("warning: Git tree '/a' is dirty\nwarning: creating lock file '/a/flake.lock'\nwarning: Git tree '/a' is dirty\n")).toEqual(["Git tree '/a' is dirty"]);
  });
});

describe('finding the flake', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixnur-flake-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'flake.nix'), '{ outputs = _: { }; }\n');

  it('accepts the file: URI of an existing flake.nix only', () => {
    expect(locateFlake(pathToFileURL(join(dir, 'flake.nix')).href)).toMatchObject({ directory: dir, flakeLock: join(dir, 'flake.lock') });
    expect(locateFlake('https://example.org/flake.nix')).toMatchObject({ ok: false, code: 'invalid-arguments' });
    expect(locateFlake(pathToFileURL(join(dir, 'default.nix')).href)).toMatchObject({ ok: false, message: expect.stringContaining('does not name a flake.nix') });
    expect(locateFlake(pathToFileURL(join(dir, 'sub', 'flake.nix')).href)).toMatchObject({ ok: false, message: expect.stringContaining('there is no flake.nix') });
    expect(locateFlake(undefined)).toMatchObject({ ok: false, code: 'invalid-arguments' });
  });
});

describe('pin refuses before touching anything', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixnur-flake-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = '{\n  inputs.dep.url = "git+file:///srv/dep";\n  outputs = { self, dep }: { };\n}\n';
  const lock = JSON.stringify({
    nodes: {
      root: { inputs: { dep: 'dep' } },
      dep: { locked: { type: 'git', url: 'file:///srv/dep', rev: 'a'.repeat(40), lastModified: 1 }, original: { type: 'git', url: 'file:///srv/dep' } },
    },
    root: 'root',
    version: 7,
  });
  writeFileSync(join(dir, 'flake.nix'), text);
  writeFileSync(join(dir, 'flake.lock'), lock);
  const uri = pathToFileURL(join(dir, 'flake.nix')).href;

  async function deps(overrides: Partial<FlakeEditDeps>): Promise<{ deps: FlakeEditDeps; runs: string[][] }> {
    const runs: string[][] = [];
    const run: RunProgram = async (_program, args) => {
      runs.push([...args]);
      throw new Error('Nix must not run in these cases');
    };
    return {
      runs,
      deps: { capabilities: nix('nix (Nix) 2.26.3'), parser: await nixParser(), run, applyEdit: async () => true, ...overrides },
    };
  }

  it('refuses when the open document has unsaved changes', async () => {
    const { deps: d, runs } = await deps({ openDocument: () => ({ text: text + '# typing\n', version: 4 }) });
    expect(await pinFlakeInput({ flake: uri, input: 'dep' }, d)).toMatchObject({ ok: false, code: 'unsaved-changes' });
    expect(runs).toEqual([]);
  });

  it('stops when the edit does not reach the file, and relocks nothing', async () => {
    const { deps: d, runs } = await deps({ applyEdit: async () => true });
    const result = await pinFlakeInput({ flake: uri, input: 'dep' }, d);
    expect(result).toMatchObject({ ok: false, code: 'edit-not-applied' });
    expect(runs).toEqual([]);
    const refused = await pinFlakeInput({ flake: uri, input: 'dep' }, (await deps({ applyEdit: async () => false })).deps);
    expect(refused).toMatchObject({ ok: false, code: 'edit-not-applied', message: expect.stringContaining('refused') });
    expect(readFileSync(join(dir, 'flake.nix'), 'utf8')).toBe(text);
    expect(readFileSync(join(dir, 'flake.lock'), 'utf8')).toBe(lock);
  });

  it('remembers the branch a forge reference loses when pinned', () => {
    const rev = 'b'.repeat(40);
    expect(branchDroppedByPin('github:NixOS/nixpkgs/nixos-unstable', `github:NixOS/nixpkgs/${rev}`)).toBe('nixos-unstable');
    expect(branchDroppedByPin('git+https://h/x?ref=main', `git+https://h/x?ref=main&rev=${rev}`)).toBeUndefined();
    expect(branchDroppedByPin('github:NixOS/nixpkgs', `github:NixOS/nixpkgs/${rev}`)).toBeUndefined();
  });

  it('refuses a rev that is not a commit hash and an input with nothing to pin', async () => {
    const { deps: d } = await deps({});
    expect(await unpinFlakeInput({ flake: uri, input: 'dep', ref: 'bad ref' }, d)).toMatchObject({ ok: false, code: 'invalid-arguments' });
    expect(await unpinFlakeInput({ flake: uri, input: 'dep', ref: '-x' }, d)).toMatchObject({ ok: false, code: 'invalid-arguments' });
    expect(await unpinFlakeInput({ flake: uri, input: 'dep' }, d)).toMatchObject({ ok: false, code: 'not-pinned' });
    expect(await pinFlakeInput({ flake: uri, input: 'dep', rev: 'main' }, d)).toMatchObject({ ok: false, code: 'invalid-arguments' });
    expect(await pinFlakeInput({ flake: uri, input: '../x' }, d)).toMatchObject({ ok: false, code: 'invalid-arguments' });
  });
});

describe('unexpected trouble', () => {
  it('comes back as a failure, not an exception', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nixnur-flake-unit-'));
    try {
      // A directory where flake.nix should be: reading it fails.
      mkdirSync(join(dir, 'flake.nix'));
      const uri = pathToFileURL(join(dir, 'flake.nix')).href;
      const result = await updateFlakeInputs({ flake: uri }, { capabilities: nix('nix (Nix) 2.8.0'), parser: await nixParser() });
      expect(result).toMatchObject({ ok: false, code: 'io-error', message: expect.stringContaining('EISDIR') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('well-known flakes and NUR repositories', () => {
  it('derives the NixOS release branches from the clock', () => {
    expect(recentNixosReleases(new Date('2026-11-22T00:00:00Z'))).toEqual(['26.11', '26.05', '25.11']);
    expect(recentNixosReleases(new Date('2025-06-01T00:00:00Z'))).toEqual(['25.05', '24.11', '24.05']);
    expect(recentNixosReleases(new Date('2026-03-01T00:00:00Z'))).toEqual(['25.11', '25.05', '24.11']);
    const urls = knownFlakes(new Date('2025-06-01T00:00:00Z')).map((flake) => flake.url);
    expect(urls).toContain('github:NixOS/nixpkgs/nixos-25.05');
    expect(urls).toContain('github:nix-community/home-manager/release-24.11');
  });

  it('turns NUR repository URLs into flake references', () => {
    expect(nurRepoFlakeUrl({ name: 'a', url: 'https://github.com/owner/nur-packages' })).toBe('github:owner/nur-packages');
    expect(nurRepoFlakeUrl({ name: 'a', url: 'https://github.com/owner/nur.git' })).toBe('github:owner/nur');
    expect(nurRepoFlakeUrl({ name: 'a', url: 'https://gitlab.com/owner/nur' })).toBe('gitlab:owner/nur');
    expect(nurRepoFlakeUrl({ name: 'a', url: 'https://codeberg.org/owner/configuration' })).toBe('git+https://codeberg.org/owner/configuration');
    expect(nurRepoFlakeUrl({ name: 'a', url: 'ssh://git@host/x' })).toBeUndefined();
    expect(nurRepoFlakeUrl({ name: 'a', url: 'not a url' })).toBeUndefined();
  });

  it('links commits on GitHub, GitLab and sourcehut', () => {
    const rev = 'a'.repeat(40);
    expect(commitUrl({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev })).toBe(`https://github.com/NixOS/nixpkgs/commit/${rev}`);
    expect(commitUrl({ type: 'gitlab', owner: 'o', repo: 'r', rev })).toBe(`https://gitlab.com/o/r/-/commit/${rev}`);
    expect(commitUrl({ type: 'sourcehut', owner: '~u', repo: 'p', rev })).toBe(`https://git.sr.ht/~u/p/commit/${rev}`);
    expect(commitUrl({ type: 'github', owner: 'o', repo: 'r', rev, host: 'git.corp' })).toBe(`https://git.corp/o/r/commit/${rev}`);
    expect(commitUrl({ type: 'git', url: 'https://github.com/Mic92/nixpkgs.git', rev })).toBe(`https://github.com/Mic92/nixpkgs/commit/${rev}`);
    expect(commitUrl({ type: 'git', url: 'file:///srv/x', rev })).toBeUndefined();
    expect(commitUrl({ type: 'path', path: '/x' })).toBeUndefined();
  });
});

describe('dates, ages and text positions', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const at = (daysAgo: number) => now.getTime() / 1000 - daysAgo * 86400;

  it('words ages the way people say them', () => {
    expect(formatDate(1792000000)).toBe('2026-10-14');
    expect(formatAge(now.getTime() / 1000 - 20, now)).toBe('just now');
    expect(formatAge(now.getTime() / 1000 - 3600 * 3, now)).toBe('3 hours ago');
    expect(formatAge(at(1), now)).toBe('1 day ago');
    expect(formatAge(at(12), now)).toBe('12 days ago');
    expect(formatAge(at(49), now)).toBe('7 weeks ago');
    expect(formatAge(at(200), now)).toBe('6 months ago');
    expect(formatAge(at(800), now)).toBe('2 years ago');
    expect(formatAge(at(-2), now)).toBe('in 2 days');
    expect(formatDuration(-4)).toBe('4 seconds');
  });

  it('converts positions and edits over text', () => {
    const text = 'ab\ncd\n\nef';
    expect(offsetAt(text, { line: 1, character: 1 })).toBe(4);
    expect(offsetAt(text, { line: 1, character: 99 })).toBe(5);
    expect(positionAt(text, 7)).toEqual({ line: 3, character: 0 });
    expect(applyTextEdits(text, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, newText: 'A' },
      { range: { start: { line: 3, character: 1 }, end: { line: 3, character: 2 } }, newText: 'F!' },
    ])).toBe('Ab\ncd\n\neF!');
    const from = 'inputs.a.url = "x?rev=1";\nrest';
    const to = 'inputs.a.url = "x";\nrest';
    const edit = differenceEdit(from, to);
    expect(applyTextEdits(from, [edit])).toBe(to);
    expect(edit.range.start).toEqual({ line: 0, character: 17 });
  });
});
