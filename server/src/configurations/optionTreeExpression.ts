// The Nix expression that lists every option of one configuration in the shape of the channels'
// `options.json` (keyed by name; `loc`, `type`, `description`, `default`, `example`,
// `declarations`, `readOnly`). Unlike `lib.optionAttrSetToDocList` it
// - descends into submodules also when they are declared `visible = "shallow"` (Home Manager's
//   `home-manager.users`), through `type.getSubOptions`, as `<name>` / `*`;
// - gives each submodule's documentation instance the configuration's own `pkgs`, as Home
//   Manager's manual does: without it Home Manager's `pkgs` needs `home.stateVersion`, which that
//   instance never has, so every option whose type uses `pkgs` (`settings = (pkgs.formats.toml
//   { }).type`) was lost — and each such loss cost the module system about a millisecond of
//   error handling, hundreds of times over;
// - never descends into a tree it is already inside (`specialisation.<name>.configuration` is the
//   whole NixOS tree again), and no deeper than a bound;
// - reads each field under `tryEval`, so an option whose default throws keeps its name and type;
// - needs nothing but builtins, so it works for any nixpkgs, Home Manager or nix-darwin;
// - leaves out the module system's `declarationPositions`: forcing them made the walk of the test
//   configuration a fifth slower with Nix 2.26; go to definition finds the declaring binding in
//   the declaration's file instead, when asked.
// `tryEval` does not catch every error (a missing attribute in a default, or in a description
// that names a package this nixpkgs lacks, is fatal): each field is evaluated inside an error
// context naming the field and its option, so a caller can evaluate again with only that field
// of that option left out (`NIX_NUR_SKIP`).
// Everything variable reaches Nix through environment variables, never spliced into the text.

/** The marker around a field and its option's name in the error context of that field. */
export const SKIP_MARKER = /while describing the (\w+) of the option «([^»]*)»/;

const WALKER = `
options: maxDepth: skip:
let
  inherit (builtins) attrNames concatMap concatStringsSep elem isAttrs isList isString isFunction isBool isInt isFloat isPath length toJSON tryEval typeOf;
  ok = v: let r = tryEval v; in if r.success then r.value else null;
  isOption = v: isAttrs v && (v._type or null) == "option";
  showPart = p: if builtins.match "[A-Za-z_][A-Za-z0-9_'-]*|<[^>]*>|[*]" p != null then p else toJSON p;
  render = depth: v:
    if isString v then toJSON v
    else if isBool v then (if v then "true" else "false")
    else if isInt v || isFloat v then toJSON v
    else if v == null then "null"
    else if isPath v then toString v
    else if isFunction v then "<function>"
    else if isList v then
      (if v == [ ] then "[ ]" else if depth == 0 || length v > 12 then "[ … ]"
       else "[ " + concatStringsSep " " (map (render (depth - 1)) v) + " ]")
    else if isAttrs v then
      (if (v.type or null) == "derivation" then "<derivation \${v.name or "?"}>"
       else if v == { } then "{ }"
       else if depth == 0 || length (attrNames v) > 12 then "{ … }"
       else "{ " + concatStringsSep " " (map (n: "\${showPart n} = \${render (depth - 1) v.\${n}};") (attrNames v)) + " }")
    else "<\${typeOf v}>";
  literal = v:
    if isAttrs v && elem (v._type or null) [ "literalExpression" "literalMD" "literalDocBook" "mdDoc" ] then v
    else { _type = "literalExpression"; text = render 3 v; };
  guard = name: what: builtins.addErrorContext "while describing the \${what} of the option «\${name}»";
  shown = v: let r = tryEval (let x = literal v; in builtins.deepSeq x x); in if r.success then r.value else null;
  text = v: let r = tryEval (let d = if isAttrs v then v.text or null else v; in if isString d then d else null); in if r.success then r.value else null;
  fingerprint = tree: concatStringsSep "," (attrNames tree);
  # The configuration's package set, when it has one (NixOS, nix-darwin, Home Manager do).
  pkgs = let r = tryEval (options._module.args.value.pkgs or null); in if r.success then r.value else null;
  # A declaration in the store copy of the workspace's flake (NIX_NUR_SOURCE) names the
  # workspace's own file instead (below NIX_NUR_WORKSPACE).
  source = builtins.getEnv "NIX_NUR_SOURCE";
  relocated = d:
    let n = builtins.stringLength source; in
    if source != "" && builtins.substring 0 (n + 1) d == source + "/" then builtins.getEnv "NIX_NUR_WORKSPACE" + builtins.substring n (builtins.stringLength d) d else d;
  withPkgs = type:
    if pkgs != null && (type.getSubModules or null) != null && type ? substSubModules
    then type.substSubModules (type.getSubModules ++ [ { _module.args.pkgs = { _type = "override"; priority = 50; content = pkgs; }; } ])
    else type;
  subOptions = opt:
    if !(opt.type ? getSubOptions) then { }
    else let given = ok ((withPkgs opt.type).getSubOptions opt.loc); in if given != null then given else ok (opt.type.getSubOptions opt.loc);
  walk = depth: seen: tree:
    concatMap (name:
      let
        v = tree.\${name};
        kind = ok (if isOption v then "option" else if isAttrs v && name != "_module" then "set" else "other");
      in
      if kind == "option" then [ (describe v) ] ++ below depth seen v
      else if kind == "set" then walk depth seen v
      else [ ]) (attrNames tree);
  below = depth: seen: opt:
    if depth >= maxDepth then [ ]
    else
      let
        sub = subOptions opt;
        print = ok (fingerprint sub);
      in
      if isAttrs sub && sub != { } && print != null && !(elem print seen) then walk (depth + 1) (seen ++ [ print ]) sub else [ ];
  describe = opt:
    let
      name = concatStringsSep "." (map showPart opt.loc);
      guarded = what: guard name what;
      fields = {
        loc = opt.loc;
        type = guarded "type" (ok (let t = opt.type.description or null; in if isString t then t else null));
        description = guarded "description" (text (opt.description or null));
        declarations = guarded "declarations" (ok (map (d: relocated (toString d)) (opt.declarations or [ ])));
        readOnly = guarded "readOnly" (ok ((opt.readOnly or false) == true));
      }
      // (if opt ? defaultText then { default = guarded "default" (shown opt.defaultText); } else if opt ? default then { default = guarded "default" (shown opt.default); } else { })
      // (if opt ? example then { example = guarded "example" (shown opt.example); } else { });
    in {
      inherit name;
      value = if skip ? \${name} then builtins.removeAttrs fields skip.\${name} else fields;
    };
  records = walk 0 [ (fingerprint options) ] options;
  # Fields are forced cheapest first, across all options, before the output is printed: a field
  # that fails beyond tryEval (most often a description or example naming a package this nixpkgs
  # lacks) then ends the evaluation before the expensive defaults are worked out, so finding it
  # costs a fraction of a whole evaluation.
  force = what: builtins.foldl' (done: r: builtins.seq (r.value.\${what} or null) done) null records;
in builtins.seq (force "description") (builtins.seq (force "type") (builtins.seq (force "example") (builtins.listToAttrs records)))
`;

/**
 * Selects the configuration's option tree from what the environment names:
 * `NIX_NUR_KIND` = `flake-output` (`NIX_NUR_FLAKE`, `NIX_NUR_CATEGORY`, `NIX_NUR_NAME`),
 * `flake-parts` (`NIX_NUR_FLAKE`) or `classic` (`NIX_NUR_FILE`, with `<nixpkgs>` from NIX_PATH).
 * flake-parts: the flake's `outputs` are called with a `mkFlake` that returns the options of the
 * module it is given instead of the outputs.
 */
const TARGET = `
let
  env = builtins.getEnv;
  kind = env "NIX_NUR_KIND";
  flake = builtins.getFlake (env "NIX_NUR_FLAKE");
  flakePartsOptions =
    let
      inputs = flake.inputs;
      providers = builtins.filter (n: (inputs.\${n}.lib or { }) ? evalFlakeModule && (inputs.\${n}.lib or { }) ? mkFlake) (builtins.attrNames inputs);
      provider = builtins.head providers;
      parts = inputs.\${provider};
      capture = parts // { lib = parts.lib // { mkFlake = args: module: { __nixNurOptions = (parts.lib.evalFlakeModule args module).options; }; }; };
      outputs = (import (flake.outPath + "/flake.nix")).outputs (inputs // { self = flake; \${provider} = capture; });
    in
    if providers == [ ] then throw "no input of this flake provides flake-parts' mkFlake" else outputs.__nixNurOptions;
in
if kind == "flake-output" then flake.\${env "NIX_NUR_CATEGORY"}.\${env "NIX_NUR_NAME"}.options
else if kind == "flake-parts" then flakePartsOptions
else if kind == "classic" then (import <nixpkgs/nixos/lib/eval-config.nix> { modules = [ (/. + env "NIX_NUR_FILE") ]; }).options
else throw "unknown configuration kind \${kind}"
`;

/**
 * The walk over the option tree `target` evaluates to; `NIX_NUR_MAX_DEPTH` and `NIX_NUR_SKIP` (a
 * JSON object: option name → the fields of it to leave out) tune it.
 */
export function optionTreeWalk(target: string): string {
  return `
(${WALKER.trim()})
(${target.trim()})
(let d = builtins.getEnv "NIX_NUR_MAX_DEPTH"; in if d == "" then 6 else builtins.fromJSON d)
(let s = builtins.getEnv "NIX_NUR_SKIP"; in if s == "" then { } else builtins.fromJSON s)
`;
}

/** The whole expression: the walk over the configuration the environment names. */
export const OPTION_TREE_EXPRESSION = optionTreeWalk(TARGET);

/**
 * Lists the configurations of the flake in `NIX_NUR_FLAKE` (names per category), whether one of
 * its inputs provides flake-parts, and the flake's source in the store.
 */
export const DISCOVERY_EXPRESSION = `
let
  flake = builtins.getFlake (builtins.getEnv "NIX_NUR_FLAKE");
  names = category: let r = builtins.tryEval (if flake ? \${category} && builtins.isAttrs flake.\${category} then builtins.attrNames flake.\${category} else [ ]); in if r.success then r.value else [ ];
  inputs = flake.inputs or { };
  flakeParts = builtins.any (n: let r = builtins.tryEval ((inputs.\${n}.lib or { }) ? evalFlakeModule); in r.success && r.value) (builtins.attrNames inputs);
in {
  nixosConfigurations = names "nixosConfigurations";
  homeConfigurations = names "homeConfigurations";
  darwinConfigurations = names "darwinConfigurations";
  inherit flakeParts;
  source = flake.outPath;
}
`;
