// The demo `npm start` opens, made as it makes it and used with real Nix offline: it lies outside
// any git repository, its flake locks the local stand-in nixpkgs, its packages and its NixOS
// configuration build, the NUR repository builds through NIX_PATH and passes NUR's check, and
// updating the input moves the lock to the stand-in's newer revision.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoWorkspace } from '../../scripts/demoWorkspace.mjs';
import { runProcess } from '../../server/src/nix/process';
import { checkRepository } from '../../server/src/nur/check';
import { nixInstallations, requireNixInCi } from '../support/nixInstallations';

requireNixInCi();

const repoRoot = join(__dirname, '..', '..');
const installations = nixInstallations();
const SLOW = 120_000;

describe.skipIf(installations.length === 0).each(installations.map((nix) => [nix.version, nix] as const))('the demo workspace with Nix %s', (_version, nix) => {
  const home = mkdtempSync(join(tmpdir(), 'nix-nur-demo-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const env = { ...nix.env, HOME: home, XDG_CACHE_HOME: join(home, 'cache') };
  const demo = ensureDemoWorkspace({ repoRoot, demoHome: join(home, 'demo'), env });
  const nixEnv = { ...env, ...demo.env };
  const run = (program: string, ...args: string[]) =>
    execFileSync(join(nix.binDir, program), args, { cwd: demo.workspace, env: nixEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const lockedRev = () => JSON.parse(readFileSync(join(demo.workspace, 'flake.lock'), 'utf8')).nodes.nixpkgs.locked.rev as string;
  const standInRevs = () => execFileSync('git', ['-C', demo.nixpkgs, 'rev-list', 'HEAD'], { encoding: 'utf8' }).trim().split('\n');

  it('is a workspace of its own, outside any git repository', () => {
    const probe = spawnSync('git', ['-C', demo.workspace, 'rev-parse', '--is-inside-work-tree'], { encoding: 'utf8' });
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toMatch(/not a git repository/);
  });

  it('locks the stand-in first revision, and the stand-in has a newer one', () => {
    const [newest, first] = standInRevs();
    expect(lockedRev()).toBe(first);
    expect(newest).not.toBe(first);
    expect(existsSync(join(demo.workspace, 'offline-nixpkgs'))).toBe(false);
  });

  it('builds the NUR package and the NixOS configuration offline', () => {
    const extra = ['--extra-experimental-features', 'nix-command flakes', '--offline'];
    const out = join(home, 'result');
    run('nix', ...extra, 'build', '.#hello-nur', '-o', out);
    expect(readFileSync(join(out, 'bin', 'hello-nur'), 'utf8')).toContain('Hello');
    run('nix', ...extra, 'build', '.#nixosConfigurations.workstation.config.system.build.toplevel', '-o', `${out}-system`);
    expect(readFileSync(join(`${out}-system`, 'hostname'), 'utf8').trim()).toBe('workstation');
    expect(run('nix-build', 'nur-packages', '-A', 'hello-nur', '--no-out-link')).toMatch(/-hello-nur-1\.0\.0$/);
  }, SLOW);

  it("passes NUR's check of its NUR repository, against the stand-in NIX_PATH names", async () => {
    const result = await checkRepository({ root: join(demo.workspace, 'nur-packages') }, { run: runProcess, clock: () => new Date(), env: nixEnv });
    expect(result).toMatchObject({ ok: true, packages: [{ attr: 'hello-nur', version: '1.0.0' }] });
  }, SLOW);

  it('updates the nixpkgs input to the stand-in newer revision', () => {
    run('nix', '--extra-experimental-features', 'nix-command flakes', 'flake', 'update');
    expect(lockedRev()).toBe(standInRevs()[0]);
  }, SLOW);
});
