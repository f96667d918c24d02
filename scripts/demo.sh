#!/bin/sh
# Sets Pelagos up on a fresh machine and runs containers from a locally made image:
# installs dependencies, builds, makes a busybox root filesystem, imports it as an image, and
# runs a foreground container (showing its isolation) and a detached one (log, exec, stop).
set -e
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
P=$(pwd)/dist/bin/pelagos
fixtures=$(scripts/test-fixtures.sh)
tar -C "$fixtures/busybox" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf /tmp/pelagos-demo-busybox.tar .
$P image import /tmp/pelagos-demo-busybox.tar demo-busybox
rm -f /tmp/pelagos-demo-busybox.tar
echo
echo "== a container, isolated by default (own namespaces, 11 capabilities, seccomp, read-only /sys):"
$P run --rm --memory 64m demo-busybox sh -c '
    echo "hello from $(hostname), PID $$"
    grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status
    echo "network interfaces: $(ls /sys/class/net | tr "\n" " ")"
    echo "memory limit: $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"'
echo
echo "== a detached container with a named volume, its log, an exec into it, and a stop:"
$P rm -f demo-ticker >/dev/null 2>&1 || true
$P run -d --name demo-ticker -v demo-data:/data demo-busybox \
    sh -c 'i=0; while true; do echo "tick $i" | tee -a /data/ticks; i=$((i+1)); sleep 0.2; done' >/dev/null
sleep 1
$P ps
$P logs --tail 2 demo-ticker
$P exec demo-ticker sh -c 'echo "exec sees PID 1 as: $(cat /proc/1/cmdline | tr "\0" " ")"'
$P stop -t 1 demo-ticker >/dev/null
$P rm demo-ticker >/dev/null
echo "the volume kept $(wc -l < /var/lib/pelagos/volumes/demo-data/_data/ticks) lines"
$P volume rm demo-data >/dev/null
echo
echo "done. Try: $P run --rm -it demo-busybox sh"
