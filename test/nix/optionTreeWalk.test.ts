// The option tree walk run by each real Nix (Debian's 2.8 and 2.26 in a chroot) over a
// hand-written option tree, given as a classic configuration's NixOS by a stand-in nixpkgs: what a record holds, submodules as `<name>`, the configuration's `pkgs` given to a
// submodule whose own `pkgs` fails, a tree never entered twice, a field that throws kept out by
// `tryEval`, and a field that fails beyond it named so that only it is left out next time.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateOptionTree, failedField, skipEnvironment, type Relocation, type SkippedField } from '../../server/src/configurations/configurationEvaluation';
import { nixInstallations, requireNixInCi, type NixInstallation } from '../support/nixInstallations';

requireNixInCi();

// Options as the module system makes them: `_type = "option"`, `loc`, a type with
// `getSubOptions`, and for submodules `getSubModules`/`substSubModules`. `users` is an attribute
// set of submodules whose instances read `pkgs` from their modules' `_module.args`, as Home
// Manager's do: without a module giving it, their `settings` option cannot be described.
const TREE = `
let
  option = loc: fields: { _type = "option"; inherit loc; declarations = [ "/modules/m.nix" ]; type = plain "boolean"; } // fields;
  plain = description: { inherit description; getSubOptions = _: { }; };
  user = modules:
    let
      given = builtins.filter (m: m ? _module) modules;
      pkgs = if given == [ ] then throw "pkgs needs home.stateVersion" else (builtins.head given)._module.args.pkgs.content;
    in
    {
      description = "attribute set of (submodule)";
      getSubModules = modules;
      substSubModules = user;
      getSubOptions = prefix: let loc = prefix ++ [ "<name>" ]; in {
        _module.args = option (loc ++ [ "_module" "args" ]) { value = { inherit pkgs; }; };
        enable = option (loc ++ [ "enable" ]) { description = "Whether to enable it."; default = false; };
        settings = option (loc ++ [ "settings" ]) { type = plain pkgs.formatType; default = { }; };
        again = option (loc ++ [ "again" ]) { type = { description = "the whole tree"; getSubOptions = _: tree; }; };
      };
    };
  tree = {
    _module.args = option [ "_module" "args" ] { value.pkgs = { formatType = "TOML value"; }; };
    services.web = {
      enable = option [ "services" "web" "enable" ] { description = "Whether to serve."; default = false; example = true; };
      port = option [ "services" "web" "port" ] { type = plain "16 bit unsigned integer"; default = 8080; readOnly = true; };
      root = option [ "services" "web" "root" ] { type = plain "string"; default = throw "no root"; description = "Served files."; };
      greeting = option [ "services" "web" "greeting" ] { type = plain "string"; default = { }.missing; };
      motd = option [ "services" "web" "motd" ] { type = plain "string"; defaultText = { _type = "literalMD"; text = "*hello*"; }; default = { }.missing; };
      theme = option [ "services" "web" "theme" ] { type = plain "string"; description = "Theme ''\${({ }).missing}''."; example = "dark"; };
    };
    users = option [ "users" ] { type = user [ ]; default = { }; };
  };
in tree
`;

const root = mkdtempSync(join(tmpdir(), 'nix-nur-option-walk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in nixpkgs whose NixOS evaluation gives TREE, for a classic `configuration.nix` (under /tmp, where a chrooted Nix sees it). */
function standIn(): { nixpkgs: string; configuration: string } {
  const nixpkgs = join(root, 'nixpkgs');
  mkdirSync(join(nixpkgs, 'nixos', 'lib'), { recursive: true });
  writeFileSync(join(nixpkgs, 'nixos', 'lib', 'eval-config.nix'), `{ modules }: { options = ${TREE}; }\n`);
  const configuration = join(root, 'configuration.nix');
  writeFileSync(configuration, '{ }\n');
  return { nixpkgs, configuration };
}

async function walk(nix: NixInstallation, known: SkippedField[] = [], relocation?: Relocation): Promise<{ records: Record<string, Record<string, unknown>>; skipped: SkippedField[] }> {
  const { nixpkgs, configuration } = standIn();
  const output = join(root, `options-${nix.version}.json`);
  const runner = { nix: join(nix.binDir, 'nix'), env: { ...(nix.env as Record<string, string>), NIX_PATH: `nixpkgs=${nixpkgs}` } };
  const { skipped } = await evaluateOptionTree({ kind: 'classic', id: 'configuration.nix', file: configuration }, output, runner, 6, known, relocation);
  return { records: JSON.parse(readFileSync(output, 'utf8')) as Record<string, Record<string, unknown>>, skipped };
}

const installations = nixInstallations();

describe.each(installations.map((nix) => [nix.version, nix] as const))('the option tree walk with Nix %s', (_version, nix) => {
  it('names the field and option that fail beyond tryEval, and describes the rest once both are left out', async () => {
    const { records, skipped } = await walk(nix);
    expect(skipped.sort((a, b) => a.option.localeCompare(b.option))).toEqual([
      { option: 'services.web.greeting', field: 'default' },
      { option: 'services.web.theme', field: 'description' },
    ]);

    // Only the failing field is left out: the option keeps its type and the rest.
    expect(records['services.web.theme']).toEqual({
      loc: ['services', 'web', 'theme'],
      type: 'string',
      declarations: ['/modules/m.nix'],
      readOnly: false,
      example: { _type: 'literalExpression', text: '"dark"' },
    });
    expect(records['services.web.greeting']).toMatchObject({ type: 'string' });
    expect(records['services.web.greeting']).not.toHaveProperty('default');
    // defaultText wins over default; a default that throws is kept out by tryEval.
    expect(records['services.web.motd']).toMatchObject({ default: { _type: 'literalMD', text: '*hello*' } });
    expect(records['services.web.root']).toMatchObject({ default: null, description: 'Served files.' });
    expect(records['services.web.enable']).toEqual({
      loc: ['services', 'web', 'enable'],
      type: 'boolean',
      description: 'Whether to serve.',
      declarations: ['/modules/m.nix'],
      readOnly: false,
      default: { _type: 'literalExpression', text: 'false' },
      example: { _type: 'literalExpression', text: 'true' },
    });
    expect(records['services.web.port']).toMatchObject({ readOnly: true, default: { text: '8080' } });
  });

  it("descends into submodules with the configuration's pkgs, and never into the tree it is inside", async () => {
    const { records, skipped } = await walk(nix, [
      { option: 'services.web.greeting', field: 'default' },
      { option: 'services.web.theme', field: 'description' },
    ]);
    expect(skipped).toHaveLength(2);
    expect(Object.keys(records).sort()).toEqual([
      'services.web.enable',
      'services.web.greeting',
      'services.web.motd',
      'services.web.port',
      'services.web.root',
      'services.web.theme',
      'users',
      'users.<name>.again',
      'users.<name>.enable',
      'users.<name>.settings',
    ]);
    // Its type comes from the pkgs the submodule's own modules could not give it.
    expect(records['users.<name>.settings']).toMatchObject({ type: 'TOML value', default: { text: '{ }' } });
    expect(records['users.<name>.enable']).toMatchObject({ loc: ['users', '<name>', 'enable'], description: 'Whether to enable it.' });
  });
});

describe.each(installations.map((nix) => [nix.version, nix] as const))('declarations with Nix %s', (_version, nix) => {
  it("name the workspace's file instead of its store copy", async () => {
    const known = [
      { option: 'services.web.greeting', field: 'default' },
      { option: 'services.web.theme', field: 'description' },
    ];
    // The workspace directory the flake's store copy stands for (made at run time, like every path here).
    const workspace = join(root, 'flake');
    const { records } = await walk(nix, known, { from: '/modules/', to: workspace });
    expect(records['services.web.enable']!.declarations).toEqual([join(workspace, 'm.nix')]);
    const elsewhere = await walk(nix, known, { from: '/module', to: workspace });
    expect(elsewhere.records['services.web.enable']!.declarations).toEqual(['/modules/m.nix']);
  });
});

describe('reading which field failed', () => {
  it("finds Nix's marker behind colours, and writes NIX_NUR_SKIP per option", () => {
    const stderr = "error:\n       … while evaluating attribute 'description'\n       \u001b[35;1m…\u001b[0m while describing the description of the option «home-manager.users.<name>.programs.equibop.enable»\n       error: attribute 'equibop' missing";
    expect(failedField(stderr)).toEqual({ option: 'home-manager.users.<name>.programs.equibop.enable', field: 'description' });
    expect(failedField('error: syntax error, unexpected end of file')).toBeUndefined();
    expect(JSON.parse(skipEnvironment([{ option: 'a.b', field: 'default' }, { option: 'a.b', field: 'example' }, { option: 'c', field: 'description' }]))).toEqual({
      'a.b': ['default', 'example'],
      c: ['description'],
    });
  });
});
