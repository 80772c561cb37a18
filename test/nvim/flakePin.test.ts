// Pin and unpin from Neovim 0.7 with its default settings. Neovim answers workspace/applyEdit at
// once but sends the change ~150 ms later, and has no nixNur/saveDocument: the server once wrote
// its own, not yet changed copy of flake.nix to disk and failed ("the edit reached the editor but
// flake.nix on disk did not change (is it saved?); nothing was locked"), or — with debouncing off
// — left the buffer in conflict with the file it wrote behind it. Now the buffer is edited, the
// lock is made from the edited text, and the user's :w saves without a conflict.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitEnvironment } from '../support/gitEnvironment';
import { repoRoot, serverPath } from '../support/lspClient';
import { nixInstallations, requireNixInCi } from '../support/nixInstallations';

const hasNeovim = spawnSync('nvim', ['--version']).status === 0;
if (process.env.CI && !hasNeovim) throw new Error('CI expects Neovim (apt-get install neovim)');
requireNixInCi();

describe.runIf(hasNeovim).each(nixInstallations().map((i) => [i.version, i] as const))('Neovim pins and unpins a flake input with Nix %s', (_version, installation) => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('with default settings, the edit being the first change since attach', () => {
    // Under the temporary directory, which the Nix 2.26 chroot shares.
    root = mkdtempSync(join(tmpdir(), 'nix-nur-nvim-pin-'));
    const { env: gitEnv, git, commitFlake } = gitEnvironment(installation, root);
    const home = String(gitEnv.HOME);
    // Neovim's own files too, so no user configuration or state takes part.
    const env = { ...gitEnv, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), XDG_STATE_HOME: join(home, '.local', 'state') };
    const dep = join(root, 'dep');
    const first = commitFlake(dep, '{ outputs = _: { value = 1; }; }\n', 'first');
    const second = commitFlake(dep, '{ outputs = _: { value = 2; }; }\n', 'second');

    const app = join(root, 'app');
    mkdirSync(app);
    const flakePath = join(app, 'flake.nix');
    writeFileSync(flakePath, `{\n  inputs.dep.url = "git+file://${dep}";\n  outputs = { self, dep }: { };\n}\n`);
    git(app, 'init', '-q');
    git(app, 'add', '-A');

    const run = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${join(repoRoot, 'test', 'nvim', 'flake-pin.lua')}`, flakePath], {
      cwd: app,
      env: { ...env, NIX_NUR_SERVER: serverPath, NIX_NUR_PIN_REV: first },
      encoding: 'utf8',
      timeout: 120_000,
      // Neovim waiting on a prompt does not stop for SIGTERM.
      killSignal: 'SIGKILL',
    });
    const line = `${run.stdout}\n${run.stderr}`.split('\n').find((l) => l.startsWith('RESULT '));
    if (run.status !== 0 || !line) throw new Error(`nvim exited ${run.status} ${run.signal ?? ''}: ${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(line.slice('RESULT '.length));
    const lock = () => JSON.parse(readFileSync(join(app, 'flake.lock'), 'utf8'));

    expect(result.pinned).toMatchObject({ ok: true, lockedRev: first });
    expect(result.afterPin).toContain(`rev=${first}`);
    // Edited in the buffer, not behind it.
    expect(result.modifiedAfterPin).toBe(true);
    expect(result.unpinned).toMatchObject({ ok: true, lockedRev: second });
    expect(result.afterUnpin).not.toContain('rev=');
    // Both saves went through without a conflict; the file is the buffer, the lock is unpinned.
    expect(result.modifiedAtEnd).toBe(false);
    expect(readFileSync(flakePath, 'utf8').trimEnd()).toBe(result.afterUnpin.trimEnd());
    expect(lock().nodes.dep.locked.rev).toBe(second);
  }, 180_000);
});
