import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { readFlakeLock } from '../../../server/src/flake/flakeLock';
import { tryParseFlakeRef } from '../../../server/src/flake/flakeRef';
import { flakeCompletions } from '../../../server/src/features/flake/flakeCompletion';
import type { NurRepo } from '../../../server/src/features/flake/knownFlakes';
import { applyTextEdits } from '../../../server/src/features/flake/textPositions';
import { nixParser, parseFlake, readFixture, sharedData, withCursor } from './nixSource';

const now = new Date('2026-11-22T12:00:00Z');
const nurRepos = (): NurRepo[] => {
  const registry = JSON.parse(readFileSync(join(sharedData, 'nur', 'repos.json'), 'utf8')) as { repos: Record<string, { url: string }> };
  return Object.entries(registry.repos).map(([name, repo]) => ({ name, url: repo.url }));
};
const lock = readFlakeLock(readFixture('all-forms', 'flake.lock'));

async function complete(marked: string, extra: { withLock?: boolean; withParser?: boolean } = {}): Promise<{ items: CompletionItem[] | undefined; content: string }> {
  const { content, position } = withCursor(marked);
  const parsed = await parseFlake(content);
  const items = flakeCompletions({
    document: parsed,
    position,
    parser: extra.withParser === false ? undefined : await nixParser(),
    lock: extra.withLock === false ? undefined : lock,
    nurRepos,
    now,
  });
  return { items, content };
}

const labels = (items: CompletionItem[] | undefined) => (items ?? []).map((item) => item.label);
const accept = (content: string, item: CompletionItem) => applyTextEdits(content, [item.textEdit as TextEdit]);

describe('completion of input URLs', () => {
  it('offers well-known flakes, current release branches and every NUR repository', async () => {
    const { items, content } = await complete('{\n  inputs.nixpkgs.url = "‸";\n  outputs = { self, nixpkgs }: { };\n}\n');
    const all = labels(items);
    expect(all).toContain('github:NixOS/nixpkgs/nixos-unstable');
    expect(all).toContain('github:NixOS/nixpkgs/nixos-26.11');
    expect(all).toContain('github:NixOS/nixpkgs/nixos-26.05');
    expect(all).toContain('github:nix-community/home-manager');
    expect(all).toContain('github:nix-community/NUR');
    for (const name of ['github:numtide/flake-utils', 'github:hercules-ci/flake-parts', 'github:nix-darwin/nix-darwin', 'github:nix-community/disko', 'github:Mic92/sops-nix']) {
      expect(all).toContain(name);
    }
    // NUR repositories: GitHub ones as github:owner/repo, other hosts over git.
    expect(all).toContain('github:0komo/nurpkgs');
    expect(all).toContain('git+https://git.catgirl.cloud/999eagle/nur-packages');
    const nurCount = items!.filter((item) => item.detail?.startsWith('NUR repository')).length;
    expect(nurCount).toBeGreaterThan(500);
    for (const item of items!) expect(tryParseFlakeRef(item.label), item.label).toBeDefined();
    // The flakes usually named like the input sort first.
    const sorted = [...items!].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    expect(sorted[0].label).toBe('github:NixOS/nixpkgs/nixos-unstable');
    expect(accept(content, sorted[0])).toContain('inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";');
  });

  it('replaces what is already typed in the string, in every input form', async () => {
    for (const marked of [
      '{ inputs.hm.url = "github:nix-comm‸"; outputs = _: { }; }',
      '{ inputs = { hm.url = "github:nix-comm‸"; }; outputs = _: { }; }',
      '{ inputs = { hm = { url = "github:nix-comm‸"; }; }; outputs = _: { }; }',
      '{ inputs.hm = { url = "github:nix-comm‸xyz"; }; outputs = _: { }; }',
    ]) {
      const { items, content } = await complete(marked);
      const hm = items!.find((item) => item.label === 'github:nix-community/home-manager')!;
      expect(accept(content, hm), marked).toMatch(/url = "github:nix-community\/home-manager";/);
    }
  });

  it('works in a string that is not closed yet', async () => {
    const { items, content } = await complete('{\n  inputs.nur.url = "github:nix‸\n  outputs = { self }: { };\n}\n');
    const nur = items!.find((item) => item.label === 'github:nix-community/NUR')!;
    expect(accept(content, nur).split('\n')[1]).toBe('  inputs.nur.url = "github:nix-community/NUR');
  });

  it('offers nothing in strings that are not input URLs', async () => {
    expect((await complete('{ description = "‸"; outputs = _: { }; }')).items).toBeUndefined();
    expect((await complete('{ inputs.x.url = "a"; outputs = _: { x = "‸"; }; }')).items).toBeUndefined();
  });
});

describe('completion of follows targets', () => {
  it('offers the other inputs and their inputs from flake.lock', async () => {
    const base = readFixture('all-forms', 'flake.nix');
    const marked = base.replace('pkgs-follow.follows = "nixpkgs";', 'pkgs-follow.follows = "‸";');
    const { items } = await complete(marked);
    const all = labels(items);
    expect(all).toContain('nixpkgs');
    expect(all).toContain('home-manager');
    expect(all).not.toContain('pkgs-follow');
    expect(all).not.toContain('registry-only');
    expect(all).toContain('flake-utils/systems');
    expect(all).toContain('nur/flake-parts');
  });

  it('completes the target of an override of an input’s own input', async () => {
    const { items } = await complete('{\n  inputs.nixpkgs.url = "nixpkgs";\n  inputs.hm = { url = "github:nix-community/home-manager"; inputs.nixpkgs.follows = "nix‸"; };\n  outputs = _: { };\n}\n');
    expect(labels(items)).toContain('nixpkgs');
    expect(labels(items)).toContain('hm');
  });
});

describe('completion of the outputs parameters', () => {
  it('offers self and the inputs not yet listed', async () => {
    const { items, content } = await complete('{\n  inputs.nixpkgs.url = "nixpkgs";\n  inputs.nur.url = "github:nix-community/NUR";\n  outputs = { self, n‸ }: { };\n}\n');
    expect(labels(items)).toEqual(['nixpkgs', 'nur']);
    expect(accept(content, items![1])).toContain('outputs = { self, nur }: { };');
  });

  it('works while the parameter list is still incomplete', async () => {
    const { items } = await complete('{\n  inputs.nixpkgs.url = "nixpkgs";\n  outputs = { ‸ }: { };\n}\n');
    expect(labels(items)).toEqual(['self', 'nixpkgs']);
  });

  it('offers nothing in a default value', async () => {
    const { items } = await complete('{\n  inputs.nixpkgs.url = "nixpkgs";\n  outputs = { self, nixpkgs ? ‸ }: { };\n}\n');
    expect(labels(items)).not.toContain('self');
  });
});

describe('completion of keys', () => {
  it('offers output names at the top of what outputs returns, even before it parses', async () => {
    for (const marked of [
      '{\n  outputs = { self }: {\n    pack‸\n  };\n}\n',
      '{\n  outputs = { self }: {\n    packages.x86_64-linux.a = 1;\n    ‸\n  };\n}\n',
      '{\n  outputs = { self }: let x = 1; in {\n    ‸\n  };\n}\n',
      '{\n  outputs = { self, flake-utils }: flake-utils.lib.eachDefaultSystem (system: {\n    dev‸\n  });\n}\n',
    ]) {
      const { items } = await complete(marked);
      const all = labels(items);
      expect(all, marked).toContain('packages');
      expect(all).toContain('nixosConfigurations');
      expect(all).toContain('devShells');
      expect(all).toContain('homeConfigurations');
    }
  });

  it("leaves the keys of flake-parts' module to option completion, in set and function form", async () => {
    for (const marked of [
      '{\n  outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } {\n    pack‸\n  };\n}\n',
      '{\n  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } ({ withSystem, ... }: {\n    ‸\n  });\n}\n',
      '{\n  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } ({ ... }: {\n    systems = [ ];\n    perSystem = { pkgs, ... }: {\n      dev‸\n    };\n  });\n}\n',
    ]) {
      expect(labels((await complete(marked)).items), marked).toEqual([]);
    }
  });

  it('offers systems under per-system outputs', async () => {
    const { items, content } = await complete('{\n  outputs = { self }: {\n    packages.x86‸\n  };\n}\n');
    expect(labels(items)).toEqual(expect.arrayContaining(['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin']));
    expect(accept(content, items!.find((item) => item.label === 'x86_64-linux')!)).toContain('packages.x86_64-linux\n');
    const nested = await complete('{\n  outputs = { self }: {\n    devShells = {\n      ‸\n    };\n  };\n}\n');
    expect(labels(nested.items)).toContain('aarch64-darwin');
  });

  it('offers system strings in systems lists and system bindings', async () => {
    expect(labels((await complete('{\n  outputs = { self, nixpkgs }: let systems = [ "‸" ]; in { };\n}\n')).items)).toContain('x86_64-linux');
    expect(labels((await complete('{\n  outputs = { self, nixpkgs }: nixpkgs.lib.genAttrs [ "x86_64-linux" "aa‸" ] (s: { });\n}\n')).items)).toContain('aarch64-linux');
    expect(labels((await complete('{\n  outputs = { self, nixpkgs }: { nixosConfigurations.h = nixpkgs.lib.nixosSystem { system = "‸"; }; };\n}\n')).items)).toContain('x86_64-linux');
  });

  it('offers the keys of an input and the inputs of an input', async () => {
    const keys = await complete('{\n  inputs.hm = {\n    ‸\n  };\n  outputs = _: { };\n}\n');
    expect(labels(keys.items)).toEqual(expect.arrayContaining(['url', 'follows', 'flake', 'inputs', 'type', 'owner', 'repo']));
    const dotted = await complete('{\n  inputs.hm.fo‸\n  outputs = _: { };\n}\n');
    expect(labels(dotted.items)).toContain('follows');
    const sub = await complete('{\n  inputs.nur.url = "github:nix-community/NUR";\n  inputs.nur.inputs.‸\n  outputs = _: { };\n}\n');
    expect(labels(sub.items).sort()).toEqual(['flake-parts', 'nixpkgs']);
  });

  it('offers the top-level keys of a flake', async () => {
    expect(labels((await complete('{\n  description = "x";\n  ‸\n}\n')).items)).toEqual(['description', 'inputs', 'outputs', 'nixConfig']);
    expect(labels((await complete('{\n  desc‸\n}\n')).items)).toContain('description');
  });

  it('offers nothing elsewhere, and nothing for keys without a parser', async () => {
    expect((await complete('{\n  inputs.a.url = "nixpkgs";\n  outputs = { self, a }: a.lib.mkFlake {\n    ‸\n  };\n}\n')).items).toBeUndefined();
    expect((await complete('{\n  outputs = { self }: {\n    packages = x.‸;\n  };\n}\n')).items).toBeUndefined();
    expect((await complete('{\n  outputs = { self }: {\n    pack‸\n  };\n}\n', { withParser: false })).items).toBeUndefined();
  });
});

describe('completion of what an input provides and of input names', () => {
  const demo = readFileSync(join(__dirname, '..', '..', '..', 'demo', 'flake.nix'), 'utf8');

  it("offers nixpkgs' outputs and every input's source attributes after `nixpkgs.` in outputs", async () => {
    const marked = demo.replace('pkgs = nixpkgs.legacyPackages.${system};', 'pkgs = nixpkgs.‸');
    const { items, content } = await complete(marked);
    const all = labels(items);
    expect(all.slice(0, 3)).toEqual(['legacyPackages', 'lib', 'nixosModules']);
    expect(all).toContain('rev');
    expect(all).toContain('outPath');
    expect(accept(content, items!.find((item) => item.label === 'legacyPackages')!)).toContain('pkgs = nixpkgs.legacyPackages\n');
    // A few letters typed filter nothing away but replace what was typed.
    const typed = await complete(demo.replace('nixpkgs.lib.nixosSystem', 'nixpkgs.li‸'));
    expect(typed.items!.find((item) => item.label === 'lib')!.textEdit).toMatchObject({ newText: 'lib' });
  });

  it("offers the standard outputs for an input that is not nixpkgs, and nothing for self or a local name", async () => {
    const flake = '{\n  inputs.tools.url = "github:someone/tools";\n  outputs = { self, tools }:\n    let other = { }; in { x = tools.‸ };\n}\n';
    expect(labels((await complete(flake)).items)).toEqual(expect.arrayContaining(['packages', 'nixosModules', 'lib', 'outPath']));
    expect((await complete(flake.replace('tools.‸', 'self.‸'))).items).toBeUndefined();
    expect((await complete(flake.replace('tools.‸', 'other.‸'))).items).toBeUndefined();
  });

  it('offers the declared inputs, then well-known ones, after `inputs.` at the top level', async () => {
    const marked = demo.replace('  outputs =', '  inputs.‸\n  outputs =');
    const all = labels((await complete(marked)).items);
    expect(all[0]).toBe('nixpkgs');
    expect(all).toContain('home-manager');
    expect(all.filter((label) => label === 'nixpkgs')).toHaveLength(1);
  });
});
