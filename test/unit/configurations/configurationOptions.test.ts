// A file's option queries answered from the sets of the configurations it belongs to: merged,
// with a Home Manager module inside NixOS looked up below home-manager.users, and the channel's
// answers for everything else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptionTree } from '../../../server/src/analysis/modules';
import type { FileOptionSet } from '../../../server/src/configurations/configurationService';
import { readableFailure, errorLocation } from '../../../server/src/configurations/configurationEvaluation';
import { withConfigurationOptions } from '../../../server/src/features/configurationOptions';
import type { KnowledgeQueries } from '../../../server/src/features/knowledgeQueries';
import { OptionIndex } from '../../../server/src/knowledge/optionIndex';
import { buildFromBytes, removeTemporaryDirectories } from '../knowledge/testSetup';

function optionsJson(names: string[]): Buffer {
  const records: Record<string, unknown> = {};
  for (const name of names) records[name] = { loc: name.split('.'), type: 'boolean', description: `The ${name} option.` };
  return Buffer.from(JSON.stringify(records));
}

const BOX = ['my.backup.enable', 'services.openssh.enable', 'home-manager.users.<name>.programs.git.enable', 'home-manager.users.<name>.programs.git.userName'];
const TOWER = ['services.openssh.enable', 'services.nginx.enable'];
const PARTS = ['systems', 'debug', 'flake', 'perSystem', 'perSystem.devShells', 'perSystem.packages', 'perSystem.checks'];

const channel = {
  optionChildren: () => ({ items: [{ name: 'channel-only', kind: 'option' }], incomplete: false, loading: false }),
  lookupOption: () => ({ loc: ['channel-only'] }),
  classifyOption: () => ({ kind: 'unknown' }),
  isLoading: () => true,
  packageChildren: () => ({ items: [{ name: 'hello', kind: 'package' }], incomplete: false, loading: false }),
} as unknown as KnowledgeQueries;

let box: OptionIndex;
let tower: OptionIndex;
let parts: OptionIndex;
beforeAll(async () => {
  parts = new OptionIndex((await buildFromBytes('options', optionsJson(PARTS))).file);
  box = new OptionIndex((await buildFromBytes('options', optionsJson(BOX))).file);
  tower = new OptionIndex((await buildFromBytes('options', optionsJson(TOWER))).file);
});
afterAll(() => removeTemporaryDirectories());

const set = (configuration: string, index: OptionIndex, tree: OptionTree = 'nixos', prefix: string[] = [], inline?: boolean): FileOptionSet => ({
  configuration,
  index,
  membership: { configuration, tree, prefix, ...(inline ? { inline } : {}) },
});

describe('configuration options', () => {
  it('keeps the channel for a file in no configuration', () => {
    expect(withConfigurationOptions(channel, [])).toBe(channel);
  });

  it('merges the sets of every configuration a file belongs to, and says where an option comes from', () => {
    const queries = withConfigurationOptions(channel, [set('nixosConfigurations.box', box), set('nixosConfigurations.tower', tower)])!;
    expect(queries.optionChildren('nixos', ['services']).items.map((i) => i.name)).toEqual(['nginx', 'openssh']);
    // Asked again (a list kept from the first time): the same, whatever the caller did to the first.
    const first = queries.optionChildren('nixos', ['services', 'openssh'], { types: true });
    const expected = structuredClone(first);
    first.items[0]!.name = 'changed';
    first.items.pop();
    expect(queries.optionChildren('nixos', ['services', 'openssh'], { types: true })).toEqual(expected);
    expect(queries.optionChildren('nixos', ['services', 'openssh'], { prefix: 'x' }).items).toEqual([]);
    expect(queries.lookupOption('nixos', ['services', 'openssh', 'enable'])?.configurations).toEqual(['nixosConfigurations.box', 'nixosConfigurations.tower']);
    expect(queries.lookupOption('nixos', ['my', 'backup', 'enable'])?.configurations).toEqual(['nixosConfigurations.box']);
    expect(queries.classifyOption('nixos', ['services', 'nginx', 'enable'])?.kind).toBe('option');
    expect(queries.classifyOption('nixos', ['services', 'nginx', 'enabel'])?.kind).toBe('unknown');
    expect(queries.isLoading('nixos')).toBe(false);
    // Packages still come from the channel.
    expect(queries.packageChildren([]).items.map((i) => i.name)).toEqual(['hello']);
  });

  it('looks up a Home Manager module of a NixOS configuration below home-manager.users', () => {
    const queries = withConfigurationOptions(channel, [set('nixosConfigurations.box', box, 'home-manager', ['home-manager', 'users', '<name>'])])!;
    expect(queries.optionChildren('home-manager', ['programs', 'git']).items.map((i) => i.name)).toEqual(['enable', 'userName']);
    const classified = queries.classifyOption('home-manager', ['programs', 'git', 'enable']);
    expect(classified).toEqual({ kind: 'option', option: ['programs', 'git', 'enable'] });
    // Written in full inside a NixOS module, the user's name matches `<name>`.
    const system = withConfigurationOptions(channel, [set('nixosConfigurations.box', box)])!;
    expect(system.optionChildren('nixos', ['home-manager', 'users', 'alice', 'programs', 'git']).items.map((i) => i.name)).toEqual(['enable', 'userName']);
  });
});

describe('flake-parts options', () => {
  it("answers flake-parts modules from the flake-parts set, and the flake's NixOS modules from the channel", () => {
    // flake.nix holds mkFlake's module inline, and maybe `nixosSystem` modules beside it.
    const queries = withConfigurationOptions(channel, [set('flake-parts', parts, 'flake-parts', [], true)])!;
    expect(queries.optionChildren('flake-parts', ['perSystem']).items.map((i) => i.name)).toEqual(['checks', 'devShells', 'packages']);
    expect(queries.lookupOption('flake-parts', ['systems'])?.configurations).toEqual(['flake-parts']);
    expect(queries.classifyOption('flake-parts', ['perSystem', 'devShell'])).toEqual({ kind: 'inside-option', option: ['perSystem'] });
    expect(queries.isLoading('flake-parts')).toBe(false);
    expect(queries.optionChildren('nixos', ['services']).items.map((i) => i.name)).toEqual(['channel-only']);
    expect(queries.isLoading('nixos')).toBe(true);
  });

  it('looks up a module perSystem imports below perSystem, and never asks a NixOS set about flake-parts', () => {
    const perSystem = withConfigurationOptions(channel, [set('flake-parts', parts, 'flake-parts', ['perSystem'])])!;
    expect(perSystem.classifyOption('flake-parts', ['devShells'])).toEqual({ kind: 'option', option: ['devShells'] });
    const system = withConfigurationOptions(channel, [set('nixosConfigurations.box', box)])!;
    expect(system.classifyOption('flake-parts', ['systems'])).toEqual({ kind: 'unknown' });
    expect(system.optionChildren('flake-parts', []).items.map((i) => i.name)).toEqual(['channel-only']);
  });
});

describe('evaluation failures', () => {
  it('names both versions when this nixpkgs refuses the installed Nix', () => {
    const stderr = `error: evaluation aborted with the following error message: '
       This version of Nixpkgs requires an implementation of Nix with the following features:
       - \`builtins.nixVersion\` reports at least 2.18

       You are evaluating with Nix 2.8.0, please upgrade:`;
    const error = readableFailure(stderr);
    expect(error.message).toBe('its nixpkgs needs Nix 2.18 or newer; the installed Nix is 2.8.0');
    expect(error.needsNewerNix).toEqual({ required: '2.18', installed: '2.8.0' });
  });

  it("keeps Nix's summary and the last file it points at", () => {
    const stderr = `error:
       … while evaluating the attribute 'options'
         at «string»:3:7:
       … while calling the 'import' builtin
         at /nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-source/flake.nix:9:12:
       error: undefined variable 'hoem-manager'
       at /nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-source/hosts/box.nix:4:5:
            3| {
            4|   imports = [ hoem-manager.nixosModules.home-manager ];`;
    const error = readableFailure(stderr);
    expect(error.message).toBe("undefined variable 'hoem-manager'");
    expect(errorLocation(stderr)).toEqual({ file: '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-source/hosts/box.nix', line: 4, column: 5 });
  });
});
