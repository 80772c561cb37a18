// Reading documentation out of lib source files: which comment belongs to a definition, cleaning
// it, and the signature and argument names it declares. All on hand-written text.
import { describe, expect, it } from 'vitest';
import { commentBefore, definitionAt, docCommentAt, parseDocComment, SourceText } from '../../../server/src/knowledge/libDocComments';

/** The offset of the first occurrence of `needle` (which must occur). */
function at(text: string, needle: string): number {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in text`);
  return offset;
}

describe('doc comments above a definition', () => {
  const source = [
    '{',
    '  /**',
    '    Joins strings.',
    '',
    '    # Inputs',
    '',
    '    `sep`',
    '    : The separator',
    '',
    '    `list`',
    '    : The strings',
    '',
    '    # Type',
    '',
    '    ```',
    '    join :: string -> [string] -> string',
    '    ```',
    '',
    '    # Examples',
    '',
    '    ```nix',
    '    # a comment inside the example is not a heading',
    '    join "," [ "a" "b" ]',
    '    ```',
    '  */',
    '  join = sep: list: builtins.concatStringsSep sep list;',
    '',
    '  /* Old style: the first line sits next to the opener.',
    '',
    '     Example:',
    '        twice 2',
    '        => 4',
    '',
    '     Type: twice ::',
    '       int -> int',
    '  */',
    '  twice = x: x * 2;',
    '',
    '  # Line comments,',
    '  # two of them.',
    '  thrice = x: x * 3;',
    '',
    '  # ---- A section heading, not documentation ----',
    '',
    '  none = 1;',
    '  after = 2; # a trailing comment belongs to `after`',
    '  next = 3;',
    '  code = 1; /* trailing */',
    '  alsoNone = 4;',
    '  /**',
    '   * Starred lines,',
    '   * as some comments have.',
    '   */',
    '  starred = 5;',
    '  /** On one line, with `code`. */ inline = 6;',
    '  /* a glob like lib/*.nix inside */',
    '  glob = 7;',
    '}',
  ].join('\n');

  it('reads an RFC 145 comment: markdown, its type line and its inputs, the type section left out', () => {
    const doc = docCommentAt(source, at(source, 'join ='))!;
    expect(doc.style).toBe('markdown');
    expect(doc.type).toBe('join :: string -> [string] -> string');
    expect(doc.args).toEqual(['sep', 'list']);
    expect(doc.text).toBe(
      ['Joins strings.', '', '# Inputs', '', '`sep`', ': The separator', '', '`list`', ': The strings', '', '# Examples', '', '```nix', '# a comment inside the example is not a heading', 'join "," [ "a" "b" ]', '```'].join('\n'),
    );
  });

  it('reads an older block comment: plain text, the indentation removed, a multi-line Type: joined', () => {
    const doc = docCommentAt(source, at(source, 'twice ='))!;
    expect(doc.style).toBe('plain');
    expect(doc.type).toBe('twice :: int -> int');
    expect(doc.args).toBeUndefined();
    expect(doc.text).toBe(['Old style: the first line sits next to the opener.', '', 'Example:', '   twice 2', '   => 4'].join('\n'));
  });

  it('reads a run of # lines ending just above', () => {
    expect(docCommentAt(source, at(source, 'thrice ='))).toEqual({ text: 'Line comments,\ntwo of them.', style: 'plain' });
  });

  it('ignores comments separated by a blank line, trailing comments and plain code', () => {
    expect(commentBefore(source, at(source, 'none ='))).toBeUndefined();
    expect(commentBefore(source, at(source, 'next ='))).toBeUndefined();
    expect(commentBefore(source, at(source, 'alsoNone ='))).toBeUndefined();
    expect(commentBefore(source, at(source, 'after ='))).toBeUndefined();
  });

  it('strips a column of stars, reads a comment on the same line, and a comment that contains /*', () => {
    expect(docCommentAt(source, at(source, 'starred ='))?.text).toBe('Starred lines,\nas some comments have.');
    expect(docCommentAt(source, at(source, 'inline ='))).toEqual({ text: 'On one line, with `code`.', style: 'markdown' });
    expect(docCommentAt(source, at(source, 'glob ='))?.text).toBe('a glob like lib/*.nix inside');
  });

  it('tells /** doc comments from /* and /**/ comments', () => {
    expect(commentBefore('/**/\nx = 1;', 5)).toEqual({ form: 'block', text: '' });
    expect(commentBefore('/** d */\nx = 1;', 9)).toEqual({ form: 'doc', text: ' d ' });
    expect(commentBefore('/*/ still a comment */\nx = 1;', 23)).toEqual({ form: 'block', text: '/ still a comment ' });
  });

  it('allows one blank line between a block comment and its definition, not two', () => {
    expect(commentBefore('/** d */\n\nx = 1;', 10)?.text).toBe(' d ');
    expect(commentBefore('/** d */\n\n\nx = 1;', 11)).toBeUndefined();
  });
});

describe('cleaning and truncating', () => {
  it('keeps at most the given number of lines, closing a code block it cuts', () => {
    const text = ['Intro', '', '```nix', 'a', 'b', 'c', '```', 'after'].join('\n');
    const doc = parseDocComment({ form: 'doc', text }, 4)!;
    expect(doc.text).toBe(['Intro', '', '```nix', 'a', '```', '…'].join('\n'));
  });

  it('collapses runs of blank lines and drops an empty comment', () => {
    expect(parseDocComment({ form: 'doc', text: '\n  a\n\n\n\n  b\n' })?.text).toBe('a\n\nb');
    expect(parseDocComment({ form: 'block', text: '   \n  ' })).toBeUndefined();
  });

  it('reads `- [name]` argument lists and a signature written without a code block', () => {
    const text = ['Filters.', '', '# Type', '', 'filter :: (a -> bool) -> [a] -> [a]', '', '# Arguments', '', '- [pred] The test', '- [list] The input'].join('\n');
    const doc = parseDocComment({ form: 'doc', text })!;
    expect(doc.type).toBe('filter :: (a -> bool) -> [a] -> [a]');
    expect(doc.args).toEqual(['pred', 'list']);
    expect(doc.text).toBe(['Filters.', '', '# Arguments', '', '- [pred] The test', '- [list] The input'].join('\n'));
  });

  it('keeps a type section that holds no signature, and skips input names that are not identifiers', () => {
    const text = ['# Type', '', 'Anything goes.', '', '# Inputs', '', '`1. Function argument`', ': First', '', '`f`', ': Second'].join('\n');
    const doc = parseDocComment({ form: 'doc', text })!;
    expect(doc.type).toBeUndefined();
    expect(doc.args).toEqual(['f']);
    expect(doc.text.startsWith('# Type')).toBe(true);
  });
});

describe('what defines an attribute', () => {
  const source = [
    'let',
    '  helper = x: x;',
    '  /** The helper, documented where it is bound. */',
    '  documented = y: y;',
    'in',
    '{',
    '  # Several names at once.',
    '  inherit (self.strings) concatStrings',
    '    toUpper;',
    '  inherit (builtins) head;',
    '  inherit (import ./x.nix { inherit lib; }) fromImport;',
    '  inherit documented;',
    '  a.b = 1;',
    '  "quoted name" = 2;',
    '  plain = 3;',
    '  # a comment with a ; in it',
    '  inherit (lib) other;',
    '}',
  ].join('\n');

  it('recognises bindings, including dotted and quoted ones', () => {
    expect(definitionAt(source, at(source, 'plain'))).toEqual({ kind: 'binding', start: at(source, 'plain') });
    expect(definitionAt(source, at(source, 'a.b'))?.kind).toBe('binding');
    expect(definitionAt(source, at(source, '"quoted name"'))?.kind).toBe('binding');
  });

  it('finds the inherit statement from a name (as current Nix places it) or from before it (as Nix 2.8 does)', () => {
    const start = at(source, 'inherit (self.strings)');
    const expected = { kind: 'inherit', start, from: 'self.strings', names: ['concatStrings', 'toUpper'] };
    expect(definitionAt(source, at(source, 'toUpper'))).toEqual(expected);
    expect(definitionAt(source, at(source, 'concatStrings'))).toEqual(expected);
    // Nix 2.8: the column after the closing parenthesis.
    expect(definitionAt(source, at(source, ') concatStrings') + 1)).toEqual(expected);
    expect(definitionAt(source, at(source, 'head'))).toEqual({ kind: 'inherit', start: at(source, 'inherit (builtins)'), from: 'builtins', names: ['head'] });
  });

  it('copes with nested parentheses and braces, plain inherits and a ; inside a comment', () => {
    expect(definitionAt(source, at(source, 'fromImport'))).toMatchObject({ kind: 'inherit', from: 'import ./x.nix { inherit lib; }', names: ['fromImport'] });
    expect(definitionAt(source, at(source, 'documented;'))).toEqual({ kind: 'inherit', start: at(source, 'inherit documented'), names: ['documented'] });
    expect(definitionAt(source, at(source, 'other'))).toMatchObject({ kind: 'inherit', from: 'lib', names: ['other'] });
  });

  it('converts Nix line and column positions to offsets', () => {
    const text = new SourceText('ab\ncd\n\nef');
    expect(text.offsetOf(2, 2)).toBe(4);
    expect(text.offsetOf(4, 1)).toBe(7);
    expect(text.offsetOf(9, 9)).toBe(9);
    expect(text.lineOf(4)).toBe(2);
    expect(text.lineOf(7)).toBe(4);
  });
});
