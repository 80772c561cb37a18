import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../../server/src/analysis/analysis';
import { DocumentTokens, packed, reusedSemanticTokens, type TokensOfVersion } from '../../../server/src/features/semanticTokenReuse';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../../../server/src/features/semanticTokens';
import { realisticFile } from '../../../bench/support/realisticNix';
import { applyEdit, randomEdits } from '../../support/randomNixEdits';
import { seededRandom } from '../../support/random';
import { realNixFiles, realNixFilesAvailable } from '../../support/realNixFiles';
import { analyze } from '../analysis/nixSnippets';
import { patchEncoded, relative } from '../../../server/src/semanticTokenEncoding';

const FILE = 'file:///project/module.nix';

const MODULE = `{ config, lib, pkgs, ... }:
# A module with a bit of everything
let
  cfg = config.services.example;
  l = lib;
  unused = ''
    indented text
  '';
  helper = x: x + 1;
in {
  options.services.example.enable = lib.mkEnableOption "the example";
  config = lib.mkIf cfg.enable {
    environment.systemPackages = with pkgs; [ ripgrep hello ];
    services.nginx.virtualHosts."example.org".forceSSL = true;
    networking.hostName = "host \${toString (helper 1)}";
    users.users.me.packages = [ pkgs.jq pkgs.python3Packages.requests ];
    programs.git.enable = l.mkDefault true;
  };
}
`;

const PACKAGE = `{ stdenv, fetchFromGitHub, lib }:
stdenv.mkDerivation rec {
  pname = "jq";
  version = "1.7";
  src = fetchFromGitHub { owner = "jqlang"; repo = pname; rev = "jq-\${version}"; hash = lib.fakeHash; };
  doCheck = true;
  meta = with lib; { license = licenses.mit; platforms = platforms.all; };
}
`;

/** The tokens of each edit's result: as moved over from the version before, and computed afresh. */
async function afterEdit(text: string, find: string, replace: string, options = { fileName: FILE, unusedFormals: true }) {
  if (!text.includes(find)) throw new Error(`no ${find}`);
  const before = await analyze(text);
  const next = text.replace(find, replace);
  const after = await analyze(next, { previous: before });
  const previous: TokensOfVersion = { analysis: before, tokens: packed(semanticTokens(before, options)), ...options };
  const reused = reusedSemanticTokens(previous, after, options);
  return { reused: reused && Array.from(reused.data), fresh: semanticTokens(after, options).data };
}

describe('semantic tokens moved over an edit', () => {
  it('computes only the edited part for edits inside names, strings, bindings and lines, equal to fresh tokens', async () => {
    for (const [text, find, replace] of [
      // A letter in a string, a comment, an indented string.
      [MODULE, '"the example"', '"the examples"'],
      [MODULE, 'bit of', 'bit or two of'],
      [MODULE, 'indented text', 'indented\n    text'],
      // A name read as a variable, an option's name, a package's name, a name after `lib.`.
      [MODULE, 'cfg.enable {', 'cfgx.enable {'],
      [MODULE, 'forceSSL', 'forceSSLx'],
      [MODULE, 'ripgrep', 'ripgre'],
      [MODULE, 'pkgs.jq', 'pkgs.jqx'],
      [MODULE, 'python3Packages.requests', 'python3Packages.request'],
      // A `let` value read elsewhere that still stands for the same kind of thing.
      [MODULE, 'config.services.example;', 'config.services.examples;'],
      // The only read of `helper` goes: its definition turns unused, far from the edit.
      [MODULE, '(helper 1)', '(1)'],
      // A binding pasted, one deleted.
      [MODULE, '    programs.git', '    programs.fish.enable = true;\n    programs.git'],
      [MODULE, '    networking.hostName = "host ${toString (helper 1)}";\n', ''],
      // In a `rec` set: a name no one else reads, a value, a new attribute.
      [PACKAGE, 'doCheck = true;', 'doCheck = false;'],
      [PACKAGE, '  doCheck = true;\n', '  doCheck = true;\n  strictDeps = true;\n'],
      [PACKAGE, 'licenses.mit', 'licenses.bsd3'],
    ] as const) {
      const { reused, fresh } = await afterEdit(text, find, replace);
      expect(reused, `${find} → ${replace}: computed afresh`).toBeDefined();
      expect(reused, `${find} → ${replace}`).toEqual(fresh);
    }
  });

  it('computes everything again when the edit may change meaning beyond the edited part', async () => {
    const edits: { text: string; find: string; replace: string }[] = [
      // A `let` name read all over the file, and one bound anew where its reads are.
      { text: MODULE, find: 'cfg = config', replace: 'cfgx = config' },
      { text: MODULE, find: '  l = lib;', replace: '  l = lib;\n  pkgs = lib;' },
      // An alias of `lib` that no longer is one, where `l.mkDefault` reads it.
      { text: MODULE, find: 'l = lib;', replace: 'l = config;' },
      // `with`'s subject.
      { text: MODULE, find: 'with pkgs;', replace: 'with lib;' },
      // `mkDefault` is seen through for option paths, `mkDefaultx` is not.
      { text: MODULE, find: 'l.mkDefault', replace: 'l.mkDefaultx' },
      // A `rec` attribute read elsewhere, bound anew.
      { text: PACKAGE, find: 'pname = "jq";', replace: 'pname = "jq";\n  fetchFromGitHub = null;' },
    ];
    for (const { text, find, replace } of edits) {
      const { reused, fresh } = await afterEdit(text, find, replace);
      if (reused) expect(reused, `${find} → ${replace}`).toEqual(fresh);
      expect(reused, `${find} → ${replace}: reused`).toBeUndefined();
    }
    const flake = '{ inputs.nixpkgs.url = "github:NixOS/nixpkgs"; outputs = { nixpkgs, ... }: with nixpkgs; a; }';
    expect((await afterEdit(flake, 'NixOS/nixpkgs', 'NixOS/other')).reused).toBeUndefined();
  });

  it('computes only what changed while a binding is typed letter by letter, the file broken meanwhile', async () => {
    const binding = '    programs.fish.shellAliases.ll = "ls -l";\n';
    const at = MODULE.indexOf('    programs.git');
    let analysis = await analyze(MODULE);
    const tokens = new DocumentTokens();
    tokens.tokensOf(analysis, { fileName: FILE });
    for (let typed = 1; typed <= binding.length; typed++) {
      const text = MODULE.slice(0, at) + binding.slice(0, typed) + MODULE.slice(at);
      analysis = await analyze(text, { previous: analysis });
      expect(Array.from(tokens.tokensOf(analysis, { fileName: FILE }).data), binding.slice(0, typed)).toEqual(semanticTokens(analysis, { fileName: FILE }).data);
    }
    expect(tokens.reuses).toBe(binding.length);
  });

  it('keeps the settings it was computed with', async () => {
    const before = await analyze(MODULE);
    const after = await analyze(MODULE.replace('ripgrep', 'ripgre'), { previous: before });
    const previous: TokensOfVersion = { analysis: before, tokens: packed(semanticTokens(before, { fileName: FILE })), fileName: FILE, unusedFormals: true };
    expect(reusedSemanticTokens(previous, after, { fileName: FILE, unusedFormals: false })).toBeUndefined();
    expect(reusedSemanticTokens(previous, after, { fileName: 'file:///project/home.nix' })).toBeUndefined();
  });
});

/**
 * Replays random edits on `text` as the server sees them: after each, the tokens made from an
 * earlier version's must equal fresh ones, and so must the protocol's encoding of them, patched
 * where the tokens changed, and a client's copy the patch's edit is applied to.
 */
async function replay(name: string, text: string, seed: number, count: number, options = { fileName: `file:///nixpkgs/${name}`, unusedFormals: true }) {
  let analysis: Analysis = await analyze(text);
  const tokens = new DocumentTokens();
  let encoded = relative(tokens.tokensOf(analysis, options).data);
  let client = Array.from(encoded);
  let step = 0;
  for (const edit of randomEdits(text, seededRandom(seed), count)) {
    step++;
    text = applyEdit(text, edit);
    analysis = await analyze(text, { previous: analysis });
    const made = tokens.tokensOf(analysis, options).data;
    const fresh = semanticTokens(analysis, options).data;
    if (!sameNumbers(made, fresh)) {
      expect.fail(`${name}, seed ${seed}, step ${step} (${edit.kind} at ${edit.from}: ${JSON.stringify(edit.insert)}): ${firstDifference(made, fresh, text)}`);
    }
    if (tokens.lastChange) {
      const patch = patchEncoded(encoded, made, tokens.lastChange);
      for (const change of patch.edits) client.splice(change.start, change.deleteCount, ...(change.data ?? []));
      encoded = patch.encoded;
    } else {
      encoded = relative(made);
      client = Array.from(encoded);
    }
    if (!sameNumbers(encoded, relative(fresh)) || !sameNumbers(client, encoded)) expect.fail(`${name}, seed ${seed}, step ${step} (${edit.kind} at ${edit.from}): the patched encoding differs`);
  }
  return { steps: step, reused: tokens.reuses };
}

function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function firstDifference(reused: ArrayLike<number>, fresh: ArrayLike<number>, text: string): string {
  const describe = (data: ArrayLike<number>, i: number) => {
    if (i >= data.length) return 'nothing';
    const line = text.split('\n')[data[i]!] ?? '';
    const word = line.slice(data[i + 1]!, data[i + 1]! + data[i + 2]!);
    return `${data[i]}:${data[i + 1]} ${word} ${TOKEN_TYPES[data[i + 3]!]} ${TOKEN_MODIFIERS.filter((_, bit) => data[i + 4]! & (1 << bit)).join(' ')}`;
  };
  let i = 0;
  while (i < reused.length && i < fresh.length && reused[i] === fresh[i]) i++;
  i -= i % 5;
  return `reused has ${describe(reused, i)}, fresh ${describe(fresh, i)}`;
}

describe('semantic tokens over random edits', () => {
  it('equal fresh ones after every edit of a large generated module', async () => {
    const { steps, reused } = await replay('generated.nix', realisticFile(600), 7, 120);
    // Most keystrokes are computed the short way: the replay exercises it, not only the fallback.
    expect(reused).toBeGreaterThan(steps * 0.4);
  }, 120_000);

  it.skipIf(!realNixFilesAvailable())('equal fresh ones after every edit of real nixpkgs files', async () => {
    const files = realNixFiles([
      'nixos/modules/services/web-servers/nginx/default.nix',
      'lib/lists.nix',
      'pkgs/development/interpreters/python/default.nix',
      'pkgs/by-name/he/hello/package.nix',
    ]);
    let steps = 0;
    let reused = 0;
    for (const [index, { path, text }] of files.entries()) {
      const result = await replay(path, text, 100 + index, path.includes('hello') ? 150 : 60);
      steps += result.steps;
      reused += result.reused;
    }
    expect(reused).toBeGreaterThan(steps * 0.3);
    // Unused formals not marked: the setting travels with the tokens.
    const hello = files[3]!;
    await replay(hello.path, hello.text, 9, 60, { fileName: `file:///nixpkgs/${hello.path}`, unusedFormals: false });
  }, 300_000);
});
