{
  motd = ./motd.nix;
}
