import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addModule } from '../../../server/src/nur/addModule';
import { nixParser } from '../../support/parse';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nur-add-module-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, text: string) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

async function add(name: string) {
  return addModule({ root, name }, { parser: await nixParser() });
}

describe('addModule', () => {
  it('writes nixos-modules/<name>.nix and lists it in nixos-modules/default.nix', async () => {
    const defaultNix = '{ pkgs }:\n{\n  modules = import ./nixos-modules;\n  nixosModules = import ./nixos-modules;\n}\n';
    const list = '# modules\n{\n  alpha = import ./alpha.nix;\n  gamma = import ./gamma.nix;\n}\n';
    write('default.nix', defaultNix);
    write('nixos-modules/default.nix', list);

    const result = await add('beta');
    expect(result.created).toEqual([join(root, 'nixos-modules', 'beta.nix')]);
    expect(readFileSync(join(root, 'nixos-modules', 'default.nix'), 'utf8')).toBe('# modules\n{\n  alpha = import ./alpha.nix;\n  beta = import ./beta.nix;\n  gamma = import ./gamma.nix;\n}\n');
    expect(readFileSync(join(root, 'default.nix'), 'utf8')).toBe(defaultNix);
    const module = readFileSync(join(root, 'nixos-modules', 'beta.nix'), 'utf8');
    expect(module).toContain('options.services.beta = {');
    expect(module).toContain('enable = lib.mkEnableOption');
  });

  it('follows plain path entries and installs the package of the same name', async () => {
    write('default.nix', '{ pkgs }:\n{\n  nixosModules = import ./modules;\n}\n');
    write('modules/default.nix', '{\n  a = ./a.nix;\n}\n');
    write('pkgs/tool/default.nix', '{ stdenv }: stdenv.mkDerivation { name = "tool"; }\n');
    await add('tool');
    expect(readFileSync(join(root, 'modules', 'default.nix'), 'utf8')).toBe('{\n  a = ./a.nix;\n  tool = ./tool.nix;\n}\n');
    const module = readFileSync(join(root, 'modules', 'tool.nix'), 'utf8');
    expect(module).toContain('options.programs.tool = {');
    expect(module).toContain('default = pkgs.callPackage ../pkgs/tool { };');
  });

  it('adds to an inline modules set in default.nix', async () => {
    write('default.nix', '{ pkgs }:\n{\n  modules = {\n    a = import ./nixos-modules/a.nix;\n  };\n}\n');
    await add('b');
    expect(readFileSync(join(root, 'default.nix'), 'utf8')).toBe('{ pkgs }:\n{\n  modules = {\n    a = import ./nixos-modules/a.nix;\n    b = import ./nixos-modules/b.nix;\n  };\n}\n');
    expect(readFileSync(join(root, 'nixos-modules', 'b.nix'), 'utf8')).toContain('services.b');
  });

  it('refuses existing modules and repositories without a module collection', async () => {
    write('default.nix', '{ pkgs }:\n{\n  modules = import ./nixos-modules;\n}\n');
    write('nixos-modules/default.nix', '{\n  a = import ./a.nix;\n}\n');
    write('nixos-modules/b.nix', '{ }\n');
    await expect(add('a')).rejects.toThrow(/already lists a module 'a'/);
    await expect(add('b')).rejects.toThrow(/nixos-modules\/b.nix already exists/);
    await expect(add('let')).rejects.toThrow(/keyword/);
    write('default.nix', '{ pkgs }:\n{\n  hello = pkgs.hello;\n}\n');
    await expect(add('c')).rejects.toThrow(/no 'modules' or 'nixosModules' attribute/);
  });
});
