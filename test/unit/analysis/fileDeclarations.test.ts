// What a file declares for the workspace index: options with their literal facts, the names of
// option paths it writes (declared, set or read), its top-level names and flake outputs, and its
// relative paths. Snippets mark the expected spot with `|`.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from '../../../server/src/analysis/analysis';
import { fileDeclarations, type FileDeclarations } from '../../../server/src/analysis/fileDeclarations';
import { parseNix, withCursor } from '../../support/parse';

async function declarationsOf(text: string, fileName = '/project/module.nix'): Promise<FileDeclarations> {
  const tree = await parseNix(text);
  try {
    return fileDeclarations(analyzeTree(tree, text), fileName);
  } finally {
    tree.delete();
  }
}

/** The option paths of every written name covering the marked offset. */
async function namesAt(marked: string): Promise<{ path: string; role: string }[]> {
  const { text, offset } = withCursor(marked);
  const declarations = await declarationsOf(text);
  return declarations.optionNames
    .filter((n) => n.range.start.line === 0 && n.range.start.character <= offset && offset <= n.range.end.character)
    .map((n) => ({ path: n.path.join('.'), role: n.role }));
}

describe('declared options', () => {
  it('reads mkOption, mkEnableOption and mkPackageOption, bare or lib-qualified', async () => {
    const { options } = await declarationsOf(`{ lib, pkgs, ... }: {
  options.my.backup = {
    enable = lib.mkEnableOption "nightly backups";
    package = lib.mkPackageOption pkgs "restic" { };
    paths = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ "/home" ];
      example = lib.literalExpression ''[ "/srv" ]'';
      description = ''
        Directories to back up.
          Indented line.
      '';
    };
    mode = mkOption { type = types.enum [ "full" "incremental" ]; default = "full"; };
  };
}`);
    expect(options.map((o) => [o.path.join('.'), o.declaredWith, o.type])).toEqual([
      ['my.backup.enable', 'mkEnableOption', 'boolean'],
      ['my.backup.package', 'mkPackageOption', 'package'],
      ['my.backup.paths', 'mkOption', 'list of string'],
      ['my.backup.mode', 'mkOption', 'one of "full", "incremental"'],
    ]);
    const [enable, pkg, paths] = options;
    expect(enable).toMatchObject({ description: 'Whether to enable nightly backups.', default: { text: 'false' }, range: { start: { line: 2, character: 4 } } });
    expect(pkg).toMatchObject({ description: 'The restic package to use.', default: { kind: 'expression', text: 'pkgs.restic' } });
    expect(paths).toMatchObject({
      description: 'Directories to back up.\n  Indented line.',
      default: { kind: 'expression', text: '[ "/home" ]' },
      example: { kind: 'expression', text: '[ "/srv" ]' },
    });
  });

  it('reads nested options sets and the options of submodules', async () => {
    const { options } = await declarationsOf(`{ lib, ... }: with lib; {
  options = {
    my.sites = mkOption {
      type = types.attrsOf (types.submodule ({ name, ... }: { options.port = mkOption { type = types.port; }; }));
    };
    my.users = mkOption { type = types.listOf (types.submodule { options = { name = mkOption { }; }; }); };
  };
  config = { };
}`);
    expect(options.map((o) => o.path.join('.'))).toEqual(['my.sites', 'my.sites.<name>.port', 'my.users', 'my.users.*.name']);
  });

  it('declares nothing outside modules and for values that are not mk…Option calls', async () => {
    expect((await declarationsOf('{ options.a = 1; b = lib.mkOption { }; }')).options).toEqual([]);
    expect((await declarationsOf('let f = { options.x = lib.mkOption { }; }; in f')).options).toEqual([]);
  });
});

describe('option names', () => {
  it('names a declaration once per written name', async () => {
    expect(await namesAt('{ lib, ... }: { options.my.ba|ckup = { enable = lib.mkEnableOption "x"; port = lib.mkOption { }; }; }')).toEqual([
      { path: 'my.backup', role: 'declaration' },
    ]);
    expect(await namesAt('{ lib, ... }: { options.my.backup = { ena|ble = lib.mkEnableOption "x"; }; }')).toEqual([{ path: 'my.backup.enable', role: 'declaration' }]);
  });

  it('names the options a module sets, also in nested sets and under config', async () => {
    expect(await namesAt('{ config, ... }: { my.backup.ena|ble = true; }')).toEqual([{ path: 'my.backup.enable', role: 'use' }]);
    expect(await namesAt('{ config, ... }: { my = { backup.ena|ble = true; }; }')).toEqual([{ path: 'my.backup.enable', role: 'use' }]);
    expect(await namesAt('{ config, lib, ... }: { options.x = lib.mkOption { }; config.my.backup.ena|ble = true; }')).toEqual([{ path: 'my.backup.enable', role: 'use' }]);
  });

  it('names what a module reads from config, also through an alias and inherit', async () => {
    expect(await namesAt('{ config, ... }: { x = config.my.backup.ena|ble; }')).toEqual([{ path: 'my.backup.enable', role: 'use' }]);
    expect(await namesAt('{ config, lib, ... }: let cfg = config.my.backup; in { x = lib.mkIf cfg.ena|ble { }; }')).toEqual([{ path: 'my.backup.enable', role: 'use' }]);
    expect(await namesAt('{ config, ... }: { x = let inherit (config.my.backup) ena|ble; in enable; }')).toEqual([{ path: 'my.backup.enable', role: 'use' }]);
    // Not the module's config: a parameter of another name, or a local set called config.
    expect(await namesAt('{ cfg, ... }: { x = cfg.my.ena|ble; }')).toEqual([]);
    expect(await namesAt('let config = { a = 1; }; in config.|a')).toEqual([]);
  });
});

describe('names and paths', () => {
  it('lists top-level let bindings and attributes two levels deep, not a module structure', async () => {
    const { names } = await declarationsOf('{ lib }: let helper = x: x; in { strings.hasPrefix = a: b: true; trivial = { id = x: x; deep = { no = 1; }; }; }');
    expect(names.map((n) => [n.name, n.kind, n.value])).toEqual([
      ['helper', 'let', 'function'],
      ['strings.hasPrefix', 'attribute', 'function'],
      ['trivial', 'attribute', 'set'],
      ['trivial.id', 'attribute', 'function'],
      ['trivial.deep', 'attribute', 'set'],
    ]);
    const module = await declarationsOf('{ config, ... }: { imports = [ ]; config.services.x.enable = true; }');
    expect(module.names).toEqual([]);
  });

  it('lists flake outputs, plain and through flake-parts', async () => {
    const plain = await declarationsOf('{ outputs = { self, nixpkgs }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { }; packages.x86_64-linux = { default = 1; tool = 2; }; }; }', '/project/flake.nix');
    expect(plain.names.map((n) => n.name)).toEqual(['nixosConfigurations.box', 'packages.x86_64-linux', 'packages.x86_64-linux.default', 'packages.x86_64-linux.tool']);
    const parts = await declarationsOf(
      '{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { flake.nixosConfigurations.box = 1; perSystem = { pkgs, ... }: { packages.default = pkgs.hello; }; }; }',
      '/project/flake.nix',
    );
    expect(parts.names.map((n) => [n.name, n.kind])).toEqual([
      ['nixosConfigurations.box', 'flakeOutput'],
      ['packages.default', 'flakeOutput'],
    ]);
  });

  it('lists relative path literals without interpolation', async () => {
    const { paths } = await declarationsOf('{ imports = [ ./hardware.nix ../common /etc/x.nix ./${name}.nix <nixpkgs/lib> ]; }');
    expect(paths.map((p) => p.text)).toEqual(['./hardware.nix', '../common']);
  });
});
