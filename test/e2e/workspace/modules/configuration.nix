# The workstation's NixOS configuration.
{ config, lib, pkgs, ... }:

{
  networking.hostName = "workstation";
  time.timeZone = "Europe/Paris";

  services.openssh = {
    enable = true;
    settings.PasswordAuthentication = false;
  };

  users.users.alice = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
  };

  environment.systemPackages = [
    pkgs.git
    pkgs.ripgrep
  ];

  system.stateVersion = "25.05";
}
