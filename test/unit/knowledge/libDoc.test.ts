// Hover markdown for lib members, from hand-written lookups.
import { describe, expect, it } from 'vitest';
import { libDocumentation, libMarkdown, libSignature } from '../../../server/src/features/libDoc';
import type { LibInfo } from '../../../server/src/knowledge/libIndex';

const REV = '0123456789abcdef0123456789abcdef01234567';

const concatStrings: LibInfo = {
  path: ['concatStrings'],
  kind: 'function',
  inheritedFrom: 'self.strings',
  aliasOf: ['strings', 'concatStrings'],
  revision: REV,
  position: { file: 'lib/strings.nix', line: 34, absolutePath: '/nix/store/x-source/lib/strings.nix' },
  doc: ['Concatenates strings.', '', '# Inputs', '', '`list`', ': The strings', '', '# Examples', ':::{.example}', '## Usage', '', '```nix', '# not a heading', 'concatStrings [ "a" ]', '```', '', ':::'].join('\n'),
  docStyle: 'markdown',
  type: 'concatStrings :: [string] -> string',
  args: ['list'],
};

describe('lib hover markdown', () => {
  it('shows the signature, what it re-exports, the doc with headings made bold, and the source on GitHub', () => {
    const markdown = libMarkdown(concatStrings);
    expect(markdown).toBe(
      [
        '**lib.concatStrings** *function*',
        '',
        '```nix',
        'concatStrings :: [string] -> string',
        '```',
        '',
        'Re-exports `lib.strings.concatStrings`.',
        '',
        'Concatenates strings.',
        '',
        '**Inputs**',
        '',
        '`list`',
        ': The strings',
        '',
        '**Examples**',
        '> **Example**',
        '> **Usage**',
        '>',
        '> ```nix',
        '> # not a heading',
        '> concatStrings [ "a" ]',
        '> ```',
        '',
        `[Source](https://github.com/NixOS/nixpkgs/blob/${REV}/lib/strings.nix#L34) · \`lib/strings.nix:34\``,
      ].join('\n'),
    );
    expect(libDocumentation(concatStrings)).toEqual({ kind: 'markdown', value: markdown });
  });

  it('keeps completion documentation brief: signature and first paragraph, no link', () => {
    expect(libMarkdown(concatStrings, { brief: true })).toBe(
      ['**lib.concatStrings** *function*', '', '```nix', 'concatStrings :: [string] -> string', '```', '', 'Re-exports `lib.strings.concatStrings`.', '', 'Concatenates strings.'].join('\n'),
    );
  });

  it('builds a signature from argument names or formals when the doc has no type', () => {
    expect(libSignature({ path: ['lists', 'count'], kind: 'function', args: ['pred', 'list'] })).toBe('lib.lists.count pred list');
    expect(libSignature({ path: ['mkOption'], kind: 'function', formals: [{ name: 'default', optional: true }, { name: 'name', optional: false }] })).toBe('lib.mkOption { default ? …, name }');
    expect(libSignature({ path: ["foldl'"], kind: 'function' })).toBeUndefined();
    expect(libSignature({ path: ['version'], kind: 'value' })).toBeUndefined();
  });

  it('shows plain older docs as preformatted text, warns about members that throw, counts set members', () => {
    const old = libMarkdown({ path: ['strings', 'toUpper'], kind: 'function', doc: 'Upper case.\n\nExample: toUpper "a" => "A"', docStyle: 'plain' });
    expect(old).toContain('```text\nUpper case.\n\nExample: toUpper "a" => "A"\n```');
    expect(libMarkdown({ path: ['oldFunction'], kind: 'value', throws: true })).toContain('⚠️ Evaluating it fails');
    expect(libMarkdown({ path: ['strings'], kind: 'set', memberCount: 1 })).toBe('**lib.strings** *attribute set*\n\n1 member.');
    expect(libMarkdown({ path: ['lists', 'head'], kind: 'function', inheritedFrom: 'builtins' })).toContain('Inherited from `builtins`.');
  });

  it('links to the given revision when the index has none, and shows only the path for files outside nixpkgs', () => {
    const position = { file: 'lib/lists.nix', line: 3, absolutePath: '/home/me/nixpkgs/lib/lists.nix' };
    expect(libMarkdown({ path: ['lists'], kind: 'set', position }, { revision: 'nixos-unstable' })).toContain('https://github.com/NixOS/nixpkgs/blob/nixos-unstable/lib/lists.nix#L3');
    const outside = { file: '/elsewhere/thing.nix', line: 3, absolutePath: '/elsewhere/thing.nix' };
    expect(libMarkdown({ path: ['thing'], kind: 'value', position: outside })).toMatch(/`\/elsewhere\/thing\.nix`$/);
  });
});
