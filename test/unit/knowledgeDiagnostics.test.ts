// Unknown options and packages, checked against small real indexes built from hand-written
// options.json and packages.json records by the knowledge layer's own builder, then against the
// real nixpkgs, NixOS and Home Manager data served by the knowledge service.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { Analysis } from '../../server/src/analysis/analysis';
import { knowledgeDiagnostics, knowledgeQuickFixes, type KnowledgeDiagnosticsOptions } from '../../server/src/features/knowledgeDiagnostics';
import type { KnowledgeQueries, OptionScope } from '../../server/src/features/knowledgeQueries';
import type { SourceKind } from '../../server/src/knowledge/cacheStore';
import { KnowledgeService } from '../../server/src/knowledge/knowledgeService';
import { OptionIndex } from '../../server/src/knowledge/optionIndex';
import { PackageIndex } from '../../server/src/knowledge/packageIndex';
import { analyze } from './analysis/nixSnippets';
import { buildFromBytes, removeTemporaryDirectories, sharedData, temporaryDirectory } from './knowledge/testSetup';

const NIXOS_OPTIONS = [
  'services.nginx.enable',
  'services.nginx.package',
  'services.nginx.virtualHosts',
  'services.nginx.virtualHosts.<name>.root',
  'services.nginx.virtualHosts.<name>.forceSSL',
  'services.nginx.virtualHosts.<name>.locations.<name>.proxyPass',
  'services.openssh.enable',
  'services.openssh.settings',
  'services.openssh.settings.PermitRootLogin',
  'boot.kernel.sysctl',
  'boot.kernel.sysctl."net.ipv4.ip_forward"',
  'environment.systemPackages',
  'networking.hostName',
  'swapDevices',
  'swapDevices.*.device',
  'users.users',
  'users.users.<name>.isNormalUser',
  'users.users.<name>.extraGroups',
  'system.stateVersion',
];

const HOME_MANAGER_OPTIONS = ['home.packages', 'home.stateVersion', 'programs.git.enable', 'programs.git.userName', 'programs.git.includes', 'programs.git.includes.*.path', 'programs.git.includes.*.condition'];

/** What an evaluated flake-parts flake has, with the types that decide what is checked below an option. */
const FLAKE_PARTS_OPTIONS: Record<string, string> = {
  systems: 'list of string',
  debug: 'boolean',
  flake: 'open submodule of lazy attribute set of raw value',
  'flake.nixosModules': 'lazy attribute set of module',
  perSystem: 'module',
  'perSystem.devShells': 'lazy attribute set of package',
  'perSystem.packages': 'lazy attribute set of package',
  'perSystem.checks': 'lazy attribute set of package',
};

const PACKAGES = ['hello', 'ripgrep', 'openssl_3', 'cmakeMinimal', 'python313Packages.requests', 'python313Packages.flask', 'zlib'];

/** `loc` from a dotted name, keeping quoted parts whole as options.json does. */
function loc(name: string): string[] {
  return name.match(/"[^"]*"|[^.]+/g)!.map((part) => part.replace(/^"|"$/g, ''));
}

function optionsJson(names: string[]): Buffer {
  const records: Record<string, unknown> = {};
  for (const name of names) {
    records[name] = { declarations: ['nixos/modules/test.nix'], description: `The ${name} option.`, loc: loc(name), readOnly: false, type: 'unspecified' };
  }
  return Buffer.from(JSON.stringify(records));
}

function packagesJson(paths: string[]): Buffer {
  const records: Record<string, unknown> = {};
  for (const path of paths) {
    const pname = path.split('.').pop()!;
    records[path] = { name: `${pname}-1.0`, pname, version: '1.0', system: 'x86_64-linux', outputName: 'out', outputs: { out: null }, meta: { description: `The ${pname} package.` } };
  }
  return Buffer.from(JSON.stringify(records));
}

/** The knowledge service's contract, answered from real indexes; a source can be marked loading. */
class IndexedKnowledge implements KnowledgeQueries {
  readonly loading = new Set<SourceKind | OptionScope>();

  constructor(
    private readonly packages: PackageIndex | undefined,
    private readonly options: Partial<Record<OptionScope, OptionIndex>>,
  ) {}

  private packageIndex() {
    return this.loading.has('nixpkgs') ? undefined : this.packages;
  }

  private optionIndex(scope: OptionScope) {
    return this.loading.has(scope) ? undefined : this.options[scope];
  }

  packageChildren(path: readonly string[], options?: { prefix?: string; limit?: number }) {
    const index = this.packageIndex();
    if (!index) return { items: [], incomplete: this.isLoading('nixpkgs'), loading: this.isLoading('nixpkgs') };
    return { ...index.children(path, options), loading: false };
  }

  lookupPackage(path: readonly string[]) {
    return this.packageIndex()?.lookup(path);
  }

  lookupPackages(paths: readonly (readonly string[])[]) {
    return paths.map((path) => this.lookupPackage(path));
  }

  optionChildren(scope: OptionScope, path: readonly string[], options?: { prefix?: string; limit?: number }) {
    const index = this.optionIndex(scope);
    if (!index) return { items: [], incomplete: this.isLoading(scope), loading: this.isLoading(scope) };
    return { ...index.children(path, options), loading: false };
  }

  lookupOption(scope: OptionScope, path: readonly string[]) {
    return this.optionIndex(scope)?.lookupOption(path);
  }

  lookupNurRepo() {
    return undefined;
  }

  libChildren() {
    return { items: [], incomplete: false, loading: false };
  }

  lookupLib() {
    return undefined;
  }

  nixpkgsRevision() {
    return 'nixos-unstable';
  }

  nixpkgsSource() {
    return undefined;
  }

  classifyOption(scope: OptionScope, path: readonly string[]) {
    return this.optionIndex(scope)?.classify(path);
  }

  isLoading(kind: SourceKind | OptionScope) {
    return this.loading.has(kind);
  }
}

let knowledge: IndexedKnowledge;

beforeAll(async () => {
  const nixos = new OptionIndex((await buildFromBytes('options', optionsJson(NIXOS_OPTIONS))).file);
  const homeManager = new OptionIndex((await buildFromBytes('options', optionsJson(HOME_MANAGER_OPTIONS))).file);
  const packages = new PackageIndex((await buildFromBytes('packages', packagesJson(PACKAGES))).file);
  const records = JSON.parse(optionsJson(Object.keys(FLAKE_PARTS_OPTIONS)).toString()) as Record<string, { type: string }>;
  for (const [name, type] of Object.entries(FLAKE_PARTS_OPTIONS)) records[name]!.type = type;
  const flakeParts = new OptionIndex((await buildFromBytes('options', Buffer.from(JSON.stringify(records)))).file);
  knowledge = new IndexedKnowledge(packages, { nixos, 'home-manager': homeManager, 'flake-parts': flakeParts });
});

afterAll(removeTemporaryDirectories);

const URI = 'file:///project/configuration.nix';

async function check(text: string, options: KnowledgeDiagnosticsOptions = {}, uri = URI): Promise<{ analysis: Analysis; diagnostics: Diagnostic[] }> {
  const analysis = await analyze(text);
  return { analysis, diagnostics: knowledgeDiagnostics(analysis, uri, knowledge, options) };
}

/** `message @ reported text` for each diagnostic. */
async function reported(text: string, options: KnowledgeDiagnosticsOptions = {}, uri = URI): Promise<string[]> {
  const { analysis, diagnostics } = await check(text, options, uri);
  return diagnostics.map((d) => {
    const start = analysis.lines.offsetAt(d.range.start);
    const end = analysis.lines.offsetAt(d.range.end);
    return `${d.message} @ ${text.slice(start, end)}`;
  });
}

describe('unknown options', () => {
  it('reports a misspelt option with a suggestion, on the misspelt name', async () => {
    const text = '{ config, pkgs, ... }:\n{\n  services.nginx.enabel = true;\n}\n';
    const { diagnostics } = await check(text);
    expect(diagnostics).toEqual([
      {
        range: { start: { line: 2, character: 17 }, end: { line: 2, character: 23 } },
        severity: DiagnosticSeverity.Warning,
        code: 'unknown-option',
        source: 'nix-nur',
        message: "Unknown NixOS option 'services.nginx.enabel'. Did you mean 'enable'?",
        data: { name: 'enabel', suggestion: 'enable', replacement: 'enable' },
      },
    ]);
  });

  it('follows nested sets and reports the first unknown name only', async () => {
    expect(await reported('{ config, ... }: { services.nginx = { enable = true; enabel = false; }; services.ngnix = { enable = true; }; }')).toEqual([
      "Unknown NixOS option 'services.nginx.enabel'. Did you mean 'enable'? @ enabel",
      "Unknown NixOS option 'services.ngnix'. Did you mean 'nginx'? @ ngnix",
    ]);
  });

  it('sees through mkIf, mkMerge, mkDefault and mkForce', async () => {
    const text = `{ config, lib, ... }:
{
  config = lib.mkIf config.services.nginx.enable (lib.mkMerge [
    { services.nginx.enable = lib.mkDefault true; }
    { networking.hostNme = "x"; }
    (lib.mkIf true { services.openssh = lib.mkForce { enabl = true; }; })
  ]);
}`;
    expect(await reported(text)).toEqual([
      "Unknown NixOS option 'networking.hostNme'. Did you mean 'hostName'? @ hostNme",
      "Unknown NixOS option 'services.openssh.enabl'. Did you mean 'enable'? @ enabl",
    ]);
  });

  it('leaves out the config prefix of an explicit module and the options it declares', async () => {
    const text = `{ config, lib, ... }:
let cfg = config.services.demo; in
{
  options.services.demo = {
    enable = lib.mkEnableOption "demo";
    port = lib.mkOption { type = lib.types.port; };
  };
  options.programs.tool.enable = lib.mkEnableOption "tool";
  config = lib.mkIf cfg.enable {
    services.demo.port = 8080;
    programs.tool.enable = true;
    services.nginx.enabel = true;
  };
  config.networking.hostNam = "x";
}`;
    expect(await reported(text)).toEqual([
      "Unknown NixOS option 'services.nginx.enabel'. Did you mean 'enable'? @ enabel",
      "Unknown NixOS option 'networking.hostNam'. Did you mean 'hostName'? @ hostNam",
    ]);
  });

  it('never reports inside option declarations', async () => {
    const text = '{ lib, config, ... }: { options = { services.nginxx.enabel = lib.mkOption { default = { enabel = 1; }; }; }; }';
    expect(await reported(text)).toEqual([]);
  });

  it('never reports inside an option value, and resolves <name> and * parts', async () => {
    const text = `{ config, ... }: {
  boot.kernel.sysctl."vm.swappiness" = 10;
  boot.kernel.sysctl = { "net.ipv4.ip_forward" = true; "net.core.rmem_max" = 1; };
  services.openssh.settings.PasswordAuthentication = false;
  services.nginx.virtualHosts."example.org" = { root = ./www; forceSSL = true; locations."/".proxyPass = "http://x"; };
  users.users.alice.isNormalUser = true;
  swapDevices = [ { device = "/swap"; } ];
}`;
    expect(await reported(text)).toEqual([]);
  });

  it('checks names below the options of a submodule', async () => {
    const text = `{ config, ... }: {
  services.nginx.virtualHosts."example.org" = { rooot = ./www; locations."/".proxyPas = "http://x"; };
  users.users.alice = { isNormalUsr = true; extraGroups = [ "wheel" ]; };
  swapDevices = [ { devce = "/swap"; } ];
}`;
    expect(await reported(text)).toEqual([
      "Unknown NixOS option 'services.nginx.virtualHosts.\"example.org\".rooot'. Did you mean 'root'? @ rooot",
      "Unknown NixOS option 'services.nginx.virtualHosts.\"example.org\".locations.\"/\".proxyPas'. Did you mean 'proxyPass'? @ proxyPas",
      "Unknown NixOS option 'users.users.alice.isNormalUsr'. Did you mean 'isNormalUser'? @ isNormalUsr",
      "Unknown NixOS option 'swapDevices.*.devce'. Did you mean 'device'? @ devce",
    ]);
  });

  it('never reports computed names or anything below them', async () => {
    const text = '{ config, name, ... }: { services.${name}.enable = true; services.nginx.${name} = 1; users.users.${name} = { isNormalUsr = true; }; }';
    expect(await reported(text)).toEqual([]);
  });

  it('reports only in confident modules', async () => {
    // A function of lib and pkgs only may be anything; a bare set is not a module either.
    expect(await reported('{ lib, pkgs, ... }: { services.nginx.enabel = true; }')).toEqual([]);
    expect(await reported('{ services.nginx.enabel = true; }')).toEqual([]);
    // Unless another file imports it as a module.
    expect(await reported('{ services.nginx.enabel = true; }', { module: { tree: 'nixos' } })).toEqual([
      "Unknown NixOS option 'services.nginx.enabel'. Did you mean 'enable'? @ enabel",
    ]);
  });

  it('reports a misspelt top-level name only when it has a suggestion', async () => {
    const text = '{ config, ... }: { servcies.nginx.enable = true; sops.secrets.key = { }; disko.devices = { }; }';
    expect(await reported(text)).toEqual(["Unknown NixOS option 'servcies'. Did you mean 'services'? @ servcies"]);
  });

  it('checks Home Manager modules against the Home Manager index', async () => {
    const nixos = `{ config, pkgs, ... }: {
  home-manager.useGlobalPkgs = true;
  home-manager.users.alice = { pkgs, ... }: { programs.git.enabel = true; home.stateVersion = "24.05"; };
}`;
    expect(await reported(nixos)).toEqual(["Unknown Home Manager option 'programs.git.enabel'. Did you mean 'enable'? @ enabel"]);
    const home = '{ config, pkgs, ... }: { home.packages = [ ]; programs.git.userNam = "a"; programs.git.includes = [ { path = ./x; conditon = "y"; } ]; }';
    expect(await reported(home, {}, 'file:///home/alice/home.nix')).toEqual([
      "Unknown Home Manager option 'programs.git.userNam'. Did you mean 'userName'? @ userNam",
      "Unknown Home Manager option 'programs.git.includes.*.conditon'. Did you mean 'condition'? @ conditon",
    ]);
  });

  it('checks modules given to nixosSystem in a flake', async () => {
    const text = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs }: {
    nixosConfigurations.host = nixpkgs.lib.nixosSystem {
      modules = [ ./configuration.nix { services.nginx.enabel = true; } ];
    };
  };
}`;
    expect(await reported(text, {}, 'file:///project/flake.nix')).toEqual(["Unknown NixOS option 'services.nginx.enabel'. Did you mean 'enable'? @ enabel"]);
  });

  it("checks flake-parts' module and perSystem in a flake, and the NixOS modules it holds against NixOS", async () => {
    const text = `{
  outputs = inputs@{ flake-parts, nixpkgs, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      sytems = [ "x86_64-linux" ];
      perSystem = { pkgs, ... }: {
        devShell.default = pkgs.mkShell { };
        packages.hello = pkgs.hello;
        _module.args.pkgs = import nixpkgs { };
      };
      flake = { nixosModules.x = { services.nginx.enabel = true; }; anything.goes = 1; };
    };
}`;
    expect(await reported(text, {}, 'file:///project/flake.nix')).toEqual([
      "Unknown flake-parts option 'sytems'. Did you mean 'systems'? @ sytems",
      "Unknown flake-parts option 'perSystem.devShell'. Did you mean 'devShells'? @ devShell",
      "Unknown NixOS option 'services.nginx.enabel'. Did you mean 'enable'? @ enabel",
    ]);
  });

  it('reports only names that look like a typo of a known one', async () => {
    // Nothing close: an option from a module elsewhere, or one renamed and left out of the index.
    expect(await reported('{ config, ... }: { services.nginx.frobnicate = true; services.myown.enable = true; }')).toEqual([]);
  });

  it('says nothing while the option index loads, or without one', async () => {
    const text = '{ config, ... }: { services.nginx.enabel = true; }';
    knowledge.loading.add('nixos');
    try {
      expect(await reported(text)).toEqual([]);
    } finally {
      knowledge.loading.delete('nixos');
    }
    const analysis = await analyze(text);
    const empty = new IndexedKnowledge(undefined, {});
    expect(knowledgeDiagnostics(analysis, URI, empty)).toEqual([]);
  });

  it('can be turned off', async () => {
    expect(await reported('{ config, pkgs, ... }: { services.nginx.enabel = true; environment.systemPackages = [ pkgs.helo ]; }', { options: false, packages: false })).toEqual([]);
  });
});

describe('unknown packages', () => {
  it('reports a misspelt pkgs attribute with a suggestion', async () => {
    const text = '{ config, pkgs, ... }: { environment.systemPackages = [ pkgs.helo pkgs.hello pkgs.ripgrep ]; }';
    const { diagnostics } = await check(text);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'unknown-package',
      severity: DiagnosticSeverity.Warning,
      message: "Unknown nixpkgs package 'helo'. Did you mean 'hello'?",
      data: { name: 'helo', suggestion: 'hello', replacement: 'hello' },
    });
  });

  it('checks names inside package sets the index lists', async () => {
    expect(await reported('{ pkgs }: [ pkgs.python313Packages.reqests pkgs.python313Packages.flask ]')).toEqual([
      "Unknown nixpkgs package 'python313Packages.reqests'. Did you mean 'requests'? @ reqests",
    ]);
  });

  it('never reports names a with may provide, free names or overlay arguments', async () => {
    expect(await reported('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ helo ]; x = with pkgs; helo.out; }')).toEqual([]);
    expect(await reported('pkgs.helo')).toEqual([]);
    expect(await reported('final: prev: { x = prev.helo; y = final.helo; }')).toEqual([]);
  });

  it('never reports what the index cannot know', async () => {
    const text = `{ pkgs, lib, ... }: {
  a = pkgs.fetchFromGitHub { };
  b = pkgs.stdenv.mkDerivation { };
  c = pkgs.lib.mkIf true pkgs.hello.overrideAttrs;
  d = pkgs.openssl;
  e = pkgs.cmake;
  f = pkgs.python3Packages.requests;
  g = pkgs.zzzzzzzz;
  h = pkgs.helo or null;
  i = pkgs ? helo;
  j = pkgs.\${lib.name}.helo;
}`;
    expect(await reported(text)).toEqual([]);
  });

  it('follows nixpkgs from flake inputs, imports and inherit', async () => {
    const flake = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs }: let system = "x86_64-linux"; in {
    packages.\${system}.default = nixpkgs.legacyPackages.\${system}.helo;
    packages.x86_64-linux.other = nixpkgs.legacyPackages.x86_64-linux.ripgrp;
  };
}`;
    expect(await reported(flake, {}, 'file:///project/flake.nix')).toEqual([
      "Unknown nixpkgs package 'helo'. Did you mean 'hello'? @ helo",
      "Unknown nixpkgs package 'ripgrp'. Did you mean 'ripgrep'? @ ripgrp",
    ]);
    expect(await reported('let pkgs = import <nixpkgs> { }; inherit (pkgs) zlb hello; in pkgs.helo')).toEqual([
      "Unknown nixpkgs package 'zlb'. Did you mean 'zlib'? @ zlb",
      "Unknown nixpkgs package 'helo'. Did you mean 'hello'? @ helo",
    ]);
  });

  it('says nothing while the package index loads', async () => {
    knowledge.loading.add('nixpkgs');
    try {
      expect(await reported('{ pkgs }: pkgs.helo')).toEqual([]);
    } finally {
      knowledge.loading.delete('nixpkgs');
    }
    expect(await reported('{ pkgs }: pkgs.helo')).toEqual(["Unknown nixpkgs package 'helo'. Did you mean 'hello'? @ helo"]);
  });
});

describe('quick fixes', () => {
  it('replace the unknown name with the suggestion, quoting only when needed', async () => {
    const text = '{ config, pkgs, ... }: { services.nginx."enabel" = true; environment.systemPackages = [ pkgs.helo ]; services.nginx.frobnicate = 1; }';
    const { diagnostics } = await check(text);
    const actions = knowledgeQuickFixes(URI, diagnostics);
    expect(actions.map((a) => a.title)).toEqual(["Change to 'enable'", "Change to 'hello'"]);
    expect(actions[0]!.edit!.changes![URI]).toEqual([{ range: diagnostics[0]!.range, newText: 'enable' }]);
    expect(actions[0]!.isPreferred).toBe(true);
    // Diagnostics of other kinds, or without data, give nothing.
    expect(knowledgeQuickFixes(URI, [{ ...diagnostics[0]!, data: undefined }, { ...diagnostics[1]!, code: 'other' }])).toEqual([]);
  });
});

describe('with the real indexes', () => {
  let service: KnowledgeService;

  beforeAll(async () => {
    service = new KnowledgeService({
      settings: {
        nixpkgs: { packages: join(sharedData, 'nixpkgs', 'packages.json.br'), channel: 'nixos-unstable' },
        nixos: { options: join(sharedData, 'nixpkgs', 'options.json.br') },
        homeManager: { options: join(sharedData, 'home-manager', 'options.json.br') },
        // Not needed here: an empty setting turns a source off.
        nur: { repos: '', packages: '' },
        offline: true,
      },
      workspaceFolders: [],
      cacheDir: temporaryDirectory(),
      trusted: false,
      log: () => undefined,
      notify: () => undefined,
      nixPath: '',
    });
    service.start();
    await service.whenIdle();
  }, 120_000);

  afterAll(() => service.dispose());

  async function realReport(text: string, uri = URI): Promise<string[]> {
    const analysis = await analyze(text);
    return knowledgeDiagnostics(analysis, uri, service).map((d) => `${d.range.start.line}: ${d.message}`);
  }

  it('finds the typos of a configuration', async () => {
    const text = `{ config, pkgs, ... }:
{
  services.nginx.enabel = true;
  networking.hostname = "x";
  boot.loader.grub.devce = "/dev/sda";
  users.users.alice.isNormalUsr = true;
  servcies.printing.enable = true;
  environment.systemPackage = [ pkgs.firefx ];
  services.nginx.virtualHosts."a.org".forceSLL = true;
}`;
    expect(await realReport(text)).toEqual([
      "2: Unknown NixOS option 'services.nginx.enabel'. Did you mean 'enable'?",
      "3: Unknown NixOS option 'networking.hostname'. Did you mean 'hostName'?",
      "4: Unknown NixOS option 'boot.loader.grub.devce'. Did you mean 'device'?",
      "5: Unknown NixOS option 'users.users.alice.isNormalUsr'. Did you mean 'isNormalUser'?",
      "6: Unknown NixOS option 'servcies'. Did you mean 'services'?",
      "7: Unknown NixOS option 'environment.systemPackage'. Did you mean 'systemPackages'?",
      "7: Unknown nixpkgs package 'firefx'. Did you mean 'firefox'?",
      "8: Unknown NixOS option 'services.nginx.virtualHosts.\"a.org\".forceSLL'. Did you mean 'forceSSL'?",
    ]);
  });

  it('reports nothing in correct code full of what the indexes do not list', async () => {
    const configuration = `{ config, lib, pkgs, inputs, ... }:
{
  imports = [ ./hardware-configuration.nix inputs.sops-nix.nixosModules.sops ];
  boot.loader.systemd-boot.enable = true;
  boot.kernelPackages = pkgs.linuxPackages_latest;
  boot.kernel.sysctl."vm.swappiness" = 10;
  boot.initrd.luks.devices."luks-root".device = "/dev/disk/by-uuid/x";
  networking.hostName = "host";
  networking.firewall.allowedTCPPorts = [ 22 80 443 ];
  services.xserver.xkb = { layout = "us"; variant = ""; };
  services.pipewire = { enable = true; alsa.enable = true; pulse.enable = true; };
  services.openssh = { enable = true; settings.PermitRootLogin = "no"; };
  services.nginx.virtualHosts."example.org" = { forceSSL = true; locations."/".proxyPass = "http://127.0.0.1:8080"; };
  users.users.alice = { isNormalUser = true; extraGroups = [ "wheel" ]; packages = with pkgs; [ firefox thunderbird ]; };
  nixpkgs.config.allowUnfree = true;
  nix.settings.experimental-features = [ "nix-command" "flakes" ];
  environment.systemPackages = [ pkgs.vim pkgs.git pkgs.python3 pkgs.python3Packages.requests pkgs.openssl pkgs.cmake pkgs.pkg-config pkgs.nodejs pkgs.jdk ];
  environment.etc."foo/bar.conf".text = "x";
  systemd.services.myservice = { wantedBy = [ "multi-user.target" ]; serviceConfig.ExecStart = "\${pkgs.hello}/bin/hello"; };
  fileSystems."/data" = { device = "/dev/sdb1"; fsType = "ext4"; };
  swapDevices = [ { device = "/swapfile"; size = 4096; } ];
  sops.secrets.foo = { };
  home-manager.useGlobalPkgs = true;
  home-manager.users.alice = { home.stateVersion = "24.05"; programs.git.enable = true; };
  specialisation.gaming.configuration = { hardware.graphics.enable32Bit = true; };
  system.stateVersion = "24.05";
}`;
    expect(await realReport(configuration)).toEqual([]);
    const home = `{ config, pkgs, ... }: {
  home.packages = with pkgs; [ htop bat eza ];
  home.file.".config/foo".text = "x";
  programs.git = { enable = true; settings.user.name = "A"; includes = [ { path = "~/x"; condition = "gitdir:~/w/"; } ]; };
  programs.zsh = { enable = true; shellAliases.ll = "ls -l"; };
  xdg.configFile."x/y".source = ./y;
  programs.vscode.profiles.default.userSettings."editor.fontSize" = 14;
}`;
    expect(await realReport(home, 'file:///home/alice/home.nix')).toEqual([]);
    const packageFile = `{ lib, stdenv, pkgs, fetchFromGitHub }:
stdenv.mkDerivation {
  pname = "x";
  version = "1";
  src = fetchFromGitHub { owner = "o"; repo = "r"; rev = "v1"; hash = lib.fakeHash; };
  nativeBuildInputs = [ pkgs.makeWrapper pkgs.installShellFiles pkgs.meson pkgs.ninja pkgs.python3 ];
  buildInputs = [ pkgs.zlib pkgs.curl pkgs.glib pkgs.qt6.qtbase pkgs.xorg.libX11 pkgs.python312Packages.numpy pkgs.gst_all_1.gstreamer pkgs.llvmPackages.llvm ];
  passthru.updateScript = pkgs.nix-update-script { };
}`;
    expect(await realReport(packageFile, 'file:///project/pkgs/x/package.nix')).toEqual([]);
  });
});
