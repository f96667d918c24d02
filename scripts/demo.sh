#!/bin/sh
# Sets Pelagos up on a fresh machine and runs a container from a locally made root filesystem:
# installs dependencies, builds, makes a busybox root filesystem, imports it, runs containers.
set -e
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
P=$(pwd)/dist/bin/pelagos
fixtures=$(scripts/test-fixtures.sh)
$P rootfs import demo-busybox "$fixtures/busybox" >/dev/null
echo "== a container, isolated by default (own namespaces, 11 capabilities, seccomp, read-only /sys):"
$P run --rm --rootfs demo-busybox sh -c 'echo "hello from $(hostname)"; grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status; ip -o link 2>/dev/null | cut -d: -f2 || true'
echo "== a detached container, its log, an exec into it, and a stop:"
$P rm -f demo-ticker >/dev/null 2>&1 || true
$P run -d --name demo-ticker --rootfs demo-busybox sh -c 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.2; done' >/dev/null
sleep 1
$P ps
$P logs --tail 2 demo-ticker
$P exec demo-ticker sh -c 'echo "exec sees PID 1 as: $(cat /proc/1/comm)"'
$P stop -t 1 demo-ticker >/dev/null
$P rm demo-ticker >/dev/null
echo "done: try '$P run --rm -it --rootfs demo-busybox sh'"
