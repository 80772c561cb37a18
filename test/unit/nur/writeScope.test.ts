// Commands that write files stay inside the workspace: the shapes that escaped it before — a URI
// whose `..` segments climb out (`file:///…/x/../../../etc/nurtest` created /etc/nurtest), an
// owner that was written into README.md and meta.homepage as is (`--upload-pack=…`), git run in an
// untrusted workspace — and a symbolic link inside the workspace that points out of it.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confineTarget, WriteScopeError } from '../../../server/src/features/writeScope';
import { addModuleCommand, addPackageCommand, NurCommandError, scaffoldCommand, type NurCommandContext } from '../../../server/src/features/nur/nurCommands';
import { runProcess } from '../../../server/src/nix/process';
import { gitHubOwnerProblem } from '../../../server/src/nur/names';
import { nixParser } from '../../support/parse';

let base: string;
let workspace: string;
let outside: string;
let context: NurCommandContext;

beforeEach(async () => {
  base = mkdtempSync(join(tmpdir(), 'write-scope-'));
  workspace = join(base, 'workspace');
  outside = join(base, 'outside');
  mkdirSync(workspace);
  mkdirSync(outside);
  context = { run: runProcess, clock: () => new Date('2026-11-22T00:00:00Z'), parser: await nixParser(), writeScope: { folders: [workspace], trusted: false } };
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const uri = (path: string) => pathToFileURL(path).href;

describe('nixNur.nur.scaffold', () => {
  it('refuses a URI whose `..` climbs out of the workspace, and writes nothing', async () => {
    // The shape that created /etc/nurtest, aimed at a directory beside the workspace.
    const climbing = `${uri(workspace)}/x/../../outside/nurtest`;
    await expect(scaffoldCommand({ directory: climbing, name: 'someone' }, context)).rejects.toThrow(/outside the workspace folders/);
    expect(existsSync(join(outside, 'nurtest'))).toBe(false);
    await expect(scaffoldCommand({ directory: 'file:///x/../../../etc/nurtest', name: 'someone' }, context)).rejects.toThrow(/\/etc\/nurtest is outside/);
  });

  it('refuses a target reached through a symbolic link that leaves the workspace', async () => {
    symlinkSync(outside, join(workspace, 'link'));
    await expect(scaffoldCommand({ directory: uri(join(workspace, 'link', 'nur')), name: 'someone' }, context)).rejects.toThrow(/outside the workspace/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('writes inside the workspace, also untrusted, but runs no git there', async () => {
    const result = await scaffoldCommand({ directory: uri(join(workspace, 'nur')), name: 'someone' }, context);
    expect(result.files.length).toBeGreaterThan(5);
    await expect(scaffoldCommand({ directory: uri(join(workspace, 'nur2')), name: 'someone', gitInit: true }, context)).rejects.toThrow(/not trusted: git is not run/);
    expect(existsSync(join(workspace, 'nur2'))).toBe(false);
  });

  it('accepts a directory the user picked outside the workspace only when the workspace is trusted', async () => {
    const picked = { directory: uri(join(outside, 'nur')), name: 'someone', pickedByUser: true };
    await expect(scaffoldCommand(picked, context)).rejects.toThrow(/only accepted in a trusted workspace/);
    const trusted = { ...context, writeScope: { folders: [workspace], trusted: true } };
    await expect(scaffoldCommand(picked, trusted)).resolves.toMatchObject({ directory: uri(join(outside, 'nur')) });
    await expect(scaffoldCommand({ ...picked, directory: uri(join(outside, 'other')), pickedByUser: undefined }, trusted)).rejects.toThrow(/outside the workspace/);
  });

  it('validates the owner that lands in README.md and meta.homepage', async () => {
    for (const owner of ['--upload-pack=touch /tmp/pwned', 'a/b', 'x y', 'owner"; rm -rf', '-leading', 'trailing-', 'a'.repeat(40)]) {
      await expect(scaffoldCommand({ directory: uri(join(workspace, 'nur')), name: 'someone', owner }, context)).rejects.toBeInstanceOf(NurCommandError);
      expect(gitHubOwnerProblem(owner)).toMatch(/not a valid GitHub user or organisation name/);
    }
    expect(existsSync(join(workspace, 'nur'))).toBe(false);
    expect(gitHubOwnerProblem('some-one42')).toBeUndefined();
  });
});

describe('adding to a repository', () => {
  it('refuses a repository outside the workspace', async () => {
    const trusted = { ...context, writeScope: { folders: [outside], trusted: true } };
    await scaffoldCommand({ directory: uri(join(outside, 'nur')), name: 'someone' }, trusted);
    await expect(addPackageCommand({ repo: uri(join(outside, 'nur')), name: 'hello' }, context)).rejects.toThrow(/outside the workspace/);
    await expect(addModuleCommand({ repo: `${uri(workspace)}/../outside/nur`, name: 'svc' }, context)).rejects.toThrow(/outside the workspace/);
    expect(existsSync(join(outside, 'nur', 'pkgs', 'hello'))).toBe(false);
  });
});

describe('confineTarget', () => {
  it('takes the folder itself and anything below it, nothing beside it', () => {
    const scope = { folders: [workspace], trusted: true };
    expect(confineTarget(workspace, scope, 'directory')).toBe(workspace);
    expect(confineTarget(join(workspace, 'a', 'b'), scope, 'directory')).toBe(join(workspace, 'a', 'b'));
    expect(() => confineTarget(`${workspace}-sibling`, scope, 'directory')).toThrow(WriteScopeError);
    expect(() => confineTarget(join(outside, 'x'), { folders: [], trusted: true }, 'directory')).toThrow(/none is open/);
  });
});
