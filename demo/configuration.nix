# The workstation: a NixOS module. Completion and hover know every NixOS option.
{ config, lib, pkgs, ... }:

{
  networking.hostName = "workstation";
  time.timeZone = "Europe/Berlin";

  services.openssh = {
    enable = true;
    settings.PasswordAuthentication = false;
  };

  services.nginx = {
    enable = true;
    virtualHosts."example.org" = {
      forceSSL = true;
      enableACME = true;
      root = "/var/www/example.org";
    };
  };
  security.acme.acceptTerms = true;
  security.acme.defaults.email = "admin@example.org";

  users.users.alice = {
    isNormalUser = true;
    extraGroups = [ "wheel" "networkmanager" ];
  };

  users.motd = "Welcome to ${config.networking.hostName}";

  environment.systemPackages = with pkgs; [
    git
    ripgrep
    neovim
  ];

  system.stateVersion = "25.05";
}
