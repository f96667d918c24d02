#!/bin/sh
# OCI runtime benchmark (issue 5): the verbs containerd and podman call for every container, on one
# runc-spec bundle (busybox rootfs, no terminal, /bin/true), pelagos vs runc vs crun (hybrid
# wrapper) in ONE hyperfine run so the ratios are comparable on this shared, noisy machine:
#   lifecycle: create + start + delete --force (three runtime processes, like a shim)
#   run:       run (create and start in one process, foreground, removes the container)
# Writes bench/results/oci.md and the raw hyperfine JSON next to it. Run as root.
# Env: BENCH_RUNS (default 30), BENCH_WARMUP (default 3), PELAGOS_HOME (default dist), CRUN_HYBRID.
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
home=${PELAGOS_HOME:-$here/dist}
runs=${BENCH_RUNS:-30}
warmup=${BENCH_WARMUP:-3}
crun=${CRUN_HYBRID:-/work/shared/conformance/crun-hybrid/crun}
results=$here/bench/results
out=$results/oci.md

die() {
    echo "bench/oci: $*" >&2
    exit 1
}
[ "$(id -u)" = 0 ] || die "run as root"
[ -x "$home/bin/pelagos" ] || die "no $home/bin/pelagos: build dist first"
for t in hyperfine jq runc busybox; do command -v $t >/dev/null || die "$t is not installed"; done
[ -x "$crun" ] || die "no crun wrapper at $crun (set CRUN_HYBRID)"

work=$(mktemp -d /var/tmp/pelagos-bench-oci.XXXXXX)
cleanup() {
    for r in pelagos runc crun; do
        for id in $(ls "$work/state-$r" 2>/dev/null); do
            case $r in
                pelagos) "$home/bin/pelagos" --root "$work/state-$r" delete --force "$id" ;;
                runc) runc --root "$work/state-$r" delete --force "$id" ;;
                crun) "$crun" --root "$work/state-$r" delete --force "$id" ;;
            esac >/dev/null 2>&1 || true
        done
    done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# busybox rootfs (as CONFORMANCE.md's suites make it) and runc's starter spec around it
rootfs=$work/rootfs
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/dev" "$rootfs/proc" "$rootfs/sys" "$rootfs/tmp"
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for a in true sh; do ln -s busybox "$rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
bundle=$work/bundle
mkdir -p "$bundle"
runc spec --bundle "$bundle"
jq --arg root "$rootfs" '.root.path = $root | .root.readonly = true | .process.terminal = false | .process.args = ["/bin/true"]' \
    "$bundle/config.json" > "$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"

pelagos="$home/bin/pelagos --root $work/state-pelagos"
runc="runc --root $work/state-runc"
crunr="$crun --root $work/state-crun"
# create + start + delete --force: the container may still be exiting when delete runs
cycle() { echo "$1 create --bundle $bundle c && $1 start c && $1 delete --force c"; }

for r in "$pelagos" "$runc" "$crunr"; do
    sh -c "$(cycle "$r")" || die "lifecycle fails: $r"
    $r run --bundle "$bundle" r >/dev/null || die "run fails: $r"
done

mkdir -p "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
hyperfine -N --runs "$runs" --warmup "$warmup" --export-json "$results/oci.json" \
    -n "pelagos create+start+delete" "sh -c '$(cycle "$pelagos")'" \
    -n "runc create+start+delete" "sh -c '$(cycle "$runc")'" \
    -n "crun create+start+delete" "sh -c '$(cycle "$crunr")'" \
    -n "pelagos run" "$pelagos run --bundle $bundle r" \
    -n "runc run" "$runc run --bundle $bundle r" \
    -n "crun run" "$crunr run --bundle $bundle r" >/dev/null
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

mean() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean * 1000' "$results/oci.json"; }
sd() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .stddev * 1000' "$results/oci.json"; }
{
    echo "# OCI runtime verbs: pelagos vs runc vs crun"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, kernel $(uname -r), $runs runs after $warmup warm-up (hyperfine -N)."
    echo "Bundle: runc spec, busybox rootfs (read-only), /bin/true, no terminal. Load average before: $load_before; after: $load_after."
    echo
    echo "| what | mean ms | ± ms | vs runc | vs crun |"
    echo "|---|---|---|---|---|"
    for kind in "create+start+delete" "run"; do
        rm_=$(mean "runc $kind"); cm=$(mean "crun $kind")
        for r in pelagos runc crun; do
            m=$(mean "$r $kind"); s=$(sd "$r $kind")
            printf '| %s %s | %.1f | %.1f | %.2f | %.2f |\n' "$r" "$kind" "$m" "$s" \
                "$(echo "$m / $rm_" | bc -l)" "$(echo "$m / $cm" | bc -l)"
        done
    done
} > "$out"
cat "$out"
