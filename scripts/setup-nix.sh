#!/usr/bin/env bash
# Installs the two Nix versions the tests run against, configured for a machine without network:
#   - Debian's nix-bin (Nix 2.8) on the host;
#   - Debian trixie's nix-bin (Nix 2.26) in a chroot, reached through wrapper scripts in
#     .cache/nix-2.26/bin that run each command inside it on the same paths (/tmp is shared).
# Idempotent: a second run only checks. Needs root (apt-get, debootstrap, mount, chroot).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
chroot_dir=${NIX_NUR_TRIXIE_ROOT:-/srv/nix-nur-trixie}
wrappers=$root/.cache/nix-2.26/bin

offline_conf() {
  cat <<'CONF'
experimental-features = nix-command flakes
sandbox = false
substituters =
build-users-group =
CONF
}

need_apt_update=1
apt_install() {
  if [ "$need_apt_update" = 1 ]; then apt-get update -qq; need_apt_update=0; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

command -v nix >/dev/null || apt_install nix-bin
command -v git >/dev/null || apt_install git
mkdir -p /etc/nix
offline_conf > /etc/nix/nix.conf
nix --version

if [ "${NIX_NUR_SKIP_CURRENT_NIX:-}" = 1 ]; then exit 0; fi

if [ ! -x "$chroot_dir/usr/bin/nix" ]; then
  command -v debootstrap >/dev/null || apt_install debootstrap
  mirror=$(grep -m1 -ohE 'https?://[^ ]+/debian$' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  debootstrap --variant=minbase --include=ca-certificates,git trixie "$chroot_dir" "$mirror" >/dev/null
fi
mountpoint -q "$chroot_dir/proc" || mount -t proc proc "$chroot_dir/proc"
mountpoint -q "$chroot_dir/dev" || mount --rbind /dev "$chroot_dir/dev"
mountpoint -q "$chroot_dir/tmp" || mount --rbind /tmp "$chroot_dir/tmp"
if [ ! -x "$chroot_dir/usr/bin/nix" ]; then
  chroot "$chroot_dir" apt-get update -qq
  chroot "$chroot_dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nix-bin >/dev/null
fi
mkdir -p "$chroot_dir/etc/nix"
offline_conf > "$chroot_dir/etc/nix/nix.conf"

rm -rf "$wrappers"
mkdir -p "$wrappers"
for tool in nix nix-build nix-instantiate nix-env nix-store nix-shell; do
  # Inside, PATH is the chroot's own: the caller's PATH may name this very directory (it is
  # visible in the chroot when the checkout is under /tmp), and nix must find the chroot's git.
  cat > "$wrappers/$tool" <<WRAP
#!/bin/sh
# Runs $tool from the Nix 2.26 chroot in the caller's directory (paths under /tmp are shared).
exec chroot '$chroot_dir' /usr/bin/env PATH=/usr/local/bin:/usr/bin:/bin /bin/sh -c 'cd "\$1" 2>/dev/null || cd /; shift; exec "\$@"' sh "\$PWD" $tool "\$@"
WRAP
  chmod +x "$wrappers/$tool"
done
echo "$chroot_dir" > "$wrappers/../chroot"
"$wrappers/nix" --version
