#!/bin/sh
# Lifecycle benchmarks (issue 3), side by side in one run:
#   1. detached start → first output line (pelagos run -d / runc run -d / podman run -d)
#   2. 50 containers started in parallel, then removed
#   3. peak RSS of one detached container's monitor, and of 100 idle detached containers
# Usage: sudo bench/lifecycle/run.sh   (writes bench/results/lifecycle.md)
set -eu
cd "$(dirname "$0")/../.."
P=$(pwd)/dist/bin/pelagos
fixtures=$(scripts/test-fixtures.sh)
BB=$fixtures/busybox
out=bench/results/lifecycle.md
mkdir -p bench/results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PELAGOS_RUNTIME_DIR=$work/run PELAGOS_DATA_DIR=$work/data

now_ms() { date +%s%3N; }

# 1. detached start to first output: median of 10
first_output_pelagos() {
    t0=$(now_ms)
    id=$($P run -d --rootfs "$BB" sh -c 'echo ready; sleep 30')
    log=$PELAGOS_RUNTIME_DIR/containers/$id/container.log
    until grep -q ready "$log" 2>/dev/null; do sleep 0.002; done
    t1=$(now_ms)
    $P rm -f "$id" >/dev/null
    echo $((t1 - t0))
}
bundle=$work/bundle
mkdir -p "$bundle"
( cd "$bundle" && runc spec && sed -i 's/"terminal": true/"terminal": false/' config.json )
ln -s "$BB" "$bundle/rootfs"
python3 - "$bundle/config.json" <<'PY'
import json, sys
p = sys.argv[1]; c = json.load(open(p))
c["process"]["args"] = ["sh", "-c", "echo ready; sleep 30"]
c["root"] = {"path": "rootfs", "readonly": False}
json.dump(c, open(p, "w"))
PY
first_output_runc() {
    t0=$(now_ms)
    (cd "$bundle" && runc --root "$work/runc" run -d bench-$1 > "$work/runc-$1.out" 2>&1)
    until grep -q ready "$work/runc-$1.out" 2>/dev/null; do sleep 0.002; done
    t1=$(now_ms)
    runc --root "$work/runc" delete -f bench-$1 >/dev/null 2>&1 || true
    echo $((t1 - t0))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pel=$(for i in $(seq 1 10); do first_output_pelagos; done | median)
runc_ms=$(for i in $(seq 1 10); do first_output_runc $i; done | median)

# 2. 50 in parallel
t0=$(now_ms)
seq 1 50 | xargs -P 50 -I{} $P run -d --name par{} --rootfs "$BB" sleep 60 >/dev/null
t1=$(now_ms)
seq 1 50 | xargs -P 50 -I{} $P rm -f par{} >/dev/null
t2=$(now_ms)
t3=$(now_ms)
seq 1 50 | xargs -P 50 -I{} sh -c "cd $bundle && runc --root $work/runc run -d p{} >/dev/null 2>&1"
t4=$(now_ms)
seq 1 50 | xargs -P 50 -I{} runc --root "$work/runc" delete -f p{} >/dev/null 2>&1 || true

# 3. monitor RSS
for i in $(seq 1 100); do $P run -d --name idle$i --rootfs "$BB" sleep 120 >/dev/null; done
total=0; one=0
for d in "$PELAGOS_RUNTIME_DIR"/containers/*/; do
    m=$(awk '{print $4}' "$d/pid")
    kb=$(awk '/VmRSS/ {print $2}' /proc/$m/status)
    total=$((total + kb)); one=$kb
done
seq 1 100 | xargs -P 20 -I{} $P rm -f idle{} >/dev/null

{
    echo "# Lifecycle benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "| measure | pelagos | runc |"
    echo "|---|---:|---:|"
    echo "| detached start → first output line (median of 10) | ${pel} ms | ${runc_ms} ms |"
    echo "| 50 containers started in parallel | $((t1 - t0)) ms | $((t4 - t3)) ms |"
    echo "| 50 containers removed (rm -f) in parallel | $((t2 - t1)) ms | — |"
    echo "| RSS of one detached container's monitor | ${one} KiB | (no monitor) |"
    echo "| RSS of the monitors of 100 idle containers | $((total / 1024)) MiB | — |"
} | tee "$out"
