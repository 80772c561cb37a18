# The few parts of nixpkgs' `lib` the demo uses, written plainly.
let
  lib = rec {
    version = "25.11-standin";

    genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
    isFunction = builtins.isFunction;
    optionalString = condition: string: if condition then string else "";

    recursiveUpdate = left: right:
      left // builtins.mapAttrs
        (name: value:
          if builtins.isAttrs value && left ? ${name} && builtins.isAttrs left.${name} && !(value ? type && value.type == "derivation")
          then recursiveUpdate left.${name} value
          else value)
        right;

    licenses = {
      mit = { spdxId = "MIT"; fullName = "MIT License"; free = true; };
      gpl3Plus = { spdxId = "GPL-3.0-or-later"; fullName = "GNU General Public License v3.0 or later"; free = true; };
    };
    platforms = {
      linux = [ "x86_64-linux" "aarch64-linux" ];
      darwin = [ "x86_64-darwin" "aarch64-darwin" ];
      unix = platforms.linux ++ platforms.darwin;
    };
    maintainers = { };
    fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    # Options are declared but not checked: the stand-in's module system only merges definitions.
    mkOption = attrs: attrs // { _type = "option"; };
    mkEnableOption = description: mkOption { default = false; inherit description; };
    mkIf = condition: content: if condition then content else { };
    types = {
      str = "str";
      bool = "bool";
      nullOr = type: "null or ${type}";
      listOf = type: "list of ${type}";
    };

    # A NixOS system as a fixed point over its modules' definitions (no option checking), with a
    # toplevel that records the host name and the installed packages.
    nixosSystem = { system, modules, specialArgs ? { } }:
      let
        pkgs = import ../. { inherit system; };
        definitions = module:
          let value = if builtins.isFunction module then module ({ inherit config lib pkgs; } // specialArgs)
                      else if builtins.isPath module then definitions (import module)
                      else module;
          in if builtins.isAttrs value then builtins.removeAttrs value [ "imports" "options" ] else { };
        defined = builtins.foldl' (merged: module: recursiveUpdate merged (definitions module)) { } modules;
        hostName = defined.networking.hostName or "nixos";
        packages = defined.environment.systemPackages or [ ];
        config = recursiveUpdate defined {
          system.build.toplevel = pkgs.runCommand "nixos-system-${hostName}" { } ''
            mkdir -p $out
            echo ${hostName} > $out/hostname
            ${builtins.concatStringsSep "\n" (map (p: "echo ${p} >> $out/packages") packages)}
          '';
        };
      in
      { inherit config pkgs; };
  };
in
lib
