// The built-in formatter, one rule a line: input → what the official style (nixfmt) prints.
import { describe, expect, it } from 'vitest';
import { formatChecked, formatTree } from '../../../server/src/format/formatter';
import { formatRange } from '../../../server/src/format/rangeFormat';
import { sameCode } from '../../../server/src/format/tokenCheck';
import { nixParser } from '../../support/parse';

/** The formatter reads the grammar's own tree of the text as written (its commas included). */
async function parseNix(text: string) {
  const tree = (await nixParser()).parse(text);
  if (!tree) throw new Error('parse failed');
  return tree;
}

async function format(text: string): Promise<string> {
  const result = formatTree(text, await parseNix(text));
  if (!result.ok) throw new Error(result.message);
  return result.text;
}

const RULES: [rule: string, input: string, output: string][] = [
  ['a set of one binding fits on a line', '{a=1;}', '{ a = 1; }\n'],
  ['a set of two bindings always expands', '{a=1;b=2;}', '{\n  a = 1;\n  b = 2;\n}\n'],
  ['a set written over lines stays expanded', '{\na=1;}', '{\n  a = 1;\n}\n'],
  ['an empty set', '{}', '{ }\n'],
  ['an empty list', '[]', '[ ]\n'],
  ['a list of two items expands', '[1 2]', '[\n  1\n  2\n]\n'],
  ['a set after = expands', '{x={a=1;};}', '{\n  x = {\n    a = 1;\n  };\n}\n'],
  ['a set of one inherit after = stays compact', '{x={inherit a;};}', '{ x = { inherit a; }; }\n'],
  ['let and in on lines of their own, the body below in', 'let a=1; in a', 'let\n  a = 1;\nin\na\n'],
  ['a short if stays on its line', 'if a then b else c', 'if a then b else c\n'],
  [
    'a long if breaks after then and else',
    `if ${'a'.repeat(40)} then ${'b'.repeat(40)} else ${'c'.repeat(30)}`,
    `if ${'a'.repeat(40)} then\n  ${'b'.repeat(40)}\nelse\n  ${'c'.repeat(30)}\n`,
  ],
  ['two plain formals fit on a line', '{a,b}: a', '{ a, b }: a\n'],
  ['a formal with a default expands, with a trailing comma', '{a?1}: a', '{\n  a ? 1,\n}:\na\n'],
  ['a trailing comma after a default is accepted', '{\n  a ? 1,\n}:\na', '{\n  a ? 1,\n}:\na\n'],
  ['three formals expand', '{a, b, c}: a', '{\n  a,\n  b,\n  c,\n}:\na\n'],
  ['a call with a small set stays on a line', 'f {a=1;}', 'f { a = 1; }\n'],
  ['the last argument opens up on the call line', 'mkDerivation {a=1;b=2;}', 'mkDerivation {\n  a = 1;\n  b = 2;\n}\n'],
  ['with puts its body below', 'with pkgs; [a b]', 'with pkgs;\n[\n  a\n  b\n]\n'],
  ['assert puts its body below', 'assert a; b', 'assert a;\nb\n'],
  ['comments keep their places', '# c\n{a=1; # t\n}', '# c\n{\n  a = 1; # t\n}\n'],
  ['empty lines between bindings shrink to one', '{\n a=1;\n\n\n b=2;}', '{\n  a = 1;\n\n  b = 2;\n}\n'],
  ['indented strings are re-indented where they now stand', "{x=''\n      foo\n        bar\n    '';}", "{\n  x = ''\n    foo\n      bar\n  '';\n}\n"],
  ['string text is kept as written', '"a  ${b}  c"', '"a  ${b}  c"\n'],
  ['a one-line block comment becomes a line comment', '/* x */ a', '# x\na\n'],
  ['curried functions stay on one line', 'x: y: {a=1;}', 'x: y: { a = 1; }\n'],
  ['or defaults', 'a.b  or  c', 'a.b or c\n'],
  ['a concatenation after = opens the list and puts the operator below', '{ x = [a b] ++ c; }', '{\n  x = [\n    a\n    b\n  ]\n  ++ c;\n}\n'],
  ['short lists of simple items stay compact as arguments', 'f [ "a" "b" ] [ "c" ]', 'f [ "a" "b" ] [ "c" ]\n'],
  ['member checks get spaces', 'a?b', 'a ? b\n'],
  ['inherit from a source', '{ inherit (pkgs)  a b; }', '{ inherit (pkgs) a b; }\n'],
  [
    'after a quoted attribute path a long value moves to the next line',
    `{ x."a/b".source = "\${pkg}/${'s'.repeat(80)}"; }`,
    `{
  x."a/b".source =
    "\${pkg}/${'s'.repeat(80)}";
}
`,
  ],
  [
    'an interpolation alone on an indented line of a string opens on that line',
    "''\n  a\n    ${f (x != null) ''\n      b\n    ''}\n''",
    "''\n  a\n    ${f (x != null) ''\n      b\n    ''}\n''\n",
  ],
  ['a language annotation stays before its string', "{ s = /* lua */ ''\n  print(1)\n''; }", "{\n  s = /* lua */ ''\n    print(1)\n  '';\n}\n"],
  ['a parameter commented out stays among the parameters', '{\n  a,\n  # b,\n}:\na', '{\n  a,\n  # b,\n}:\na\n'],
  ['a short list of numbers stays compact as an argument', '{ x = f [ 10 3.5 ] { a = 1; b = 2; }; }', '{\n  x = f [ 10 3.5 ] {\n    a = 1;\n    b = 2;\n  };\n}\n'],
  ['a multi-line doc comment keeps its lines', '{\n  /**\n    Doc.\n  */\n  a = 1;\n}', '{\n  /**\n    Doc.\n  */\n  a = 1;\n}\n'],
];

describe('formatting rules', () => {
  it.each(RULES)('%s', async (_rule, input, output) => {
    expect(await format(input)).toBe(output);
    // Formatting what it printed changes nothing.
    expect(await format(output)).toBe(output);
  });
});

describe('safety', () => {
  it('adds the comma the official style writes after the last of several argument lines, and keeps the result', async () => {
    // A package written before the official style: the check of tokens must let the comma through.
    const input = '{ lib, stdenv, fetchFromGitHub }:\n\nstdenv.mkDerivation { pname = "good"; version = "1.0.0"; src = ./.; }\n';
    const result = formatChecked(input, await nixParser());
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.text).toMatch(/^\{\n  lib,\n  stdenv,\n  fetchFromGitHub,\n\}:\n/);
    expect(formatChecked(result.ok ? result.text : '', await nixParser())).toEqual(result);
  });

  it('refuses code with a syntax error and says where', async () => {
    const result = formatTree('{\n  a = ;\n}\n', await parseNix('{\n  a = ;\n}\n'));
    expect(result).toMatchObject({ ok: false, reason: 'syntax', line: 1 });
    expect(result.ok ? '' : result.message).toMatch(/^Not formatted: syntax error at line 2, column \d+: /);
  });

  it('accepts a trailing comma after the last formal, as Nix does, but not a formal missing its default', async () => {
    expect(await format('{ a, }: a')).toBe('{ a }: a\n');
    expect(formatTree('{ a ? }: a', await parseNix('{ a ? }: a'))).toMatchObject({ ok: false, reason: 'syntax' });
  });

  it('never loses or reorders a comment', async () => {
    const input = '{ # after brace\n  a = /* inline */ 1; # trailing\n  # before b\n  b = [ # after bracket\n 1 # one\n 2 ]; /* end */ }\n';
    const output = await format(input);
    const comments = ['after brace', 'inline', 'trailing', 'before b', 'after bracket', 'one', 'end'];
    const places = comments.map((comment) => output.indexOf(`# ${comment}`));
    expect(places.every((place) => place >= 0)).toBe(true);
    expect([...places].sort((a, b) => a - b)).toEqual(places);
    expect(await format(output)).toBe(output);
  });

  it('notices a changed token or a lost comment', async () => {
    const before = '{ a = 1; # note\n}';
    expect(sameCode(before, await parseNix(before), '{ a = 1; }', await parseNix('{ a = 1; }'))).toBe("'#note' became '}'");
    expect(sameCode(before, await parseNix(before), '{ a = 2; # note\n}', await parseNix('{ a = 2; # note\n}'))).toBe("'1' became '2'");
    expect(sameCode(before, await parseNix(before), '{\n  a = 1; /* note */ }', await parseNix('{\n  a = 1; /* note */ }'))).toBeUndefined();
  });
});

describe('range formatting', () => {
  it('formats the bindings a selection touches, re-indented in place', async () => {
    const text = '{\n  keep   =   1;\n  inner = {\n    x = {a=1;};\n    y   = 2;\n  };\n}\n';
    const start = text.indexOf('x = ');
    const result = formatRange(text, await parseNix(text), await nixParser(), start, start + 3);
    expect(result).toEqual({ ok: true, start, end: text.indexOf(';\n    y') + 1, text: 'x = {\n      a = 1;\n    };' });
  });

  it('formats a whole-line selection of two bindings together', async () => {
    const text = '{\n  a   = 1;\n  b   = 2;\n  c   = 3;\n}\n';
    const result = formatRange(text, await parseNix(text), await nixParser(), text.indexOf('  a'), text.indexOf('  c'));
    expect(result.ok && result.text).toBe('a = 1;\n  b = 2;');
  });

  it('formats the smallest expression around a selection inside a binding', async () => {
    const text = '{\n  a = f   {x=1;y=2;};\n}\n';
    const start = text.indexOf('f   {');
    const result = formatRange(text, await parseNix(text), await nixParser(), start, text.indexOf('};') + 1);
    expect(result.ok && result.text).toBe('f {\n    x = 1;\n    y = 2;\n  }');
  });
});
