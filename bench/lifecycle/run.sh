#!/bin/sh
# Lifecycle benchmarks (issue 3), pelagos vs runc (and podman + runc when it works here), in one run:
#   1. detached start -> first output line: `run -d ROOTFS sh -c 'echo ready; sleep 30'` until "ready" is in the
#      log (pelagos: container.log; runc: the file its stdio is redirected to; podman: --log-opt path=FILE)
#   2. 50 detached containers started in parallel (xargs -P 50), then 50 removed in parallel (rm -f / delete -f)
#   3. memory: peak RSS (VmHWM) of one idle container's monitor (pelagos monitor, podman's conmon; runc keeps
#      nothing), and RSS/PSS of the monitors of BENCH_IDLE (default 100) idle detached containers
# Prints and writes bench/results/lifecycle.md, with the load average before and after. Run as root.
# Env: BENCH_RUNS (first-output samples per runtime, default 10), BENCH_PARALLEL (default 50),
#      BENCH_IDLE (default 100), BENCH_PODMAN (auto|0, default auto), BENCH_PODMAN_IDLE (default 20),
#      PELAGOS_HOME (default dist).
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
home=${PELAGOS_HOME:-$here/dist}
runs=${BENCH_RUNS:-10}
par=${BENCH_PARALLEL:-50}
idle=${BENCH_IDLE:-100}
podman_mode=${BENCH_PODMAN:-auto}
podman_idle=${BENCH_PODMAN_IDLE:-20}
out=$here/bench/results/lifecycle.md

die() {
    echo "bench/lifecycle: $*" >&2
    exit 1
}
[ "$(id -u)" = 0 ] || die "run as root (containers need namespaces and cgroups)"
[ -x "$home/bin/pelagos" ] || die "no $home/bin/pelagos: build dist first"
command -v runc >/dev/null || die "runc is not installed"
command -v jq >/dev/null || die "jq is not installed"

fixtures=$("$here/scripts/test-fixtures.sh")
work=$(mktemp -d /var/tmp/pelagos-bench-lifecycle.XXXXXX)
export PELAGOS_DATA_DIR=$work/pelagos-data PELAGOS_RUNTIME_DIR=$work/pelagos-run
P=$work/dist/bin/pelagos
RUNC="runc --root $work/runc-state"
PODMAN=""

cleanup() {
    set +e
    if [ -x "$P" ]; then
        ids=$("$P" ps -aq --no-trunc 2>/dev/null)
        [ -n "$ids" ] && "$P" rm -f $ids >/dev/null 2>&1
    fi
    for c in $($RUNC list -q 2>/dev/null); do $RUNC delete -f "$c" >/dev/null 2>&1; done
    if [ -n "$PODMAN" ]; then
        $PODMAN rm -af -t 0 >/dev/null 2>&1
    fi
    # never delete through a mount: unmount whatever is still mounted below $work first
    grep -F " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# private copies: other builds rewrite dist/ at any time; each runtime gets its own rootfs
cp -a "$home" "$work/dist"
for r in pelagos runc podman; do cp -a "$fixtures/busybox" "$work/rootfs-$r"; done
BB=$work/rootfs-pelagos

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
await_line() { # FILE: until "ready" is in FILE (2 ms polls), at most 30 s
    n=0
    until grep -q ready "$1" 2>/dev/null; do
        sleep 0.002
        n=$((n + 1))
        [ $n -lt 15000 ] || die "no output in $1"
    done
}

# ---------------------------------------------------------------- the runc bundle (and the podman setup)
bundle=$work/bundle
mkdir -p "$bundle"
runc spec --bundle "$bundle"
jq --arg root "$work/rootfs-runc" '.root.path = $root | .root.readonly = false | .process.terminal = false
    | .process.args = ["sh", "-c", "echo ready; sleep 30"]' "$bundle/config.json" > "$bundle/c.json"
mv "$bundle/c.json" "$bundle/config.json"
jq '.process.args = ["sleep", "300"]' "$bundle/config.json" > "$work/idle-config.json"
mkdir -p "$work/bundle-idle"
cp "$work/idle-config.json" "$work/bundle-idle/config.json"

if [ "$podman_mode" != 0 ] && command -v podman >/dev/null; then
    # as /work/shared/conformance/clients.sh configures it: cgroupfs, file events, k8s-file logs, no network,
    # rlimits this VM's root may set, everything under $work
    cat > "$work/containers.conf" <<EOF
[containers]
log_driver = "k8s-file"
netns = "none"
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
    export CONTAINERS_CONF=$work/containers.conf
    PODMAN="podman --root $work/p/root --runroot $work/p/rr --tmpdir $work/p/tmp --storage-driver vfs --runtime runc"
    if ! $PODMAN run --rm --rootfs "$work/rootfs-podman" true >/dev/null 2>"$work/podman-check.err"; then
        echo "bench/lifecycle: podman does not work here ($(head -c 300 "$work/podman-check.err")); leaving it out" >&2
        PODMAN=""
    fi
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- 1. detached start -> first output
first_pelagos() {
    t0=$(now_ms)
    id=$("$P" run -d --rootfs "$BB" sh -c 'echo ready; sleep 30')
    await_line "$PELAGOS_RUNTIME_DIR/containers/$id/container.log"
    t1=$(now_ms)
    "$P" rm -f "$id" >/dev/null
    echo $((t1 - t0))
}
first_runc() {
    t0=$(now_ms)
    $RUNC run -d --bundle "$bundle" "first-$1" > "$work/runc-$1.out" 2>&1 < /dev/null
    await_line "$work/runc-$1.out"
    t1=$(now_ms)
    $RUNC delete -f "first-$1" >/dev/null 2>&1
    echo $((t1 - t0))
}
first_podman() {
    t0=$(now_ms)
    $PODMAN run -d --log-opt path="$work/podman-$1.log" --rootfs "$work/rootfs-podman" sh -c 'echo ready; sleep 30' > "$work/podman-$1.id"
    await_line "$work/podman-$1.log"
    t1=$(now_ms)
    $PODMAN rm -f -t 0 "$(cat "$work/podman-$1.id")" >/dev/null 2>&1
    echo $((t1 - t0))
}
first_pelagos >/dev/null # warm-up: seccomp cache, page cache
first_runc 0 >/dev/null
f_pel=$(for i in $(seq 1 "$runs"); do first_pelagos; done | median)
f_runc=$(for i in $(seq 1 "$runs"); do first_runc "$i"; done | median)
f_pod="—"
if [ -n "$PODMAN" ]; then
    first_podman 0 >/dev/null
    f_pod=$(for i in $(seq 1 "$runs"); do first_podman "$i"; done | median)
fi

# ---------------------------------------------------------------- 2. N in parallel, then removed in parallel
export P BB RUNC PODMAN work
t0=$(now_ms)
seq 1 "$par" | xargs -P "$par" -I{} sh -c '"$P" run -d --name par{} --rootfs "$BB" sleep 300 >/dev/null'
t1=$(now_ms)
n_pel=$("$P" ps -q | wc -l)
seq 1 "$par" | xargs -P "$par" -I{} sh -c '"$P" rm -f par{} >/dev/null'
t2=$(now_ms)
left_pel=$("$P" ps -aq | wc -l)

t3=$(now_ms)
seq 1 "$par" | xargs -P "$par" -I{} sh -c '$RUNC run -d --bundle "$work/bundle-idle" par{} >/dev/null 2>&1 </dev/null'
t4=$(now_ms)
n_runc=$($RUNC list -q | wc -l)
seq 1 "$par" | xargs -P "$par" -I{} sh -c '$RUNC delete -f par{} >/dev/null 2>&1'
t5=$(now_ms)
p_pod_start="—" p_pod_rm="—" n_pod="—"
if [ -n "$PODMAN" ]; then
    t6=$(now_ms)
    seq 1 "$par" | xargs -P "$par" -I{} sh -c '$PODMAN run -d --name par{} --rootfs "$work/rootfs-podman" sleep 300 >/dev/null 2>&1'
    t7=$(now_ms)
    n_pod=$($PODMAN ps -q | wc -l)
    seq 1 "$par" | xargs -P "$par" -I{} sh -c '$PODMAN rm -f -t 0 par{} >/dev/null 2>&1'
    t8=$(now_ms)
    p_pod_start="$((t7 - t6)) ms" p_pod_rm="$((t8 - t7)) ms"
fi

# ---------------------------------------------------------------- 3. memory of idle containers' monitors
kib() { awk -v k="$2:" '$1 == k {print $2}' "$1"; }
for i in $(seq 1 "$idle"); do "$P" run -d --name idle$i --rootfs "$BB" sleep 600 >/dev/null; done
rss_total=0 pss_total=0 hwm_one=0 ctr_total=0 n=0
for d in "$PELAGOS_RUNTIME_DIR"/containers/*/; do
    set -- $(cat "$d/pid")
    rss_total=$((rss_total + $(kib /proc/$4/status VmRSS)))
    pss_total=$((pss_total + $(kib /proc/$4/smaps_rollup Pss)))
    ctr_total=$((ctr_total + $(kib /proc/$1/status VmRSS)))
    hwm=$(kib /proc/$4/status VmHWM)
    [ "$hwm" -gt "$hwm_one" ] && hwm_one=$hwm
    n=$((n + 1))
done
ids=$("$P" ps -aq --no-trunc)
"$P" rm -f $ids >/dev/null
conmon_hwm="—" conmon_rss="—" conmon_pss="—"
if [ -n "$PODMAN" ]; then
    for i in $(seq 1 "$podman_idle"); do $PODMAN run -d --name idle$i --rootfs "$work/rootfs-podman" sleep 600 >/dev/null; done
    c_rss=0 c_pss=0 c_hwm=0 c_n=0
    for pid in $(pgrep -f "conmon .*$work/p/"); do
        c_rss=$((c_rss + $(kib /proc/$pid/status VmRSS)))
        c_pss=$((c_pss + $(kib /proc/$pid/smaps_rollup Pss)))
        h=$(kib /proc/$pid/status VmHWM)
        [ "$h" -gt "$c_hwm" ] && c_hwm=$h
        c_n=$((c_n + 1))
    done
    $PODMAN rm -af -t 0 >/dev/null 2>&1
    if [ "$c_n" -gt 0 ]; then
        conmon_hwm="$c_hwm KiB" conmon_rss="$((c_rss / c_n)) KiB ($c_n conmons)" conmon_pss="$((c_pss / c_n)) KiB"
    fi
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "—" }'; }
mkdir -p "$(dirname "$out")"
{
    echo "# Lifecycle benchmarks"
    echo
    echo "Generated by \`bench/lifecycle/run.sh\` on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, kernel $(uname -r)."
    echo "All runtimes measured in this one run (the machine is shared): load average $load_before before, $load_after after."
    echo
    echo "| measure | pelagos | runc | podman (runc) | pelagos/runc |"
    echo "|---|---:|---:|---:|---:|"
    echo "| detached start → first output line (median of $runs) | $f_pel ms | $f_runc ms | $f_pod${PODMAN:+ ms} | $(ratio "$f_pel" "$f_runc") |"
    echo "| $par detached containers started in parallel | $((t1 - t0)) ms ($n_pel up) | $((t4 - t3)) ms ($n_runc up) | $p_pod_start ($n_pod up) | $(ratio $((t1 - t0)) $((t4 - t3))) |"
    echo "| the same $par removed in parallel (rm -f / delete -f) | $((t2 - t1)) ms ($left_pel left) | $((t5 - t4)) ms | $p_pod_rm | $(ratio $((t2 - t1)) $((t5 - t4))) |"
    echo "| peak RSS (VmHWM) of one idle container's monitor | $hwm_one KiB | no monitor | conmon $conmon_hwm | |"
    echo "| RSS per monitor, $n idle containers (podman: conmon) | $((rss_total / n)) KiB | — | $conmon_rss | |"
    echo "| PSS per monitor (shared pages split) | $((pss_total / n)) KiB | — | $conmon_pss | |"
    echo "| all $n monitors together: RSS / PSS | $((rss_total / 1024)) MiB / $((pss_total / 1024)) MiB | — | | |"
    echo "| the $n containers' own processes (\`sleep\`), RSS | $((ctr_total / 1024)) MiB | | | |"
    echo
    echo "Notes: runc's bundle is \`runc spec\`'s example (no seccomp, 3 capabilities) on a copy of the same busybox"
    echo "rootfs; pelagos applies its full default hardening and makes a cgroup per container. runc run -d leaves no"
    echo "process of its own behind (the container is reparented), so it has no monitor memory and no log: its"
    echo "\"first output\" is read from the file its stdio was redirected to. podman is configured as"
    echo "conformance/clients.sh does (cgroupfs, k8s-file logs, vfs, --rootfs, runtime runc); its monitor is conmon."
} > "$out"
cat "$out"
