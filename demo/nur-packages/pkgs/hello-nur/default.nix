{ lib, stdenv }:

stdenv.mkDerivation (finalAttrs: {
  pname = "hello-nur";
  version = "1.0.0";

  # The source sits beside this file, so the package builds offline.
  src = ./src;

  doCheck = true;
  checkPhase = ''
    sh hello-nur.sh alice | grep -q 'Hello, alice'
  '';

  installPhase = ''
    mkdir -p $out/bin
    cp hello-nur.sh $out/bin/hello-nur
    chmod +x $out/bin/hello-nur
  '';

  meta = {
    description = "A friendly greeting, published through a NUR repository";
    homepage = "https://github.com/nix-community/NUR";
    license = lib.licenses.mit;
    mainProgram = "hello-nur";
    platforms = lib.platforms.unix;
  };
})
