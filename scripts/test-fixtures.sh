#!/bin/sh
# Builds the root filesystems the integration and attack tests run (idempotent; cheap when current):
#   DIR/busybox    static busybox with its applets, /etc/passwd + /etc/group (root, nobody, alice, staff), /probe
#   DIR/probe      just the static probe at /probe, /etc/passwd, /etc/group, /notexec (a non-executable file)
#   DIR/hostile/*  probe rootfs variants with malicious symlinks (see hostile() below); the attack tests copy
#                  them before use and check that the host is untouched
# Usage: scripts/test-fixtures.sh [DIR]   (default /var/tmp/pelagos-test-fixtures); prints DIR on stdout.
# Needs: /bin/busybox (busybox-static) and the probe (PELAGOS_PROBE, default dist/libexec/pelagos-probe).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/var/tmp/pelagos-test-fixtures}
probe=${PELAGOS_PROBE:-$here/dist/libexec/pelagos-probe}
busybox=${PELAGOS_BUSYBOX:-/bin/busybox}

die() {
    echo "test-fixtures: $*" >&2
    exit 1
}

[ -x "$probe" ] || die "no probe at $probe: build dist first (mvn package), or set PELAGOS_PROBE"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# copy_if_changed SRC DST MODE: keeps the fixture stable (and cheap) when nothing changed
copy_if_changed() {
    if ! cmp -s "$1" "$2" 2>/dev/null; then
        cp "$1" "$2.tmp.$$"
        chmod "$3" "$2.tmp.$$"
        mv -f "$2.tmp.$$" "$2"
    fi
}

write_etc() {
    mkdir -p "$1/etc"
    cat > "$1/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
alice:x:1000:1000:Alice:/home/alice:/bin/sh
EOF
    cat > "$1/etc/group" <<'EOF'
root:x:0:
staff:x:50:alice
alice:x:1000:
nogroup:x:65534:
EOF
}

base_dirs() {
    for d in dev proc sys tmp root; do
        mkdir -p "$1/$d"
    done
    chmod 1777 "$1/tmp"
    chmod 700 "$1/root"
}

# prune ROOT KEEP...: a container run creates its mount targets inside the root (as Docker does in a
# container's layer); remove whatever earlier runs left so every test starts from the same tree
prune() {
    local root e k keep
    root=$1
    shift
    for e in "$root"/* "$root"/.[!.]*; do
        [ -e "$e" ] || [ -L "$e" ] || continue
        keep=no
        for k in "$@"; do
            [ "${e##*/}" = "$k" ] && keep=yes
        done
        [ $keep = yes ] || rm -rf "$e"
    done
}

prune_common() {
    local root d
    root=$1
    for d in dev proc sys tmp root; do
        if [ -d "$root/$d" ] && [ ! -L "$root/$d" ]; then
            prune "$root/$d"
        fi
    done
    prune "$root/etc" passwd group hostname hosts resolv.conf
}

# (b) the probe rootfs
make_probe_rootfs() {
    r=$1
    mkdir -p "$r"
    base_dirs "$r"
    write_etc "$r"
    copy_if_changed "$probe" "$r/probe" 755
    printf '#!/probe\n' > "$r/notexec"
    chmod 644 "$r/notexec"
}

# (a) the busybox rootfs
make_busybox_rootfs() {
    r=$1
    [ -x "$busybox" ] || { echo "test-fixtures: no busybox at $busybox: skipping the busybox rootfs" >&2; return 0; }
    mkdir -p "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/home/alice"
    base_dirs "$r"
    write_etc "$r"
    chown 1000:1000 "$r/home/alice"
    copy_if_changed "$busybox" "$r/bin/busybox" 755
    copy_if_changed "$probe" "$r/probe" 755
    "$busybox" --list-full | while read -r applet; do
        [ "$applet" = bin/busybox ] && continue
        [ -e "$r/$applet" ] || [ -L "$r/$applet" ] || ln -s /bin/busybox "$r/$applet"
    done
}

# (c) hostile variants: each one a probe rootfs plus one trap. Host paths the traps aim at all live
# under /tmp/pelagos-attack-* so a test can tell whether anything was created or mounted there.
hostile() {
    name=$1
    r=$dir/hostile/$name
    rm -rf "$r"
    make_probe_rootfs "$r"
    case $name in
        etc-abs-symlinks)
            # /etc/hosts, /etc/hostname to absolute host paths; /etc/resolv.conf climbing out with ../
            ln -s /tmp/pelagos-attack-etc/hosts "$r/etc/hosts"
            ln -s /tmp/pelagos-attack-etc/hostname "$r/etc/hostname"
            ln -s ../../../../../../../../tmp/pelagos-attack-etc/resolv.conf "$r/etc/resolv.conf"
            ;;
        proc-symlink)
            rmdir "$r/proc"
            ln -s /tmp/pelagos-attack-proc "$r/proc"
            ;;
        dev-symlink)
            rmdir "$r/dev"
            ln -s /tmp/pelagos-attack-dev "$r/dev"
            ;;
        sys-symlink)
            rmdir "$r/sys"
            ln -s ../../../../../../tmp/pelagos-attack-sys "$r/sys"
            ;;
        mnt-symlink)
            # a bind/volume target that walks through a symlink pointing at the host
            mkdir -p "$r/mnt"
            ln -s /tmp/pelagos-attack-vol "$r/mnt/escape"
            ln -s ../../../../../../../tmp/pelagos-attack-vol "$r/mnt/escape-rel"
            ;;
        passwd-devzero)
            rm -f "$r/etc/passwd"
            ln -s /dev/zero "$r/etc/passwd"
            ;;
        passwd-host)
            # the host file exists only while the test runs; it holds a user the image does not have
            rm -f "$r/etc/passwd" "$r/etc/group"
            ln -s /tmp/pelagos-attack-passwd "$r/etc/passwd"
            ln -s ../../../../../../../tmp/pelagos-attack-group "$r/etc/group"
            ;;
        passwd-huge)
            # sparse: 1 GiB that costs no disk; a reader must refuse it, not read it
            rm -f "$r/etc/passwd"
            truncate -s 1G "$r/etc/passwd"
            ;;
        devnull-replaced)
            # the image's own /dev: null is a symlink to a host upcall file, zero a regular file
            ln -s /proc/sys/kernel/core_pattern "$r/dev/null"
            echo trap > "$r/dev/zero"
            ;;
        workdir-symlink)
            ln -s /tmp/pelagos-attack-workdir "$r/work"
            ;;
        *) die "unknown hostile fixture $name" ;;
    esac
}

make_probe_rootfs "$dir/probe"
prune "$dir/probe" dev proc sys tmp root etc probe notexec
prune_common "$dir/probe"
make_busybox_rootfs "$dir/busybox"
if [ -d "$dir/busybox/bin" ]; then
    prune "$dir/busybox" bin sbin usr home linuxrc dev proc sys tmp root etc probe
    prune_common "$dir/busybox"
fi
mkdir -p "$dir/hostile"
for h in etc-abs-symlinks proc-symlink dev-symlink sys-symlink mnt-symlink passwd-devzero passwd-host \
         passwd-huge devnull-replaced workdir-symlink; do
    hostile "$h"
done
echo "$dir"
