// `nix-nur-language-server --format [--check] PATH…` as CI or treefmt runs it: the built server,
// real files in a temporary directory, exit codes and messages.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverPath } from '../support/lspClient';

const run = (args: string[], input?: string) => spawnSync(process.execPath, [serverPath, '--format', ...args], { encoding: 'utf8', input });

describe('--format on the command line', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nix-nur-format-cli-'));
    mkdirSync(join(dir, 'pkgs'));
    writeFileSync(join(dir, 'done.nix'), '{\n  a = 1;\n  b = 2;\n}\n');
    writeFileSync(join(dir, 'pkgs', 'messy.nix'), '{a=1;b=2;}\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--check exits 1 and names the unformatted files, changing nothing', () => {
    const result = run(['--check', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${join(dir, 'pkgs', 'messy.nix')}: not formatted\n`);
    expect(readFileSync(join(dir, 'pkgs', 'messy.nix'), 'utf8')).toBe('{a=1;b=2;}\n');
  });

  it('formats the .nix files of a directory in place, then --check passes', () => {
    expect(run([dir]).status).toBe(0);
    expect(readFileSync(join(dir, 'pkgs', 'messy.nix'), 'utf8')).toBe('{\n  a = 1;\n  b = 2;\n}\n');
    expect(run(['--check', dir]).status).toBe(0);
  });

  it('refuses a file with a syntax error, leaves it alone and exits 1', () => {
    writeFileSync(join(dir, 'broken.nix'), '{ a = ; }\n');
    const result = run([join(dir, 'broken.nix')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/broken\.nix: Not formatted: syntax error at line 1, column \d+/);
    expect(readFileSync(join(dir, 'broken.nix'), 'utf8')).toBe('{ a = ; }\n');
  });

  it('formats standard input to standard output', () => {
    const result = run([], '[1 2]');
    expect(result).toMatchObject({ status: 0, stdout: '[\n  1\n  2\n]\n' });
  });

  it('exits 2 on an unknown option', () => {
    expect(run(['--width=80']).status).toBe(2);
  });
});
