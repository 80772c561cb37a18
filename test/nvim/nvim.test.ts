// Neovim (headless) as a real client: it starts the built server, receives diagnostics for a
// broken file and the outline of a module, and applies a code action.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, serverPath } from '../support/lspClient';

const hasNeovim = spawnSync('nvim', ['--version']).status === 0;
if (process.env.CI && !hasNeovim) throw new Error('CI expects Neovim (apt-get install neovim)');

describe.runIf(hasNeovim)('Neovim', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nix-nur-nvim-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  interface CodeActionRequest {
    line: number;
    character: number;
    title: string;
  }

  function runNeovim(
    fileName: string,
    text: string,
    settings: object = {},
    extraEnv: NodeJS.ProcessEnv = {},
    codeAction?: CodeActionRequest,
  ): { diagnostics: { message: string; range: unknown }[]; symbols: { name: string }[]; tokens?: string[]; actions?: string[]; text?: string } {
    const file = join(dir, fileName);
    writeFileSync(file, text);
    const run = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${join(repoRoot, 'test', 'nvim', 'lsp-client.lua')}`, file], {
      cwd: dir,
      env: { ...process.env, NIX_NUR_SERVER: serverPath, NIX_NUR_SETTINGS: JSON.stringify(settings), ...extraEnv, ...(codeAction ? { NIX_NUR_CODE_ACTION: JSON.stringify(codeAction) } : {}) },
      encoding: 'utf8',
      timeout: 30_000,
      // Neovim waiting on a prompt does not stop for SIGTERM.
      killSignal: 'SIGKILL',
    });
    const line = `${run.stdout}\n${run.stderr}`.split('\n').find((l) => l.startsWith('RESULT '));
    if (run.status !== 0 || !line) throw new Error(`nvim exited ${run.status}: ${run.stdout}\n${run.stderr}`);
    return JSON.parse(line.slice('RESULT '.length));
  }

  it('receives readable syntax diagnostics', () => {
    const result = runNeovim('broken.nix', '{ a = 1;\n  b = 2\n}\n');
    expect(result.diagnostics.map((d) => d.message)).toEqual(["Missing ';' at the end of this binding"]);
  });

  it('is not stopped by a warning from the server', () => {
    // A bad setting makes the server warn at start. A warning sent as a request would open a
    // prompt that waits for the user, and nothing after it would run.
    const result = runNeovim('warned.nix', '{ a = 1;\n  b = 2\n}\n', { maxFileSize: -1 });
    expect(result.diagnostics.map((d) => d.message)).toEqual(["Missing ';' at the end of this binding"]);
  });

  it('applies a refactoring code action to the buffer', () => {
    const result = runNeovim('package.nix', '{ pkgs }:\nwith pkgs; [ hello ripgrep ]\n', {}, {}, { line: 1, character: 13, title: "Write names from 'pkgs' in full" });
    expect(result.actions).toContain("Write names from 'pkgs' in full");
    expect(result.text).toBe('{ pkgs }:\n[ pkgs.hello pkgs.ripgrep ]');
  });

  it('receives the outline of a NixOS module', () => {
    const result = runNeovim('configuration.nix', '{ pkgs, ... }: {\n  services.openssh.enable = true;\n  users.users.alice = { isNormalUser = true; packages = [ pkgs.git ]; };\n}\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.symbols.map((s) => s.name)).toEqual(['services.openssh.enable', 'users.users.alice']);
  });

  it('reads semantic tokens with the legend the server announces', () => {
    const result = runNeovim('tokens.nix', '{ pkgs, ... }:\nlet unused = 1; in\nwith pkgs; [ hello (map toString [ 1 ]) ]\n', {}, { NIX_NUR_SEMANTIC_TOKENS: '1' });
    expect(result.tokens).toEqual([
      'pkgs parameter declaration',
      'let keyword',
      'unused variable declaration unused',
      'in keyword',
      'with keyword',
      'pkgs parameter',
      'hello property defaultLibrary',
      'map function defaultLibrary',
      'toString function defaultLibrary',
    ]);
  });
});
