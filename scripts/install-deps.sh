#!/bin/sh
# Installs what building and testing Pelagos needs on a Debian 12 machine (run as root).
# JDK 25 is not a Debian package: it must already be under /usr/lib/jvm (or $JAVA_HOME).
set -e
cd "$(dirname "$0")/.."
. scripts/jdk.sh
pelagos_find_jdk
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    pkgs="maven gcc make libc6-dev libseccomp2 busybox-static runc hyperfine skopeo umoci docker-registry
          apache2-utils podman containerd jq bats gawk qemu-system-x86 iproute2 nftables guile-3.0 python3
          criu iptables"
    missing=""
    for p in $pkgs; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "installing:$missing" >&2
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
    fi
fi
command -v mvn >/dev/null || { echo "pelagos: error: maven is missing" >&2; exit 1; }
echo "dependencies ready (JDK: $JAVA_HOME)"
