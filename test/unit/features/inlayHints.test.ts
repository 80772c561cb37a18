import { describe, expect, it } from 'vitest';
import { inlayHints, type InlayHintKinds } from '../../../server/src/features/inlayHints';
import type { KnowledgeQueries } from '../../../server/src/features/knowledgeQueries';
import { readFlakeLock } from '../../../server/src/flake/flakeLock';
import { readFlakeSyntax } from '../../../server/src/flake/flakeSyntax';
import type { OptionInfo } from '../../../server/src/knowledge/optionRecord';
import type { PackageInfo } from '../../../server/src/knowledge/packageRecord';
import { analyze, parse } from '../analysis/nixSnippets';

const VERSIONS: Record<string, string> = { ripgrep: '15.1.0', hello: '2.12.2', 'python313Packages.requests': '2.32.5' };
const TYPES: Record<string, string> = { 'services.nginx.enable': 'boolean', 'networking.hostName': 'string', 'services.nginx.virtualHosts': 'attribute set of (submodule) with a rather long description' };

/** The two lookups hints make, answered from the tables above. */
const knowledge = {
  lookupPackages: (paths: readonly (readonly string[])[]) =>
    paths.map((path) => (VERSIONS[path.join('.')] ? ({ path: [...path], version: VERSIONS[path.join('.')] } as PackageInfo) : undefined)),
  lookupOption: (_scope: string, path: readonly string[]) => (TYPES[path.join('.')] ? ({ loc: [...path], type: TYPES[path.join('.')] } as OptionInfo) : undefined),
} as unknown as KnowledgeQueries;

const ALL: InlayHintKinds = { packageVersions: true, flakeInputs: true, optionTypes: true };

/** Hints as `name|label`: the name the hint follows, `|` where it sits. */
async function hintsIn(text: string, kinds: InlayHintKinds = ALL): Promise<string[]> {
  const analysis = await analyze(text);
  return inlayHints({ analysis, fileName: 'file:///project/configuration.nix', range: { start: 0, end: text.length }, kinds, knowledge }).map((hint) => {
    const offset = analysis.lines.offsetAt(hint.position);
    return `${text.slice(0, offset).split(/[\s.()]/).pop()}|${hint.label as string}`;
  });
}

describe('inlay hints', () => {
  it('writes the version after a package', async () => {
    expect(await hintsIn('{ pkgs }: [ pkgs.ripgrep ]')).toEqual(['ripgrep|15.1.0']);
    expect(await hintsIn('{ pkgs }: pkgs.python313Packages.requests')).toEqual(['requests|2.32.5']);
    expect(await hintsIn('{ pkgs }: { inherit (pkgs) hello; }')).toEqual(['hello|2.12.2']);
  });

  it('writes versions in with pkgs; [ … ], only where the code says the set is nixpkgs', async () => {
    expect(await hintsIn('{ pkgs }: with pkgs; [ ripgrep hello ]')).toEqual(['ripgrep|15.1.0', 'hello|2.12.2']);
    expect(await hintsIn('let s = { ripgrep = 1; }; in with s; [ ripgrep ]')).toEqual([]);
    expect(await hintsIn('{ pkgs }: let ripgrep = 1; in with pkgs; [ ripgrep ]')).toEqual([]);
  });

  it('writes the type of an option a module sets', async () => {
    expect(await hintsIn('{ config, ... }: { services.nginx.enable = true; }')).toEqual(['enable|: boolean']);
    expect(await hintsIn('{ config, ... }: { networking = { hostName = "a"; }; }')).toEqual(['hostName|: string']);
    expect(await hintsIn('{ config, ... }: { services.nginx.virtualHosts = { }; }')).toEqual(['virtualHosts|: attribute set of (submodule) with a rat…']);
  });

  it('leaves out the kinds switched off and what is outside the range', async () => {
    const text = '{ config, pkgs, ... }: { services.nginx.enable = true; environment.systemPackages = [ pkgs.hello ]; }';
    expect(await hintsIn(text, { ...ALL, optionTypes: false })).toEqual(['hello|2.12.2']);
    expect(await hintsIn(text, { ...ALL, packageVersions: false })).toEqual(['enable|: boolean']);
    const analysis = await analyze(text);
    const hints = inlayHints({ analysis, fileName: 'configuration.nix', range: { start: 0, end: 30 }, kinds: ALL, knowledge });
    expect(hints.map((h) => h.label)).toEqual([]);
  });

  it('writes the locked revision and its age after a flake input URL', async () => {
    const text = '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";\n  inputs.other.url = "github:a/b";\n  outputs = { self, nixpkgs, other }: { };\n}\n';
    const lock = readFlakeLock(
      JSON.stringify({
        version: 7,
        root: 'root',
        nodes: {
          root: { inputs: { nixpkgs: 'nixpkgs' } },
          nixpkgs: {
            locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: '4444444444444444444444444444444444444444', lastModified: 1_792_000_000, narHash: 'sha256-x' },
            original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-unstable' },
          },
        },
      }),
    );
    const tree = await parse(text);
    const syntax = readFlakeSyntax(tree.rootNode);
    tree.delete();
    const analysis = await analyze(text);
    const now = new Date((1_792_000_000 + 21 * 86_400) * 1000);
    const hints = inlayHints({ analysis, fileName: 'file:///project/flake.nix', range: { start: 0, end: text.length }, kinds: ALL, flake: { syntax, lock, now } });
    expect(hints.map((h) => [h.position, h.label])).toEqual([[{ line: 1, character: 60 }, '4444444 · 3 weeks ago']]);
    expect(inlayHints({ analysis, fileName: 'file:///project/flake.nix', range: { start: 0, end: text.length }, kinds: { ...ALL, flakeInputs: false }, flake: { syntax, lock, now } })).toEqual([]);
  });
});
