// Real flakes for the configuration tests and benchmarks: NixOS with Home Manager and sops-nix,
// Home Manager alone, nix-darwin and flake-parts, all over the real source archives of
// ../shared/data/sources as `file://…tar.gz` inputs (Nix 2.8 and 2.26 both read them, and a locked
// tarball already in the store is not fetched again). The archives and one lock file shared by
// every flake (they declare the same inputs) live under one directory in /tmp — the only place
// the chrooted Nix 2.26 sees — made once and reused by later runs.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './lspClient';
import { nixInstallations, type NixInstallation } from './nixInstallations';

export const SOURCES_DIR = join(repoRoot, '..', 'shared', 'data', 'sources');
const ARCHIVES = ['nixpkgs-slim', 'home-manager', 'sops-nix', 'nix-darwin', 'flake-parts'] as const;
/** Shared by test files and runs; nothing in it is specific to one test. */
export const SHARED_DIR = join(tmpdir(), 'nix-nur-configuration-sources');

export function sourcesAvailable(): boolean {
  return ARCHIVES.every((name) => existsSync(join(SOURCES_DIR, `${name}.tar.gz`)));
}

/** Only nixpkgs: what a Nix too old for this nixpkgs is tried with (locking it copies the least). */
const NIXPKGS_ONLY = (dir: string) => `  inputs.nixpkgs.url = "file://${dir}/nixpkgs-slim.tar.gz";
`;

const INPUTS = (dir: string) => `  inputs = {
    nixpkgs.url = "file://${dir}/nixpkgs-slim.tar.gz";
    home-manager = { url = "file://${dir}/home-manager.tar.gz"; inputs.nixpkgs.follows = "nixpkgs"; };
    sops-nix = { url = "file://${dir}/sops-nix.tar.gz"; inputs.nixpkgs.follows = "nixpkgs"; };
    nix-darwin = { url = "file://${dir}/nix-darwin.tar.gz"; inputs.nixpkgs.follows = "nixpkgs"; };
    flake-parts = { url = "file://${dir}/flake-parts.tar.gz"; inputs.nixpkgs-lib.follows = "nixpkgs"; };
  };
`;

/** The files of each test flake (flake.nix gets the shared inputs). */
export const FLAKES = {
  nixos: {
    'flake.nix': `{
INPUTS
  outputs = { self, nixpkgs, home-manager, sops-nix, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ./configuration.nix
        home-manager.nixosModules.home-manager
        sops-nix.nixosModules.sops
      ];
    };
  };
}
`,
    'configuration.nix': `{ config, lib, pkgs, ... }:
{
  imports = [ ./backup.nix ./users ];
  # The slim nixpkgs lacks a few modules its module list names.
  _module.check = false;
  my.backup.enable = true;
  sops.secrets.foo.owner = "alice";
  home-manager.users.alice.programs.git.enable = true;
}
`,
    'backup.nix': `{ lib, ... }:
{
  options.my.backup.enable = lib.mkEnableOption "nightly backups";
}
`,
    'users/default.nix': `{ ... }:
{
  home-manager.users.alice = import ./alice.nix;
}
`,
    'users/alice.nix': `{ pkgs, ... }:
{
  programs.git.enable = true;
  home.stateVersion = "25.05";
}
`,
    'unrelated.nix': `{ config, ... }:
{
  services.openssh.enable = true;
}
`,
  },
  home: {
    'flake.nix': `{
INPUTS
  outputs = { self, nixpkgs, home-manager, ... }: {
    homeConfigurations.alice = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./home.nix ];
    };
  };
}
`,
    'home.nix': `{ pkgs, ... }:
{
  home.username = "alice";
  home.homeDirectory = "/home/alice";
  home.stateVersion = "25.05";
  programs.git.enable = true;
}
`,
  },
  darwin: {
    'flake.nix': `{
INPUTS
  outputs = { self, nixpkgs, nix-darwin, ... }: {
    darwinConfigurations.mac = nix-darwin.lib.darwinSystem {
      system = "aarch64-darwin";
      modules = [ ./darwin.nix ];
    };
  };
}
`,
    'darwin.nix': `{ pkgs, ... }:
{
  homebrew.casks = [ "firefox" ];
  system.stateVersion = 6;
}
`,
  },
  nixpkgsOnly: {
    'flake.nix': `{
NIXPKGS_ONLY
  outputs = { self, nixpkgs }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./configuration.nix ];
    };
  };
}
`,
    'configuration.nix': `{ config, ... }:
{
  _module.check = false;
  services.openssh.enable = true;
}
`,
  },
  parts: {
    'flake.nix': `{
INPUTS
  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      imports = [ ./parts/shells.nix ];
      systems = [ "x86_64-linux" ];
      perSystem = { pkgs, system, ... }: {
        packages.hello = pkgs.hello;
      };
      flake = { nixosModules.x = ./x.nix; };
    };
}
`,
    'parts/shells.nix': `{ ... }:
{
  perSystem = { pkgs, ... }: {
    devShells.default = pkgs.mkShell { };
  };
}
`,
    'x.nix': `{ config, ... }:
{
  services.openssh.enable = true;
}
`,
  },
} as const;

export type FlakeName = keyof typeof FLAKES;

/** Environment for Nix in these tests: a home under the shared directory. */
export function nixEnvironment(installation: NixInstallation): NodeJS.ProcessEnv {
  const home = join(SHARED_DIR, `home-${installation.version}`);
  mkdirSync(home, { recursive: true });
  return { ...installation.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), NIX_PATH: '' };
}

/** The archives copied under /tmp (once), and the lock file every test flake with these inputs shares. */
function sharedSources(installation: NixInstallation, inputs: (dir: string) => string): { dir: string; lock: string } {
  const dir = SHARED_DIR;
  mkdirSync(dir, { recursive: true });
  for (const name of ARCHIVES) {
    const from = join(SOURCES_DIR, `${name}.tar.gz`);
    const to = join(dir, `${name}.tar.gz`);
    if (existsSync(to) && statSync(to).size === statSync(from).size) continue;
    copyFileSync(from, `${to}.part`);
    renameSync(`${to}.part`, to);
  }
  // One lock for every Nix (the format is the same): an input whose narHash is already in the
  // store is not fetched again, so a later Nix reading it skips the copy of nixpkgs.
  const locker = nixInstallations().find((i) => /^2\.(1[89]|[2-9]\d)/.test(i.version)) ?? installation;
  const lock = join(dir, `flake.lock-${inputs === INPUTS ? 'all' : 'nixpkgs'}`);
  if (!existsSync(lock)) {
    const locking = join(dir, `locking-${process.pid}`);
    mkdirSync(locking, { recursive: true });
    writeFileSync(join(locking, 'flake.nix'), `{\n${inputs(dir)}  outputs = { self, ... }: { };\n}\n`);
    execFileSync(join(locker.binDir, 'nix'), ['--extra-experimental-features', 'nix-command flakes', 'flake', 'lock'], {
      cwd: locking,
      env: nixEnvironment(locker),
      stdio: 'pipe',
      timeout: 10 * 60_000,
    });
    renameSync(join(locking, "flake.lock"), lock);
    rmSync(locking, { recursive: true, force: true });
  }
  return { dir, lock };
}

/** Writes the flake `name` into `root` (a directory under /tmp) with its lock; returns its directory. */
export function makeFlake(name: FlakeName, root: string, installation: NixInstallation): string {
  const only = name === 'nixpkgsOnly';
  const { dir, lock } = sharedSources(installation, only ? NIXPKGS_ONLY : INPUTS);
  const flakeDir = join(root, name);
  for (const [file, text] of Object.entries(FLAKES[name])) {
    const path = join(flakeDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text.replace('INPUTS\n', INPUTS(dir)).replace('NIXPKGS_ONLY\n', NIXPKGS_ONLY(dir)));
  }
  writeFileSync(join(flakeDir, 'flake.lock'), readFileSync(lock));
  return flakeDir;
}

/** nixpkgs unpacked under the shared directory (once), for `NIX_PATH=nixpkgs=…` configurations. */
export function unpackedNixpkgs(): string {
  const dir = join(SHARED_DIR, 'nixpkgs-slim');
  if (existsSync(join(dir, 'default.nix'))) return dir;
  mkdirSync(SHARED_DIR, { recursive: true });
  const partial = join(SHARED_DIR, `unpacking-${process.pid}`);
  mkdirSync(partial, { recursive: true });
  execFileSync('tar', ['-xzf', join(SOURCES_DIR, 'nixpkgs-slim.tar.gz'), '-C', partial], { stdio: 'ignore', timeout: 10 * 60_000 });
  renameSync(join(partial, 'nixpkgs-slim'), dir);
  rmSync(partial, { recursive: true, force: true });
  return dir;
}
