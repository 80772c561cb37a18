import { describe, expect, it } from 'vitest';
import { isOffered, refactor, offered } from './assistHarness';

describe('inherit conversions', () => {
  it('turns bindings into inherits and back', async () => {
    expect(await refactor('{ a = |a; }', /inherit a/)).toBe('{ inherit a; }');
    expect(await refactor('{ a = |x.a; }', /inherit \(x\) a/)).toBe('{ inherit (x) a; }');
    expect(await refactor('let b = x.y.|b; in b', /inherit/)).toBe('let inherit (x.y) b; in b');
    expect(await refactor('{ "a-b" = (f 1)."a-b"|; }', /inherit/)).toBe('{ inherit (f 1) "a-b"; }');
    expect(await refactor('{ inherit |a b; }', /bindings/)).toBe('{ a = a; b = b; }');
    expect(await refactor('let inherit (|lib) mkIf; in mkIf', /mkIf = lib.mkIf/)).toBe('let mkIf = lib.mkIf; in mkIf');
    expect(await refactor('{ inherit (f |x) a; }', /a = \(f x\)\.a/)).toBe('{ a = (f x).a; }');
  });

  it('keeps meaning: no plain inherit where a = a reads itself', async () => {
    expect(await isOffered('let a = |a; in a', /inherit/)).toBe(false);
    expect(await isOffered('rec { a = |a; }', /inherit/)).toBe(false);
    expect(await isOffered('let inherit |a; in a', /a = a/)).toBe(false);
    expect(await isOffered('{ a = x.a or |1; }', /inherit/)).toBe(false);
    expect(await isOffered('{ a.b = |b; }', /inherit/)).toBe(false);
  });
});

describe('attribute set nesting', () => {
  it('flattens a set into dotted bindings', async () => {
    expect(await refactor('{ |a = { b = 1; c.d = 2; }; }', /Flatten/)).toBe('{ a.b = 1; a.c.d = 2; }');
    expect(await refactor('{\n  |a = {\n    # one\n    b = 1;\n    c = [\n      2\n    ];\n  };\n}', /Flatten/)).toBe('{\n  # one\n  a.b = 1;\n  a.c = [\n    2\n  ];\n}');
  });

  it('packs dotted bindings into one set', async () => {
    expect(await refactor('{ a.|b = 1; x = 0; a.c.d = 2; }', /Pack/)).toBe('{ a = { b = 1; c.d = 2; }; x = 0; }');
    expect(await refactor('{\n  a.|b = 1;\n  a.c = 2;\n}', /Pack/)).toBe('{\n  a = { b = 1; c = 2; };\n}');
  });

  it('is not offered where meaning could change', async () => {
    expect(await isOffered('{ |a = { inherit b; }; }', /Flatten/)).toBe(false);
    expect(await isOffered('{ |a = rec { b = 1; }; }', /Flatten/)).toBe(false);
    expect(await isOffered('{ |a = { }; }', /Flatten/)).toBe(false);
    expect(await isOffered('{ a.|b = 1; a = { c = 2; }; }', /Pack/)).toBe(false);
  });
});

describe('attribute name quoting', () => {
  it('quotes and unquotes', async () => {
    expect(await refactor('{ |a = 1; }', /Quote/)).toBe('{ "a" = 1; }');
    expect(await refactor('{ "|a" = 1; }', /Unquote/)).toBe('{ a = 1; }');
    expect(await refactor('x."|b-c"', /Unquote/)).toBe('x.b-c');
    expect(await refactor('{ inherit (x) |a; }', /Quote/)).toBe('{ inherit (x) "a"; }');
  });

  it('keeps names that need quotes quoted', async () => {
    expect(await isOffered('{ "|a.b" = 1; }', /Unquote/)).toBe(false);
    expect(await isOffered('{ "|if" = 1; }', /Unquote/)).toBe(false);
    expect(await isOffered('{ "|${x}" = 1; }', /Unquote/)).toBe(false);
  });
});

describe('string kinds', () => {
  it('writes a string as an indented string', async () => {
    expect(await refactor('"a|\\nb ${x}\\t\\"q\\" \\${y}"', /indented/)).toBe("''a\nb ${x}''\\t\"q\" ''${y}''");
    expect(await refactor(`"it|'s ''quoted'' '"`, /indented/)).toBe(`''it's '''quoted''' ''\\'''`);
    expect(await refactor('"|"', /indented/)).toBe("''''");
  });

  it('is not offered when indentation stripping would change the value', async () => {
    expect(await isOffered('"  |a"', /indented/)).toBe(false);
    expect(await isOffered('"|a\\n  "', /indented/)).toBe(false);
    expect(await isOffered('{ "|a" = 1; }', /indented/)).toBe(false);
  });

  it('writes an indented string as a string', async () => {
    expect(await refactor("''\n  a|\n    b ${x}\n  ''$c '''\n''", /double-quoted/)).toBe('"a\\n  b ${x}\\n$c \'\'\\n"');
    expect(await refactor("''  |x $y''", /double-quoted/)).toBe('"x $y"');
    expect(await refactor("''a$|${x}''", /double-quoted/)).toBe('"a$\\${x}"');
  });
});

describe('URL literals', () => {
  it('writes a URL as a string', async () => {
    expect(await refactor('{ src = https://exa|mple.org/a.tar.gz; }', /URL/)).toBe('{ src = "https://example.org/a.tar.gz"; }');
  });
});

describe('removing what says nothing', () => {
  it('removes an empty let and inherit', async () => {
    expect(await refactor('|let in 1', /empty 'let/)).toBe('1');
    expect(await refactor('{\n  |inherit;\n  a = 1;\n}', /empty 'inherit/)).toBe('{\n  a = 1;\n}');
  });

  it('removes an unused with and a needless rec', async () => {
    expect(await refactor('|with lib; { a = 1; }', /unused 'with/)).toBe('{ a = 1; }');
    expect(await refactor('|rec { a = 1; }', /rec/)).toBe('{ a = 1; }');
    expect(await isOffered('|rec { a = 1; b = a; }', /rec/)).toBe(false);
    expect(await isOffered('|with lib; { a = mkIf; }', /unused 'with/)).toBe(false);
  });
});

describe('with expansion', () => {
  it('writes names from a with in full', async () => {
    expect(await refactor('{ pkgs }: with pkgs; [ |hello ripgrep ]', /in full/)).toBe('{ pkgs }: [ pkgs.hello pkgs.ripgrep ]');
    expect(await refactor('{ lib }: { meta = with lib|; { license = licenses.mit; }; }', /in full/)).toBe('{ lib }: { meta = { license = lib.licenses.mit; }; }');
  });

  it('takes names from a with', async () => {
    expect(await refactor('{ pkgs }: { p = [ pkgs.|hello pkgs.python3Packages.x ]; }', /Take the names/)).toBe('{ pkgs }: { p = with pkgs; [ hello python3Packages.x ]; }');
    expect(await refactor('{ pkgs }: f [ |pkgs.hello ]', /Take the names/)).toBe('{ pkgs }: f (with pkgs; [ hello ])');
  });

  it('is not offered where a name would mean something else', async () => {
    expect(await isOffered('{ pkgs, hello }: [ pkgs.|hello ]', /Take the names/)).toBe(false);
    expect(await isOffered('{ pkgs }: [ pkgs.|map ]', /Take the names/)).toBe(false);
    expect(await isOffered('{ a, b }: [ a.|x b.y ]', /Take the names/)).toBe(false);
    expect(await isOffered('{ a, b }: with a; with b; [ |x ]', /in full/)).toBe(false);
    expect(await isOffered('{ pkgs }: with pkgs; [ (let pkgs = 1; in |hello) ]', /in full/)).toBe(false);
  });
});

describe('extract to let', () => {
  it('adds a binding to the nearest let', async () => {
    expect(await refactor('let a = 1; in «a * 2» + 3', /Extract to a let/)).toBe('let a = 1; value = a * 2; in value + 3');
  });

  it('wraps the nearest whole value', async () => {
    expect(await refactor('{ x }: { a = f («x.y z»); }', /Extract to a let/)).toBe('{ x }: { a = let value = x.y z; in f (value); }');
    expect(await refactor('{ pkgs }: with pkgs; [ «hello.out» ]', /Extract to a let/)).toBe('{ pkgs }: with pkgs; let value = hello.out; in [ value ]');
    expect(await refactor('{ x }: «x.y» + 1', /Extract to a let/)).toBe('{ x }: let value = x.y; in value + 1');
  });

  it('needs a whole expression', async () => {
    expect(await isOffered('{ a = f «x.y» z; }', /Extract to a let/)).toBe(true);
    expect(await isOffered('{ a = «f x.y» z; }', /Extract to a let/)).toBe(true);
    expect(await isOffered('{ a = f «x.y z»; }', /Extract to a let/)).toBe(false);
    expect(await isOffered('{ a = «f x».y; }', /Extract to a let/)).toBe(false);
    expect(await isOffered('{ a = «f x»; }', /Extract to a let/)).toBe(false);
  });
});

describe('inline a let binding', () => {
  it('replaces every use and removes the binding', async () => {
    expect(await refactor('let |a = 1 + 2; b = 3; in a * b + a', /Inline/)).toBe('let b = 3; in (1 + 2) * b + (1 + 2)');
    expect(await refactor('let a = x; in f |a', /Inline/)).toBe('f x');
  });

  it('is not offered when a name in the value would mean something else', async () => {
    expect(await isOffered('{ x }: let |a = x; in y: (x: a) 1', /Inline/)).toBe(false);
    expect(await isOffered('let |a = [ a ]; in a', /Inline/)).toBe(false);
    expect(await isOffered('let |a = 1; in { inherit a; }', /Inline/)).toBe(false);
  });
});

describe('extract an attribute set to a file', () => {
  it('writes the set to a new file and imports it', async () => {
    const [result] = (await offered('{ lib, cfg }: { |settings = {\n    a = lib.mkIf cfg.enable 1;\n    b = ./x;\n  }; }')).filter((r) => r.newFile);
    expect(result!.newFile).toEqual({ name: 'settings.nix', text: '{ cfg, lib }:\n\n{\n  a = lib.mkIf cfg.enable 1;\n  b = ./x;\n}\n' });
    expect(result!.edits[0]!.newText).toBe('import ./settings.nix { inherit cfg lib; }');
  });

  it('numbers the file when the name is taken, and needs no arguments for a closed set', async () => {
    const out = await refactor('f «{ a = 1; }»', /Extract the attribute set/, { siblingExists: (n) => n === 'extracted.nix' });
    expect(out).toBe('f (import ./extracted-2.nix)');
  });

  it('is not offered for names from a with', async () => {
    expect(await isOffered('with pkgs; { |a = { b = hello; }; }', /Extract the attribute set/)).toBe(false);
  });
});

describe('JSON to Nix', () => {
  it('converts a selected JSON value', async () => {
    expect(await refactor('{ a = «{"x": [1, -2, 1.5e30, true, null], "a b": {"c": "d${e}"}, "e": {}}»; }', /JSON/)).toBe(
      '{ a = {\n  x = [\n    1\n    (-2)\n    1.5e+30\n    true\n    null\n  ];\n  "a b" = {\n    c = "d\\${e}";\n  };\n  e = { };\n}; }',
    );
  });

  it('is offered only for JSON', async () => {
    expect(await isOffered('«{ a = 1; }»', /JSON/)).toBe(false);
  });
});
