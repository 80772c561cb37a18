import { describe, expect, it } from 'vitest';
import { knowledgeSites, type OptionSite } from '../../../server/src/analysis/knowledgeSites';
import { analyze } from './nixSnippets';

/** Each option site as `tree: prefix | names`, computed names as `${…}`. */
function describeSite(site: OptionSite): string {
  return `${site.tree}: ${site.prefix.join('.')} | ${site.names.map((n) => n.name ?? '${…}').join('.')}`;
}

describe('option definition sites', () => {
  it('records the bindings of a confident module with the option path above them', async () => {
    const analysis = await analyze(`{ config, lib, ... }: {
  imports = [ ./a.nix ];
  options.services.demo.enable = lib.mkEnableOption "demo";
  config = lib.mkIf true (lib.mkMerge [
    { services.nginx = { enable = true; virtualHosts."x.org".root = ./www; }; }
    { users.users.\${"a"}.isNormalUser = true; swapDevices = [ { device = "/s"; } ]; }
  ]);
}`);
    const sites = knowledgeSites(analysis);
    expect(sites.options.map(describeSite)).toEqual([
      'nixos:  | services.nginx',
      'nixos: services.nginx | enable',
      'nixos: services.nginx | virtualHosts.x.org.root',
      'nixos:  | users.users.${…}.isNormalUser',
      'nixos:  | swapDevices',
      'nixos: swapDevices.* | device',
    ]);
    expect(sites.options[1]!.parent).toBe(sites.options[0]);
    expect(sites.declaredOptions).toEqual([['services', 'demo', 'enable']]);
    // Computed once per analysis and set of hints.
    expect(knowledgeSites(analysis)).toBe(sites);
  });

  it('stops below computed names and starts afresh in modules inside modules', async () => {
    const analysis = await analyze(`{ config, name, ... }: {
  services.\${name}.enable = true;
  users.users.\${name} = { isNormalUser = true; };
  home-manager.users.alice = { programs.git.enable = true; };
}`);
    expect(knowledgeSites(analysis).options.map(describeSite)).toEqual([
      'nixos:  | services.${…}.enable',
      'nixos:  | users.users.${…}',
      'nixos:  | home-manager.users.alice',
      'home-manager:  | programs.git.enable',
    ]);
    expect(knowledgeSites(analysis).options[3]!.parent).toBeUndefined();
  });

  it('records nothing outside confident modules unless told the file is one', async () => {
    const analysis = await analyze('{ services.nginx.enable = true; }');
    expect(knowledgeSites(analysis).options).toEqual([]);
    expect(knowledgeSites(analysis, { module: { tree: 'home-manager' } }).options.map(describeSite)).toEqual(['home-manager:  | services.nginx.enable']);
  });
});

describe('package references', () => {
  it('records names selected from nixpkgs, with the set they are looked up in', async () => {
    const analysis = await analyze(`{ pkgs, lib, ... }:
let
  py = pkgs.python3Packages;
  inherit (pkgs) hello;
in [ pkgs.ripgrep pkgs.pkgs.jq py.requests pkgs.lib.id pkgs.stdenv.cc (with pkgs; zlib.dev) pkgs.fd or null pkgs.\${"x"}.y ]`);
    const references = knowledgeSites(analysis).packages.map((r) => `${r.parent.join('.')}|${r.name}`);
    expect(references).toEqual(['|python3Packages', '|hello', '|ripgrep', '|jq', 'python3Packages|requests', '|stdenv', 'stdenv|cc']);
  });
});
