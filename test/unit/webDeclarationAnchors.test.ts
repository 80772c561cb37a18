// An option's declaration on GitHub, given the line of the declaring binding when the file's text
// at that revision can be had; as it was when it cannot.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSyntaxTree } from '../../server/src/analysis/syntaxTree';
import { rawNixpkgsFileUrl, WebDeclarationAnchors } from '../../server/src/features/webDeclarationAnchors';
import { nixParser } from '../support/parse';

const nginxFile = join(__dirname, '..', 'fixtures', 'knowledge', 'option-sources', 'nixos', 'modules', 'services', 'web-servers', 'nginx', 'default.nix');
const rev = 'c'.repeat(40);
const page = `https://github.com/NixOS/nixpkgs/blob/${rev}/nixos/modules/services/web-servers/nginx/default.nix`;
const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

async function anchors(fetched: string[], text: string | undefined) {
  const parser = await nixParser();
  return new WebDeclarationAnchors({
    fetchText: async (url) => {
      fetched.push(url);
      return text;
    },
    parse: (source) => {
      const tree = parser.parse(source);
      if (!tree) return undefined;
      try {
        return buildSyntaxTree(tree, source);
      } finally {
        tree.delete();
      }
    },
  });
}

describe('line anchors for option declarations on GitHub', () => {
  it('reads the raw file at the same revision', () => {
    expect(rawNixpkgsFileUrl(page)).toBe(`https://raw.githubusercontent.com/NixOS/nixpkgs/${rev}/nixos/modules/services/web-servers/nginx/default.nix`);
    expect(rawNixpkgsFileUrl('https://github.com/nix-community/home-manager/blob/master/modules/x.nix')).toBeUndefined();
  });

  it("links to the declaring binding's line, fetching each file once", async () => {
    const text = readFileSync(nginxFile, 'utf8');
    const line = text.split('\n').findIndex((l) => /^\s*enable = mkEnableOption|^\s*enable = lib\.mkEnableOption/.test(l)) + 1;
    expect(line).toBeGreaterThan(1);
    const fetched: string[] = [];
    const web = await anchors(fetched, text);
    const [location] = await web.anchor([{ uri: page, range: START }], ['services', 'nginx', 'enable']);
    expect(location!.uri).toBe(`${page}#L${line}`);
    expect(location!.range.start.line).toBe(line - 1);
    await web.anchor([{ uri: page, range: START }], ['services', 'nginx', 'package']);
    expect(fetched).toHaveLength(1);
  });

  it('leaves the link as it was offline, and other links alone', async () => {
    const fetched: string[] = [];
    const web = await anchors(fetched, undefined);
    expect(await web.anchor([{ uri: page, range: START }], ['services', 'nginx', 'enable'])).toEqual([{ uri: page, range: START }]);
    const local = { uri: 'file:///nix/store/x-source/nixos/modules/a.nix', range: START };
    expect(await web.anchor([local], ['a'])).toEqual([local]);
  });
});
