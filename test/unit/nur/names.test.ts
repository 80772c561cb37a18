import { describe, expect, it } from 'vitest';
import { attributeNameProblem, nurNameProblem, parseGitHubSource, pathSafetyProblem } from '../../../server/src/nur/names';

describe('NUR repository names', () => {
  it('accepts lowercase letters, digits, - and _', () => {
    for (const name of ['someone', 'mic92', 'my-repo', 'a_b', '0x4a6f']) expect(nurNameProblem(name)).toBeUndefined();
  });

  it('refuses uppercase, dots, spaces and path tricks with a reason', () => {
    expect(nurNameProblem('Someone')).toMatch(/lowercase.*'someone'/);
    expect(nurNameProblem('my.repo')).toMatch(/lowercase letters, digits/);
    expect(nurNameProblem('')).toMatch(/empty/);
    expect(nurNameProblem('../x')).toMatch(/slash|\.\./);
    expect(nurNameProblem('-rf')).toMatch(/starts with '-'/);
    expect(nurNameProblem('a'.repeat(65))).toMatch(/longer/);
  });
});

describe('package and module names', () => {
  it('accepts Nix identifiers that are safe as directory names', () => {
    for (const name of ['hello', 'hello-nur', 'python_tool', '_private', 'Tool2']) expect(attributeNameProblem(name, 'package')).toBeUndefined();
  });

  it('refuses keywords, reserved NUR attributes and unsafe names', () => {
    expect(attributeNameProblem('let', 'package')).toMatch(/keyword/);
    expect(attributeNameProblem('lib', 'package')).toMatch(/meaning of its own/);
    expect(attributeNameProblem('lib', 'module')).toBeUndefined();
    expect(attributeNameProblem('1password', 'package')).toMatch(/start with a letter/);
    expect(attributeNameProblem("it's", 'package')).toMatch(/only letters/);
    expect(attributeNameProblem('a/b', 'package')).toMatch(/slash/);
    expect(attributeNameProblem('a..b', 'module')).toMatch(/'\.\.'/);
    expect(pathSafetyProblem('-x', 'name')).toMatch(/starts with '-'/);
    expect(pathSafetyProblem('a\u0000b', 'name')).toMatch(/control character/);
  });
});

describe('GitHub sources', () => {
  it('parses owner/repo@rev and owner/repo', () => {
    expect(parseGitHubSource('BurntSushi/ripgrep@14.1.1')).toEqual({ owner: 'BurntSushi', repo: 'ripgrep', rev: '14.1.1' });
    expect(parseGitHubSource(' nix-community/NUR ')).toEqual({ owner: 'nix-community', repo: 'NUR', rev: undefined });
    expect(parseGitHubSource('o/r.git@v1')).toEqual({ owner: 'o', repo: 'r', rev: 'v1' });
  });

  it('refuses what is not a GitHub source', () => {
    expect(() => parseGitHubSource('ripgrep')).toThrow(/owner\/repo@rev/);
    expect(() => parseGitHubSource('a/b/c')).toThrow(/owner\/repo@rev/);
    expect(() => parseGitHubSource('-o/r')).toThrow(/GitHub user/);
    expect(() => parseGitHubSource('o/..')).toThrow(/repository name/);
    expect(() => parseGitHubSource('o/r@../../x')).toThrow(/revision/);
    expect(() => parseGitHubSource('o/r@$(reboot)')).toThrow(/revision/);
  });
});
