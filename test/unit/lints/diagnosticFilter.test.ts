import { describe, expect, it } from 'vitest';
import { filterDiagnostics, globPattern, isExcluded } from '../../../server/src/features/diagnosticFilter';

const d = (code: string) => ({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: code, code });

describe('diagnostic filter', () => {
  it('drops ignored codes', () => {
    const list = [d('needless-rec'), d('undefined-variable')];
    expect(filterDiagnostics('file:///p/a.nix', list, { ignore: ['needless-rec'], exclude: [], workspaceFolders: [] }).map((x) => x.code)).toEqual(['undefined-variable']);
  });

  it('excludes files by glob, relative to a workspace folder, absolute, or by name', () => {
    const options = { workspaceFolders: ['/p'] };
    expect(isExcluded('file:///p/generated/x/a.nix', { ...options, exclude: ['generated/**'] })).toBe(true);
    expect(isExcluded('file:///p/pkgs/a.nix', { ...options, exclude: ['**/generated/**'] })).toBe(false);
    expect(isExcluded('file:///p/pkgs/a.nix', { ...options, exclude: ['pkgs/*.nix'] })).toBe(true);
    expect(isExcluded('file:///p/pkgs/sub/a.nix', { ...options, exclude: ['pkgs/*.nix'] })).toBe(false);
    expect(isExcluded('file:///p/pkgs/hardware.nix', { ...options, exclude: ['hardware*.nix'] })).toBe(true);
    expect(isExcluded('file:///elsewhere/a.nix', { ...options, exclude: ['/elsewhere/*.nix'] })).toBe(true);
    expect(filterDiagnostics('file:///p/a.nix', [d('x')], { ignore: [], exclude: ['{a,b}.nix'], workspaceFolders: ['/p'] })).toEqual([]);
  });

  it('reads globs', () => {
    expect(globPattern('**/*.nix').test('a/b/c.nix')).toBe(true);
    expect(globPattern('**/*.nix').test('c.nix')).toBe(true);
    expect(globPattern('a?.nix').test('ab.nix')).toBe(true);
    expect(globPattern('a.nix').test('abnix')).toBe(false);
  });
});
