#!/bin/sh
# Runs the Lisp benchmarks with `pelagos lisp` and with Guile 3 (`guile`), one measured run each
# after one warm-up run (which also lets Guile compile and cache the program), and prints ratios.
# Usage: bench/lisp/run.sh [RUNS]   (default 1 measured run per program, as the issue asks)
# Results: bench/results/lisp-<date>.md and the hyperfine JSON next to it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-1}
out=$root/bench/results
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report=$out/lisp-$stamp.md

command -v hyperfine >/dev/null || { echo "run.sh: hyperfine is not installed" >&2; exit 1; }
command -v guile >/dev/null || { echo "run.sh: guile is not installed (apt-get install guile-3.0)" >&2; exit 1; }

# The pelagos command: the launcher when it is built with the lisp verb, else the shaded jar with
# the launcher's flags for this verb.
if "$root/bin/pelagos" lisp -e 1 >/dev/null 2>&1; then
    pelagos="$root/bin/pelagos"
else
    jar=$root/pelagos-cli/target/pelagos.jar
    [ -f "$jar" ] || { echo "run.sh: build first: mvn -o -pl pelagos-lisp install && mvn -o -pl pelagos-cli package" >&2; exit 1; }
    java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
    pelagos="$java -XX:+UseSerialGC -XX:-UsePerfData -Xss16m -Xshare:auto -cp $jar dev.pelagos.cli.Main"
fi
echo "pelagos command: $pelagos"

{
    echo "# Lisp benchmarks, $stamp"
    echo
    echo "pelagos: \`$pelagos\`  "
    echo "machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates every figure)  "
    echo "guile: $(guile --version | head -1) (compiled and cached by the warm-up run); guile-interp: Guile's interpreter (\`primitive-load\`, no compilation)"
    echo
    echo "| program | pelagos (s) | guile (s) | guile-interp (s) | pelagos / guile | pelagos / guile-interp | pelagos minus JVM start (s) |"
    echo "|---|---|---|---|---|---|---|"
} > "$report"

# JVM + interpreter start-up, measured on an empty program, is subtracted in the last column.
echo "" > "$out/empty.reml"
hyperfine -N -w 1 -r 3 --export-json "$out/lisp-startup-$stamp.json" "$pelagos lisp $out/empty.reml" >/dev/null
startup=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean'])" "$out/lisp-startup-$stamp.json")
rm -f "$out/empty.reml"

for p in fib tailloop lists strings; do
    json=$out/lisp-$p-$stamp.json
    hyperfine -N -w 1 -r "$runs" --export-json "$json" \
        -n pelagos "$pelagos lisp $here/$p.reml" \
        -n guile "guile $here/$p.scm" \
        -n guile-interp "guile --no-auto-compile -c '(primitive-load \"$here/$p.scm\")'" >/dev/null
    python3 - "$json" "$p" "$startup" >> "$report" <<'PY'
import json, sys
res = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
p, start = sys.argv[2], float(sys.argv[3])
pl, g, gi = res["pelagos"], res["guile"], res["guile-interp"]
print(f"| {p} | {pl:.3f} | {g:.3f} | {gi:.3f} | {pl/g:.1f}x | {pl/gi:.2f}x | {max(pl-start,0):.3f} (/guile {max(pl-start,0)/g:.1f}x) |")
PY
done
echo >> "$report"
echo "JVM + interpreter start-up (empty program): $(printf '%.3f' "$startup") s" >> "$report"
cat "$report"
