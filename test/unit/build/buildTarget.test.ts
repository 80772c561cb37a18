import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFlakeDirectory, resolveBuildTarget } from '../../../server/src/features/build/buildTarget';

let root: string;
let uri: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nix-nur-target-'));
  uri = pathToFileURL(root).href;
  writeFileSync(join(root, 'flake.nix'), '{ outputs = _: { }; }');
  writeFileSync(join(root, 'default.nix'), '{ }');
  mkdirSync(join(root, 'sub'));
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'sub', 'flake.nix'), '{ outputs = _: { }; }');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveBuildTarget', () => {
  it('accepts flake installables and finds the local flake', () => {
    expect(resolveBuildTarget({ cwd: uri, installable: '.#hello' })).toEqual({
      ok: true,
      target: { kind: 'flake', cwd: root, installable: '.#hello', flakeDir: root, label: '.#hello' },
    });
    expect(resolveBuildTarget({ cwd: uri, installable: './sub#packages.x86_64-linux.x' })).toMatchObject({ ok: true, target: { flakeDir: join(root, 'sub') } });
    expect(resolveBuildTarget({ cwd: uri, installable: 'nixpkgs#hello' })).toMatchObject({ ok: true, target: { flakeDir: undefined } });
  });

  it('accepts nix-build targets inside the directory', () => {
    expect(resolveBuildTarget({ cwd: uri, file: 'default.nix', attr: 'hello' })).toEqual({
      ok: true,
      target: { kind: 'legacy', cwd: root, file: join(root, 'default.nix'), attr: 'hello', label: 'default.nix -A hello' },
    });
    expect(resolveBuildTarget({ cwd: uri, file: join(root, 'default.nix') })).toMatchObject({ ok: true, target: { attr: undefined, label: 'default.nix' } });
  });

  it.each([
    [{ cwd: 'file:///does/not/exist', installable: '.#x' }, /does not exist/],
    [{ installable: '.#x' }, /No directory/],
    [{ cwd: 'https://example.org/', installable: '.#x' }, /not an absolute file URI|not a file URI/],
    [{ cwd: '', installable: '.#x' }, /No directory/],
    [null, /needs/],
    ['text', /needs/],
  ])('rejects a bad directory or shape: %j', (params, message) => {
    const result = resolveBuildTarget(params);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('rejects arguments that would be read as options or split', () => {
    const bad = (params: object) => {
      const result = resolveBuildTarget({ cwd: uri, ...params });
      return result.ok ? 'accepted' : result.message;
    };
    expect(bad({ installable: '--impure' })).toMatch(/must not start with '-'/);
    expect(bad({ installable: '' })).toMatch(/empty/);
    expect(bad({ installable: '.#a b' })).toMatch(/spaces or control characters/);
    expect(bad({ file: '-A', attr: 'x' })).toMatch(/must not start with '-'/);
    expect(bad({ file: 'default.nix', attr: '--arg' })).toMatch(/must not start with '-'/);
    expect(bad({ file: 'default.nix', attr: 'a\nb' })).toMatch(/control characters/);
    expect(bad({ file: '../outside.nix', attr: 'x' })).toMatch(/outside the directory/);
    expect(bad({})).toMatch(/needs an installable/);
  });

  it('reports a missing flake.nix or file as an error', () => {
    expect(resolveBuildTarget({ cwd: pathToFileURL(join(root, 'empty')).href, installable: '.#x' })).toEqual({ ok: false, message: `There is no flake.nix in ${join(root, 'empty')}.` });
    expect(resolveBuildTarget({ cwd: uri, file: 'missing.nix', attr: 'x' })).toEqual({ ok: false, message: `The file ${join(root, 'missing.nix')} does not exist.` });
    expect(resolveBuildTarget({ cwd: uri, file: 'empty', attr: 'x' })).toEqual({ ok: false, message: `There is no default.nix in ${join(root, 'empty')}.` });
  });
});

describe('localFlakeDirectory', () => {
  it('resolves local references and leaves others to Nix', () => {
    expect(localFlakeDirectory('.', '/w')).toBe('/w');
    expect(localFlakeDirectory('./a', '/w')).toBe('/w/a');
    expect(localFlakeDirectory('path:./a', '/w')).toBe('/w/a');
    expect(localFlakeDirectory('path:/x/y?dir=z', '/w')).toBe('/x/y');
    expect(localFlakeDirectory('git+file:///x/y', '/w')).toBe('/x/y');
    expect(localFlakeDirectory('nixpkgs', '/w')).toBeUndefined();
    expect(localFlakeDirectory('github:NixOS/nixpkgs', '/w')).toBeUndefined();
  });
});
