// Which inputs cannot be locked from a copy of the flake elsewhere: those written relative to it.
import { describe, expect, it } from 'vitest';
import { readFlakeSyntax } from '../../../server/src/flake/flakeSyntax';
import { relativeInputs } from '../../../server/src/features/flake/lockEditedCopy';
import { parseNix } from '../../support/parse';

describe('relativeInputs', () => {
  it('names path inputs relative to the flake, and only those', async () => {
    const text = `{
  inputs.sub.url = "path:./sub";
  inputs.up.url = "../up";
  inputs.git.url = "git+file:../repo";
  inputs.attr = { type = "path"; path = "./x"; };
  inputs.abs.url = "path:/srv/abs";
  inputs.gitabs.url = "git+file:///srv/repo";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.tar.url = "https://example.org/x.tar.gz";
  outputs = { self, ... }: { };
}`;
    const syntax = readFlakeSyntax((await parseNix(text)).rootNode);
    expect(relativeInputs(syntax).sort()).toEqual(['attr', 'git', 'sub', 'up']);
  });
});
