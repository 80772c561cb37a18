import { describe, expect, it } from 'vitest';
import type { FlakeInputDecl } from '../../../server/src/flake/flakeSyntax';
import { pinInputEdits, unpinInputEdits } from '../../../server/src/features/flake/pinEdits';
import { applyTextEdits } from '../../../server/src/features/flake/textPositions';
import { parseFlake } from './nixSource';

const REV = '0123456789abcdef0123456789abcdef01234567';

async function edit(content: string, input: string, action: (decl: FlakeInputDecl, content: string) => ReturnType<typeof pinInputEdits>) {
  const { syntax } = await parseFlake(content);
  const decl = syntax.inputs.find((d) => d.name === input)!;
  const result = action(decl, content);
  return { result, text: result.ok ? applyTextEdits(content, result.edits) : undefined };
}
const pin = (content: string, input: string, rev = REV) => edit(content, input, (decl, text) => pinInputEdits(decl, rev, text));
const unpin = (content: string, input: string, branch?: string) => edit(content, input, (decl, text) => unpinInputEdits(decl, branch, text));

describe('pinning an input in flake.nix', () => {
  it('rewrites only the URL string, keeping everything around it', async () => {
    const content = '{\n  # the channel\n  inputs.nixpkgs.url   =  "github:NixOS/nixpkgs/nixos-unstable" ;  # keep me\n  outputs = _: { };\n}\n';
    const { result, text } = await pin(content, 'nixpkgs');
    expect(text).toBe(content.replace('nixos-unstable', REV));
    expect(result).toMatchObject({ ok: true, before: 'github:NixOS/nixpkgs/nixos-unstable', after: `github:NixOS/nixpkgs/${REV}` });
    expect(result.ok && result.edits).toHaveLength(1);
  });

  it('keeps the delimiters of indented strings and quotes old unquoted URLs', async () => {
    expect((await pin("{ inputs.a.url = ''git+https://h/x?ref=main''; outputs = _: { }; }", 'a')).text).toBe(
      `{ inputs.a.url = ''git+https://h/x?ref=main&rev=${REV}''; outputs = _: { }; }`,
    );
    expect((await pin('{ inputs.a.url = github:o/r; outputs = _: { }; }', 'a')).text).toBe(`{ inputs.a.url = "github:o/r/${REV}"; outputs = _: { }; }`);
  });

  it('edits the attribute form: ref becomes rev for forges, rev is added for git', async () => {
    const forge = '{\n  inputs.p = { type = "github"; owner = "NixOS"; repo = "patchelf"; ref = "master"; };\n  outputs = _: { };\n}\n';
    expect((await pin(forge, 'p')).text).toBe(forge.replace('ref = "master";', `rev = "${REV}";`));
    const noRef = '{\n  inputs.p = { type = "github"; owner = "NixOS"; repo = "patchelf"; };\n  outputs = _: { };\n}\n';
    expect((await pin(noRef, 'p')).text).toBe(noRef.replace('repo = "patchelf";', `repo = "patchelf"; rev = "${REV}";`));
    const git = '{\n  inputs.g = {\n    type = "git";\n    url = "https://h/x";\n    ref = "main";\n  };\n  outputs = _: { };\n}\n';
    // Git keeps its branch next to the commit.
    expect((await pin(git, 'g')).text).toBe(git.replace('ref = "main";', `ref = "main"; rev = "${REV}";`));
    const separate = '{\n  inputs.s.type = "gitlab";\n  inputs.s.owner = "o";\n  inputs.s.repo = "r";\n  outputs = _: { };\n}\n';
    expect((await pin(separate, 's')).text).toContain(`inputs.s.repo = "r"; inputs.s.rev = "${REV}";`);
  });

  it('refuses follows, implicit, computed and commit-less inputs with a reason', async () => {
    const content = '{\n  inputs.a.follows = "b";\n  inputs.b.url = "path:/srv/b";\n  inputs.c.url = "github:o/${"r"}";\n  outputs = { self, d }: { };\n}\n';
    expect((await pin(content, 'a')).result).toMatchObject({ ok: false, reason: expect.stringContaining("follows 'b'") });
    expect((await pin(content, 'b')).result).toMatchObject({ ok: false, reason: expect.stringContaining('path: input has no commits') });
    expect((await pin(content, 'c')).result).toMatchObject({ ok: false, reason: expect.stringContaining('computed') });
    expect((await pin(content, 'd')).result).toMatchObject({ ok: false, reason: expect.stringContaining('only named in the outputs') });
  });
});

describe('unpinning an input in flake.nix', () => {
  it('takes the commit out of the URL, following a branch when given', async () => {
    const content = `{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/${REV}"; outputs = _: { }; }`;
    expect((await unpin(content, 'nixpkgs')).text).toBe('{ inputs.nixpkgs.url = "github:NixOS/nixpkgs"; outputs = _: { }; }');
    expect((await unpin(content, 'nixpkgs', 'nixos-unstable')).text).toBe('{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable"; outputs = _: { }; }');
    expect((await unpin('{ inputs.a.url = "github:o/r"; outputs = _: { }; }', 'a')).result).toMatchObject({ ok: false, reason: expect.stringContaining('not pinned') });
  });

  it('edits the attribute form: removes rev, or turns it into ref', async () => {
    const multiLine = `{\n  inputs.p = {\n    type = "github";\n    owner = "o";\n    repo = "r";\n    rev = "${REV}";\n  };\n  outputs = _: { };\n}\n`;
    expect((await unpin(multiLine, 'p')).text).toBe(multiLine.replace(`    rev = "${REV}";\n`, ''));
    expect((await unpin(multiLine, 'p', 'main')).text).toBe(multiLine.replace(`rev = "${REV}";`, 'ref = "main";'));
    const oneLine = `{ inputs.g = { type = "git"; url = "x"; }; inputs.h = { type = "github"; owner = "o"; repo = "r"; rev = "${REV}"; }; outputs = _: { }; }`;
    expect((await unpin(oneLine, 'h')).text).toBe('{ inputs.g = { type = "git"; url = "x"; }; inputs.h = { type = "github"; owner = "o"; repo = "r"; }; outputs = _: { }; }');
  });
});
