import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import oniguruma from 'vscode-oniguruma';
import type { IGrammar } from 'vscode-textmate';
import {
  collectGrammarRegexes,
  grammarPath,
  innermostScope,
  languageConfigurationPath,
  loadNixGrammar,
  loadOniguruma,
  repositoryRoot,
  tokenize,
  tokenWithText,
} from './support/textmate';

let grammar: IGrammar;

beforeAll(async () => {
  grammar = await loadNixGrammar();
});

/** Scopes of the chosen token without the `source.nix` root every token shares. */
function scopesOf(source: string, text: string, occurrence = 0): string[] {
  return tokenWithText(tokenize(grammar, source), text, occurrence).scopes.slice(1);
}

function scopeOf(source: string, text: string, occurrence = 0): string {
  return innermostScope(tokenWithText(tokenize(grammar, source), text, occurrence));
}

describe('grammar file', () => {
  const raw = readFileSync(grammarPath, 'utf8');

  it('is JSON naming the scope the extension manifest contributes', () => {
    const parsed = JSON.parse(raw) as { scopeName: string };
    expect(parsed.scopeName).toBe('source.nix');

    const manifest = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
      contributes: { grammars: { scopeName: string; path: string }[] };
    };
    const contribution = manifest.contributes.grammars.find((entry) => entry.scopeName === 'source.nix');
    expect(path.resolve(repositoryRoot, contribution?.path ?? '')).toBe(grammarPath);
  });

  it('has only regular expressions that oniguruma compiles', async () => {
    await loadOniguruma();
    const regexes = collectGrammarRegexes(JSON.parse(raw));
    expect(regexes.length).toBeGreaterThan(50);
    const failures = regexes.flatMap(({ location, source }) => {
      try {
        new oniguruma.OnigScanner([source]).dispose();
        return [];
      } catch (error) {
        return [`${location}: ${(error as Error).message}`];
      }
    });
    expect(failures).toEqual([]);
  });

  it('includes only repository entries that exist', () => {
    const parsed = JSON.parse(raw) as { repository: Record<string, unknown> };
    const includes = [...raw.matchAll(/"include": "#([^"]+)"/g)].map((match) => match[1]);
    expect(includes.length).toBeGreaterThan(10);
    expect(includes.filter((name) => !(name in parsed.repository))).toEqual([]);
  });
});

describe('keywords and constants', () => {
  it('scopes let and in around bindings', () => {
    const source = 'let\n  a = 1;\nin a';
    expect(scopeOf(source, 'let')).toBe('keyword.control.let.nix');
    expect(scopeOf(source, 'in')).toBe('keyword.control.in.nix');
    expect(scopeOf(source, 'a')).toBe('entity.other.attribute-name.nix');
    expect(scopeOf(source, 'a', 1)).toBe('variable.other.nix');
  });

  it('scopes with, assert, rec and the conditional keywords', () => {
    const source = 'assert x; with pkgs; rec { y = if a then b else c; }';
    expect(scopeOf(source, 'assert')).toBe('keyword.control.assert.nix');
    expect(scopeOf(source, 'with')).toBe('keyword.control.with.nix');
    expect(scopeOf(source, ';')).toBe('punctuation.terminator.nix');
    expect(scopeOf(source, 'rec')).toBe('keyword.control.rec.nix');
    expect(scopeOf(source, 'if')).toBe('keyword.control.conditional.nix');
    expect(scopeOf(source, 'then')).toBe('keyword.control.conditional.nix');
    expect(scopeOf(source, 'else')).toBe('keyword.control.conditional.nix');
  });

  it('keeps a "with" binding value together up to its own semicolon', () => {
    const source = '{ packages = with pkgs; [ hello ]; other = 1; }';
    expect(scopeOf(source, 'hello')).toBe('variable.other.nix');
    expect(scopeOf(source, 'other')).toBe('entity.other.attribute-name.nix');
  });

  it('scopes "or" as the select default in a.b.c or d', () => {
    const source = 'a.b.c or d';
    expect(scopeOf(source, 'a')).toBe('variable.other.nix');
    expect(scopeOf(source, 'b')).toBe('variable.other.member.nix');
    expect(scopeOf(source, 'c')).toBe('variable.other.member.nix');
    expect(scopeOf(source, '.', 1)).toBe('punctuation.accessor.nix');
    expect(scopeOf(source, 'or')).toBe('keyword.operator.or.nix');
    expect(scopeOf(source, 'd')).toBe('variable.other.nix');
  });

  it('scopes true, false and null as language constants', () => {
    const source = '[ true false null ]';
    expect(scopeOf(source, 'true')).toBe('constant.language.boolean.nix');
    expect(scopeOf(source, 'false')).toBe('constant.language.boolean.nix');
    expect(scopeOf(source, 'null')).toBe('constant.language.null.nix');
  });

  it('does not find keywords inside identifiers, which may contain "-" and "\'"', () => {
    const source = "[ letter in-place x-y' nullable ]";
    expect(scopeOf(source, 'letter')).toBe('variable.other.nix');
    expect(scopeOf(source, 'in-place')).toBe('variable.other.nix');
    expect(scopeOf(source, "x-y'")).toBe('variable.other.nix');
    expect(scopeOf(source, 'nullable')).toBe('variable.other.nix');
  });

  it('reads a-b as one identifier but a - b as a subtraction, like the Nix lexer', () => {
    expect(scopeOf('[ a-b ]', 'a-b')).toBe('variable.other.nix');
    expect(scopeOf('[ (a - b) ]', '-')).toBe('keyword.operator.arithmetic.nix');
  });
});

describe('double-quoted strings', () => {
  it('scopes the quotes, the text and escapes', () => {
    const source = String.raw`"say \"hi\" \n \\"`;
    expect(scopesOf(source, '"')).toEqual(['string.quoted.double.nix', 'punctuation.definition.string.begin.nix']);
    expect(scopesOf(source, 'say ')).toEqual(['string.quoted.double.nix']);
    expect(scopeOf(source, String.raw`\"`)).toBe('constant.character.escape.nix');
    expect(scopeOf(source, String.raw`\n`)).toBe('constant.character.escape.nix');
    expect(scopeOf(source, String.raw`\\`)).toBe('constant.character.escape.nix');
    expect(scopesOf(source, '"', 1)).toEqual(['string.quoted.double.nix', 'punctuation.definition.string.end.nix']);
  });

  it('embeds a Nix expression in ${…}', () => {
    const source = '"v${lib.version}"';
    expect(scopesOf(source, '${')).toEqual([
      'string.quoted.double.nix',
      'meta.embedded.interpolation.nix',
      'punctuation.section.embedded.begin.nix',
    ]);
    expect(scopesOf(source, 'version')).toEqual([
      'string.quoted.double.nix',
      'meta.embedded.interpolation.nix',
      'variable.other.member.nix',
    ]);
    expect(scopeOf(source, '}')).toBe('punctuation.section.embedded.end.nix');
  });

  it('nests strings inside interpolations inside strings', () => {
    const source = '"a ${ "b ${c} d" } e"';
    expect(scopesOf(source, 'b ')).toEqual([
      'string.quoted.double.nix',
      'meta.embedded.interpolation.nix',
      'string.quoted.double.nix',
    ]);
    expect(scopesOf(source, 'c')).toEqual([
      'string.quoted.double.nix',
      'meta.embedded.interpolation.nix',
      'string.quoted.double.nix',
      'meta.embedded.interpolation.nix',
      'variable.other.nix',
    ]);
    expect(scopesOf(source, ' d')).toEqual([
      'string.quoted.double.nix',
      'meta.embedded.interpolation.nix',
      'string.quoted.double.nix',
    ]);
    expect(scopesOf(source, ' e')).toEqual(['string.quoted.double.nix']);
  });

  it('balances braces of an attribute set inside an interpolation', () => {
    const source = '"${ { a = 1; }.a } tail"';
    expect(scopeOf(source, '{', 0)).toBe('punctuation.section.braces.begin.nix');
    expect(scopeOf(source, '}', 0)).toBe('punctuation.section.braces.end.nix');
    expect(scopeOf(source, '}', 1)).toBe('punctuation.section.embedded.end.nix');
    expect(scopesOf(source, 'a', 1)).toEqual([
      'string.quoted.double.nix',
      'meta.embedded.interpolation.nix',
      'variable.other.member.nix',
    ]);
    expect(scopesOf(source, ' tail')).toEqual(['string.quoted.double.nix']);
  });

  it('does not start a comment at "#" inside a string', () => {
    const source = 'x = "# not a comment"; # a comment';
    expect(scopesOf(source, '# not a comment')).toEqual(['string.quoted.double.nix']);
    expect(scopeOf(source, '#', 0)).toBe('punctuation.definition.comment.nix');
  });

  it('treats "$${" and an escaped "\\${" as literal text, like Nix does', () => {
    expect(scopesOf('"$${x}"', '$${x}')).toEqual(['string.quoted.double.nix']);
    expect(scopeOf(String.raw`"\${x}"`, String.raw`\$`)).toBe('constant.character.escape.nix');
    expect(scopesOf(String.raw`"\${x}"`, '{x}')).toEqual(['string.quoted.double.nix']);
  });

  it('continues across lines', () => {
    const source = '"first\nsecond" + x';
    expect(scopesOf(source, 'second')).toEqual(['string.quoted.double.nix']);
    expect(scopeOf(source, 'x')).toBe('variable.other.nix');
  });
});

describe('indented strings', () => {
  it('scopes a multi-line indented string with its interpolation', () => {
    const source = "script = ''\n  echo ${pkgs.hello}/bin\n'';";
    expect(scopesOf(source, "''")).toEqual(['string.quoted.other.nix', 'punctuation.definition.string.begin.nix']);
    expect(scopesOf(source, '  echo ')).toEqual(['string.quoted.other.nix']);
    expect(scopesOf(source, 'pkgs')).toEqual([
      'string.quoted.other.nix',
      'meta.embedded.interpolation.nix',
      'variable.other.nix',
    ]);
    expect(scopesOf(source, '/bin')).toEqual(['string.quoted.other.nix']);
    expect(scopesOf(source, "''", 1)).toEqual(['string.quoted.other.nix', 'punctuation.definition.string.end.nix']);
  });

  it("keeps ''${ a string escape rather than an interpolation", () => {
    const source = "''a ''${b} c''";
    expect(scopesOf(source, "''$")).toEqual(['string.quoted.other.nix', 'constant.character.escape.nix']);
    expect(scopesOf(source, '{b} c')).toEqual(['string.quoted.other.nix']);
  });

  it("scopes ''' as an escape that does not close the string", () => {
    const source = "''a'''b'' + c";
    expect(scopeOf(source, "'''")).toBe('constant.character.escape.nix');
    expect(scopesOf(source, 'b')).toEqual(['string.quoted.other.nix']);
    expect(scopeOf(source, 'c')).toBe('variable.other.nix');
  });

  it("ends the string at '' even when ''' comes right before it", () => {
    const source = "''a''''' + c";
    expect(scopeOf(source, "'''")).toBe('constant.character.escape.nix');
    expect(scopeOf(source, "''", 1)).toBe('punctuation.definition.string.end.nix');
    expect(scopeOf(source, 'c')).toBe('variable.other.nix');
  });

  it.each([String.raw`''\n`, String.raw`''\t`, String.raw`''\\`, String.raw`''\r`])('scopes %s as an escape', (escape) => {
    expect(scopesOf(`''a ${escape} b''`, escape)).toEqual(['string.quoted.other.nix', 'constant.character.escape.nix']);
  });

  it('ends right before a semicolon', () => {
    const source = "{ a = ''x''; b = 1; }";
    expect(scopeOf(source, "''", 1)).toBe('punctuation.definition.string.end.nix');
    expect(scopesOf(source, ';')).toEqual(['punctuation.terminator.nix']);
    expect(scopeOf(source, 'b')).toBe('entity.other.attribute-name.nix');
  });

  it('treats "$$" as literal dollars so "$${" is not an interpolation', () => {
    expect(scopesOf("''$${x}''", '$${x}')).toEqual(['string.quoted.other.nix']);
  });

  it('does not start a comment at "#" inside an indented string', () => {
    expect(scopesOf("''\n  # shell comment\n''", '  # shell comment')).toEqual(['string.quoted.other.nix']);
  });
});

describe('paths', () => {
  it.each(['./a', '../a/b.nix', '/abs/path', '~/x', './.', 'foo/bar.nix'])('scopes %s as a path', (literal) => {
    expect(scopesOf(`[ ${literal} ]`, literal)).toEqual(['string.unquoted.path.nix']);
  });

  it.each(['nixpkgs', 'nixpkgs/lib'])('scopes <%s> as a lookup path', (name) => {
    const source = `import <${name}>`;
    expect(scopesOf(source, name)).toEqual(['string.unquoted.path.lookup.nix']);
    expect(scopesOf(source, '<')).toEqual(['string.unquoted.path.lookup.nix', 'punctuation.definition.path.begin.nix']);
    expect(scopesOf(source, '>')).toEqual(['string.unquoted.path.lookup.nix', 'punctuation.definition.path.end.nix']);
  });

  it('scopes a path with an interpolation', () => {
    const source = 'import ./${name}.nix';
    expect(scopesOf(source, './')).toEqual(['string.unquoted.path.nix']);
    expect(scopesOf(source, 'name')).toEqual([
      'string.unquoted.path.nix',
      'meta.embedded.interpolation.nix',
      'variable.other.nix',
    ]);
    expect(scopesOf(source, '.nix')).toEqual(['string.unquoted.path.nix']);
  });

  it('scopes a home path with an interpolation', () => {
    expect(scopesOf('~/${dir}/x', '/x')).toEqual(['string.unquoted.path.nix']);
  });

  it('reads a / b as division but a/b and 1/2 as paths, like the Nix lexer', () => {
    expect(scopeOf('(a / b)', '/')).toBe('keyword.operator.arithmetic.nix');
    expect(scopeOf('(a / b)', 'b')).toBe('variable.other.nix');
    expect(scopeOf('(a/b)', 'a/b')).toBe('string.unquoted.path.nix');
    expect(scopeOf('(1/2)', '1/2')).toBe('string.unquoted.path.nix');
  });

  it('reads // as the update operator, not a path', () => {
    expect(scopeOf('a // b', '//')).toBe('keyword.operator.update.nix');
    expect(scopeOf('a//b', '//')).toBe('keyword.operator.update.nix');
  });
});

describe('URIs', () => {
  it.each(['https://example.org/a?b=c', 'github:NixOS/nixpkgs', 'git+ssh://git@host/repo.git'])('scopes %s as a URI', (uri) => {
    expect(scopesOf(`{ url = ${uri}; }`, uri)).toEqual(['string.unquoted.uri.nix', 'markup.underline.link.nix']);
  });

  it('reads x:x as a URI, as Nix does, because a URI character follows the colon', () => {
    expect(scopesOf('x:x', 'x:x')).toEqual(['string.unquoted.uri.nix', 'markup.underline.link.nix']);
  });

  it('reads x: x as a lambda because of the space after the colon', () => {
    expect(scopeOf('x: x', 'x')).toBe('variable.parameter.function.nix');
    expect(scopeOf('x: x', ':')).toBe('punctuation.separator.lambda.nix');
    expect(scopeOf('x: x', 'x', 1)).toBe('variable.other.nix');
  });

  it('reads x_y:z as a lambda because "_" cannot appear in a URI scheme', () => {
    expect(scopeOf('x_y:z', 'x_y')).toBe('variable.parameter.function.nix');
    expect(scopeOf('x_y:z', 'z')).toBe('variable.other.nix');
  });

  it('stops a URI at "#", which starts a comment', () => {
    const source = 'https://example.org/a#b';
    expect(scopeOf(source, 'https://example.org/a')).toBe('markup.underline.link.nix');
    expect(scopeOf(source, '#')).toBe('punctuation.definition.comment.nix');
  });
});

describe('numbers', () => {
  it.each([
    ['42', 'constant.numeric.integer.nix'],
    ['1.5', 'constant.numeric.float.nix'],
    ['.5e3', 'constant.numeric.float.nix'],
    ['0.5e-2', 'constant.numeric.float.nix'],
    ['1.', 'constant.numeric.float.nix'],
  ])('scopes %s as %s', (literal, scope) => {
    expect(scopeOf(`[ ${literal} ]`, literal)).toBe(scope);
  });
});

describe('operators', () => {
  it.each([
    ['==', 'keyword.operator.comparison.nix'],
    ['!=', 'keyword.operator.comparison.nix'],
    ['<=', 'keyword.operator.relational.nix'],
    ['>=', 'keyword.operator.relational.nix'],
    ['<', 'keyword.operator.relational.nix'],
    ['>', 'keyword.operator.relational.nix'],
    ['&&', 'keyword.operator.logical.nix'],
    ['||', 'keyword.operator.logical.nix'],
    ['->', 'keyword.operator.logical.nix'],
    ['//', 'keyword.operator.update.nix'],
    ['++', 'keyword.operator.concatenation.nix'],
    ['+', 'keyword.operator.arithmetic.nix'],
    ['-', 'keyword.operator.arithmetic.nix'],
    ['*', 'keyword.operator.arithmetic.nix'],
    ['/', 'keyword.operator.arithmetic.nix'],
    ['?', 'keyword.operator.has-attribute.nix'],
    ['|>', 'keyword.operator.pipe.nix'],
  ])('scopes a %s b', (operator, scope) => {
    expect(scopeOf(`(a ${operator} b)`, operator)).toBe(scope);
  });

  it('scopes prefix "!" and "-"', () => {
    expect(scopeOf('!a', '!')).toBe('keyword.operator.logical.nix');
    expect(scopeOf('-a', '-')).toBe('keyword.operator.arithmetic.nix');
  });

  it('scopes "." as attribute selection, also before a quoted or interpolated name', () => {
    const source = 'a."b c".${d}';
    expect(scopeOf(source, '.', 0)).toBe('punctuation.accessor.nix');
    expect(scopeOf(source, '.', 1)).toBe('punctuation.accessor.nix');
    expect(scopeOf(source, 'b c')).toBe('string.quoted.double.nix');
    expect(scopeOf(source, 'd')).toBe('variable.other.nix');
  });

  it('scopes "=" in a binding and "@" in a pattern', () => {
    expect(scopeOf('{ a = 1; }', '=')).toBe('keyword.operator.assignment.nix');
    expect(scopeOf('args@{ a }: a', '@')).toBe('keyword.operator.at.nix');
  });
});

describe('comments', () => {
  it('scopes a line comment', () => {
    const source = 'a # note';
    expect(scopesOf(source, '#')).toEqual(['comment.line.number-sign.nix', 'punctuation.definition.comment.nix']);
    expect(scopesOf(source, ' note')).toEqual(['comment.line.number-sign.nix']);
  });

  it('scopes a block comment over several lines and resumes code after it', () => {
    const source = 'a /* one\n two */ b';
    expect(scopesOf(source, '/*')).toEqual(['comment.block.nix', 'punctuation.definition.comment.begin.nix']);
    expect(scopesOf(source, ' two ')).toEqual(['comment.block.nix']);
    expect(scopesOf(source, '*/')).toEqual(['comment.block.nix', 'punctuation.definition.comment.end.nix']);
    expect(scopeOf(source, 'b')).toBe('variable.other.nix');
  });

  it('scopes a /** documentation comment */', () => {
    expect(scopesOf('/** Adds one. */\nx: x + 1', ' Adds one. ')).toEqual(['comment.block.documentation.nix']);
  });

  it('keeps "/*" inside a string out of comments', () => {
    expect(scopesOf('"/* no */"', '/* no */')).toEqual(['string.quoted.double.nix']);
  });
});

describe('builtins', () => {
  it.each([
    'abort', 'baseNameOf', 'break', 'derivation', 'dirOf', 'fetchGit', 'fetchMercurial', 'fetchTarball',
    'fetchTree', 'fromTOML', 'import', 'isNull', 'map', 'placeholder', 'removeAttrs', 'scopedImport',
    'throw', 'toString',
  ])('scopes the global %s', (name) => {
    expect(scopeOf(`(${name} x)`, name)).toBe('support.function.builtin.nix');
  });

  it('scopes builtins and its members', () => {
    const source = 'builtins.attrNames x';
    expect(scopeOf(source, 'builtins')).toBe('support.function.builtin.nix');
    expect(scopeOf(source, '.')).toBe('punctuation.accessor.nix');
    expect(scopeOf(source, 'attrNames')).toBe('support.function.builtin.nix');
  });

  it('leaves a builtin name alone when it is an attribute of something else or a binding', () => {
    expect(scopeOf('lib.map f xs', 'map')).toBe('variable.other.member.nix');
    expect(scopeOf('{ map = 1; }', 'map')).toBe('entity.other.attribute-name.nix');
    expect(scopeOf('mapAttrs f xs', 'mapAttrs')).toBe('variable.other.nix');
  });
});

describe('bindings', () => {
  it('scopes every part of a dotted, quoted attribute path', () => {
    const source = '{ a."b.c".d = 1; }';
    expect(scopeOf(source, 'a')).toBe('entity.other.attribute-name.nix');
    expect(scopesOf(source, 'b.c')).toEqual(['string.quoted.double.nix', 'entity.other.attribute-name.nix']);
    expect(scopeOf(source, 'd')).toBe('entity.other.attribute-name.nix');
    expect(scopeOf(source, '.', 0)).toBe('punctuation.accessor.nix');
    expect(scopeOf(source, ';')).toBe('punctuation.terminator.nix');
  });

  it('scopes a binding whose value spans several lines and the binding after it', () => {
    const source = '{\n  a =\n    x\n    y;\n  b = 2;\n}';
    expect(scopeOf(source, 'a')).toBe('entity.other.attribute-name.nix');
    expect(scopeOf(source, 'x')).toBe('variable.other.nix');
    expect(scopeOf(source, 'y')).toBe('variable.other.nix');
    expect(scopeOf(source, 'b')).toBe('entity.other.attribute-name.nix');
  });

  it('scopes an identifier with "-" and "\'" as one attribute name', () => {
    expect(scopeOf("{ x-y' = 1; }", "x-y'")).toBe('entity.other.attribute-name.nix');
  });

  it('does not take a comparison for a binding', () => {
    expect(scopeOf('[ (a == b) ]', 'a')).toBe('variable.other.nix');
  });

  it('scopes the names of inherit (x) a b;', () => {
    const source = '{ inherit (x) a b; c = 1; }';
    expect(scopeOf(source, 'inherit')).toBe('keyword.control.inherit.nix');
    expect(scopeOf(source, 'x')).toBe('variable.other.nix');
    expect(scopeOf(source, 'a')).toBe('entity.other.attribute-name.nix');
    expect(scopeOf(source, 'b')).toBe('entity.other.attribute-name.nix');
    expect(scopeOf(source, ';')).toBe('punctuation.terminator.nix');
    expect(scopeOf(source, 'c')).toBe('entity.other.attribute-name.nix');
  });

  it('scopes bindings at the top level of a file, as in documentation snippets', () => {
    expect(scopeOf('services.openssh.enable = true;', 'openssh')).toBe('entity.other.attribute-name.nix');
  });
});

describe('functions', () => {
  it('scopes formals, defaults, the ellipsis and the @-pattern', () => {
    const source = '{ a, b ? 1, ... }@args: a';
    expect(scopeOf(source, 'a')).toBe('variable.parameter.function.nix');
    expect(scopeOf(source, ',')).toBe('punctuation.separator.parameter.nix');
    expect(scopeOf(source, 'b')).toBe('variable.parameter.function.nix');
    expect(scopeOf(source, '?')).toBe('keyword.operator.default.nix');
    expect(scopeOf(source, '1')).toBe('constant.numeric.integer.nix');
    expect(scopeOf(source, '...')).toBe('keyword.operator.ellipsis.nix');
    expect(scopeOf(source, 'args')).toBe('variable.parameter.function.nix');
    expect(scopeOf(source, ':')).toBe('punctuation.separator.lambda.nix');
    expect(scopeOf(source, 'a', 1)).toBe('variable.other.nix');
  });

  it('scopes formals written one per line with leading commas', () => {
    const source = '{ lib\n, stdenv ? null\n, fetchurl\n}:\nstdenv';
    expect(scopeOf(source, 'lib')).toBe('variable.parameter.function.nix');
    expect(scopeOf(source, 'stdenv')).toBe('variable.parameter.function.nix');
    expect(scopeOf(source, 'null')).toBe('constant.language.null.nix');
    expect(scopeOf(source, 'fetchurl')).toBe('variable.parameter.function.nix');
    expect(scopeOf(source, 'stdenv', 1)).toBe('variable.other.nix');
  });

  it('scopes a default value that is itself an attribute set', () => {
    const source = '{ opts ? { a = 1; }, b }: b';
    expect(scopeOf(source, 'a')).toBe('entity.other.attribute-name.nix');
    expect(scopeOf(source, 'b')).toBe('variable.parameter.function.nix');
  });

  it('scopes an @-pattern written before the formals', () => {
    const source = 'args @ { pkgs, ... }: pkgs';
    expect(scopeOf(source, 'args')).toBe('variable.parameter.function.nix');
    expect(scopeOf(source, 'pkgs')).toBe('variable.parameter.function.nix');
  });

  it('scopes curried simple lambdas', () => {
    const source = 'a: b: a + b';
    expect(scopeOf(source, 'a')).toBe('variable.parameter.function.nix');
    expect(scopeOf(source, 'b')).toBe('variable.parameter.function.nix');
    expect(scopeOf(source, 'a', 1)).toBe('variable.other.nix');
  });
});

describe('language configuration', () => {
  interface AutoClosingPair {
    open: string;
    close: string;
    notIn?: string[];
  }
  interface LanguageConfiguration {
    comments: { lineComment: string; blockComment: [string, string] };
    brackets: [string, string][];
    autoClosingPairs: AutoClosingPair[];
    surroundingPairs: [string, string][];
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    onEnterRules?: { beforeText: string; afterText?: string }[];
    folding: { markers: { start: string; end: string } };
  }

  // JSON.parse is stricter than the editor's loader, so this also proves the file carries no comments.
  const configuration = JSON.parse(readFileSync(languageConfigurationPath, 'utf8')) as LanguageConfiguration;
  const pair = (open: string) => configuration.autoClosingPairs.find((candidate) => candidate.open === open);

  it('declares the Nix comment tokens and brackets', () => {
    expect(configuration.comments).toEqual({ lineComment: '#', blockComment: ['/*', '*/'] });
    expect(configuration.brackets).toEqual([['{', '}'], ['[', ']'], ['(', ')']]);
  });

  it("auto-closes '' indented strings, quotes, brackets and block comments", () => {
    expect(pair("''")).toEqual({ open: "''", close: "''", notIn: ['string', 'comment'] });
    expect(pair('"')?.notIn).toContain('string');
    expect(pair('{')?.close).toBe('}');
    expect(pair('[')?.close).toBe(']');
    expect(pair('(')?.close).toBe(')');
    expect(pair('/*')?.close.trim()).toBe('*/');
    expect(configuration.surroundingPairs).toContainEqual(['"', '"']);
  });

  // The editor has compiled these patterns both with and without the unicode flag over time.
  const patterns = (): [string, string][] => [
    ['wordPattern', configuration.wordPattern],
    ['increaseIndentPattern', configuration.indentationRules.increaseIndentPattern],
    ['decreaseIndentPattern', configuration.indentationRules.decreaseIndentPattern],
    ['folding start', configuration.folding.markers.start],
    ['folding end', configuration.folding.markers.end],
    ...(configuration.onEnterRules ?? []).flatMap((rule): [string, string][] => [
      ['onEnter before', rule.beforeText],
      ...(rule.afterText ? ([['onEnter after', rule.afterText]] as [string, string][]) : []),
    ]),
  ];
  it.each(['', 'u'])('has patterns that compile as JavaScript regular expressions with flags "%s"', (flags) => {
    for (const [, pattern] of patterns()) expect(() => new RegExp(pattern, flags)).not.toThrow();
  });

  it("treats identifiers with '-' and \"'\" as single words", () => {
    const word = new RegExp(configuration.wordPattern, 'g');
    expect("f x-y' foo_bar.baz".match(word)).toEqual(['f', "x-y'", 'foo_bar', 'baz']);
  });

  it.each([
    ['x = {', true],
    ['  buildInputs = [', true],
    ['  (', true],
    ['let', true],
    ['  x = let', true],
    ["  script = ''", true],
    ['in {', true],
    ['{ a = 1; }', false],
    ['  let a = 1;', false],
    ["  x = ''a'';", false],
    ["  '';", false],
    ['  x = "{";', false],
    ['# {', false],
  ])('increases the indent after %j: %s', (line, expected) => {
    expect(new RegExp(configuration.indentationRules.increaseIndentPattern).test(line)).toBe(expected);
  });

  it.each([
    ['}', true],
    ['  ];', true],
    [')', true],
    ['in', true],
    ['in pkgs.hello', true],
    ["  '';", true],
    ['  inherit pkgs;', false],
    ['  inputs = 1;', false],
  ])('decreases the indent on %j: %s', (line, expected) => {
    expect(new RegExp(configuration.indentationRules.decreaseIndentPattern).test(line)).toBe(expected);
  });

  it('folds # region … # endregion', () => {
    expect(new RegExp(configuration.folding.markers.start).test('  # region services')).toBe(true);
    expect(new RegExp(configuration.folding.markers.end).test('  # endregion')).toBe(true);
    expect(new RegExp(configuration.folding.markers.start).test('  # regional settings')).toBe(false);
  });
});
