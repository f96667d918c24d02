#!/bin/sh
# Sets Pelagos up on a fresh machine and runs containers from a locally made image:
# installs dependencies, builds, makes a busybox root filesystem, imports it as an image, and
# runs a foreground container (showing its isolation), a detached one (log, exec, stop), and two
# tiers on their own networks that find each other by name, the web tier published on the host
# (the seed's topology).
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
echo "== two networks: a web tier on 'demo-front' and 'demo-back' (published on port ${DEMO_PORT:-8080}), a store on 'demo-back' only:"
$P rm -f demo-web demo-store >/dev/null 2>&1 || true
$P network rm demo-front demo-back >/dev/null 2>&1 || true
$P network create demo-front --subnet 10.89.1.0/24
$P network create demo-back --subnet 10.89.2.0/24
$P run -d --name demo-store --hostname store --network demo-back demo-busybox httpd -f -p 6379 -h /etc >/dev/null
$P run -d --name demo-web --hostname web --network demo-front --network demo-back -p "${DEMO_PORT:-8080}:8080" \
    demo-busybox httpd -f -p 8080 -h /etc >/dev/null
store=$($P inspect -f '{{.NetworkSettings.IPAddress}}' demo-store)
web=$($P inspect -f '{{.NetworkSettings.IPAddress}}' demo-web)
echo "web is $web on demo-front (and on demo-back), store is $store on demo-back"
echo "web -> store, by name: $($P exec demo-web wget -q -O - "http://demo-store:6379/hostname")"
echo "a client on demo-front -> web, by name: $($P run --rm --network demo-front demo-busybox wget -q -O - "http://demo-web:8080/hostname")"
echo "the host -> web's published port 127.0.0.1:${DEMO_PORT:-8080}: $(wget -q -O - "http://127.0.0.1:${DEMO_PORT:-8080}/hostname" 2>/dev/null \
    || curl -s "http://127.0.0.1:${DEMO_PORT:-8080}/hostname")"
if $P run --rm --init --network demo-front demo-busybox timeout 2 wget -q -O - "http://$store:6379/hostname" >/dev/null 2>&1; then
    echo "a client on demo-front -> store: reached (it should not: the networks must not meet)"
else
    echo "a client on demo-front -> store: cannot reach it (the networks share nothing)"
fi
$P rm -f demo-web demo-store >/dev/null
$P network rm demo-front demo-back >/dev/null
echo
echo "done. Try: $P run --rm -it demo-busybox sh"
