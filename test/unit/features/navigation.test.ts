import { describe, expect, it } from 'vitest';
import type { Location } from 'vscode-languageserver-types';
import { contextAt } from '../../../server/src/analysis/context';
import type { KnowledgeQueries } from '../../../server/src/features/knowledgeQueries';
import { flakeInputDefinition } from '../../../server/src/features/navigation/flakeInputDefinition';
import { packageDefinition } from '../../../server/src/features/navigation/packageDefinition';
import { pathDefinition } from '../../../server/src/features/navigation/pathDefinition';
import { withDefinition } from '../../../server/src/features/navigation/withDefinition';
import type { PackageInfo } from '../../../server/src/knowledge/packageRecord';
import { analyze, cursor, nixParser } from '../analysis/nixSnippets';

const URI = 'file:///project/flake.nix';

/** The text each location starts at in the same document (up to 12 characters). */
async function targets(marked: string, find: (analysis: Awaited<ReturnType<typeof analyze>>, offset: number) => Location[]): Promise<string[]> {
  const { text, offset } = cursor(marked);
  const analysis = await analyze(text);
  return find(analysis, offset).map((l) => text.slice(analysis.lines.offsetAt(l.range.start), analysis.lines.offsetAt(l.range.end)).slice(0, 12));
}

const FLAKE = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs = { utils.url = "github:numtide/flake-utils"; };
  outputs = { self, nixpkgs, utils, registry }@inputs: {
    a = nixpkgs.lib;
    b = inputs.utils.lib;
    c = self.inputs.nixpkgs;
  };
}`;

describe('go to definition beyond local names', () => {
  it('goes from an outputs formal, its uses and inputs.x to the input declaration', async () => {
    const find = (analysis: Awaited<ReturnType<typeof analyze>>, offset: number) => flakeInputDefinition(analysis, URI, offset);
    expect(await targets(FLAKE.replace('{ self, nixpkgs,', '{ self, nix|pkgs,'), find)).toEqual(['nixpkgs']);
    expect(await targets(FLAKE.replace('a = nixpkgs.lib', 'a = nixpkgs|.lib'), find)).toEqual([]);
    expect(await targets(FLAKE.replace('inputs.utils.lib', 'inputs.ut|ils.lib'), find)).toEqual(['utils']);
    expect(await targets(FLAKE.replace('self.inputs.nixpkgs', 'self.inputs.nix|pkgs'), find)).toEqual(['nixpkgs']);
    // Only named in the formals: Nix takes it from the registry; nothing declares it.
    expect(await targets(FLAKE.replace('utils, registry', 'utils, regi|stry'), find)).toEqual([]);
    expect(await targets(FLAKE.replace('{ self,', '{ se|lf,'), find)).toEqual([]);
    expect(await targets(FLAKE.replace('inputs.utils.lib', 'inputs.utils.l|ib'), find)).toEqual([]);
  });

  it('goes from a name a with provides to the with’s subject, innermost first', async () => {
    const find = (analysis: Awaited<ReturnType<typeof analyze>>, offset: number) => withDefinition(analysis, URI, offset);
    expect(await targets('{ pkgs }: with pkgs; [ hel|lo ]', find)).toEqual(['pkgs']);
    expect(await targets('{ pkgs, lib }: with pkgs; with lib; [ hel|lo ]', find)).toEqual(['lib', 'pkgs']);
    expect(await targets('{ pkgs }: let hello = 1; in with pkgs; [ hel|lo ]', find)).toEqual([]);
  });

  it('goes from a path literal to its file, a directory to its default.nix', async () => {
    const files = new Set(['/project/hardware.nix', '/project/modules/default.nix']);
    const at = async (marked: string) => {
      const { text, offset } = cursor(marked);
      return pathDefinition(await analyze(text), 'file:///project/configuration.nix', offset, (p) => files.has(p)).map((l) => l.uri);
    };
    expect(await at('{ imports = [ ./hard|ware.nix ]; }')).toEqual(['file:///project/hardware.nix']);
    expect(await at('{ imports = [ ./mod|ules ]; }')).toEqual(['file:///project/modules/default.nix']);
    expect(await at('{ imports = [ ./|missing.nix ]; }')).toEqual([]);
    expect(await at('{ imports = [ "./hard|ware.nix" ]; }')).toEqual([]);
  });

  it('goes from pkgs.<name> to its meta.position: in the pinned nixpkgs on disk, else on GitHub', async () => {
    const knowledge = (source: string | undefined) =>
      ({
        lookupPackage: (path: readonly string[]) => (path.join('.') === 'hello' ? ({ path: ['hello'], position: 'pkgs/by-name/he/hello/package.nix:57' } as PackageInfo) : undefined),
        nixpkgsSource: () => source,
        nixpkgsRevision: () => '0123456789abcdef0123456789abcdef01234567',
      }) as unknown as KnowledgeQueries;
    const at = async (marked: string, source: string | undefined) => {
      const { text, offset } = cursor(marked);
      const tree = (await nixParser()).parse(text)!;
      const context = contextAt(tree, text, offset);
      tree.delete();
      return packageDefinition(context, knowledge(source), (p) => p === '/nix/store/x-source/pkgs/by-name/he/hello/package.nix');
    };
    expect(await at('{ pkgs }: pkgs.hel|lo', '/nix/store/x-source')).toEqual([
      { uri: 'file:///nix/store/x-source/pkgs/by-name/he/hello/package.nix', range: { start: { line: 56, character: 0 }, end: { line: 56, character: 0 } } },
    ]);
    expect((await at('{ pkgs }: pkgs.hel|lo', undefined)).map((l) => l.uri)).toEqual([
      'https://github.com/NixOS/nixpkgs/blob/0123456789abcdef0123456789abcdef01234567/pkgs/by-name/he/hello/package.nix#L57',
    ]);
    expect(await at('{ pkgs }: pkgs.unkno|wn', undefined)).toEqual([]);
  });
});
