# A NixOS module with one option: the message shown after login.
{ config, lib, ... }:

let
  cfg = config.services.motd;
in
{
  options.services.motd.message = lib.mkOption {
    type = lib.types.nullOr lib.types.str;
    default = null;
    description = "Message of the day, shown after login.";
  };

  config = lib.mkIf (cfg.message != null) {
    users.motd = cfg.message;
  };
}
